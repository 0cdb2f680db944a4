/**
 * How a case worker's reply reaches a user outside a turn, on each channel, with the platform
 * fakes: the outgoing API calls, WhatsApp's 24-hour rule with and without a template, the SMS
 * rules (STOP, the daily cap, the segment budget), a Telegram user who blocked the bot, a Bot
 * Framework proactive message, and the web chat's poll.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Bot } from 'grammy';
import { smsSegments, type ConversationStore } from '../../src/domain/index.js';
import { createTelegramReacher } from '../../src/channels/telegram/reacher.js';
import { createSmsReacher, createWhatsappReacher, WHATSAPP_WINDOW_MS } from '../../src/channels/twilio/reacher.js';
import { TwilioApiError, type TwilioOutboundMessage } from '../../src/channels/twilio/send.js';
import { createBotFrameworkChannel } from '../../src/channels/botframework/router.js';
import { createWebChannel } from '../../src/channels/web/router.js';
import { smsCapabilities } from '../../src/channels/shared/capabilities.js';
import { createSmsFitter } from '../../src/channels/shared/sms.js';
import { createSmsAllowance } from '../../src/engine/sms-allowance.js';
import { createHmacKeyer } from '../../src/state/keyer.js';
import { createMemoryStore } from '../../src/state/memory.js';
import { newState } from '../../src/domain/index.js';
import { TEST_BOT_INFO, captureLogs, fakeConnector, fakeTelegram, fakeTurns, guardNetwork, post, serve, t, type NetworkGuard } from './harness.js';

const noSleep = { sleep: async () => {} };
const NOW = 1_767_225_600_000;
let guard: NetworkGuard;
beforeAll(() => {
  guard = guardNetwork();
});
afterAll(() => {
  guard.restore();
  expect(guard.attempts).toEqual([]);
});

describe('Telegram', () => {
  const TOKEN = '123456:case-reacher-token';

  it('sends the reply to the user\'s chat, rendered as Telegram replies are', async () => {
    const api = await fakeTelegram(TOKEN);
    try {
      const bot = new Bot(TOKEN, { client: { apiRoot: api.apiRoot }, botInfo: TEST_BOT_INFO });
      const reacher = createTelegramReacher(bot.api, { logger: captureLogs().logger, retry: noSleep });
      const out = await reacher.reach({ channel: 'telegram', userId: '987654321' }, 'GADEM: *Come* on Monday <10h>', 'en', NOW);
      expect(out).toEqual({ ok: true, via: 'text' });
      expect(api.calls).toEqual([
        { method: 'sendMessage', payload: { chat_id: 987654321, text: 'GADEM: <b>Come</b> on Monday &lt;10h&gt;', parse_mode: 'HTML', link_preview_options: { is_disabled: true } } },
      ]);
    } finally {
      await api.close();
    }
  });

  it('a user who blocked the bot: blocked, and the conversation marked stopped', async () => {
    const api = await fakeTelegram(TOKEN);
    try {
      api.fail('sendMessage', { status: 403, description: 'Forbidden: bot was blocked by the user' });
      const bot = new Bot(TOKEN, { client: { apiRoot: api.apiRoot }, botInfo: TEST_BOT_INFO });
      const stopped: string[] = [];
      const reacher = createTelegramReacher(bot.api, { logger: captureLogs().logger, retry: noSleep, markStopped: async (id) => void stopped.push(id) });
      expect(await reacher.reach({ channel: 'telegram', userId: '987654321' }, 'hello', 'en', NOW)).toEqual({ ok: false, reason: 'blocked' });
      expect(stopped).toEqual(['987654321']);
      expect(await reacher.reach({ channel: 'telegram', userId: 'not-a-chat' }, 'hello', 'en', NOW)).toEqual({ ok: false, reason: 'no-channel' });
      expect(api.calls).toHaveLength(1);
    } finally {
      await api.close();
    }
  });
});

describe('WhatsApp', () => {
  const USER = 'whatsapp:+212600112233';
  function setup(templateSid: string, fail?: Error) {
    const sent: TwilioOutboundMessage[] = [];
    const sender = async (m: TwilioOutboundMessage): Promise<void> => {
      sent.push(m);
      if (fail) throw fail;
    };
    const reacher = createWhatsappReacher({ from: '+14155238886', templateSid }, { sender, logger: captureLogs().logger, retry: noSleep, now: () => NOW });
    return { sent, reacher };
  }

  it('within 24 hours of the user\'s last message: free text', async () => {
    const { sent, reacher } = setup('HX00000000000000000000000000000001');
    const out = await reacher.reach({ channel: 'whatsapp', userId: USER }, 'GADEM: come on Monday', 'fr', NOW - WHATSAPP_WINDOW_MS + 60_000);
    expect(out).toEqual({ ok: true, via: 'text' });
    expect(sent).toEqual([{ to: USER, from: 'whatsapp:+14155238886', body: 'GADEM: come on Monday' }]);
  });

  it('after 24 hours: only the template, never free text', async () => {
    const { sent, reacher } = setup('HX00000000000000000000000000000001');
    const out = await reacher.reach({ channel: 'whatsapp', userId: USER }, 'GADEM: come on Monday', 'fr', NOW - WHATSAPP_WINDOW_MS - 1);
    expect(out).toEqual({ ok: true, via: 'template' });
    expect(sent).toEqual([{ to: USER, from: 'whatsapp:+14155238886', contentSid: 'HX00000000000000000000000000000001' }]);
    expect(JSON.stringify(sent)).not.toContain('Monday');
  });

  it('after 24 hours without a template (or never written): window closed, nothing sent', async () => {
    const { sent, reacher } = setup('');
    expect(await reacher.reach({ channel: 'whatsapp', userId: USER }, 'hello', 'fr', NOW - WHATSAPP_WINDOW_MS - 1)).toEqual({ ok: false, reason: 'window-closed' });
    expect(await reacher.reach({ channel: 'whatsapp', userId: USER }, 'hello', 'fr', undefined)).toEqual({ ok: false, reason: 'window-closed' });
    expect(sent).toEqual([]);
  });

  it('Twilio says the window closed (63016): window closed, not a silent success', async () => {
    const { reacher } = setup('', new TwilioApiError(400, 63016));
    expect(await reacher.reach({ channel: 'whatsapp', userId: USER }, 'hello', 'fr', NOW - 1000)).toEqual({ ok: false, reason: 'window-closed' });
  });
});

describe('SMS', () => {
  const USER = '+212600112233';
  const stores: ConversationStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  function setup(limits: { smsDailyCap?: number; smsSegmentsPerDay?: number } = {}, budget = 3) {
    const store = createMemoryStore({ ttlSeconds: 3600, sweepIntervalMs: 0 });
    stores.push(store);
    const keyer = createHmacKeyer('test-secret');
    const logs = captureLogs();
    const allow = createSmsAllowance({ store, keyer, limits, logger: logs.logger });
    const sent: TwilioOutboundMessage[] = [];
    const sender = async (m: TwilioOutboundMessage): Promise<void> => void sent.push(m);
    const reacher = createSmsReacher({ from: '+15005550001', segmentBudget: budget }, { sender, logger: logs.logger, retry: noSleep, allow });
    return { store, key: keyer.key('sms', USER), sent, reacher, logs };
  }

  it('sends GSM-7-safe text within the segment budget', async () => {
    const { sent, reacher } = setup();
    const out = await reacher.reach({ channel: 'sms', userId: USER }, 'GADEM : « venez lundi » – à 10h', 'fr', NOW);
    expect(out).toEqual({ ok: true, via: 'text' });
    expect(sent).toEqual([{ to: USER, from: '+15005550001', body: 'GADEM : "venez lundi" - à 10h' }]);
  });

  it('a long reply goes in pages of at most the budget', async () => {
    const { sent, reacher } = setup({}, 1);
    const long = Array.from({ length: 30 }, (_, i) => `Phrase ${i + 1} du message.`).join(' ');
    expect((await reacher.reach({ channel: 'sms', userId: USER }, long, 'fr', NOW)).ok).toBe(true);
    expect(sent.length).toBeGreaterThan(1);
    for (const m of sent) expect(smsSegments(m.body ?? '')).toBe(1);
    expect(sent.map((m) => m.body).join(' ')).toBe(long);
  });

  it('never messages a user who sent STOP', async () => {
    const { store, key, sent, reacher } = setup();
    await store.transact(key, () => ({ state: { ...newState(NOW), stopped: true }, result: null }));
    expect(await reacher.reach({ channel: 'sms', userId: USER }, 'hello', 'fr', NOW)).toEqual({ ok: false, reason: 'stopped' });
    expect(sent).toEqual([]);
  });

  it('counts against the user\'s daily cap, shared with the conversation\'s replies', async () => {
    const { store, key, sent, reacher } = setup({ smsDailyCap: 2 });
    await store.hit(key, 'sms', 86_400);
    expect(await reacher.reach({ channel: 'sms', userId: USER }, 'first', 'fr', NOW)).toEqual({ ok: true, via: 'text' });
    expect(await reacher.reach({ channel: 'sms', userId: USER }, 'second', 'fr', NOW)).toEqual({ ok: false, reason: 'over-budget' });
    expect(sent.map((m) => m.body)).toEqual(['first']);
  });

  it('counts against the global segment budget', async () => {
    const { store, sent, reacher } = setup({ smsSegmentsPerDay: 2 });
    expect(await reacher.reach({ channel: 'sms', userId: USER }, 'one segment', 'fr', NOW)).toEqual({ ok: true, via: 'text' });
    expect(await reacher.reach({ channel: 'sms', userId: USER }, 'x'.repeat(200), 'fr', NOW)).toEqual({ ok: false, reason: 'over-budget' });
    expect(sent).toHaveLength(1);
    expect(await store.spend('sms-segments:day', 0, 86_400)).toBe(3);
  });

  it('without the rules (no allowance) it reaches no one', async () => {
    const sent: TwilioOutboundMessage[] = [];
    const reacher = createSmsReacher({ from: '+15005550001', segmentBudget: 3 }, { sender: async (m) => void sent.push(m), logger: captureLogs().logger });
    expect(await reacher.reach({ channel: 'sms', userId: USER }, 'hello', 'fr', NOW)).toEqual({ ok: false, reason: 'no-channel' });
    expect(sent).toEqual([]);
  });
});

describe('Bot Framework', () => {
  it('sends a proactive message through the stored conversation reference', async () => {
    const connector = await fakeConnector();
    try {
      const settings = { appId: '', appPassword: '', appTenantId: '', appType: 'MultiTenant', maxBodySize: '64kb', defaultLang: 'fr' as const };
      const channel = createBotFrameworkChannel(settings, { handleTurn: fakeTurns().handleTurn, logger: captureLogs().logger, retry: noSleep });
      const reference = { serviceUrl: connector.serviceUrl, channelId: 'emulator', conversation: { id: 'conv-42' }, bot: { id: 'dalil-bot' }, user: { id: 'user-7' } };
      const out = await channel.reacher.reach({ channel: 'botframework', userId: 'emulator:user-7', reference }, 'GADEM: hello', 'en', NOW);
      expect(out).toEqual({ ok: true, via: 'text' });
      expect(connector.posted).toHaveLength(1);
      expect(connector.posted[0]!.path).toMatch(/^\/v3\/conversations\/conv-42\/activities/);
      expect(connector.posted[0]!.activity).toMatchObject({ type: 'message', text: 'GADEM: hello' });
      // A reference to an address replies may not be posted to is refused.
      const elsewhere = { ...reference, serviceUrl: 'http://169.254.169.254/' };
      expect(await channel.reacher.reach({ channel: 'botframework', userId: 'x', reference: elsewhere }, 'hi', 'en', NOW)).toEqual({ ok: false, reason: 'no-channel' });
      expect(await channel.reacher.reach({ channel: 'botframework', userId: 'x' }, 'hi', 'en', NOW)).toEqual({ ok: false, reason: 'no-channel' });
      expect(connector.posted).toHaveLength(1);
    } finally {
      await connector.close();
    }
  });
});

describe('web chat', () => {
  const sms = smsCapabilities(3);
  const settings = { maxBodySize: '64kb', smsCapabilities: sms, smsFit: createSmsFitter(sms, t) };

  it('the page polls /api/chat/updates for the case worker\'s replies', async () => {
    const logs = captureLogs();
    const asked: string[] = [];
    const caseUpdates = async (user: string) => {
      asked.push(user);
      return { replies: [{ id: 'm1', text: 'GADEM: hello', at: NOW }], open: true };
    };
    const app = await serve([createWebChannel(settings, { handleTurn: fakeTurns().handleTurn, logger: logs.logger, caseUpdates }).mount], logs.logger);
    try {
      const ok = await post(`${app.url}/api/chat/updates`, { user: 'client-7' });
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.text)).toEqual({ replies: [{ id: 'm1', text: 'GADEM: hello', at: NOW }], open: true });
      expect(asked).toEqual(['client-7']);
      expect((await post(`${app.url}/api/chat/updates`, { user: 'not a valid id!' })).status).toBe(400);
    } finally {
      await app.close();
    }
  });

  it('without a case desk the endpoint is not there', async () => {
    const logs = captureLogs();
    const app = await serve([createWebChannel(settings, { handleTurn: fakeTurns().handleTurn, logger: logs.logger }).mount], logs.logger);
    try {
      expect((await post(`${app.url}/api/chat/updates`, { user: 'client-7' })).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});
