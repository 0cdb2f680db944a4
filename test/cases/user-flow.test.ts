/**
 * A person behind Dalil end to end, over the memory case desk: a user asks for a person,
 * consents and skips the intake; a case worker replies through the desk; the reply reaches the
 * user on their channel (the web chat's poll, Telegram's Bot API fake, the SMS sender), and what
 * the user writes next reaches the case.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Bot } from 'grammy';
import type { CaseReacher, ChannelCapabilities, ChannelId, ConversationStore, Partner, TurnHandler } from '../../src/domain/index.js';
import { organisationName } from '../../src/domain/index.js';
import { createCaseDesk, createMemoryCaseStore, createSealer, staticPartners, type RunningCaseDesk } from '../../src/cases/index.js';
import { createConversationService } from '../../src/engine/index.js';
import { createSmsAllowance } from '../../src/engine/sms-allowance.js';
import { createHmacKeyer } from '../../src/state/keyer.js';
import { createMemoryStore } from '../../src/state/memory.js';
import { CAPABILITIES, smsCapabilities } from '../../src/channels/shared/capabilities.js';
import { createSmsFitter } from '../../src/channels/shared/sms.js';
import { createTelegramReacher } from '../../src/channels/telegram/reacher.js';
import { createSmsReacher } from '../../src/channels/twilio/reacher.js';
import type { TwilioOutboundMessage } from '../../src/channels/twilio/send.js';
import { createWebChannel } from '../../src/channels/web/router.js';
import { fakeMatcher, fixtureKb } from '../helpers/kb-fixture.js';
import { TEST_BOT_INFO, captureLogs, fakeTelegram, guardNetwork, post, serve, t, type FakeTelegram, type NetworkGuard } from '../channels/harness.js';
import { randomBytes } from 'node:crypto';

const PARTNER: Partner = {
  id: 'gadem-cases',
  orgId: 'gadem',
  topics: [],
  cities: [],
  langs: ['fr', 'en', 'ar', 'es'],
  hours: { tz: 'Africa/Casablanca', days: Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [d, [['00:00', '24:00']]])) },
  active: true,
};
const WORKER = { username: 'amina', partnerId: PARTNER.id };
const TOKEN = '123456:user-flow-token';

let guard: NetworkGuard;
let telegramApi: FakeTelegram;
beforeAll(async () => {
  guard = guardNetwork();
  telegramApi = await fakeTelegram(TOKEN);
});
afterAll(async () => {
  await telegramApi.close();
  guard.restore();
  expect(guard.attempts).toEqual([]);
});

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** Dalil's case pieces as main.ts wires them, over memory stores and the platform fakes. */
function dalil() {
  const kb = fixtureKb();
  const logs = captureLogs();
  const store: ConversationStore = createMemoryStore({ ttlSeconds: 3600, sweepIntervalMs: 0 });
  const keyer = createHmacKeyer('user-flow-secret');
  const reachers = new Map<ChannelId, CaseReacher>();
  const desk: RunningCaseDesk = createCaseDesk({
    store: createMemoryCaseStore(),
    sealer: createSealer([randomBytes(32)]),
    reachers,
    partners: staticPartners([PARTNER]),
    t,
    logger: logs.logger,
    retentionDays: 30,
    orgName: (orgId, lang) => {
      const org = kb.organisations.get(orgId);
      return org ? organisationName(org, lang) : undefined;
    },
  });
  closers.push(async () => {
    await desk.shutdown();
    await store.close();
  });
  const handleTurn: TurnHandler = createConversationService({
    store,
    keyer,
    deps: { kb, matcher: fakeMatcher(), t, defaultLang: 'fr', caseRetentionDays: 30 },
    logger: logs.logger,
    cases: desk,
    limits: { smsDailyCap: 10 },
  });
  const bot = new Bot(TOKEN, { client: { apiRoot: telegramApi.apiRoot }, botInfo: TEST_BOT_INFO });
  reachers.set('telegram', createTelegramReacher(bot.api, { logger: logs.logger }));
  const sms: TwilioOutboundMessage[] = [];
  const allow = createSmsAllowance({ store, keyer, limits: { smsDailyCap: 10 }, logger: logs.logger });
  reachers.set('sms', createSmsReacher({ from: '+15005550001', segmentBudget: 3 }, { sender: async (m) => void sms.push(m), logger: logs.logger, allow }));
  return { desk, store, keyer, handleTurn, logs, sms };
}

/** The user's side of a channel: each message through the conversation service, as its adapter would send it. */
function userOn(handleTurn: TurnHandler, caps: ChannelCapabilities, userId: string) {
  let n = 0;
  return (input: { text?: string; choiceId?: string }) =>
    handleTurn({ userId, capabilities: caps, message: { channel: caps.channel, receivedAt: Date.now() + ++n, ...input } });
}

/** Asks for a person, consents, skips every question; resolves the reference the user was given. */
async function askForPerson(say: ReturnType<typeof userOn>, questions: number): Promise<void> {
  await say({ choiceId: 'lang:en' });
  await say({ text: 'person' });
  await say({ choiceId: 'ref:yes' });
  for (let i = 0; i < questions; i++) await say({ text: 'skip' });
}

async function theCase(desk: RunningCaseDesk) {
  const [summary] = await desk.list(WORKER, { status: 'open' });
  expect(summary).toBeDefined();
  return summary!;
}

describe('a person behind Dalil, end to end', () => {
  it('web chat: the reply appears in the page\'s poll, once', async () => {
    const { desk, store, keyer, handleTurn, logs } = dalil();
    const sms = smsCapabilities(3);
    const caseUpdates = async (userId: string) => {
      const key = keyer.key('web', userId);
      return { replies: await desk.takeWebReplies(key), open: (await store.get(key))?.case !== undefined };
    };
    const app = await serve([createWebChannel({ maxBodySize: '64kb', smsCapabilities: sms, smsFit: createSmsFitter(sms, t) }, { handleTurn, logger: logs.logger, caseUpdates }).mount], logs.logger);
    closers.push(() => app.close());
    const chat = async (body: Record<string, unknown>) => JSON.parse((await post(`${app.url}/api/chat`, { user: 'client-7', ...body })).text) as { replies: Array<{ text: string }>; caseOpen?: true };
    await chat({ choice: 'lang:en' });
    expect((await chat({ text: 'person' })).replies[0]!.text).toContain('GADEM');
    await chat({ choice: 'ref:yes' });
    await chat({ choice: 'ref:skip' });
    await chat({ choice: 'ref:skip' });
    const opened = await chat({ choice: 'ref:skip' });
    expect(opened.caseOpen).toBe(true);
    const summary = await theCase(desk);
    expect(opened.replies[0]!.text).toContain(summary.ref);
    expect(summary).toMatchObject({ channel: 'web', lang: 'en', status: 'new' });

    const reply = await desk.reply(WORKER, summary.ref, 'Come to our office on Monday.');
    expect(reply?.delivery).toEqual({ state: 'sent', via: 'inbox' });
    const poll = JSON.parse((await post(`${app.url}/api/chat/updates`, { user: 'client-7' })).text) as { replies: Array<{ text: string }>; open: boolean };
    expect(poll.open).toBe(true);
    expect(poll.replies.map((r) => r.text)).toEqual(['GADEM: Come to our office on Monday.']);
    expect(JSON.parse((await post(`${app.url}/api/chat/updates`, { user: 'client-7' })).text)).toEqual({ replies: [], open: true });

    await chat({ text: 'Thank you, I will come' });
    const read = await desk.read(WORKER, summary.ref);
    expect(read?.messages.filter((m) => m.from === 'user').map((m) => m.text)).toEqual(['Thank you, I will come']);
    // Another user's poll gets nothing of it.
    expect(JSON.parse((await post(`${app.url}/api/chat/updates`, { user: 'client-8' })).text)).toEqual({ replies: [], open: false });
  });

  it('Telegram: the reply goes out through the Bot API', async () => {
    const { desk, handleTurn } = dalil();
    const say = userOn(handleTurn, CAPABILITIES.telegram, '987654321');
    await askForPerson(say, 3);
    const summary = await theCase(desk);
    expect(summary.channel).toBe('telegram');
    telegramApi.calls.length = 0;
    const reply = await desk.reply(WORKER, summary.ref, 'We can meet you on Monday.');
    expect(reply?.delivery).toEqual({ state: 'sent', via: 'text' });
    expect(telegramApi.calls).toEqual([
      { method: 'sendMessage', payload: expect.objectContaining({ chat_id: 987654321, text: 'GADEM: We can meet you on Monday.' }) as unknown },
    ]);
  });

  it('SMS: the reply goes out through Twilio, and stops after STOP', async () => {
    const { desk, handleTurn, sms } = dalil();
    const say = userOn(handleTurn, smsCapabilities(3), '+212600112233');
    await askForPerson(say, 4);
    const summary = await theCase(desk);
    expect(summary).toMatchObject({ channel: 'sms' });
    const reply = await desk.reply(WORKER, summary.ref, 'Nous vous appelons lundi.');
    expect(reply?.delivery).toEqual({ state: 'sent', via: 'text' });
    expect(sms).toEqual([{ to: '+212600112233', from: '+15005550001', body: 'GADEM: Nous vous appelons lundi.' }]);
    await say({ text: 'STOP' });
    const after = await desk.reply(WORKER, summary.ref, 'Are you there?');
    expect(after?.delivery).toEqual({ state: 'failed', reason: 'stopped' });
    expect(sms).toHaveLength(1);
  });

  it('forget-me during a case erases the case too', async () => {
    const { desk, handleTurn } = dalil();
    const say = userOn(handleTurn, CAPABILITIES.telegram, '555');
    await askForPerson(say, 3);
    const summary = await theCase(desk);
    await say({ text: 'Mon patron garde mon passeport' });
    await say({ text: 'delete' });
    const read = await desk.read(WORKER, summary.ref);
    expect(read?.summary).toMatchObject({ status: 'closed', outcome: 'forgotten' });
    expect(read?.messages.filter((m) => m.from === 'user')).toEqual([]);
    expect(JSON.stringify(read)).not.toContain('passeport');
  });
});
