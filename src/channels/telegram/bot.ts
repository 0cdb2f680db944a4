/**
 * The grammY bot shared by the webhook (router.ts) and long polling (`npm run telegram:poll`):
 * every update goes through parse -> turn -> render -> send.
 */
import { Bot } from 'grammy';
import { untracked, type Lang, type Logger, type TaskTracker, type TurnHandler } from '../../domain/index.js';
import { CAPABILITIES } from '../shared/capabilities.js';
import { deliver, type PipelineDeps } from '../shared/pipeline.js';
import type { RetryOptions } from '../shared/send.js';
import { parseTelegramUpdate, updateType, type TelegramUpdate } from './parse.js';
import { renderTelegram } from './render.js';
import { classifyTelegramError, sendTelegramMessages } from './send.js';

/** The bot's own identity (`getMe`), when known in advance. */
export type TelegramBotInfo = Bot['botInfo'];

/** Settings of the bot itself. */
export interface TelegramBotSettings {
  /** TELEGRAM_BOT_TOKEN. */
  botToken: string;
  /** TELEGRAM_API_ROOT (https://api.telegram.org, or a local Bot API server). */
  apiRoot: string;
  /** Language of the default command menu and of adapter strings before any is known. */
  defaultLang: Lang;
}

/** What the bot is given. */
export interface TelegramDeps {
  handleTurn: TurnHandler;
  /** Told how each turn's sends went (metrics). */
  onDelivered?: PipelineDeps['onDelivered'];
  logger: Logger;
  /** Skips the `getMe` call on start (tests, or when known). */
  botInfo?: TelegramBotInfo;
  /** Clock for `receivedAt` (default `Date.now`). */
  now?: () => number;
  retry?: RetryOptions;
  /**
   * Marks the sender's conversation stopped when Telegram answers 403 (the user blocked the bot).
   * Given by `main.ts` (a store transaction setting `state.stopped`); the next message the user
   * sends after unblocking lifts it.
   */
  markStopped?: (userId: string) => Promise<void>;
  /** Counts each update's work in flight, for a graceful shutdown (default: not counted). */
  tasks?: TaskTracker;
}

/** Handles one update end to end; never throws (failures are logged; the service writes any apology). */
async function handleUpdate(bot: Bot, update: TelegramUpdate, deps: TelegramDeps, defaultLang: Lang): Promise<void> {
  const { logger } = deps;
  const cq = update.callback_query;
  if (cq) {
    // Stops the button's spinner whatever happens next.
    await bot.api.answerCallbackQuery(cq.id).catch((error: unknown) => {
      logger.warn('channel.telegram.callback_answer_failed', { kind: classifyTelegramError(error).kind });
    });
  }
  const inbound = parseTelegramUpdate(update, (deps.now ?? Date.now)());
  if (!inbound) {
    logger.debug('channel.telegram.update_ignored', { type: updateType(update) });
    return;
  }
  const caps = CAPABILITIES.telegram;
  const retry = deps.retry ? { retry: deps.retry } : {};
  await deliver(
    { id: 'telegram', capabilities: caps },
    inbound,
    {
      render: (replies) => renderTelegram(replies, caps),
      send: (outgoing) => sendTelegramMessages(bot.api, inbound.chatId, outgoing, { logger, ...retry }),
    },
    { handleTurn: deps.handleTurn, logger, defaultLang, ...(deps.markStopped ? { markStopped: deps.markStopped } : {}), ...(deps.onDelivered ? { onDelivered: deps.onDelivered } : {}) },
  );
}

/** Creates the bot with its one handler. It makes no network call until it handles an update. */
export function createTelegramBot(settings: TelegramBotSettings, deps: TelegramDeps): Bot {
  const bot = new Bot(settings.botToken, {
    client: { apiRoot: settings.apiRoot },
    ...(deps.botInfo ? { botInfo: deps.botInfo } : {}),
  });
  const tasks = deps.tasks ?? untracked;
  // Tracked: after a webhook's deadline the work goes on without the request (see router.ts).
  bot.use(async (ctx) => tasks.run(() => handleUpdate(bot, ctx.update, deps, settings.defaultLang)));
  bot.catch((err) => {
    // BotError wraps what failed; its message may quote the update, so only the name is logged.
    deps.logger.error('channel.telegram.handler_failed', { error: err.error instanceof Error ? err.error.name : 'unknown' });
  });
  return bot;
}
