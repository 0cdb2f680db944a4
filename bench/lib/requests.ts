/**
 * Valid webhook requests built on the fly from the message stream, one new user message each:
 * Twilio forms signed with X-Twilio-Signature over PUBLIC_BASE_URL + path, Telegram updates with
 * the secret token header, Bot Framework activities (expectReplies, or replies posted to the
 * local fake connector), and /api/chat bodies. Every request carries a new delivery id (so none
 * is dropped as a duplicate) and the users are many (so no conversation lock is measured).
 */
import twilio from 'twilio';
import type { Lang } from '../../src/domain/index.js';
import { createStream } from './messages.js';

/** One HTTP request as autocannon sends it. */
export interface BenchRequest {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Fake credentials of the run (never real ones; the server only talks to local fakes). */
export const BENCH_CREDENTIALS = {
  hmacSecret: 'bench-hmac-secret-not-for-production',
  telegramToken: '123456789:AAFakeBenchTokenOnly_abcdefghijklmn',
  telegramSecret: 'bench-secret_0123456789',
  twilioAccountSid: `AC${'b'.repeat(32)}`,
  twilioAuthToken: 'f00dfacef00dfacef00dfacef00dface',
  twilioWhatsappFrom: 'whatsapp:+14155238886',
  twilioSmsFrom: '+15005550001',
} as const;

/** The endpoints under test. */
export type EndpointName = 'sms' | 'whatsapp' | 'telegram' | 'botframework' | 'botframework-connector' | 'web';

/** Where each endpoint is mounted. */
export const PATHS: Record<EndpointName, string> = {
  sms: '/webhooks/twilio/sms',
  whatsapp: '/webhooks/twilio/whatsapp',
  telegram: '/webhooks/telegram',
  botframework: '/api/messages',
  'botframework-connector': '/api/messages',
  web: '/api/chat',
};

const LOCALES: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB', ar: 'ar-MA', es: 'es-ES' };

/** What a request factory needs. */
export interface FactoryOptions {
  /** PUBLIC_BASE_URL of the server (the Twilio signature covers it). */
  publicBaseUrl: string;
  /** The fake Bot Framework connector (replies are posted there unless expectReplies). */
  connectorUrl: string;
  /** Distinct users the requests cycle through. */
  users: number;
  /** First user number (keeps the users of each phase apart). */
  firstUser: number;
  /** Web user ids are `${webUserPrefix}${n}` (the 100k phase reuses stored conversations). */
  webUserPrefix?: string;
}

let sequence = 0;
/** A delivery id never used before in this run. */
function nextId(): number {
  return ++sequence;
}

/** Test-range phone numbers (+1 500 555 ....): Twilio's magic numbers, never a real person's. */
function phone(user: number): string {
  return `+1500${String(5_000_000 + user).padStart(7, '0')}`;
}

function twilioSid(n: number): string {
  return `SM${n.toString(16).padStart(32, '0')}`;
}

/** Returns a function producing the next request of `endpoint`. */
export function requestFactory(endpoint: EndpointName, o: FactoryOptions): () => BenchRequest {
  const next = createStream(o.users, o.firstUser);
  const path = PATHS[endpoint];
  const c = BENCH_CREDENTIALS;
  switch (endpoint) {
    case 'sms':
    case 'whatsapp':
      return () => {
        const { user, msg } = next();
        const sid = twilioSid(nextId());
        const wa = endpoint === 'whatsapp';
        const params: Record<string, string> = {
          ToCountry: 'US',
          SmsMessageSid: sid,
          NumMedia: '0',
          SmsSid: sid,
          SmsStatus: 'received',
          Body: msg.text,
          To: wa ? c.twilioWhatsappFrom : c.twilioSmsFrom,
          NumSegments: '1',
          MessageSid: sid,
          AccountSid: c.twilioAccountSid,
          From: wa ? `whatsapp:${phone(user)}` : phone(user),
          ApiVersion: '2010-04-01',
          ...(wa ? { WaId: phone(user).slice(1), ProfileName: 'Bench', MessageType: 'text' } : { FromCountry: 'US' }),
        };
        const signature = twilio.getExpectedTwilioSignature(c.twilioAuthToken, `${o.publicBaseUrl}${path}`, params);
        return {
          method: 'POST',
          path,
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature, 'i-twilio-idempotency-token': sid },
          body: new URLSearchParams(params).toString(),
        };
      };
    case 'telegram':
      return () => {
        const { user, msg } = next();
        const id = nextId();
        const chatId = 7_000_000_000 + user;
        const update = {
          update_id: 900_000_000 + id,
          message: {
            message_id: id,
            from: { id: chatId, is_bot: false, first_name: 'Bench', language_code: msg.lang },
            chat: { id: chatId, first_name: 'Bench', type: 'private' },
            date: Math.floor(Date.now() / 1000),
            text: msg.text,
          },
        };
        return {
          method: 'POST',
          path,
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': c.telegramSecret },
          body: JSON.stringify(update),
        };
      };
    case 'botframework':
    case 'botframework-connector':
      return () => {
        const { user, msg } = next();
        const activity = {
          type: 'message',
          id: `bench-activity-${nextId()}`,
          timestamp: new Date().toISOString(),
          serviceUrl: o.connectorUrl,
          channelId: 'webchat',
          from: { id: `bench-user-${user}`, name: 'User', role: 'user' },
          conversation: { id: `bench-conversation-${user}` },
          recipient: { id: 'dalil-bot', name: 'Dalil', role: 'bot' },
          textFormat: 'plain',
          locale: LOCALES[msg.lang],
          text: msg.text,
          ...(endpoint === 'botframework' ? { deliveryMode: 'expectReplies' } : {}),
        };
        return { method: 'POST', path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) };
      };
    case 'web':
      return () => {
        const { user, msg } = next();
        const body = { user: `${o.webUserPrefix ?? 'bench-web-'}${user}`, text: msg.text, id: `bench-${nextId()}` };
        return {
          method: 'POST',
          path,
          headers: { 'content-type': 'application/json', 'accept-language': LOCALES[msg.lang] },
          body: JSON.stringify(body),
        };
      };
  }
}
