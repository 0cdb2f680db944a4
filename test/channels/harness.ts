/**
 * The shared channel test harness: recorded payloads in, exact outgoing calls out.
 * - `guardNetwork` makes any connection to a host other than loopback fail and records it;
 * - `captureLogs` keeps every log call with its raw fields (before the logger's masking), so a
 *   test can prove no phone number, chat id, token or message text reached them;
 * - local fakes stand in for the Telegram Bot API and the Bot Framework connector;
 * - `serve` runs the real express app (src/server/app.ts) on 127.0.0.1 with the mounts under test.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Router } from 'express';
import type { LogFields, Logger, Reply, Translate, TurnHandler, TurnRequest } from '../../src/domain/index.js';
import { createTranslator } from '../../src/i18n/index.js';
import { LOCALES_DIR } from '../helpers/kb-fixture.js';
import type { TwilioSettings } from '../../src/channels/twilio/router.js';
import { createApp } from '../../src/server/app.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Reads `test/fixtures/<channel>/<name>.json`. */
export function fixture<T = Record<string, unknown>>(channel: string, name: string): T {
  return JSON.parse(readFileSync(path.join(ROOT, 'test', 'fixtures', channel, `${name}.json`), 'utf8')) as T;
}

// ---------------------------------------------------------------------------------------------
// Network guard

/** The real interface strings (the SMS MORE hint, the WhatsApp list button). */
export const t: Translate = await createTranslator(LOCALES_DIR);

/** Fake Twilio credentials and public URL every channel test signs its requests with. */
export const AUTH_TOKEN = 'f00dfacef00dfacef00dfacef00dface';
export const ACCOUNT_SID = 'ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
export const PUBLIC_BASE_URL = 'https://dalil.example.org';

/** Twilio channel settings for tests (senders and limits as a small deployment has them). */
export function twilioTestSettings(overrides: Partial<TwilioSettings> = {}): TwilioSettings {
  return {
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    whatsappFrom: '+14155238886',
    smsFrom: '+15005550001',
    quickReplyContentSid: '',
    listPickerContentSid: '',
    publicBaseUrl: PUBLIC_BASE_URL,
    maxBodySize: '64kb',
    smsSegmentBudget: 3,
    defaultLang: 'fr',
    ...overrides,
  };
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

/** Hosts something tried to reach; the guard is installed until `restore()`. */
export interface NetworkGuard {
  attempts: string[];
  restore(): void;
}

type ConnectArgs = unknown[];
function targetOf(args: ConnectArgs): { host?: string; path?: string } {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'object' && first !== null) {
    // Node's https agent passes `path: null` on TCP connections: only a non-empty path is a Unix socket.
    const o = first as { host?: string | null; path?: string | null };
    return { ...(typeof o.path === 'string' && o.path !== '' ? { path: o.path } : {}), host: o.host ?? 'localhost' };
  }
  if (typeof first === 'string' && Number.isNaN(Number(first))) return { path: first };
  return { host: typeof args[1] === 'string' ? args[1] : 'localhost' };
}

/**
 * Makes every outgoing TCP connection (http, https, fetch/undici, SDK clients) to a non-loopback
 * host fail at once, and records the host. Unix sockets and 127.0.0.1 stay allowed.
 */
export function guardNetwork(): NetworkGuard {
  const attempts: string[] = [];
  const original = net.Socket.prototype.connect;
  const patched = function (this: net.Socket, ...args: ConnectArgs): net.Socket {
    const target = targetOf(args);
    if (target.path === undefined && !LOOPBACK.has(String(target.host))) {
      attempts.push(String(target.host));
      throw new Error(`test harness: network access to ${String(target.host)} is blocked`);
    }
    return (original as (...a: ConnectArgs) => net.Socket).apply(this, args);
  };
  net.Socket.prototype.connect = patched as typeof original;
  return {
    attempts,
    restore() {
      net.Socket.prototype.connect = original;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Logs

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  event: string;
  fields: LogFields;
}

/** A logger keeping raw entries; `dump()` is every field value (event names are code constants). */
export function captureLogs(): { logger: Logger; entries: LogEntry[]; dump(): string } {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry['level']) =>
    (event: string, fields: LogFields = {}): void => {
      entries.push({ level, event, fields: { ...fields } });
    };
  return {
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    entries,
    dump: () => entries.map((e) => JSON.stringify(e.fields)).join('\n'),
  };
}

/** The secrets of a payload that must never be logged: ids, numbers, and any text longer than a word. */
export function sensitiveValues(payload: unknown, keys: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key: string): void => {
    if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, k);
    else if ((typeof v === 'string' || typeof v === 'number') && keys.has(key) && String(v).length >= 3) out.push(String(v));
  };
  walk(payload, '');
  return out;
}

// ---------------------------------------------------------------------------------------------
// Engine stand-in

/**
 * A fake `TurnHandler`: records requests, answers with the canned replies fitted by the request's
 * fitter as the conversation service does, or rejects (a handler breaking its never-reject promise).
 */
export function fakeTurns(script: { replies?: Reply[]; duplicate?: boolean; lang?: Reply['lang']; fail?: boolean } = {}): {
  handleTurn: TurnHandler;
  requests: TurnRequest[];
} {
  const requests: TurnRequest[] = [];
  return {
    requests,
    handleTurn: async (request) => {
      requests.push(request);
      if (script.fail) throw new Error('store unavailable');
      let replies = script.replies ?? [];
      if (request.fit && replies.length > 0 && !script.duplicate) replies = request.fit(replies, script.lang ?? replies[0]?.lang ?? 'fr').replies;
      return { replies: script.duplicate ? [] : replies, duplicate: script.duplicate ?? false, lang: script.lang ?? replies[0]?.lang ?? 'fr' };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Runs the real app with `mounts` on a loopback port. */
export async function serve(mounts: Array<{ name: string; path: string; router: Router }>, logger: Logger): Promise<{ url: string; close(): Promise<void> }> {
  const app = createApp({ mounts, logger, health: async () => ({ status: 'ok', state: 'ok', channels: mounts.map((m) => m.name), content: 'test' }) });
  const server = createServer(app);
  const url = await listen(server);
  return { url, close: () => close(server) };
}

/** A response as the tests look at it. */
export interface HttpResult {
  status: number;
  contentType: string;
  text: string;
}

/** POSTs JSON or a form (`form: true`) to `url`. */
export async function post(url: string, body: unknown, options: { headers?: Record<string, string>; form?: boolean } = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let payload: string;
  if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    payload = new URLSearchParams(body as Record<string, string>).toString();
  } else {
    headers['content-type'] = 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await fetch(url, { method: 'POST', headers, body: payload });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// ---------------------------------------------------------------------------------------------
// Fake Telegram Bot API

/** One Bot API call as the fake saw it. */
export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
}

/** A failure the fake returns for the next calls of a method. */
export interface ApiFailure {
  status: number;
  description: string;
  parameters?: Record<string, unknown>;
  /** How many calls fail (default 1). */
  times?: number;
}

export interface FakeTelegram {
  apiRoot: string;
  calls: ApiCall[];
  fail(method: string, failure: ApiFailure): void;
  /** Calls whose token in the URL was not the expected one. */
  wrongToken: number;
  close(): Promise<void>;
}

export const TEST_BOT_INFO = {
  id: 6660009999,
  is_bot: true as const,
  first_name: 'Dalil',
  username: 'DalilTestBot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

/** A local Bot API: records `POST /bot<token>/<method>` calls and answers like Telegram. */
export async function fakeTelegram(token: string): Promise<FakeTelegram> {
  const failures = new Map<string, ApiFailure[]>();
  const state = { calls: [] as ApiCall[], wrongToken: 0 };
  let messageId = 1000;
  const server = createServer(async (req, res) => {
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? '');
    const raw = await readBody(req);
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!match) return reply(404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, urlToken, method = ''] = match;
    if (urlToken !== token) {
      state.wrongToken += 1;
      return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    }
    const payload = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    state.calls.push({ method, payload });
    const queue = failures.get(method);
    const failure = queue?.[0];
    if (queue && failure) {
      failure.times = (failure.times ?? 1) - 1;
      if (failure.times <= 0) queue.shift();
      return reply(failure.status, { ok: false, error_code: failure.status, description: failure.description, ...(failure.parameters ? { parameters: failure.parameters } : {}) });
    }
    if (method === 'getMe') return reply(200, { ok: true, result: TEST_BOT_INFO });
    if (method === 'sendMessage') {
      messageId += 1;
      return reply(200, { ok: true, result: { message_id: messageId, date: 1767225600, chat: { id: payload.chat_id, type: 'private' }, text: payload.text } });
    }
    return reply(200, { ok: true, result: true });
  });
  const apiRoot = await listen(server);
  return {
    apiRoot,
    get calls() {
      return state.calls;
    },
    get wrongToken() {
      return state.wrongToken;
    },
    fail(method, failure) {
      const q = failures.get(method) ?? [];
      q.push({ ...failure });
      failures.set(method, q);
    },
    close: () => close(server),
  };
}

// ---------------------------------------------------------------------------------------------
// Fake Bot Framework connector

export interface FakeConnector {
  serviceUrl: string;
  /** Activities posted to /v3/conversations/{id}/activities[/{replyToId}]. */
  posted: Array<{ path: string; activity: Record<string, unknown>; authorization: string | undefined }>;
  close(): Promise<void>;
}

/** A local connector service (the `serviceUrl` replies are posted to). */
export async function fakeConnector(): Promise<FakeConnector> {
  const posted: FakeConnector['posted'] = [];
  let n = 0;
  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    posted.push({ path: decodeURIComponent(req.url ?? ''), activity: raw ? (JSON.parse(raw) as Record<string, unknown>) : {}, authorization: req.headers.authorization });
    n += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: `reply-${n}` }));
  });
  const url = await listen(server);
  return { serviceUrl: `${url}/`, posted, close: () => close(server) };
}
