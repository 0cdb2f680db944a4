/**
 * The one reader of `process.env`: parses and validates every setting into a typed `Config`.
 * Every setting and its default is listed in `.env.example` and the README.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the project (where package.json, content/, intents/ and locales/ are). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', ...(import.meta.url.includes('/dist/') ? ['..'] : []));

/** The HMAC secret used when none is configured: fine on a laptop, refused in production. */
export const DEFAULT_HMAC_SECRET = 'dalil-development-secret-change-me';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  logLevel: LogLevel;
  /** Secret of the keyed hash that turns user ids into conversation keys. */
  hmacSecret: string;
  /** Conversation state lifetime after the last turn, in seconds. */
  stateTtlSeconds: number;
  /** Empty: memory state (the embedded default). */
  redisUrl: string;
  redisPrefix: string;
  redisCommandTimeoutMs: number;
  /** How long a platform delivery id is remembered, so a redelivered webhook is answered once. */
  dedupeTtlSeconds: number;
  contentDir: string;
  intentsDir: string;
  localesDir: string;
  /** Language used before one is known. */
  defaultLang: 'fr' | 'en' | 'ar' | 'es';
  /** Segments an SMS reply may use before the rest is paged behind MORE. */
  smsSegmentBudget: number;
  /** Segments an SMS short form of an answer may use (checked by content:check). */
  smsShortFormSegments: number;
  /** Largest accepted request body, e.g. "64kb". */
  maxBodySize: string;
  /** Messages longer than this are cut before matching. */
  maxMessageChars: number;
  publicBaseUrl: string;
  telegram: { botToken: string; webhookSecret: string; apiRoot: string };
  twilio: {
    accountSid: string;
    authToken: string;
    whatsappFrom: string;
    smsFrom: string;
    quickReplyContentSid: string;
    listPickerContentSid: string;
  };
  botframework: { appId: string; appPassword: string; appTenantId: string; appType: string };
}

type Env = Record<string, string | undefined>;

class SettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function str(env: Env, name: string, fallback: string): string {
  const v = env[name];
  return v === undefined || v.trim() === '' ? fallback : v.trim();
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new SettingError(`${name} must be a whole number between ${min} and ${max} (got "${raw}")`);
  }
  return n;
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const v = str(env, name, fallback);
  if (!(allowed as readonly string[]).includes(v)) {
    throw new SettingError(`${name} must be one of ${allowed.join(', ')} (got "${v}")`);
  }
  return v as T;
}

function dir(env: Env, name: string, fallback: string): string {
  return path.resolve(PROJECT_ROOT, str(env, name, fallback));
}

/** Reads the configuration from an environment (default: `process.env`). Throws a clear error on bad values. */
export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = str(env, 'NODE_ENV', 'development');
  const publicBaseUrl = str(env, 'PUBLIC_BASE_URL', '').replace(/\/+$/, '');
  if (publicBaseUrl && !/^https?:\/\/[^\s/]+/.test(publicBaseUrl)) {
    throw new SettingError(`PUBLIC_BASE_URL must be an origin such as https://dalil.example.org (got "${publicBaseUrl}")`);
  }
  return {
    env: nodeEnv === 'production' ? 'production' : nodeEnv === 'test' ? 'test' : 'development',
    port: int(env, 'PORT', 3000, 0, 65535),
    host: str(env, 'HOST', '0.0.0.0'),
    logLevel: oneOf<LogLevel>(env, 'LOG_LEVEL', 'info', ['debug', 'info', 'warn', 'error', 'silent']),
    hmacSecret: str(env, 'HMAC_SECRET', DEFAULT_HMAC_SECRET),
    stateTtlSeconds: int(env, 'STATE_TTL_DAYS', 30, 1, 3650) * 86_400,
    redisUrl: str(env, 'REDIS_URL', ''),
    redisPrefix: str(env, 'REDIS_PREFIX', 'dalil:'),
    redisCommandTimeoutMs: int(env, 'REDIS_COMMAND_TIMEOUT_MS', 500, 10, 60_000),
    dedupeTtlSeconds: int(env, 'DEDUPE_TTL_HOURS', 24, 1, 24 * 30) * 3600,
    contentDir: dir(env, 'CONTENT_DIR', 'content'),
    intentsDir: dir(env, 'INTENTS_DIR', 'intents'),
    localesDir: dir(env, 'LOCALES_DIR', 'locales'),
    defaultLang: oneOf(env, 'DEFAULT_LANG', 'fr', ['fr', 'en', 'ar', 'es'] as const),
    smsSegmentBudget: int(env, 'SMS_SEGMENT_BUDGET', 3, 1, 10),
    smsShortFormSegments: int(env, 'SMS_SHORT_FORM_SEGMENTS', 2, 1, 10),
    maxBodySize: str(env, 'MAX_BODY_SIZE', '64kb'),
    maxMessageChars: int(env, 'MAX_MESSAGE_CHARS', 1000, 50, 100_000),
    publicBaseUrl,
    telegram: {
      botToken: str(env, 'TELEGRAM_BOT_TOKEN', ''),
      webhookSecret: str(env, 'TELEGRAM_WEBHOOK_SECRET', ''),
      apiRoot: str(env, 'TELEGRAM_API_ROOT', 'https://api.telegram.org'),
    },
    twilio: {
      accountSid: str(env, 'TWILIO_ACCOUNT_SID', ''),
      authToken: str(env, 'TWILIO_AUTH_TOKEN', ''),
      whatsappFrom: str(env, 'TWILIO_WHATSAPP_FROM', ''),
      smsFrom: str(env, 'TWILIO_SMS_FROM', ''),
      quickReplyContentSid: str(env, 'TWILIO_QUICK_REPLY_CONTENT_SID', ''),
      listPickerContentSid: str(env, 'TWILIO_LIST_PICKER_CONTENT_SID', ''),
    },
    botframework: {
      appId: str(env, 'MICROSOFT_APP_ID', ''),
      appPassword: str(env, 'MICROSOFT_APP_PASSWORD', ''),
      appTenantId: str(env, 'MICROSOFT_APP_TENANT_ID', ''),
      appType: str(env, 'MICROSOFT_APP_TYPE', 'MultiTenant'),
    },
  };
}
