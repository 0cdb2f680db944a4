/**
 * The one reader of `process.env`: parses and validates every setting into a typed `Config`.
 * Every setting and its default is listed in `.env.example` and the README.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGS, type Lang, type RedisNodeAddress, type RedisTopology } from '../domain/index.js';

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
  /**
   * Which Redis, from `REDIS_SENTINELS` (+ `REDIS_SENTINEL_NAME`), `REDIS_CLUSTER_NODES` or `REDIS_URL`,
   * in that order; `undefined`: memory state.
   */
  redisTopology: RedisTopology | undefined;
  redisPrefix: string;
  redisCommandTimeoutMs: number;
  /** How long a platform delivery id is remembered, so a redelivered webhook is answered once. */
  dedupeTtlSeconds: number;
  contentDir: string;
  intentsDir: string;
  localesDir: string;
  /** Language used before one is known. */
  defaultLang: Lang;
  /** Segments an SMS reply may use before the rest is paged behind MORE. */
  smsSegmentBudget: number;
  /** Segments an SMS short form of an answer may use (checked by content:check). */
  smsShortFormSegments: number;
  /** Largest accepted request body, e.g. "64kb". */
  maxBodySize: string;
  /** Messages longer than this are cut before matching. */
  maxMessageChars: number;
  /** Messages a user may send per minute before one notice and then silence until the minute ends (0: no limit). */
  rateLimitPerMinute: number;
  /** SMS replies a user may get per day before one notice and then silence until the day ends (0: no cap). */
  smsDailyCap: number;
  /** SMS segments every user together may be sent per hour / per day, all instances (0: no budget); an alert is logged at 80 %. */
  smsSegmentsPerHour: number;
  smsSegmentsPerDay: number;
  /** Web chat turns one instance serves per minute, all users together (0: no limit). */
  webTurnsPerMinute: number;
  /**
   * Longest a Telegram or Twilio webhook waits for its turn: a slower turn gets the platform an
   * empty 200 at once and its reply through the REST / Bot API when ready.
   */
  webhookDeadlineMs: number;
  /** On SIGTERM: how long turns in flight may take to finish before connections are cut. */
  shutdownTimeoutMs: number;
  /** Whose X-Forwarded-For is believed (express "trust proxy"): true, false, a hop count, or addresses / subnets. */
  trustProxy: boolean | number | string;
  /** `/metrics`: bearer token on the main port (empty: not there), and/or a separate port (0: none). */
  metrics: { token: string; port: number; host: string };
  /** The editors' app (/admin). */
  admin: {
    /** Where accounts, sessions, drafts, history and missed questions live without Redis. */
    dataDir: string;
    /** Session cookie only over HTTPS (`Secure`, `__Host-` name). */
    cookieSecure: boolean;
    sessionHours: number;
    loginMaxFailures: number;
    loginWindowMinutes: number;
    /** Longest backoff a sign-in from a new device waits after failures on its account (seconds). */
    loginBackoffMaxSeconds?: number;
    /** Days missed questions are kept (at most 30). */
    missedRetentionDays: number;
  };
  /** Research aggregates shown on the admin's Insights page (issue #22). */
  insights: {
    /** Days a day's counters are kept (INSIGHTS_RETENTION_DAYS). */
    retentionDays: number;
    /** Counts from 1 to this minus 1 are shown "<N>" and never exported (INSIGHTS_MIN_COUNT). */
    minCount: number;
    /** Shown and exported counts are rounded to a multiple of this (INSIGHTS_ROUND_TO; 1: exact). */
    roundTo: number;
    /** Price of one SMS segment (INSIGHTS_SMS_SEGMENT_PRICE; 0: no cost shown). */
    smsSegmentPrice: number;
    /** Currency of that price (INSIGHTS_SMS_CURRENCY). */
    smsCurrency: string;
  };
  /** The case desk (a person behind Dalil, src/cases/). */
  cases: {
    /**
     * CASE_ENCRYPTION_KEY: the 32-byte AES-256-GCM key that seals case messages and contact
     * details; undefined: none set (refused in production; development derives one from HMAC_SECRET).
     */
    encryptionKey: Buffer | undefined;
    /** CASE_RETENTION_DAYS: days a closed case is kept before it is deleted. */
    retentionDays: number;
    /** TWILIO_WHATSAPP_CASE_TEMPLATE_SID: approved template that asks a WhatsApp user to write back outside the 24-hour window ('' : none). */
    whatsappTemplateSid: string;
  };
  publicBaseUrl: string;
  /** Partner sites allowed to embed the web chat (frame and `/api/chat` from their pages); empty: none. */
  webEmbedOrigins: string[];
  telegram: { botToken: string; webhookSecret: string; apiRoot: string };
  twilio: {
    accountSid: string;
    authToken: string;
    whatsappFrom: string;
    smsFrom: string;
    quickReplyContentSid: string;
    listPickerContentSid: string;
    /** TWILIO_KEYWORD_REPLIES: who answers the carrier keywords STOP/START/HELP (`twilio`: its Advanced Opt-Out; Dalil stays silent). */
    keywordReplies: 'twilio' | 'dalil';
  };
  botframework: {
    appId: string;
    appPassword: string;
    appTenantId: string;
    appType: string;
    /** Without app id (Emulator): accept callers beyond loopback too (BOTFRAMEWORK_ALLOW_REMOTE_ANONYMOUS). */
    allowRemoteAnonymous: boolean;
    /** Service URLs replies may go to besides Microsoft's own (BOTFRAMEWORK_SERVICE_URLS). */
    serviceUrls: string[];
  };
}

type Env = Record<string, string | undefined>;

/** The configuration is invalid; the message says which setting and why. */
export class SettingError extends Error {
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

function decimal(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || n < min || n > max) throw new SettingError(`${name} must be a number between ${min} and ${max} (got "${raw}")`);
  return n;
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const v = str(env, name, fallback);
  if (!(allowed as readonly string[]).includes(v)) {
    throw new SettingError(`${name} must be one of ${allowed.join(', ')} (got "${v}")`);
  }
  return v as T;
}

/** Proxies on loopback and private networks: the client's own X-Forwarded-For is never believed. */
export const DEFAULT_TRUST_PROXY = 'loopback, linklocal, uniquelocal';

/** TRUST_PROXY: `true`, `false`, a number of hops, or comma-separated addresses, subnets and names. */
function trustProxy(env: Env, name: string): boolean | number | string {
  const v = str(env, name, DEFAULT_TRUST_PROXY);
  if (v === 'true' || v === 'false') return v === 'true';
  if (/^\d{1,2}$/.test(v)) return Number(v);
  if (!/^[\w.:/, -]+$/.test(v)) throw new SettingError(`${name} must be true, false, a hop count or addresses such as "loopback, 10.0.0.0/8" (got "${v}")`);
  return v;
}

/** Largest MAX_BODY_SIZE accepted: webhooks carry a few kilobytes at most. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** A size such as `64kb`, `1mb` or `20000` (bytes), between 1 KB and 10 MB. */
function bodySize(env: Env, name: string, fallback: string): string {
  const v = str(env, name, fallback).toLowerCase();
  const m = /^(\d{1,9})(b|kb|mb)?$/.exec(v);
  const bytes = m ? Number(m[1]) * ({ b: 1, kb: 1024, mb: 1024 * 1024 } as const)[(m[2] ?? 'b') as 'b' | 'kb' | 'mb'] : NaN;
  if (!(bytes >= 1024 && bytes <= MAX_BODY_BYTES)) {
    throw new SettingError(`${name} must be a size between 1kb and 10mb such as 64kb (got "${v}")`);
  }
  return v;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const v = str(env, name, String(fallback)).toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  throw new SettingError(`${name} must be true or false (got "${v}")`);
}

function dir(env: Env, name: string, fallback: string): string {
  return path.resolve(PROJECT_ROOT, str(env, name, fallback));
}

/** Shortest HMAC secret accepted in production (`openssl rand -base64 32` gives 44 characters). */
export const MIN_PRODUCTION_HMAC_SECRET_LENGTH = 32;

/**
 * What production refuses in a configuration, one sentence per problem, naming the setting:
 * the development HMAC secret (or a short one), a channel switched on without the secret that
 * authenticates its webhook, a Bot Framework registration without its app id (or password), and a
 * public URL that is not HTTPS. Empty outside production.
 */
export function productionProblems(config: Config): string[] {
  if (config.env !== 'production') return [];
  const problems: string[] = [];
  if (config.hmacSecret === DEFAULT_HMAC_SECRET) {
    problems.push('HMAC_SECRET is the default development secret: set your own (openssl rand -base64 32)');
  } else if (config.hmacSecret.length < MIN_PRODUCTION_HMAC_SECRET_LENGTH) {
    problems.push(`HMAC_SECRET is shorter than ${MIN_PRODUCTION_HMAC_SECRET_LENGTH} characters (openssl rand -base64 32)`);
  }
  const { telegram, twilio, botframework } = config;
  if (telegram.botToken && !telegram.webhookSecret) {
    problems.push('TELEGRAM_WEBHOOK_SECRET is missing while TELEGRAM_BOT_TOKEN is set (openssl rand -hex 32)');
  }
  const twilioOn = twilio.whatsappFrom !== '' || twilio.smsFrom !== '' || twilio.accountSid !== '';
  if (twilioOn && !twilio.authToken) {
    problems.push('TWILIO_AUTH_TOKEN is missing: Twilio webhooks cannot be verified without it');
  }
  if (twilioOn && !config.publicBaseUrl) {
    problems.push('PUBLIC_BASE_URL is missing: Twilio signs the public URL it calls');
  }
  const bfTouched = botframework.appPassword !== '' || botframework.appTenantId !== '' || botframework.appType !== 'MultiTenant';
  if (!botframework.appId && bfTouched) {
    problems.push('MICROSOFT_APP_ID is empty while other MICROSOFT_APP_* settings are set: the Bot Framework endpoint would be anonymous');
  }
  if (botframework.appId && !botframework.appPassword && botframework.appType !== 'UserAssignedMSI') {
    problems.push('MICROSOFT_APP_PASSWORD is missing while MICROSOFT_APP_ID is set');
  }
  if (config.metrics.token && config.metrics.token.length < 24) {
    problems.push('METRICS_TOKEN is shorter than 24 characters (openssl rand -hex 24)');
  }
  if (!config.cases.encryptionKey) {
    problems.push('CASE_ENCRYPTION_KEY is missing: case messages and contact details cannot be encrypted (openssl rand -base64 32)');
  }
  if (config.publicBaseUrl && !config.publicBaseUrl.startsWith('https://')) {
    problems.push('PUBLIC_BASE_URL must be an https:// origin in production');
  }
  const plain = config.webEmbedOrigins.filter((o) => !o.startsWith('https://'));
  if (plain.length > 0) problems.push(`WEB_EMBED_ORIGINS must list https:// origins in production (got ${plain.join(', ')})`);
  return problems;
}

/**
 * Reads the configuration from an environment (default: `process.env`). Throws a clear error on
 * bad values and, with NODE_ENV=production, on every problem `productionProblems` finds.
 */
export function loadConfig(env: Env = process.env): Config {
  const config = readConfig(env);
  const problems = productionProblems(config);
  if (problems.length > 0) {
    throw new SettingError(`refusing to start in production:\n- ${problems.join('\n- ')}`);
  }
  return config;
}

/** `host:port,host:port` (spaces allowed) as addresses; names the setting when an entry is malformed. */
function nodeList(env: Env, name: string): RedisNodeAddress[] {
  const raw = str(env, name, '');
  if (!raw) return [];
  return raw.split(/[\s,]+/).filter(Boolean).map((entry) => {
    const m = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(entry);
    const port = Number(m?.[2]);
    if (!m || port < 1 || port > 65535) throw new SettingError(`${name} must be a comma-separated list of host:port (got an entry "${entry}")`);
    return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
  });
}

/** The Redis deployment: Sentinel, Cluster, one URL, or none (memory state). */
function redisTopology(env: Env): RedisTopology | undefined {
  const sentinels = nodeList(env, 'REDIS_SENTINELS');
  const clusterNodes = nodeList(env, 'REDIS_CLUSTER_NODES');
  if (sentinels.length > 0 && clusterNodes.length > 0) throw new SettingError('set REDIS_SENTINELS or REDIS_CLUSTER_NODES, not both');
  const username = str(env, 'REDIS_USERNAME', '');
  const password = str(env, 'REDIS_PASSWORD', '');
  const auth = { ...(username ? { username } : {}), ...(password ? { password } : {}), ...(bool(env, 'REDIS_TLS', false) ? { tls: true } : {}) };
  if (sentinels.length > 0) {
    const sentinelPassword = str(env, 'REDIS_SENTINEL_PASSWORD', '');
    return { kind: 'sentinel', name: str(env, 'REDIS_SENTINEL_NAME', 'mymaster'), sentinels, ...auth, ...(sentinelPassword ? { sentinelPassword } : {}) };
  }
  if (clusterNodes.length > 0) return { kind: 'cluster', nodes: clusterNodes, ...auth };
  const url = str(env, 'REDIS_URL', '');
  return url ? { kind: 'standalone', url } : undefined;
}

/**
 * NODE_ENV, compared without case: `Production` is production. An unknown value (a typo such as
 * `prod` or `staging`) is refused rather than read as development, which would run with the public
 * default secret and an anonymous Bot Framework endpoint.
 */
function nodeEnvOf(env: Env): Config['env'] {
  const v = str(env, 'NODE_ENV', 'development').toLowerCase();
  if (v === 'production' || v === 'development' || v === 'test') return v;
  throw new SettingError(`NODE_ENV must be production, development or test (got "${str(env, 'NODE_ENV', '')}")`);
}

/** Comma-separated list, trimmed, empty entries dropped. */
function list(env: Env, name: string): string[] {
  return str(env, name, '')
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

/** Bot Framework service origins such as `https://smba.trafficmanager.net`: https, or http on loopback only. */
function serviceOrigins(env: Env, name: string): string[] {
  const values = list(env, name);
  for (const v of values) {
    if (!/^(https:\/\/[a-z0-9.-]+(:\d{1,5})?|http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?)\/?$/i.test(v)) {
      throw new SettingError(`${name} must list https:// origins such as https://smba.trafficmanager.net (got "${v}")`);
    }
  }
  return values.map((v) => v.replace(/\/$/, '').toLowerCase());
}

/** A Twilio Content SID (`HX` and 32 hex digits), or '' when unset. */
function contentSid(env: Env, name: string): string {
  const v = str(env, name, '');
  if (v && !/^HX[0-9a-fA-F]{32}$/.test(v)) throw new SettingError(`${name} must be a Twilio Content SID such as HX followed by 32 hex digits (got "${v}")`);
  return v;
}

/** A list of origins (`https://partner.example.org`, comma or space separated), each checked. */
function origins(env: Env, name: string): string[] {
  const list = str(env, name, '').split(/[\s,]+/).filter((o) => o.length > 0);
  for (const o of list) {
    if (!/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(o)) {
      throw new SettingError(`${name}: "${o}" is not an origin such as https://partner.example.org (no path, no trailing slash)`);
    }
  }
  return list;
}

/**
 * CASE_ENCRYPTION_KEY: exactly 32 bytes, written as 64 hex digits or in base64 (standard or
 * url-safe, padding optional). Anything else is refused, without repeating the value (a secret).
 */
export function caseKeyOf(env: Env, name = 'CASE_ENCRYPTION_KEY'): Buffer | undefined {
  const raw = str(env, name, '');
  if (!raw) return undefined;
  if (/^[0-9a-fA-F]{64}$/.test(raw)) return Buffer.from(raw, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(raw)) {
    const bytes = Buffer.from(raw.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === 32) return bytes;
  }
  throw new SettingError(`${name} must be 32 random bytes written as 64 hex digits or 44 base64 characters (openssl rand -base64 32); the value given is ${raw.length} characters long`);
}

function readConfig(env: Env): Config {
  const nodeEnv = nodeEnvOf(env);
  const publicBaseUrl = str(env, 'PUBLIC_BASE_URL', '').replace(/\/+$/, '');
  if (publicBaseUrl && !/^https?:\/\/[^\s/]+/.test(publicBaseUrl)) {
    throw new SettingError(`PUBLIC_BASE_URL must be an origin such as https://dalil.example.org (got "${publicBaseUrl}")`);
  }
  return {
    env: nodeEnv,
    port: int(env, 'PORT', 3000, 0, 65535),
    host: str(env, 'HOST', '0.0.0.0'),
    logLevel: oneOf<LogLevel>(env, 'LOG_LEVEL', 'info', ['debug', 'info', 'warn', 'error', 'silent']),
    hmacSecret: str(env, 'HMAC_SECRET', DEFAULT_HMAC_SECRET),
    stateTtlSeconds: int(env, 'STATE_TTL_DAYS', 30, 1, 3650) * 86_400,
    redisUrl: str(env, 'REDIS_URL', ''),
    redisTopology: redisTopology(env),
    redisPrefix: str(env, 'REDIS_PREFIX', 'dalil:'),
    redisCommandTimeoutMs: int(env, 'REDIS_COMMAND_TIMEOUT_MS', 500, 10, 60_000),
    dedupeTtlSeconds: int(env, 'DEDUPE_TTL_HOURS', 24, 1, 24 * 30) * 3600,
    contentDir: dir(env, 'CONTENT_DIR', 'content'),
    intentsDir: dir(env, 'INTENTS_DIR', 'intents'),
    localesDir: dir(env, 'LOCALES_DIR', 'locales'),
    defaultLang: oneOf(env, 'DEFAULT_LANG', 'fr', LANGS),
    smsSegmentBudget: int(env, 'SMS_SEGMENT_BUDGET', 3, 1, 10),
    smsShortFormSegments: int(env, 'SMS_SHORT_FORM_SEGMENTS', 2, 1, 10),
    maxBodySize: bodySize(env, 'MAX_BODY_SIZE', '64kb'),
    maxMessageChars: int(env, 'MAX_MESSAGE_CHARS', 1000, 50, 100_000),
    rateLimitPerMinute: int(env, 'RATE_LIMIT_PER_MINUTE', 20, 0, 100_000),
    smsDailyCap: int(env, 'SMS_DAILY_CAP', 30, 0, 100_000),
    smsSegmentsPerHour: int(env, 'SMS_SEGMENTS_PER_HOUR', 1000, 0, 10_000_000),
    smsSegmentsPerDay: int(env, 'SMS_SEGMENTS_PER_DAY', 5000, 0, 100_000_000),
    webTurnsPerMinute: int(env, 'WEB_TURNS_PER_MINUTE', 1200, 0, 1_000_000),
    webhookDeadlineMs: int(env, 'WEBHOOK_DEADLINE_MS', 5000, 100, 60_000),
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 300_000),
    trustProxy: trustProxy(env, 'TRUST_PROXY'),
    metrics: {
      token: str(env, 'METRICS_TOKEN', ''),
      port: int(env, 'METRICS_PORT', 0, 0, 65535),
      host: str(env, 'METRICS_HOST', '127.0.0.1'),
    },
    admin: {
      dataDir: dir(env, 'ADMIN_DATA_DIR', '.data/admin'),
      cookieSecure: bool(env, 'ADMIN_COOKIE_SECURE', nodeEnv === 'production'),
      sessionHours: int(env, 'ADMIN_SESSION_HOURS', 12, 1, 24 * 30),
      loginMaxFailures: int(env, 'ADMIN_LOGIN_MAX_FAILURES', 5, 1, 1000),
      loginWindowMinutes: int(env, 'ADMIN_LOGIN_WINDOW_MINUTES', 15, 1, 24 * 60),
      loginBackoffMaxSeconds: int(env, 'ADMIN_LOGIN_BACKOFF_MAX_SECONDS', 30, 1, 3600),
      missedRetentionDays: int(env, 'ADMIN_MISSED_RETENTION_DAYS', 30, 1, 30),
    },
    insights: {
      retentionDays: int(env, 'INSIGHTS_RETENTION_DAYS', 400, 1, 3660),
      minCount: int(env, 'INSIGHTS_MIN_COUNT', 5, 2, 1000),
      roundTo: int(env, 'INSIGHTS_ROUND_TO', 5, 1, 1000),
      smsSegmentPrice: decimal(env, 'INSIGHTS_SMS_SEGMENT_PRICE', 0, 0, 100),
      smsCurrency: str(env, 'INSIGHTS_SMS_CURRENCY', 'MAD').slice(0, 8),
    },
    cases: {
      encryptionKey: caseKeyOf(env),
      retentionDays: int(env, 'CASE_RETENTION_DAYS', 30, 1, 3650),
      whatsappTemplateSid: contentSid(env, 'TWILIO_WHATSAPP_CASE_TEMPLATE_SID'),
    },
    publicBaseUrl,
    webEmbedOrigins: origins(env, 'WEB_EMBED_ORIGINS'),
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
      keywordReplies: oneOf(env, 'TWILIO_KEYWORD_REPLIES', 'twilio', ['twilio', 'dalil'] as const),
    },
    botframework: {
      appId: str(env, 'MICROSOFT_APP_ID', ''),
      appPassword: str(env, 'MICROSOFT_APP_PASSWORD', ''),
      appTenantId: str(env, 'MICROSOFT_APP_TENANT_ID', ''),
      appType: str(env, 'MICROSOFT_APP_TYPE', 'MultiTenant'),
      allowRemoteAnonymous: bool(env, 'BOTFRAMEWORK_ALLOW_REMOTE_ANONYMOUS', false),
      serviceUrls: serviceOrigins(env, 'BOTFRAMEWORK_SERVICE_URLS'),
    },
  };
}
