/**
 * Send failures sorted into kinds, and a retry that retries only the retryable ones.
 * Each adapter classifies its SDK's errors; this module knows no SDK.
 */
import { DalilError, type Logger } from '../../domain/index.js';

/**
 * - `retryable`: the platform or network failed for now (HTTP 429, 5xx, connection reset).
 * - `user-blocked`: the user blocked the bot or opted out; sending again will not help.
 * - `fatal`: the request itself is wrong (bad token, bad payload); a bug or a setting to fix.
 */
export type SendFailureKind = 'retryable' | 'user-blocked' | 'fatal';

/** What an adapter knows about one failed send. Never holds message text or recipient. */
export interface SendFailure {
  kind: SendFailureKind;
  /** HTTP status, when there was a response. */
  status?: number;
  /** Platform error code (Twilio 21610 ...), when given. */
  code?: number;
  /** Milliseconds the platform asked to wait before retrying (Telegram `retry_after`). */
  retryAfterMs?: number;
}

/** A send that failed for good: after the retries, or at once when it was not retryable. */
export class SendError extends DalilError {
  readonly failure: SendFailure;
  readonly attempts: number;
  constructor(failure: SendFailure, attempts: number, cause: unknown) {
    super(`send failed (${failure.kind}${failure.status !== undefined ? `, HTTP ${failure.status}` : ''}) after ${attempts} attempt(s)`, { cause });
    this.name = 'SendError';
    this.failure = failure;
    this.attempts = attempts;
  }
}

/** How a batch of sends ended: how many went out, and the failure that stopped the rest. */
export interface SendReport {
  sent: number;
  failure?: SendFailure;
}

export interface RetryOptions {
  /** Attempts in all, the first included (default 3). */
  attempts?: number;
  /** Delay before the second attempt, doubled each time (default 300 ms). */
  baseDelayMs?: number;
  /** Longest wait between attempts, also the cap on a platform's retry-after (default 3 s: webhooks are waiting). */
  maxDelayMs?: number;
  /** Waits; tests pass one that does not. */
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `send`; on failure classifies the error and retries only `retryable` ones, with
 * exponential backoff (or the platform's retry-after). Throws a `SendError` keeping the cause.
 */
export async function sendWithRetry<T>(send: () => Promise<T>, classify: (error: unknown) => SendFailure, options: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 3);
  const base = options.baseDelayMs ?? 300;
  const maxDelay = options.maxDelayMs ?? 3000;
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const failure = classify(error);
      if (failure.kind !== 'retryable' || attempt >= attempts) throw new SendError(failure, attempt, error);
      await sleep(Math.min(maxDelay, failure.retryAfterMs ?? base * 2 ** (attempt - 1)));
    }
  }
}

/** Classifies by HTTP status alone: 429, 408 and 5xx retryable; 403 user-blocked; other 4xx fatal; none (network) retryable. */
export function classifyHttpStatus(status: number | undefined): SendFailureKind {
  if (status === undefined || status === 408 || status === 429 || status >= 500) return 'retryable';
  if (status === 403) return 'user-blocked';
  return 'fatal';
}

/**
 * Sends `messages` one after the other, so they arrive in order, each through `sendOne` with
 * `sendWithRetry`; stops at the first failure that survives the retries (later parts make no
 * sense without it) and reports it. Failures are logged as `channel.<channel>.send_failed` (at
 * info for a user who blocked the bot or opted out, at error otherwise) with no id, number or text.
 * Never throws.
 */
export async function sendInOrder<T>(
  messages: readonly T[],
  sendOne: (message: T) => Promise<unknown>,
  classify: (error: unknown) => SendFailure,
  deps: { logger: Logger; channel: string; retry?: RetryOptions },
): Promise<SendReport> {
  let sent = 0;
  for (const m of messages) {
    try {
      await sendWithRetry(() => sendOne(m), classify, deps.retry);
      sent += 1;
    } catch (error) {
      const failure = error instanceof SendError ? error.failure : classify(error);
      const level = failure.kind === 'user-blocked' ? 'info' : 'error';
      deps.logger[level](`channel.${deps.channel}.send_failed`, { kind: failure.kind, status: failure.status, code: failure.code, sent, pending: messages.length - sent });
      return { sent, failure };
    }
  }
  return { sent };
}
