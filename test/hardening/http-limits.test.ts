/**
 * Request limits over real HTTP, on the app `main.ts` builds with every channel switched on:
 * bodies over MAX_BODY_SIZE get 413, malformed JSON or forms 400, never a stack trace, never a
 * 500; a long message is cut for matching, not refused. A property test throws random bodies
 * (random bytes, random JSON, random forms) at every endpoint.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { startDalil, type RunningDalil } from '../../src/main.js';
import { createLogger } from '../../src/logging/logger.js';
import { TELEGRAM_SECRET_HEADER } from '../../src/channels/telegram/router.js';
import { fakeTelegram, type FakeTelegram } from '../channels/harness.js';
import { hostileText } from '../fuzz/support.js';
import { ACCOUNT_SID, AUTH_TOKEN, BOT_TOKEN, HMAC, PUBLIC_BASE_URL, smsForm, twilioHeaders, WEBHOOK_SECRET } from './support.js';
import { testEnv } from '../helpers/admin-data.js';

let dalil: RunningDalil;
let telegram: FakeTelegram;
const sent: unknown[] = [];
beforeAll(async () => {
  telegram = await fakeTelegram(BOT_TOKEN);
  const config = loadConfig(testEnv({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    HMAC_SECRET: HMAC,
    MAX_BODY_SIZE: '16kb',
    MAX_MESSAGE_CHARS: '1000',
    RATE_LIMIT_PER_MINUTE: '100000',
    WEB_TURNS_PER_MINUTE: '0',
    TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_SMS_FROM: '+15005550001',
    TWILIO_WHATSAPP_FROM: '+14155238886',
    PUBLIC_BASE_URL,
  }));
  dalil = await startDalil(config, createLogger('silent'), { twilioSender: async (m) => void sent.push(m) });
}, 60_000);
afterAll(async () => {
  await dalil?.close();
  await telegram?.close();
});

const STACK = /\n\s+at |node_modules|\/work\/|\.ts:\d+|Error:/;

async function send(path: string, body: string, headers: Record<string, string>): Promise<{ status: number; text: string; type: string }> {
  const res = await fetch(`${dalil.url}${path}`, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
}
const json = { 'content-type': 'application/json' };
const tg = { ...json, [TELEGRAM_SECRET_HEADER]: WEBHOOK_SECRET };

describe('bodies and messages', () => {
  it.each([
    ['web', '/api/chat', json],
    ['telegram', '/webhooks/telegram', tg],
    ['bot framework', '/api/messages', json],
  ])('%s: malformed JSON gets 400 with a short JSON error and no stack trace', async (_name, path, headers) => {
    for (const body of ['{"user": "a", "text": ', '{]', 'null x', '\u0000\u0001']) {
      const out = await send(path, body, headers);
      expect(out.status).toBe(400);
      expect(out.type).toMatch(/json/);
      expect(JSON.parse(out.text)).toEqual({ error: 'malformed request body' });
      expect(out.text).not.toMatch(STACK);
    }
  });

  it.each([
    ['web', '/api/chat', json, JSON.stringify({ user: 'big', text: 'x'.repeat(20_000) })],
    ['telegram', '/webhooks/telegram', tg, JSON.stringify({ update_id: 1, message: { text: 'x'.repeat(20_000) } })],
    ['bot framework', '/api/messages', json, JSON.stringify({ type: 'message', text: 'x'.repeat(20_000) })],
    ['sms', '/webhooks/twilio/sms', { 'content-type': 'application/x-www-form-urlencoded' }, `Body=${'x'.repeat(20_000)}`],
    ['whatsapp', '/webhooks/twilio/whatsapp', { 'content-type': 'application/x-www-form-urlencoded' }, `Body=${'x'.repeat(20_000)}`],
  ])('%s: a body over MAX_BODY_SIZE gets 413 before anything else runs', async (_name, path, headers, body) => {
    const out = await send(path, body, headers);
    expect(out.status).toBe(413);
    expect(JSON.parse(out.text)).toEqual({ error: 'request too large' });
  });

  it('bot framework: JSON that is not an activity gets 400', async () => {
    for (const body of ['[]', '{}', '{"type": 7}', JSON.stringify({ update_id: 1, message: {} })]) {
      const out = await send('/api/messages', body, json);
      expect(out.status).toBe(400);
      expect(JSON.parse(out.text)).toEqual({ error: 'malformed activity' });
    }
  });

  it('a form in an unsupported charset gets 415, never a stack', async () => {
    const out = await send('/webhooks/twilio/sms', 'Body=x', { 'content-type': 'application/x-www-form-urlencoded; charset=utf-7' });
    expect(out.status).toBe(415);
    expect(out.text).not.toMatch(STACK);
  });

  it('telegram: JSON that is not an update gets 400', async () => {
    for (const body of ['[]', '{}', '{"update_id": "7"}', '{"update_id": -1}', '{"update_id": 1.5}']) {
      const out = await send('/webhooks/telegram', body, tg);
      expect(out.status).toBe(400);
      expect(JSON.parse(out.text)).toEqual({ error: 'malformed update' });
    }
    // Not even an object or array: refused by the JSON parser itself.
    for (const body of ['"update"', '42']) expect((await send('/webhooks/telegram', body, tg)).status).toBe(400);
    // An update Dalil does not serve is acknowledged, so Telegram does not retry it.
    expect((await send('/webhooks/telegram', JSON.stringify({ update_id: 9, message: 'hello' }), tg)).status).toBe(200);
  });

  it('a long message is cut for matching, not refused', async () => {
    const text = 'comment avoir la carte de séjour ? ' + 'je suis perdu '.repeat(900);
    expect(text.length).toBeGreaterThan(12_000);
    const out = await send('/api/chat', JSON.stringify({ user: 'long-one', text }), json);
    expect(out.status).toBe(200);
    const replies = (JSON.parse(out.text) as { replies: Array<{ kind: string }> }).replies;
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.some((r) => r.kind === 'error')).toBe(false);
    // The same through SMS, signed: answered in TwiML.
    const form = smsForm('+15005550006', text.slice(0, 1500), 'SM7a1b2c3d4e5f60718293a4b5c6d7e8ff');
    const sms = await send('/webhooks/twilio/sms', new URLSearchParams(form).toString(), twilioHeaders('/webhooks/twilio/sms', form));
    expect(sms.status).toBe(200);
    expect(sms.text).toContain('<Message>');
  });
});

describe('random bodies on every endpoint', () => {
  const ENDPOINTS: Array<{ path: string; headers: Record<string, string> }> = [
    { path: '/api/chat', headers: json },
    { path: '/webhooks/telegram', headers: tg },
    { path: '/api/messages', headers: json },
    { path: '/webhooks/twilio/sms', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    { path: '/webhooks/twilio/whatsapp', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
  ];
  const body = fc.oneof(
    fc.string({ maxLength: 300 }),
    hostileText(80),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
    fc.record({ user: fc.oneof(fc.string(), fc.constant('fuzz-user')), text: hostileText(40), choice: fc.option(fc.string(), { nil: undefined }) }).map((v) => JSON.stringify(v)),
    fc.record({ update_id: fc.nat(), message: fc.record({ from: fc.record({ id: fc.nat() }), chat: fc.record({ id: fc.nat(), type: fc.constant('private') }), text: hostileText(40) }) }).map((v) => JSON.stringify(v)),
    fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 40 })).map((d) => new URLSearchParams(d).toString()),
  );

  it('answers 2xx or 4xx, never 5xx, never a stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ENDPOINTS), body, async (endpoint, b) => {
        const out = await send(endpoint.path, b, endpoint.headers);
        expect(out.status, `${endpoint.path} ${b.slice(0, 80)}`).toBeLessThan(500);
        expect(out.text).not.toMatch(STACK);
      }),
      { numRuns: 200 },
    );
  }, 120_000);
});
