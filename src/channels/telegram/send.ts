/**
 * Sends rendered messages through the Bot API, in order, retrying only retryable failures.
 * https://core.telegram.org/bots/api#making-requests (error_code, parameters.retry_after)
 */
import { GrammyError, HttpError, type Api } from 'grammy';
import type { Logger } from '../../domain/index.js';
import { classifyHttpStatus, sendWithRetry, SendError, type RetryOptions, type SendFailure } from '../shared/send.js';
import type { TelegramOutgoing } from './render.js';

/** Sorts a Bot API failure: 429 and 5xx and network errors retryable, 403 (bot blocked) user-blocked, else fatal. */
export function classifyTelegramError(error: unknown): SendFailure {
  if (error instanceof GrammyError) {
    const retryAfter = error.parameters.retry_after;
    return {
      kind: classifyHttpStatus(error.error_code),
      status: error.error_code,
      ...(retryAfter !== undefined ? { retryAfterMs: retryAfter * 1000 } : {}),
    };
  }
  if (error instanceof HttpError) return { kind: 'retryable' };
  return { kind: 'fatal' };
}

/** How a batch of sends ended. */
export interface SendReport {
  sent: number;
  failure?: SendFailure;
}

/**
 * Sends `messages` to `chatId` one after the other. Stops at the first failure that survives the
 * retries (later parts make no sense without it) and reports it; never throws, never logs ids or text.
 */
export async function sendTelegramMessages(
  api: Api,
  chatId: number,
  messages: readonly TelegramOutgoing[],
  deps: { logger: Logger; retry?: RetryOptions },
): Promise<SendReport> {
  let sent = 0;
  for (const m of messages) {
    try {
      await sendWithRetry(() => api.sendMessage(chatId, m.text, m.options), classifyTelegramError, deps.retry);
      sent += 1;
    } catch (error) {
      const failure = error instanceof SendError ? error.failure : classifyTelegramError(error);
      const level = failure.kind === 'user-blocked' ? 'info' : 'error';
      deps.logger[level]('channel.telegram.send_failed', { kind: failure.kind, status: failure.status, sent, pending: messages.length - sent });
      return { sent, failure };
    }
  }
  return { sent };
}
