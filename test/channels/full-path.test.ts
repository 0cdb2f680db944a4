/**
 * One full path per channel: an HTTP request to the webhook through express (src/server/app.ts),
 * the real conversation service (engine, real content and matcher, memory store, HMAC keyer), and
 * back out as API calls, TwiML or activities. Outgoing calls go to local fakes; nothing leaves
 * the machine, and no id, number, token or message text reaches the logs.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import type { ConversationStore, TurnHandler } from '../../src/domain/index.js';
import { smsSegments } from '../../src/domain/index.js';
import { createTelegramChannel, TELEGRAM_SECRET_HEADER } from '../../src/channels/telegram/router.js';
import { createSmsChannel, createWhatsappChannel } from '../../src/channels/twilio/router.js';
import type { TwilioOutboundMessage } from '../../src/channels/twilio/send.js';
import { createBotFrameworkChannel } from '../../src/channels/botframework/router.js';
import { AUTH_TOKEN, PUBLIC_BASE_URL, twilioTestSettings, captureLogs, fakeTelegram, fixture, guardNetwork, post, sensitiveValues, serve, t, TEST_BOT_INFO, type NetworkGuard } from './harness.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ready = ['src/engine/index.ts', 'src/nlu/index.ts', 'src/knowledge/index.ts', 'src/i18n/index.ts'].every((f) => existsSync(path.join(ROOT, f)));

const BOT_TOKEN = '123456789:AAFakeTokenForTestsOnly_abcdefghijkl';
const WEBHOOK_SECRET = 'test-secret_0123456789';

const logs = captureLogs();
let guard: NetworkGuard;
let handleTurn: TurnHandler;
let store: ConversationStore;

/** Builds the real core the way main.ts does, with the memory store. */
async function buildRealCore(): Promise<void> {
  const { loadConfig, PROJECT_ROOT } = await import('../../src/config/index.js');
  const { loadKnowledge } = await import('../../src/knowledge/index.js');
  const { createMatcher } = await import('../../src/nlu/index.js');
  const { createTranslator } = await import('../../src/i18n/index.js');
  const { createConversationService } = await import('../../src/engine/index.js');
  const { createMemoryStore } = await import('../../src/state/memory.js');
  const { createHmacKeyer } = await import('../../src/state/keyer.js');
  const config = loadConfig({ NODE_ENV: 'test', HMAC_SECRET: 'full-path-test-secret' });
  const { kb, issues } = await loadKnowledge({ contentDir: config.contentDir, intentsDir: config.intentsDir, smsShortFormSegments: config.smsShortFormSegments, root: PROJECT_ROOT });
  expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  const matcher = createMatcher({ phrases: kb.phrases, cities: [...kb.cities.values()] });
  const t = await createTranslator(config.localesDir);
  store = createMemoryStore({ ttlSeconds: 3600, sweepIntervalMs: 0 });
  handleTurn = createConversationService({
    store,
    keyer: createHmacKeyer('full-path-test-secret'),
    deps: { kb, matcher, t, defaultLang: 'fr', maxMessageChars: config.maxMessageChars },
    logger: logs.logger,
  });
}

function expectNoLeak(...payloads: Array<[unknown, ReadonlySet<string>]>): void {
  const dump = logs.dump();
  for (const secret of [BOT_TOKEN, WEBHOOK_SECRET, AUTH_TOKEN]) expect(dump).not.toContain(secret);
  for (const [payload, keys] of payloads) for (const v of sensitiveValues(payload, keys)) expect(dump, `log leaks "${v}"`).not.toContain(v);
}


const TWILIO = twilioTestSettings({ whatsappFrom: 'whatsapp:+14155238886' });

const signed = (p: string, params: Record<string, string>): Record<string, string> => ({
  'X-Twilio-Signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_BASE_URL}${p}`, params),
});

/** The bodies of a TwiML response, unescaped. */
function messagesOf(xml: string): string[] {
  return [...xml.matchAll(/<Message>([\s\S]*?)<\/Message>/g)].map((m) =>
    (m[1] ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&'),
  );
}

describe.skipIf(!ready)('full path: webhook -> express -> engine -> state -> reply', () => {
  beforeAll(async () => {
    guard = guardNetwork();
    await buildRealCore();
  }, 60_000);
  afterAll(async () => {
    guard?.restore();
    await store?.close();
  });

  it('telegram: a message, then a button press from the keyboard it got', async () => {
    const api = await fakeTelegram(BOT_TOKEN);
    const channel = createTelegramChannel(
      { botToken: BOT_TOKEN, apiRoot: api.apiRoot, webhookSecret: WEBHOOK_SECRET, publicBaseUrl: PUBLIC_BASE_URL, maxBodySize: '64kb', defaultLang: 'fr' },
      { handleTurn, logger: logs.logger, botInfo: TEST_BOT_INFO },
    );
    const app = await serve([channel.mount], logs.logger);
    try {
      const headers = { [TELEGRAM_SECRET_HEADER]: WEBHOOK_SECRET };
      const first = fixture('telegram', 'text-message');
      expect((await post(`${app.url}/webhooks/telegram`, first, { headers })).status).toBe(200);
      const sent = api.calls.filter((c) => c.method === 'sendMessage');
      expect(sent.length).toBeGreaterThan(0);
      for (const c of sent) {
        expect(c.payload.chat_id).toBe(5550001234);
        expect(c.payload.parse_mode).toBe('HTML');
        expect(String(c.payload.text).length).toBeGreaterThan(0);
        expect(String(c.payload.text).length).toBeLessThanOrEqual(4096);
      }
      const keyboard = sent
        .map((c) => c.payload.reply_markup as { inline_keyboard?: Array<Array<{ callback_data: string }>> } | undefined)
        .find((m) => m?.inline_keyboard?.length);
      expect(keyboard, 'the engine offers choices as an inline keyboard').toBeDefined();
      const data = keyboard!.inline_keyboard![0]![0]!.callback_data;

      const press = fixture<{ update_id: number; callback_query: Record<string, unknown> }>('telegram', 'callback-query');
      press.callback_query.data = data;
      const before = api.calls.length;
      expect((await post(`${app.url}/webhooks/telegram`, press, { headers })).status).toBe(200);
      const after = api.calls.slice(before);
      expect(after[0]).toEqual({ method: 'answerCallbackQuery', payload: { callback_query_id: '4382000000000000001' } });
      expect(after.filter((c) => c.method === 'sendMessage').length).toBeGreaterThan(0);

      // Redelivery of the same update: nothing more is sent.
      const count = api.calls.length;
      await post(`${app.url}/webhooks/telegram`, first, { headers });
      expect(api.calls.length).toBe(count);
      expectNoLeak([first, new Set(['id', 'text', 'first_name'])], [press, new Set(['id', 'first_name', 'chat_instance'])]);
    } finally {
      await app.close();
      await api.close();
    }
    expect(guard.attempts).toEqual([]);
  });

  it('whatsapp: a question gets an answer, a location pin gets organisations', async () => {
    const rest: TwilioOutboundMessage[] = [];
    const channel = createWhatsappChannel(TWILIO, { handleTurn, logger: logs.logger, t, sender: async (m) => void rest.push(m) });
    const app = await serve([channel.mount], logs.logger);
    try {
      const p = '/webhooks/twilio/whatsapp';
      const text = fixture<Record<string, string>>('whatsapp', 'text');
      const r1 = await post(`${app.url}${p}`, text, { form: true, headers: signed(p, text) });
      expect(r1.status).toBe(200);
      const out1 = [...messagesOf(r1.text), ...rest.map((m) => m.body ?? '')];
      expect(out1.join('').length).toBeGreaterThan(0);
      for (const m of out1) expect(m.length).toBeLessThanOrEqual(1600);

      rest.length = 0;
      const pin = fixture<Record<string, string>>('whatsapp', 'location');
      const r2 = await post(`${app.url}${p}`, pin, { form: true, headers: signed(p, pin) });
      expect(r2.status).toBe(200);
      const out2 = [...messagesOf(r2.text), ...rest.map((m) => m.body ?? '')].join('\n');
      expect(out2.length).toBeGreaterThan(0);
      for (const m of rest) expect(m).toMatchObject({ to: 'whatsapp:+15005550006', from: 'whatsapp:+14155238886' });

      const bad = await post(`${app.url}${p}`, text, { form: true, headers: { 'X-Twilio-Signature': 'forged' } });
      expect(bad.status).toBe(403);
      expectNoLeak([text, new Set(['From', 'To', 'Body', 'WaId', 'ProfileName'])], [pin, new Set(['From', 'Latitude', 'Longitude'])]);
    } finally {
      await app.close();
    }
    expect(guard.attempts).toEqual([]);
  });

  it('sms: answers within the segment budget; after STOP nothing is sent until START', async () => {
    const channel = createSmsChannel(TWILIO, { handleTurn, logger: logs.logger, t });
    const app = await serve([channel.mount], logs.logger);
    const p = '/webhooks/twilio/sms';
    const send = async (name: string, overrides: Record<string, string> = {}): Promise<string[]> => {
      const params = { ...fixture<Record<string, string>>('sms', name), ...overrides };
      const r = await post(`${app.url}${p}`, params, { form: true, headers: signed(p, params) });
      expect(r.status).toBe(200);
      expect(r.contentType).toMatch(/text\/xml/);
      return messagesOf(r.text);
    };
    try {
      const answer = await send('text');
      expect(answer.length).toBeGreaterThan(0);
      for (const m of answer) {
        expect(smsSegments(m)).toBeLessThanOrEqual(3);
        expect(m).not.toMatch(/\p{Extended_Pictographic}/u);
        expect(m).not.toMatch(/\*[^*\n]+\*/);
      }

      expect(await send('stop')).toEqual([]);
      expect(await send('text', { MessageSid: 'SM1a1b2c3d4e5f60718293a4b5c6d7e8a1', Body: 'bonjour' })).toEqual([]);
      expect(await send('more', { MessageSid: 'SM1a1b2c3d4e5f60718293a4b5c6d7e8a2' })).toEqual([]);
      // Twilio's Advanced Opt-Out confirmed START (OptOutType): Dalil records it and adds nothing.
      expect(await send('start')).toEqual([]);
      const resumed = await send('text', { MessageSid: 'SM1a1b2c3d4e5f60718293a4b5c6d7e8a3', Body: 'menu' });
      expect(resumed).toHaveLength(1);
      expectNoLeak([fixture('sms', 'text'), new Set(['From', 'To', 'Body'])]);
    } finally {
      await app.close();
    }
    expect(guard.attempts).toEqual([]);
  });

  it('bot framework: expectReplies returns the replies in the response', async () => {
    const channel = createBotFrameworkChannel(
      { appId: '', appPassword: '', appTenantId: '', appType: 'MultiTenant', maxBodySize: '64kb', defaultLang: 'fr' },
      { handleTurn, logger: logs.logger },
    );
    const app = await serve([channel.mount], logs.logger);
    try {
      const activity = { ...fixture('botframework', 'message'), deliveryMode: 'expectReplies' };
      const r = await post(`${app.url}/api/messages`, activity);
      expect(r.status).toBe(200);
      const { activities } = JSON.parse(r.text) as { activities: Array<{ type: string; text?: string; suggestedActions?: unknown }> };
      expect(activities.length).toBeGreaterThan(0);
      expect(activities.every((a) => a.type === 'message' && (a.text ?? '').length > 0)).toBe(true);
      expectNoLeak([activity, new Set(['id', 'text'])]);
    } finally {
      await app.close();
    }
    expect(guard.attempts).toEqual([]);
  });
});
