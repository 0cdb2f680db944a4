import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationStore, InboundMessage, Matcher, TurnRequest } from '../../src/domain/index.js';
import { createConversationService, type MissedQuestion } from '../../src/engine/index.js';
import { createLogger } from '../../src/logging/logger.js';
import { createHmacKeyer } from '../../src/state/keyer.js';
import { createMemoryStore } from '../../src/state/memory.js';
import { fakeMatcher, fixtureKb } from '../helpers/kb-fixture.js';
import { CAPS, loadT } from './support.js';

const t = await loadT();
const USER = '+212600112233';
const QUESTION = 'How do I get a residence card in Morocco';
const stores: ConversationStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

function setup(opts: { matcher?: Matcher; store?: ConversationStore; onMissed?: (m: MissedQuestion) => void; maxMessageChars?: number } = {}) {
  const lines: string[] = [];
  const store = opts.store ?? createMemoryStore({ ttlSeconds: 3600, sweepIntervalMs: 0 });
  stores.push(store);
  const keyer = createHmacKeyer('test-secret');
  let clock = 0;
  const handle = createConversationService({
    store,
    keyer,
    deps: { kb: fixtureKb(), matcher: opts.matcher ?? fakeMatcher(), t, defaultLang: 'fr', ...(opts.maxMessageChars ? { maxMessageChars: opts.maxMessageChars } : {}) },
    logger: createLogger('debug', (l) => lines.push(l)),
    clock: () => (clock += 5),
    ...(opts.onMissed ? { onMissed: opts.onMissed } : {}),
  });
  let n = 0;
  const send = (message: Partial<InboundMessage>, extra: Partial<TurnRequest> = {}) =>
    handle({
      userId: USER,
      capabilities: CAPS.web,
      message: { channel: 'web', receivedAt: 1_700_000_000_000 + ++n * 1000, ...message },
      ...extra,
    });
  const events = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { store, key: keyer.key('web', USER), send, lines, events };
}

describe('conversation service', () => {
  it('erases on a typed "yes" after the erase question, through the store', async () => {
    const base = fakeMatcher();
    const matcher: Matcher = {
      ...base,
      match: (text, hint) =>
        text === 'clear stuff'
          ? { language: { lang: 'en', confidence: 0.9 }, ranked: [], intent: 'forget-me', confidence: 0.4, ambiguous: false, forget: 'confirm' }
          : base.match(text, hint),
    };
    const { store, key, send } = setup({ matcher });
    await send({ choiceId: 'lang:en' });
    const asked = await send({ text: 'clear stuff' });
    expect(asked.replies[0]!.text).toBe(t('en', 'deleted.confirm'));
    expect((await store.get(key))?.awaiting).toBe('forget-confirm');
    const done = await send({ text: 'yes' });
    expect(done.replies[0]!.text).toBe(t('en', 'deleted.done'));
    expect(await store.get(key)).toBeUndefined();
  });

  it('cuts long messages before matching (MAX_MESSAGE_CHARS, default 1000), never rejects them', async () => {
    for (const [max, expected] of [[50, 50], [undefined, 1000]] as const) {
      const matcher = fakeMatcher();
      const { send } = setup({ matcher, ...(max ? { maxMessageChars: max } : {}) });
      await send({ choiceId: 'lang:en' });
      const out = await send({ text: 'x'.repeat(5000) });
      expect(out.replies.length).toBeGreaterThan(0);
      expect(matcher.calls.at(-1)?.text).toHaveLength(expected);
    }
  });

  it('keys the user, keeps the state between turns and reports the language', async () => {
    const { store, key, send } = setup();
    const first = await send({ text: 'hello' });
    expect(first.replies[0]!.kind).toBe('language-choice');
    const second = await send({ text: '2' });
    expect(second).toMatchObject({ duplicate: false, lang: 'en' });
    expect((await store.get(key))?.lang).toBe('en');
  });

  it('sends nothing for a retried delivery', async () => {
    const { send } = setup();
    const a = await send({ text: 'hello' }, { deliveryId: 'd-1' });
    expect(a.duplicate).toBe(false);
    const b = await send({ text: 'hello' }, { deliveryId: 'd-1' });
    expect(b).toEqual({ replies: [], duplicate: true, lang: 'fr' });
    const c = await send({ text: '1' }, { deliveryId: 'd-2' });
    expect(c.duplicate).toBe(false);
    expect(c.lang).toBe('fr');
  });

  it('deletes every key on DELETE', async () => {
    const { store, key, send } = setup();
    await send({ text: 'hello' });
    await send({ text: '3' });
    expect(await store.get(key)).toBeDefined();
    const out = await send({ text: 'امسح' });
    expect(out.replies[0]!.text).toBe(t('ar', 'deleted.done'));
    expect(await store.get(key)).toBeUndefined();
  });

  it('answers a failing engine with a short apology in the user language and logs the error name only', async () => {
    const secret = `${QUESTION} ${USER}`;
    const boom: Matcher = {
      detectLanguage: () => ({ lang: 'es', confidence: 0.99 }),
      match: () => {
        const err = new TypeError(`cannot read ${secret}`);
        throw err;
      },
    };
    const { send, lines, events } = setup({ matcher: boom });
    await send({ choiceId: 'lang:es' });
    const out = await send({ text: QUESTION });
    expect(out).toEqual({ replies: [{ kind: 'error', text: t('es', 'error.apology'), lang: 'es' }], duplicate: false, lang: 'es' });
    const failed = events().find((e) => e.event === 'engine.turn_failed');
    expect(failed).toMatchObject({ level: 'error', channel: 'web', error: 'TypeError' });
    expect(lines.join('\n')).not.toContain('cannot read');
  });

  it('apologises when the store itself fails', async () => {
    const broken: ConversationStore = {
      ...createMemoryStore({ ttlSeconds: 60, sweepIntervalMs: 0 }),
      transact: () => Promise.reject(Object.assign(new Error('redis down'), { name: 'StoreUnavailableError' })),
      markDelivery: () => Promise.resolve(true),
    };
    const { send, events } = setup({ store: broken });
    const out = await send({ text: 'hola', localeHint: 'es-ES' });
    expect(out.replies).toEqual([{ kind: 'error', text: t('es', 'error.apology'), lang: 'es' }]);
    expect(events().find((e) => e.event === 'engine.turn_failed')).toMatchObject({ error: 'StoreUnavailableError' });
  });

  it('logs turn.handled and feedback.received without ids or text', async () => {
    const { send, lines, events } = setup();
    await send({ choiceId: 'lang:en' });
    await send({ text: QUESTION });
    await send({ choiceId: 'fb:yes' });
    const handled = events().filter((e) => e.event === 'turn.handled');
    expect(handled).toHaveLength(3);
    expect(handled[1]).toMatchObject({ channel: 'web', intent: 'residence-permit', confidence: 0.9, lang: 'en', latencyMs: 5 });
    expect(events().find((e) => e.event === 'feedback.received')).toMatchObject({ topic: 'residence-permit', value: 'yes', channel: 'web' });
    const all = lines.join('\n');
    expect(all).not.toContain(USER);
    expect(all).not.toContain('600112233');
    expect(all.toLowerCase()).not.toContain('residence card');
    expect(all).not.toMatch(/"(userId|key|text)"/);
  });

  it('hands editors the questions it could not answer, with no user id, and not the ones it answered', async () => {
    const missed: MissedQuestion[] = [];
    const { send } = setup({ onMissed: (m) => missed.push(m) });
    await send({ text: 'hello' });
    await send({ text: '2' });
    await send({ text: 'who will win the football match tonight' });
    expect(missed).toHaveLength(1);
    expect(missed[0]).toMatchObject({ text: 'who will win the football match tonight', intent: 'out-of-scope', lang: 'en' });
    expect(JSON.stringify(missed)).not.toContain(USER);
    await send({ text: QUESTION });
    expect(missed).toHaveLength(1);
  });

  it('keeps answering when recording a missed question fails', async () => {
    const { send, events } = setup({
      onMissed: () => {
        throw new Error('disk full');
      },
    });
    await send({ text: 'hello' });
    await send({ text: '2' });
    const out = await send({ text: 'who will win the football match tonight' });
    expect(out.replies[0]!.kind).toBe('out-of-scope');
    expect(events().some((e) => e.event === 'missed.record_failed')).toBe(true);
  });
});
