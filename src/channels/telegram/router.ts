/**
 * Telegram webhook: POST /webhooks/telegram, verified by the secret token Telegram sends in
 * `X-Telegram-Bot-Api-Secret-Token` (https://core.telegram.org/bots/api#setwebhook).
 */
import express, { type Router } from 'express';
import { webhookCallback, type Bot } from 'grammy';
import { ConfigError, type CaseReacher, type ChannelAdapter } from '../../domain/index.js';
import { CAPABILITIES } from '../shared/capabilities.js';
import { jsonBody } from '../shared/json-body.js';
import { safeEqual } from '../shared/signature.js';
import { createTelegramBot, type TelegramBotSettings, type TelegramDeps } from './bot.js';
import { registerTelegramCommands } from './commands.js';
import { createTelegramReacher } from './reacher.js';
import { classifyTelegramError } from './send.js';

import { TELEGRAM_WEBHOOK_PATH } from '../configured.js';

/** Where the webhook is mounted. */
export { TELEGRAM_WEBHOOK_PATH };
/** Header carrying the secret token. */
export const TELEGRAM_SECRET_HEADER = 'X-Telegram-Bot-Api-Secret-Token';
/** Update kinds Dalil asks Telegram for; everything else is not even delivered. */
export const TELEGRAM_ALLOWED_UPDATES = ['message', 'callback_query'] as const;

/** Settings of the Telegram channel (from `Config.telegram` and the server settings). */
export interface TelegramSettings extends TelegramBotSettings {
  /** TELEGRAM_WEBHOOK_SECRET: 1-256 characters of A-Z a-z 0-9 _ - (Telegram's rule). */
  webhookSecret: string;
  /** PUBLIC_BASE_URL, to register the webhook; empty: `setup()` registers commands only. */
  publicBaseUrl: string;
  /** MAX_BODY_SIZE for the JSON parser. */
  maxBodySize: string;
  /**
   * WEBHOOK_DEADLINE_MS: a turn still running after this long gets Telegram an empty 200 at once;
   * its reply goes out through the Bot API when ready, as every Telegram reply does (default 5000).
   */
  webhookDeadlineMs?: number;
}

/** Default of `webhookDeadlineMs`. */
export const DEFAULT_WEBHOOK_DEADLINE_MS = 5000;

/** Whether a parsed body has the shape of an update (an object with an integer `update_id`). */
export function looksLikeUpdate(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const id = (body as { update_id?: unknown }).update_id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0;
}

/** The Telegram channel: its express mount, the bot, and the start-up registration. */
export interface TelegramChannel extends ChannelAdapter<Router> {
  bot: Bot;
  /** How a case worker's reply reaches a Telegram user outside a turn. */
  reacher: CaseReacher;
  /**
   * Registers the command menu in the four languages and, with a public URL, the webhook with its
   * secret. Resolves false (after logging) when Telegram could not be reached: the server still starts.
   */
  setup(): Promise<boolean>;
}

/** True when the Telegram channel should be switched on (a bot token is set). */
export { telegramConfigured } from '../configured.js';

/**
 * Builds the channel. Throws `ConfigError` without a token or with a missing or malformed secret:
 * the webhook is never served unauthenticated (use `npm run telegram:poll` locally instead).
 */
export function createTelegramChannel(settings: TelegramSettings, deps: TelegramDeps): TelegramChannel {
  if (!settings.botToken) throw new ConfigError('TELEGRAM_BOT_TOKEN is required for the Telegram channel');
  if (!/^[A-Za-z0-9_-]{1,256}$/.test(settings.webhookSecret)) {
    throw new ConfigError('TELEGRAM_WEBHOOK_SECRET must be set to 1-256 characters of A-Z, a-z, 0-9, _ and - for the Telegram webhook');
  }
  const { logger } = deps;
  const bot = createTelegramBot(settings, deps);
  const router = express.Router();
  router.post(
    '/',
    (req, res, next) => {
      // Checked before the body is even parsed; grammY checks again below.
      if (!safeEqual(req.header(TELEGRAM_SECRET_HEADER), settings.webhookSecret)) {
        logger.warn('channel.telegram.bad_secret', { present: req.header(TELEGRAM_SECRET_HEADER) !== undefined });
        res.status(401).json({ error: 'unauthorized' });
        return;
      }
      next();
    },
    jsonBody(express.json, settings.maxBodySize),
    (req, res, next) => {
      if (!looksLikeUpdate(req.body)) {
        logger.warn('channel.telegram.malformed_update');
        res.status(400).json({ error: 'malformed update' });
        return;
      }
      next();
    },
    webhookCallback(bot, 'express', {
      secretToken: settings.webhookSecret,
      // Answer Telegram in time whatever the turn does; the reply follows through the Bot API.
      onTimeout: () => logger.warn('channel.telegram.slow_turn', { deadlineMs: settings.webhookDeadlineMs ?? DEFAULT_WEBHOOK_DEADLINE_MS }),
      timeoutMilliseconds: settings.webhookDeadlineMs ?? DEFAULT_WEBHOOK_DEADLINE_MS,
    }),
  );

  return {
    id: 'telegram',
    capabilities: CAPABILITIES.telegram,
    mount: { name: 'telegram', path: TELEGRAM_WEBHOOK_PATH, router },
    bot,
    reacher: createTelegramReacher(bot.api, { logger, ...(deps.retry ? { retry: deps.retry } : {}), ...(deps.markStopped ? { markStopped: deps.markStopped } : {}) }),
    async setup() {
      try {
        await registerTelegramCommands(bot.api, settings.defaultLang);
        if (settings.publicBaseUrl) {
          await bot.api.setWebhook(`${settings.publicBaseUrl}${TELEGRAM_WEBHOOK_PATH}`, {
            secret_token: settings.webhookSecret,
            allowed_updates: [...TELEGRAM_ALLOWED_UPDATES],
          });
          logger.info('channel.telegram.webhook_set');
        } else {
          logger.warn('channel.telegram.webhook_not_set', { reason: 'PUBLIC_BASE_URL is empty' });
        }
        return true;
      } catch (error) {
        const failure = classifyTelegramError(error);
        logger.error('channel.telegram.setup_failed', { kind: failure.kind, status: failure.status });
        return false;
      }
    },
  };
}
