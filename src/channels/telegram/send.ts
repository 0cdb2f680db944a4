/**
 * Sends rendered messages through the Bot API, in order, retrying only retryable failures.
 * https://core.telegram.org/bots/api#making-requests (error_code, parameters.retry_after)
 */
import { GrammyError, HttpError, type Api } from 'grammy';
import type { Logger } from '../../domain/index.js';
import { classifyHttpStatus, sendInOrder, type RetryOptions, type SendFailure, type SendReport } from '../shared/send.js';
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

/** Sends `messages` to `chatId` in order (see `sendInOrder`); never throws, never logs ids or text. */
export function sendTelegramMessages(
  api: Api,
  chatId: number,
  messages: readonly TelegramOutgoing[],
  deps: { logger: Logger; retry?: RetryOptions },
): Promise<SendReport> {
  return sendInOrder(messages, (m) => api.sendMessage(chatId, m.text, m.options), classifyTelegramError, { ...deps, channel: 'telegram' });
}
