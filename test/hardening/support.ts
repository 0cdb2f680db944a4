/**
 * Helpers of the hardening tests: the real core (knowledge, matcher, translations) loaded once per
 * file, a conversation service over any store with limits, signed Twilio requests, a local fake of
 * Twilio's REST API (answers scripted per request), gates that hold a turn, and polling.
 * Loggers are `createLogger` ones, so the suite-wide privacy scan sees everything they receive.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import twilio from 'twilio';
import type { ConversationStore, KnowledgeBase, Logger, Matcher, Translate, TurnHandler } from '../../src/domain/index.js';
import { loadKnowledge } from '../../src/knowledge/index.js';
import { createMatcher } from '../../src/nlu/index.js';
import { createTranslator } from '../../src/i18n/index.js';
import { createConversationService } from '../../src/engine/index.js';
import type { TurnLimits } from '../../src/engine/limits.js';
import { createHmacKeyer } from '../../src/state/keyer.js';
import { createLogger } from '../../src/logging/logger.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const HMAC = 'hardening-test-secret-0123456789abcdef';
export const keyer = createHmacKeyer(HMAC);

export const BOT_TOKEN = '123456789:AAFakeTokenForTestsOnly_abcdefghijkl';
export const WEBHOOK_SECRET = 'test-secret_0123456789';
import { AUTH_TOKEN, ACCOUNT_SID, PUBLIC_BASE_URL } from '../channels/harness.js';
export { AUTH_TOKEN, ACCOUNT_SID, PUBLIC_BASE_URL };

/** The real content, matcher and translations (loaded once per test file). */
export interface RealCore {
  kb: KnowledgeBase;
  matcher: Matcher;
  t: Translate;
}
let core: Promise<RealCore> | undefined;
export function realCore(): Promise<RealCore> {
  core ??= (async () => {
    const { kb } = await loadKnowledge({ contentDir: `${ROOT}content`, intentsDir: `${ROOT}intents`, smsShortFormSegments: 2, root: ROOT });
    return { kb, matcher: createMatcher({ phrases: kb.phrases, cities: [...kb.cities.values()] }), t: await createTranslator(`${ROOT}locales`) };
  })();
  return core;
}

/** The conversation service over `store`, with optional limits. */
export async function service(store: ConversationStore, options: { limits?: TurnLimits; logger?: Logger } = {}): Promise<TurnHandler> {
  const { kb, matcher, t } = await realCore();
  return createConversationService({
    store,
    keyer,
    deps: { kb, matcher, t, defaultLang: 'fr' },
    logger: options.logger ?? createLogger('silent'),
    ...(options.limits ? { limits: options.limits } : {}),
  });
}

/** A logger made by `createLogger` (so the privacy scan sees it) whose events are also kept here. */
export function recordingLogger(): { logger: Logger; events: Array<Record<string, unknown>>; count(event: string): number } {
  const events: Array<Record<string, unknown>> = [];
  const logger = createLogger('debug', (line) => events.push(JSON.parse(line) as Record<string, unknown>));
  return { logger, events, count: (event) => events.filter((e) => e.event === event).length };
}

/** Headers of a Twilio request to `path` signed as Twilio signs it. */
export function twilioHeaders(path: string, params: Record<string, string>): Record<string, string> {
  return { 'X-Twilio-Signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_BASE_URL}${path}`, params), 'content-type': 'application/x-www-form-urlencoded' };
}

/** POSTs a signed Twilio form; returns status and text. */
export async function postTwilio(base: string, path: string, params: Record<string, string>): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: twilioHeaders(path, params), body: new URLSearchParams(params).toString() });
  return { status: res.status, text: await res.text() };
}

/** An SMS webhook form from `from`. */
export function smsForm(from: string, body: string, sid: string): Record<string, string> {
  return { MessageSid: sid, SmsMessageSid: sid, AccountSid: ACCOUNT_SID, From: from, To: '+15005550001', Body: body, NumMedia: '0', SmsStatus: 'received', ApiVersion: '2010-04-01' };
}

/** A WhatsApp webhook form from `from` (without the `whatsapp:` prefix). */
export function whatsappForm(from: string, body: string, sid: string): Record<string, string> {
  return { ...smsForm(`whatsapp:${from}`, body, sid), To: 'whatsapp:+14155238886', WaId: from.replace('+', ''), ProfileName: 'Test User', MessageType: 'text' };
}

/** The bodies of the `<Message>` elements of a TwiML answer. */
export function twimlMessages(xml: string): string[] {
  return [...xml.matchAll(/<Message>([\s\S]*?)<\/Message>/g)].map((m) => m[1] as string);
}

/** One request the fake Twilio REST API received. */
export interface RestRequest {
  path: string;
  form: Record<string, string>;
  status: number;
  /** The Authorization header sent. */
  authorization: string;
}

/** A local stand-in for api.twilio.com: answers each message create with the next scripted status. */
export async function fakeTwilioRest(): Promise<{ url: string; requests: RestRequest[]; script(...answers: Array<{ status: number; code?: number }>): void; close(): Promise<void> }> {
  const requests: RestRequest[] = [];
  const queue: Array<{ status: number; code?: number }> = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const answer = queue.shift() ?? { status: 201 };
      requests.push({ path: req.url ?? '', form, status: answer.status, authorization: req.headers.authorization ?? '' });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      if (answer.status >= 400) {
        res.end(JSON.stringify({ code: answer.code ?? answer.status * 100, message: 'scripted failure', more_info: 'https://www.twilio.com/docs/errors', status: answer.status }));
      } else {
        n += 1;
        res.end(JSON.stringify({ sid: `SM${String(n).padStart(32, '0')}`, status: 'queued', to: form.To, from: form.From, body: form.Body ?? null }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    script: (...answers) => queue.push(...answers),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A promise released from outside: holds a turn until the test lets it go. */
export function gate(): { wait: Promise<void>; open(): void } {
  let open: () => void = () => undefined;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` holds or `timeoutMs` passes; resolves whether it held. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await sleep(20);
  }
  return check();
}
