/**
 * Send failures sorted into kinds, and a retry that retries only the retryable ones.
 * Each adapter classifies its SDK's errors; this module knows no SDK.
 */
import { DalilError } from '../../domain/index.js';

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
