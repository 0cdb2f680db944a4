/**
 * The conversation service with a case desk: partners routed to during the turn, the turn's case
 * operations run after the state is saved, forget-me erasing the user's cases, and failures that
 * never crash a turn.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseIntake, ChannelCapabilities, ConversationStore, InboundMessage, Partner, TurnRequest } from '../../src/domain/index.js';
import { createConversationService } from '../../src/engine/index.js';
import { createCaseRelease, newCaseRef } from '../../src/engine/case-ops.js';
import { createLogger } from '../../src/logging/logger.js';
import { createHmacKeyer } from '../../src/state/keyer.js';
import { createMemoryStore } from '../../src/state/memory.js';
import { fakeMatcher, fixtureKb } from '../helpers/kb-fixture.js';
import { CAPS, loadT } from './support.js';

const t = await loadT();
const USER = 'web-client-7';
const stores: ConversationStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

const PARTNER: Partner = {
  id: 'gadem-cases',
  orgId: 'gadem',
  topics: [],
  cities: [],
  langs: ['fr', 'en', 'ar', 'es'],
  hours: { tz: 'Africa/Casablanca', days: Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [d, [['00:00', '24:00']]])) },
  active: true,
};

/** A desk that records what it is asked; `fail` makes an operation reject. */
function fakeDesk(fail: Partial<Record<'open' | 'fromUser' | 'closeByUser' | 'forgetUser', Error>> = {}) {
  const calls: Array<{ op: string; input: unknown }> = [];
  const record = (op: keyof typeof fail) => async (input: unknown) => {
    calls.push({ op, input });
    if (fail[op]) throw fail[op];
  };
  const desk: CaseIntake = {
    open: record('open'),
    fromUser: record('fromUser'),
    closeByUser: record('closeByUser'),
    forgetUser: record('forgetUser'),
    partners: () => [PARTNER],
  };
  return { desk, calls };
}

function setup(desk: CaseIntake, caps: ChannelCapabilities = CAPS.web) {
  const lines: string[] = [];
  const store = createMemoryStore({ ttlSeconds: 3600, sweepIntervalMs: 0 });
  stores.push(store);
  const keyer = createHmacKeyer('test-secret');
  let refs = 0;
  const handle = createConversationService({
    store,
    keyer,
    deps: { kb: fixtureKb(), matcher: fakeMatcher(), t, defaultLang: 'fr', caseRetentionDays: 30 },
    logger: createLogger('debug', (l) => lines.push(l)),
    cases: desk,
    newCaseRef: () => `REF-000${++refs}`,
  });
  let n = 0;
  const send = (message: Partial<InboundMessage>, extra: Partial<TurnRequest> = {}) =>
    handle({ userId: USER, capabilities: caps, message: { channel: caps.channel, receivedAt: 1_700_000_000_000 + ++n * 1000, ...message }, ...extra });
  const key = keyer.key(caps.channel, USER);
  return { store, key, send, lines };
}

/** Asks for a person, consents and skips every question. */
async function openCase(send: ReturnType<typeof setup>['send'], extra: Partial<TurnRequest> = {}) {
  await send({ choiceId: 'lang:en' });
  await send({ text: 'person' });
  await send({ choiceId: 'ref:yes' });
  await send({ choiceId: 'ref:skip' });
  await send({ choiceId: 'ref:skip' });
  return send({ choiceId: 'ref:skip' }, extra);
}

describe('conversation service with cases', () => {
  it('opens the case after the state is saved, with the way back to the user', async () => {
    const { desk, calls } = fakeDesk();
    const { store, key, send } = setup(desk);
    const reference = { conversation: { id: 'conv-1' }, serviceUrl: 'https://smba.trafficmanager.net/emea/' };
    const out = await openCase(send, { address: reference });
    expect(out.replies[0]!.text).toContain('REF-0006');
    expect(calls).toEqual([
      {
        op: 'open',
        input: { ref: 'REF-0006', key, partnerId: 'gadem-cases', lang: 'en', intake: {}, address: { channel: 'web', userId: USER, reference }, at: 1_700_000_000_000 + 6000 },
      },
    ]);
    expect((await store.get(key))?.case).toEqual({ ref: 'REF-0006', partnerId: 'gadem-cases', relay: true });
  });

  it('relays the message text, and closes when the user ends the case', async () => {
    const { desk, calls } = fakeDesk();
    const { key, send } = setup(desk);
    await openCase(send);
    calls.length = 0;
    await send({ text: 'my employer keeps my passport' });
    expect(calls).toEqual([{ op: 'fromUser', input: { ref: 'REF-0006', key, text: 'my employer keeps my passport', at: 1_700_000_000_000 + 7000 } }]);
    await send({ text: 'close' });
    await send({ text: 'yes' });
    expect(calls.at(-1)).toEqual({ op: 'closeByUser', input: { ref: 'REF-0006', key, at: 1_700_000_000_000 + 9000 } });
  });

  it('forget-me erases the user\'s cases too', async () => {
    const { desk, calls } = fakeDesk();
    const { store, key, send } = setup(desk);
    await openCase(send);
    await send({ text: 'delete' });
    expect(calls.at(-1)).toEqual({ op: 'forgetUser', input: key });
    expect(await store.get(key)).toBeUndefined();
  });

  it('a relay that fails tells the user politely; the turn does not crash and no text is logged', async () => {
    const { desk } = fakeDesk({ fromUser: new TypeError('desk down: my employer keeps my passport') });
    const { send, lines } = setup(desk);
    await openCase(send);
    const out = await send({ text: 'my employer keeps my passport' });
    expect(out.replies.map((r) => r.text)).toEqual(['Sent to GADEM.', t('en', 'case.relayFailed', { org: 'GADEM' })]);
    const failed = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((e) => e.msg === 'case.relay_failed' || e.event === 'case.relay_failed');
    expect(failed).toMatchObject({ error: 'TypeError' });
    expect(lines.join('\n')).not.toContain('passport');
  });

  it('an open that fails: the user is told, and the conversation goes back to the bot', async () => {
    const { desk } = fakeDesk({ open: new Error('no') });
    const { store, key, send } = setup(desk);
    const out = await openCase(send);
    expect(out.replies.at(-1)!.text).toBe(t('en', 'case.openFailed', { org: 'GADEM' }));
    expect((await store.get(key))?.case).toBeUndefined();
  });

  it('a failing forget still erases the conversation', async () => {
    const { desk } = fakeDesk({ forgetUser: new Error('down') });
    const { store, key, send } = setup(desk);
    await openCase(send);
    const out = await send({ text: 'delete' });
    expect(out.replies[0]!.text).toBe(t('en', 'deleted.done'));
    expect(await store.get(key)).toBeUndefined();
  });

  it('STOP on SMS during a case: silence and nothing relayed', async () => {
    const { desk, calls } = fakeDesk();
    const { store, key, send } = setup(desk, CAPS.sms);
    await openCase(send);
    calls.length = 0;
    const out = await send({ text: 'STOP' });
    expect(out.replies).toEqual([]);
    await send({ text: 'hello?' });
    expect(calls).toEqual([]);
    expect((await store.get(key))?.stopped).toBe(true);
  });
});

describe('a case closed by the organisation', () => {
  it('is taken off the conversation: the user is with the bot again, other cases and forgotten users untouched', async () => {
    const { desk } = fakeDesk();
    const { store, key, send } = setup(desk);
    await openCase(send);
    const release = createCaseRelease({ store, logger: createLogger('silent') });
    await release(key, 'OTHER-REF');
    expect((await store.get(key))?.case?.ref).toBe('REF-0006');
    await release(key, 'REF-0006');
    expect((await store.get(key))?.case).toBeUndefined();
    const home = await send({ text: 'MENU' });
    expect(home.replies[0]!.choices?.map((c) => c.id)).not.toContain('case:resume');
    await send({ text: 'delete' });
    await release(key, 'REF-0006');
    expect(await store.get(key)).toBeUndefined();
  });
});

describe('case references', () => {
  it('are short, readable and unambiguous', () => {
    const refs = new Set(Array.from({ length: 200 }, () => newCaseRef()));
    expect(refs.size).toBe(200);
    for (const ref of refs) expect(ref).toMatch(/^[2-9A-HJKMNP-TW-Z]{3}-[2-9A-HJKMNP-TW-Z]{4}$/);
  });
});
