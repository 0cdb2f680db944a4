/**
 * Fault tests: Redis killed in the middle of a run; Twilio's REST API answering 429 and 500
 * (retried with backoff), 400 (not retried) and "unsubscribed recipient" (conversation stopped);
 * Telegram answering 403 "bot was blocked by the user" (conversation stopped, lifted when the user
 * writes again); and a turn slower than the webhook deadline (the platform gets its answer in
 * time, the reply follows through the API when the turn is done).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationStore, Reply, TurnHandler } from '../../src/domain/index.js';
import { loadConfig } from '../../src/config/index.js';
import { startDalil, type RunningDalil } from '../../src/main.js';
import { createLogger } from '../../src/logging/logger.js';
import { createMemoryStore } from '../../src/state/memory.js';
import { createStopMarker } from '../../src/engine/stop.js';
import { createTelegramChannel, TELEGRAM_SECRET_HEADER } from '../../src/channels/telegram/router.js';
import { createSmsChannel, createWhatsappChannel } from '../../src/channels/twilio/router.js';
import { classifyTwilioError, createTwilioRestSender, type TwilioOutboundMessage } from '../../src/channels/twilio/send.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTaskTracker } from '../../src/server/tasks.js';
import { fakeTelegram, fixture, serve, t, TEST_BOT_INFO, twilioTestSettings } from '../channels/harness.js';
import { connectAdmin, deleteByPrefix, globEscape, scanKeys, uniquePrefix } from '../helpers/redis.js';
import { redisServerSuite, startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { testEnv } from '../helpers/admin-data.js';
import {
  ACCOUNT_SID,
  AUTH_TOKEN,
  BOT_TOKEN,
  eventually,
  fakeTwilioRest,
  gate,
  HMAC,
  keyer,
  postTwilio,
  PUBLIC_BASE_URL,
  recordingLogger,
  service,
  smsForm,
  twimlMessages,
  WEBHOOK_SECRET,
  whatsappForm,
} from './support.js';

const TWILIO = twilioTestSettings();
// Too long to share one WhatsApp message (1,600 characters): they go as two, in order.
const FIRST = `Premier message. ${'mot '.repeat(250).trim()}`;
const SECOND = `Second message. ${'mot '.repeat(250).trim()}`;
const TWO_REPLIES: Reply[] = [
  { kind: 'notice', lang: 'fr', text: FIRST },
  { kind: 'answer', lang: 'fr', text: SECOND },
];
/** A turn handler answering with fixed replies (so the REST path is taken: two WhatsApp messages). */
const canned =
  (replies: Reply[]): TurnHandler =>
  async () => ({ replies, duplicate: false, lang: 'fr' });

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

// ------------------------------------------------------------------------------------------------

const runsRedis = redisServerSuite();

describe.skipIf(!runsRedis)('Redis killed mid-run', () => {
  let redis: RedisServerHandle;
  let dalil: RunningDalil;
  const prefix = uniquePrefix('faults');
  beforeAll(async () => {
    redis = await startRedisServer();
    const config = loadConfig(testEnv({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      HMAC_SECRET: HMAC,
      REDIS_URL: redis.url,
      REDIS_PREFIX: prefix,
      REDIS_COMMAND_TIMEOUT_MS: '200',
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_SMS_FROM: '+15005550001',
      PUBLIC_BASE_URL,
      RATE_LIMIT_PER_MINUTE: '1000',
    }));
    dalil = await startDalil(config, createLogger('silent'), { twilioSender: async () => undefined });
  }, 60_000);
  afterAll(async () => {
    await dalil?.close();
    await redis?.stop();
  });

  it('answers every message while Redis dies and comes back, then keeps state again', async () => {
    const web = async (user: string, text: string): Promise<{ status: number; replies: Reply[] }> => {
      const res = await fetch(`${dalil.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, text }) });
      return { status: res.status, replies: ((await res.json()) as { replies: Reply[] }).replies };
    };
    let sid = 0;
    const sms = async (from: string, text: string): Promise<{ status: number; messages: string[] }> => {
      const out = await postTwilio(dalil.url, '/webhooks/twilio/sms', smsForm(from, text, `SM${String(++sid).padStart(32, '0')}`));
      return { status: out.status, messages: twimlMessages(out.text) };
    };
    const texts = ['bonjour', 'comment avoir la carte de séjour ?', '0', '1', 'asile', 'MENU'];
    const results: Array<{ status: number; answered: boolean; apology: boolean }> = [];
    let killed = false;
    // Four users talk at once; Redis is killed when a third of the messages are answered.
    await Promise.all(
      ['a', 'b', 'c', 'd'].map(async (u, i) => {
        for (let n = 0; n < 12; n++) {
          if (results.length >= 16 && !killed) {
            killed = true;
            await redis.stop();
          }
          const text = texts[n % texts.length]!;
          if (i % 2 === 0) {
            const out = await web(`fault-${u}`, text);
            results.push({ status: out.status, answered: out.replies.length > 0, apology: out.replies.some((r) => r.kind === 'error') });
          } else {
            const out = await sms(`+1500555000${i}`, text);
            results.push({ status: out.status, answered: out.messages.length > 0, apology: false });
          }
        }
      }),
    );
    expect(killed).toBe(true);
    expect(results).toHaveLength(48);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(results.filter((r) => !r.answered)).toEqual([]);
    expect(results.filter((r) => r.apology)).toEqual([]);
    const health = (await (await fetch(`${dalil.url}/healthz`)).json()) as { status: string };
    expect(health.status).toBe('degraded');

    await redis.start();
    expect(await eventually(async () => ((await (await fetch(`${dalil.url}/healthz`)).json()) as { status: string }).status === 'ok', 15_000)).toBe(true);
    expect((await web('fault-after', 'bonjour')).replies.length).toBeGreaterThan(0);
    const admin = await connectAdmin(redis.url);
    try {
      const key = keyer.key('web', 'fault-after');
      expect(await scanKeys(admin, `${globEscape(prefix)}c:{${globEscape(key)}}:s`)).toHaveLength(1);
      await deleteByPrefix(admin, prefix);
    } finally {
      admin.destroy();
    }
  }, 60_000);
});

// ------------------------------------------------------------------------------------------------

describe('Twilio REST sender', () => {
  it('posts a Content template as ContentSid and ContentVariables, and a text as Body, from and to the numbers given', async () => {
    const rest = await fakeTwilioRest();
    closers.push(() => rest.close());
    const send = createTwilioRestSender(TWILIO, { apiBaseUrl: rest.url });
    await send({ to: 'whatsapp:+15005550006', from: 'whatsapp:+14155238886', contentSid: 'HX0123', contentVariables: '{"1":"Oui"}' });
    await send({ to: '+15005550006', from: '+15005550001', body: 'Bonjour & merci = 100 %' });
    expect(rest.requests.map((r) => r.form)).toEqual([
      { To: 'whatsapp:+15005550006', From: 'whatsapp:+14155238886', ContentSid: 'HX0123', ContentVariables: '{"1":"Oui"}' },
      { To: '+15005550006', From: '+15005550001', Body: 'Bonjour & merci = 100 %' },
    ]);
  });

  it('rejects with the status and Twilio code of a refusal, and times out on a silent API', async () => {
    const rest = await fakeTwilioRest();
    closers.push(() => rest.close());
    rest.script({ status: 400, code: 21610 });
    const refused = await createTwilioRestSender(TWILIO, { apiBaseUrl: rest.url })({ to: '+15005550006', from: '+15005550001', body: 'x' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'TwilioApiError', status: 400, code: 21610 });
    expect(String((refused as Error).message)).not.toContain('15005550006');
    expect(classifyTwilioError(refused)).toEqual({ kind: 'user-blocked', status: 400, code: 21610 });

    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => { silent.closeAllConnections(); silent.close(() => resolve()); }));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const timedOut = await createTwilioRestSender(TWILIO, { apiBaseUrl: url, timeoutMs: 200 })({ to: '+15005550006', from: '+15005550001', body: 'x' }).catch((e: unknown) => e);
    expect(timedOut).toMatchObject({ name: 'TwilioTimeoutError' });
    expect(classifyTwilioError(timedOut).kind).toBe('retryable');
  });
});

describe('Twilio REST API failures (the REST sender against a local fake)', () => {
  async function whatsapp(options: { replies?: Reply[]; store?: ConversationStore } = {}) {
    const rest = await fakeTwilioRest();
    closers.push(() => rest.close());
    const logs = recordingLogger();
    const delays: number[] = [];
    const store = options.store ?? createMemoryStore({ ttlSeconds: 3600, sweepIntervalMs: 0 });
    closers.push(() => store.close());
    const channel = createWhatsappChannel(TWILIO, {
      handleTurn: canned(options.replies ?? TWO_REPLIES),
      logger: logs.logger,
      t,
      sender: createTwilioRestSender(TWILIO, { apiBaseUrl: rest.url }),
      retry: { sleep: async (ms) => void delays.push(ms) },
      markStopped: (userId) => createStopMarker({ store, keyer, logger: logs.logger })('whatsapp', userId),
    });
    const app = await serve([channel.mount], logs.logger);
    closers.push(() => app.close());
    const send = (body = 'bonjour') => postTwilio(app.url, '/webhooks/twilio/whatsapp', whatsappForm('+15005550006', body, 'SM0a1b2c3d4e5f60718293a4b5c6d7e8ff'));
    return { rest, logs, delays, store, send };
  }

  it('retries 429 and 500 with exponential backoff, then delivers in order', async () => {
    const w = await whatsapp();
    w.rest.script({ status: 429, code: 20429 }, { status: 500 }, { status: 201 }, { status: 201 });
    const out = await w.send();
    expect(out.status).toBe(200);
    expect(twimlMessages(out.text)).toEqual([]);
    expect(w.rest.requests.map((r) => r.status)).toEqual([429, 500, 201, 201]);
    expect(w.rest.requests.map((r) => r.form.Body)).toEqual([FIRST, FIRST, FIRST, SECOND]);
    expect(w.rest.requests.every((r) => r.path === `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`)).toBe(true);
    const basic = `Basic ${Buffer.from(`${ACCOUNT_SID}:${TWILIO.authToken}`).toString('base64')}`;
    expect(w.rest.requests.every((r) => r.authorization === basic)).toBe(true);
    expect(w.delays).toEqual([300, 600]);
    expect(w.logs.count('channel.whatsapp.send_failed')).toBe(0);
  });

  it('gives up cleanly after three 500s, logs it once, and does not send the rest out of order', async () => {
    const w = await whatsapp();
    w.rest.script({ status: 500 }, { status: 500 }, { status: 500 });
    const out = await w.send();
    expect(out.status).toBe(200);
    expect(w.rest.requests).toHaveLength(3);
    expect(w.delays).toEqual([300, 600]);
    const failed = w.logs.events.filter((e) => e.event === 'channel.whatsapp.send_failed');
    expect(failed).toEqual([expect.objectContaining({ level: 'error', kind: 'retryable', status: 500, sent: 0, pending: 2 })]);
  });

  it('does not retry a request Twilio refuses (400), and stops the conversation of an unsubscribed number', async () => {
    const w = await whatsapp();
    w.rest.script({ status: 400, code: 21211 });
    await w.send();
    expect(w.rest.requests).toHaveLength(1);
    expect(w.delays).toEqual([]);
    expect(w.logs.events.find((e) => e.event === 'channel.whatsapp.send_failed')).toMatchObject({ kind: 'fatal', status: 400, code: 21211 });

    const key = keyer.key('whatsapp', 'whatsapp:+15005550006');
    await w.store.transact(key, () => ({ state: { v: 1, lang: 'fr', langConfirmed: true, menuPath: [], choices: [], noticeShown: true, turns: 3, createdAt: 1, updatedAt: 1 }, result: undefined }));
    w.rest.script({ status: 400, code: 21610 });
    await w.send('encore');
    expect(w.rest.requests).toHaveLength(2);
    expect(w.logs.count('channel.whatsapp.user_blocked')).toBe(1);
    expect((await w.store.get(key))?.stopped).toBe(true);
  });
});

// ------------------------------------------------------------------------------------------------

describe('Telegram 403 "bot was blocked by the user"', () => {
  it('marks the conversation stopped without retrying, and lifts it when the user writes again', async () => {
    const api = await fakeTelegram(BOT_TOKEN);
    closers.push(() => api.close());
    const store = createMemoryStore({ ttlSeconds: 3600, sweepIntervalMs: 0 });
    closers.push(() => store.close());
    const logs = recordingLogger();
    const handleTurn = await service(store, { logger: logs.logger });
    const channel = createTelegramChannel(
      { botToken: BOT_TOKEN, apiRoot: api.apiRoot, webhookSecret: WEBHOOK_SECRET, publicBaseUrl: PUBLIC_BASE_URL, maxBodySize: '64kb', defaultLang: 'fr' },
      { handleTurn, logger: logs.logger, botInfo: TEST_BOT_INFO, retry: { sleep: async () => undefined }, markStopped: (u) => createStopMarker({ store, keyer, logger: logs.logger })('telegram', u) },
    );
    const app = await serve([channel.mount], logs.logger);
    closers.push(() => app.close());
    const update = fixture<{ update_id: number; message: { from: { id: number }; text: string } }>('telegram', 'text-message');
    const post = (body: unknown) =>
      fetch(`${app.url}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', [TELEGRAM_SECRET_HEADER]: WEBHOOK_SECRET }, body: JSON.stringify(body) });
    const key = keyer.key('telegram', String(update.message.from.id));

    // One 403: a retry would succeed and show as a second sendMessage.
    api.fail('sendMessage', { status: 403, description: 'Forbidden: bot was blocked by the user', times: 1 });
    expect((await post(update)).status).toBe(200);
    expect(api.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(1);
    expect((await store.get(key))?.stopped).toBe(true);
    expect(logs.count('channel.telegram.user_blocked')).toBe(1);
    expect(logs.count('conversation.stopped')).toBe(1);

    // The user unblocks the bot and presses Start: answered again, the flag is gone.
    const start = { ...update, update_id: update.update_id + 1, message: { ...update.message, text: '/start' } };
    expect((await post(start)).status).toBe(200);
    expect(await eventually(() => api.calls.filter((c) => c.method === 'sendMessage').length > 1)).toBe(true);
    expect((await store.get(key))?.stopped).toBeUndefined();
    expect(logs.count('conversation.resumed')).toBe(1);
  });

  it('never writes data back for a user without state (forgotten, then blocked)', async () => {
    const store = createMemoryStore({ ttlSeconds: 3600, sweepIntervalMs: 0 });
    closers.push(() => store.close());
    await createStopMarker({ store, keyer, logger: createLogger('silent') })('telegram', '5550001234');
    expect(await store.get(keyer.key('telegram', '5550001234'))).toBeUndefined();
    expect(store.size()).toBe(0);
  });
});

// ------------------------------------------------------------------------------------------------

describe('a turn slower than the webhook deadline', () => {
  /** A turn handler held until the test opens its gate. */
  function slowTurn(replies: Reply[]) {
    const g = gate();
    let finished = false;
    const handleTurn: TurnHandler = async () => {
      await g.wait;
      finished = true;
      return { replies, duplicate: false, lang: 'fr' };
    };
    return { handleTurn, open: g.open, finished: () => finished };
  }

  it('Telegram: the webhook answers 200 in time, the reply follows through the Bot API', async () => {
    const api = await fakeTelegram(BOT_TOKEN);
    closers.push(() => api.close());
    const turn = slowTurn([{ kind: 'answer', lang: 'fr', text: 'Réponse lente.' }]);
    const tasks = createTaskTracker();
    const logs = recordingLogger();
    const channel = createTelegramChannel(
      { botToken: BOT_TOKEN, apiRoot: api.apiRoot, webhookSecret: WEBHOOK_SECRET, publicBaseUrl: PUBLIC_BASE_URL, maxBodySize: '64kb', defaultLang: 'fr', webhookDeadlineMs: 100 },
      { handleTurn: turn.handleTurn, logger: logs.logger, botInfo: TEST_BOT_INFO, tasks },
    );
    const app = await serve([channel.mount], logs.logger);
    closers.push(() => app.close());
    const res = await fetch(`${app.url}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TELEGRAM_SECRET_HEADER]: WEBHOOK_SECRET },
      body: JSON.stringify(fixture('telegram', 'text-message')),
    });
    expect(res.status).toBe(200);
    // The platform has its answer while the turn is still running.
    expect(turn.finished()).toBe(false);
    expect(tasks.active()).toBe(1);
    expect(logs.count('channel.telegram.slow_turn')).toBe(1);
    turn.open();
    expect(await eventually(() => api.calls.some((c) => c.method === 'sendMessage'))).toBe(true);
    expect(api.calls.find((c) => c.method === 'sendMessage')?.payload).toMatchObject({ chat_id: 5550001234, text: 'Réponse lente.' });
    expect(await tasks.idle(5000)).toBe(true);
  });

  it('SMS: Twilio gets an empty TwiML in time, the same text follows through the REST API from the SMS number', async () => {
    const turn = slowTurn([{ kind: 'answer', lang: 'fr', text: 'Réponse lente par SMS.' }]);
    const sent: TwilioOutboundMessage[] = [];
    const logs = recordingLogger();
    const tasks = createTaskTracker();
    const channel = createSmsChannel({ ...TWILIO, webhookDeadlineMs: 100 }, { handleTurn: turn.handleTurn, logger: logs.logger, t, sender: async (m) => void sent.push(m), tasks });
    const app = await serve([channel.mount], logs.logger);
    closers.push(() => app.close());
    const out = await postTwilio(app.url, '/webhooks/twilio/sms', smsForm('+15005550006', 'bonjour', 'SM1a1b2c3d4e5f60718293a4b5c6d7e8ff'));
    expect(out.status).toBe(200);
    expect(twimlMessages(out.text)).toEqual([]);
    expect(turn.finished()).toBe(false);
    expect(logs.count('channel.sms.slow_turn')).toBe(1);
    turn.open();
    expect(await eventually(() => sent.length === 1)).toBe(true);
    expect(sent[0]).toEqual({ to: '+15005550006', from: '+15005550001', body: 'Réponse lente par SMS.' });
    expect(await tasks.idle(5000)).toBe(true);
  });

  it('WhatsApp: the same, and a turn within the deadline still answers in the TwiML', async () => {
    const turn = slowTurn([{ kind: 'answer', lang: 'fr', text: 'Réponse lente.' }]);
    const sent: TwilioOutboundMessage[] = [];
    const logs = recordingLogger();
    const channel = createWhatsappChannel({ ...TWILIO, webhookDeadlineMs: 100 }, { handleTurn: turn.handleTurn, logger: logs.logger, t, sender: async (m) => void sent.push(m) });
    const fast = createWhatsappChannel({ ...TWILIO, webhookDeadlineMs: 60_000 }, { handleTurn: canned([{ kind: 'answer', lang: 'fr', text: 'Vite.' }]), logger: logs.logger, t, sender: async (m) => void sent.push(m) });
    const app = await serve([channel.mount, { ...fast.mount, path: '/fast' }], logs.logger);
    closers.push(() => app.close());
    const slow = await postTwilio(app.url, '/webhooks/twilio/whatsapp', whatsappForm('+15005550006', 'bonjour', 'SM2a'));
    expect(twimlMessages(slow.text)).toEqual([]);
    turn.open();
    expect(await eventually(() => sent.length === 1)).toBe(true);
    expect(sent[0]).toEqual({ to: 'whatsapp:+15005550006', from: 'whatsapp:+14155238886', body: 'Réponse lente.' });
    const quick = await postTwilio(app.url, '/fast', whatsappForm('+15005550006', 'bonjour', 'SM2b'));
    expect(twimlMessages(quick.text)).toEqual(['Vite.']);
    expect(sent).toHaveLength(1);
  });
});
