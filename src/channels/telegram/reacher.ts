/**
 * A case worker's reply to a Telegram user, outside a turn: `sendMessage` to the user's private
 * chat (whose id is the user id), rendered as every Telegram reply is. A user who blocked the bot
 * (403) is reported as blocked and their conversation marked stopped.
 */
import type { Api } from 'grammy';
import type { CaseAddress, CaseReacher, Lang, Logger, ReachResult } from '../../domain/index.js';
import { CAPABILITIES } from '../shared/capabilities.js';
import type { RetryOptions } from '../shared/send.js';
import { renderTelegram } from './render.js';
import { sendTelegramMessages } from './send.js';

/** What the Telegram reacher needs. */
export interface TelegramReacherDeps {
  logger: Logger;
  retry?: RetryOptions;
  /** Marks the user's conversation stopped (the bot was blocked). */
  markStopped?: (userId: string) => Promise<void>;
}

/** The reacher over the bot's API. */
export function createTelegramReacher(api: Api, deps: TelegramReacherDeps): CaseReacher {
  return {
    channel: 'telegram',
    async reach(address: CaseAddress, text: string, lang: Lang): Promise<ReachResult> {
      const chatId = Number(address.userId);
      if (!/^-?\d{1,20}$/.test(address.userId) || !Number.isSafeInteger(chatId)) return { ok: false, reason: 'no-channel' };
      const outgoing = renderTelegram([{ kind: 'notice', text, lang }], CAPABILITIES.telegram);
      const report = await sendTelegramMessages(api, chatId, outgoing, { logger: deps.logger, ...(deps.retry ? { retry: deps.retry } : {}) });
      if (!report.failure) return { ok: true, via: 'text' };
      if (report.failure.kind === 'user-blocked') {
        await deps.markStopped?.(address.userId);
        return { ok: false, reason: 'blocked' };
      }
      return { ok: false, reason: 'failed' };
    },
  };
}
