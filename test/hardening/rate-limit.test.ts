/**
 * The per-user rate limit and the SMS daily cap: counters live with the conversation (the memory
 * store's maps; Redis keys under the conversation's `{key}` hash tag, with TTLs no longer than the
 * state's) so forget-me erases them. Past the limit a user gets one polite notice in their
 * language, then silence until the window ends; forget-me and STOP/START always get through.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationStore, InboundMessage, TurnHandler } from '../../src/domain/index.js';
import { OPEN_GATE } from '../../src/domain/index.js';
import { createMemoryStore } from '../../src/state/memory.js';
import { createRedisStore, type RedisConversationStore } from '../../src/state/redis.js';
import { CAPABILITIES, smsCapabilities } from '../../src/channels/shared/capabilities.js';
import { alwaysServed, boundMessage, capChoices, MAX_CHOICES } from '../../src/engine/limits.js';
import { createLogger } from '../../src/logging/logger.js';
import { connectAdmin, deleteByPrefix, globEscape, redisSuite, scanKeys, uniquePrefix, type AdminClient } from '../helpers/redis.js';
import { keyer, realCore, recordingLogger, service, sleep } from './support.js';

const { t } = await realCore();
const redis = await redisSuite();

type Clocked = ConversationStore & { advance(ms: number): void };
function memoryStore(): Clocked {
  let now = 1_767_225_600_000;
  const store = createMemoryStore({ ttlSeconds: 30 * 86_400, sweepIntervalMs: 0, now: () => now });
  return Object.assign(store, { advance: (ms: number) => void (now += ms) });
}

const stores: ConversationStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

/** Sends messages as one user of one channel; returns the texts of each turn's replies. */
function user(handle: TurnHandler, channel: 'web' | 'sms' | 'telegram' | 'cli', userId = `u-${Math.random().toString(36).slice(2)}`) {
  const caps = channel === 'sms' ? smsCapabilities(3) : channel === 'cli' ? CAPABILITIES.cli : CAPABILITIES[channel];
  let n = 0;
  return {
    userId,
    async say(input: string | Partial<InboundMessage>): Promise<string[]> {
      const message: InboundMessage = { channel, receivedAt: 1_767_225_600_000 + ++n * 1000, ...(typeof input === 'string' ? { text: input } : input) };
      const out = await handle({ userId, message, capabilities: caps, deliveryId: `d-${n}` });
      return out.replies.map((r) => r.text);
    },
  };
}

describe('counters in the stores', () => {
  it('memory: counts within a window, restarts after it, and forget-me erases them', async () => {
    const store = memoryStore();
    stores.push(store);
    const key = keyer.key('web', 'a');
    expect([await store.hit(key, 'rate', 60), await store.hit(key, 'rate', 60), await store.hit(key, 'sms', 60)]).toEqual([1, 2, 1]);
    expect(await store.hit(keyer.key('web', 'b'), 'rate', 60)).toBe(1);
    store.advance(60_001);
    expect(await store.hit(key, 'rate', 60)).toBe(1);
    await store.hit(key, 'sms', 86_400);
    await store.transact(key, () => ({ state: null, result: undefined }));
    expect(await store.hit(key, 'sms', 86_400)).toBe(1);
    await store.delete(key);
    expect(await store.hit(key, 'rate', 60)).toBe(1);
  });

  describe.skipIf(!redis.available)('redis', () => {
    let admin: AdminClient;
    const prefix = uniquePrefix('limits');
    const open = async (ttlSeconds = 3600): Promise<RedisConversationStore> => {
      const s = await createRedisStore({ url: redis.url, prefix, ttlSeconds, commandTimeoutMs: 500, logger: createLogger('silent') });
      stores.push(s);
      return s;
    };
    beforeAll(async () => {
      admin = await connectAdmin(redis.url);
    });
    afterAll(async () => {
      await deleteByPrefix(admin, prefix);
      admin.destroy();
    });

    it('keeps counters under the conversation hash tag with the window as TTL, capped at the state TTL', async () => {
      const store = await open(120);
      const key = keyer.key('sms', '+15005550006');
      expect(await store.hit(key, 'rate', 60)).toBe(1);
      expect(await store.hit(key, 'rate', 60)).toBe(2);
      expect(await store.hit(key, 'sms', 86_400)).toBe(1);
      const k = store.keysOf(key);
      expect(k.rate).toContain(`{${key}}`);
      expect(k.sms).toContain(`{${key}}`);
      expect(await admin.get(k.rate)).toBe('2');
      const rateTtl = await admin.pTTL(k.rate);
      expect(rateTtl).toBeGreaterThan(50_000);
      expect(rateTtl).toBeLessThanOrEqual(60_000);
      // A day's window never outlives a state that expires after 120 s.
      expect(await admin.pTTL(k.sms)).toBeLessThanOrEqual(120_000);
    });

    it('starts a new window when the last one expired', async () => {
      const store = await open();
      const key = keyer.key('web', 'window');
      expect(await store.hit(key, 'rate', 1)).toBe(1);
      expect(await store.hit(key, 'rate', 1)).toBe(2);
      await sleep(1200);
      expect(await store.hit(key, 'rate', 1)).toBe(1);
    });

    it('forget-me deletes the counters with the state: nothing of the conversation is left', async () => {
      const store = await open();
      const key = keyer.key('sms', '+15005550007');
      await store.transact(key, () => ({ state: { v: 1, langConfirmed: false, menuPath: [], choices: [], noticeShown: false, turns: 1, createdAt: 1, updatedAt: 1 }, result: undefined }));
      await store.markDelivery(key, 'SM1');
      await store.hit(key, 'rate', 60);
      await store.hit(key, 'sms', 86_400);
      const pattern = `${globEscape(prefix)}c:{${globEscape(key)}}:*`;
      expect((await scanKeys(admin, pattern)).length).toBe(4);
      await store.transact(key, () => ({ state: null, result: undefined }));
      expect(await scanKeys(admin, pattern)).toEqual([]);
      await store.hit(key, 'rate', 60);
      await store.delete(key);
      expect(await scanKeys(admin, pattern)).toEqual([]);
    });
  });
});

describe('rate limit (20 a minute by default)', () => {
  it('serves 20 messages, answers the 21st with one notice in the user language, then stays silent until the minute ends', async () => {
    const store = memoryStore();
    stores.push(store);
    const logs = recordingLogger();
    const handle = await service(store, { limits: { ratePerMinute: 20 }, logger: logs.logger });
    const u = user(handle, 'web');
    expect((await u.say({ choiceId: 'lang:ar' })).length).toBeGreaterThan(0);
    for (let i = 2; i <= 20; i++) expect((await u.say(i % 2 ? 'مرحبا' : '0')).length).toBeGreaterThan(0);
    expect(await u.say('مرحبا')).toEqual([t('ar', 'limits.rateLimited')]);
    for (let i = 0; i < 5; i++) expect(await u.say('مرحبا')).toEqual([]);
    expect(logs.events.filter((e) => e.event === 'turn.rate_limited').map((e) => e.notice)).toEqual([true, false, false, false, false, false]);
    store.advance(60_001);
    const again = await u.say('0');
    expect(again.length).toBeGreaterThan(0);
    expect(again[0]).not.toBe(t('ar', 'limits.rateLimited'));
    // Another user is not affected by this one.
    expect((await user(handle, 'web').say('bonjour')).length).toBeGreaterThan(0);
  });

  it('always serves forget-me, which also erases the counter', async () => {
    const store = memoryStore();
    stores.push(store);
    const handle = await service(store, { limits: { ratePerMinute: 3 } });
    const u = user(handle, 'web');
    for (let i = 0; i < 5; i++) await u.say({ choiceId: 'lang:fr' });
    expect(await u.say('bonjour')).toEqual([]);
    expect(await u.say('SUPPRIMER')).toEqual([t('fr', 'deleted.done')]);
    expect(await store.get(keyer.key('web', u.userId))).toBeUndefined();
    expect((await u.say('bonjour')).length).toBeGreaterThan(0);
  });

  it('on SMS: STOP goes through while limited, and after STOP not even the notice is sent', async () => {
    const store = memoryStore();
    stores.push(store);
    const handle = await service(store, { limits: { ratePerMinute: 2 } });
    const u = user(handle, 'sms', '+15005550006');
    await u.say('bonjour');
    await u.say('0');
    expect(await u.say('STOP')).toEqual([]);
    expect((await store.get(keyer.key('sms', u.userId)))?.stopped).toBe(true);
    store.advance(60_001);
    await u.say('menu');
    await u.say('menu');
    // Third message of the new window: over the limit, but a stopped number gets no notice.
    expect(await u.say('menu')).toEqual([]);
    store.advance(60_001);
    expect((await u.say('START')).length).toBeGreaterThan(0);
  });

  it('never limits the terminal chat, and lets messages through when the store cannot count', async () => {
    const store = memoryStore();
    stores.push(store);
    const handle = await service(store, { limits: { ratePerMinute: 1 } });
    const cli = user(handle, 'cli');
    for (let i = 0; i < 4; i++) expect((await cli.say('0')).length).toBeGreaterThan(0);
    // A store that cannot count (Redis down) hands every turn the open gate, with a count of 0.
    const base = memoryStore();
    stores.push(base);
    const blind: ConversationStore = { ...base, hit: async () => 0, transact: (key, fn) => base.transact(key, (s) => fn(s, OPEN_GATE)) };
    const web = user(await service(blind, { limits: { ratePerMinute: 1 } }), 'web');
    for (let i = 0; i < 4; i++) expect((await web.say('0')).length).toBeGreaterThan(0);
  });
});

describe('SMS daily cap', () => {
  it('answers up to the cap, then one notice in the user language, then nothing until the day ends', async () => {
    const store = memoryStore();
    stores.push(store);
    const logs = recordingLogger();
    const handle = await service(store, { limits: { smsDailyCap: 3, ratePerMinute: 100 }, logger: logs.logger });
    const u = user(handle, 'sms', '+15005550006');
    expect((await u.say('hola')).length).toBeGreaterThan(0);
    expect((await u.say('ESPANOL')).length).toBeGreaterThan(0);
    expect((await u.say('0')).length).toBeGreaterThan(0);
    const lang = (await store.get(keyer.key('sms', u.userId)))?.lang ?? 'fr';
    expect(await u.say('0')).toEqual([t(lang, 'limits.smsCap')]);
    expect(await u.say('0')).toEqual([]);
    expect(await u.say('1')).toEqual([]);
    expect(logs.count('turn.sms_capped')).toBe(3);
    // The cap is for SMS only: the same person on the web is answered.
    expect((await user(handle, 'web', u.userId).say('0')).length).toBeGreaterThan(0);
    store.advance(86_400_001);
    expect((await u.say('0')).length).toBeGreaterThan(0);
  });

  it('counts the rate-limit notice as an SMS: a flood past the cap costs nothing more', async () => {
    const store = memoryStore();
    stores.push(store);
    const handle = await service(store, { limits: { smsDailyCap: 2, ratePerMinute: 2 } });
    const u = user(handle, 'sms', '+15005550006');
    await u.say('bonjour');
    await u.say('0');
    expect(await u.say('0')).toEqual([t('fr', 'limits.smsCap')]);
    let sent = 0;
    for (let minute = 0; minute < 5; minute++) {
      store.advance(60_001);
      for (let i = 0; i < 4; i++) sent += (await u.say('0')).length;
    }
    expect(sent).toBe(0);
  });

  it('still confirms a forget-me past the cap, and leaves no counter behind', async () => {
    const store = memoryStore();
    stores.push(store);
    const handle = await service(store, { limits: { smsDailyCap: 1 } });
    const u = user(handle, 'sms', '+15005550006');
    await u.say('bonjour');
    await u.say('0');
    await u.say('0');
    expect(await u.say('SUPPRIMER')).toEqual([t('fr', 'deleted.done')]);
    expect(await store.hit(keyer.key('sms', u.userId), 'sms', 86_400)).toBe(1);
  });
});

describe('bounds on messages and replies', () => {
  it('cuts text for matching, never rejects it, and bounds ids and hints', () => {
    const m = boundMessage({ channel: 'web', text: 'x'.repeat(50_000), choiceId: 'c'.repeat(500), localeHint: 'fr-'.repeat(50), receivedAt: 1 }, 1000);
    expect(m.text).toHaveLength(1000);
    expect(m.choiceId!.length).toBeLessThanOrEqual(128);
    expect(m.localeHint!.length).toBeLessThanOrEqual(35);
    expect(boundMessage({ channel: 'web', text: '😀'.repeat(600), receivedAt: 1 }, 1001).text).toHaveLength(1000);
  });

  it(`never lets a reply show more than ${MAX_CHOICES} choices`, () => {
    const choices = Array.from({ length: 30 }, (_, i) => ({ id: `topic:${i}`, label: `Topic ${i}` }));
    const out = capChoices([{ kind: 'menu', text: 'Menu', lang: 'fr', choices }, { kind: 'notice', text: 'x', lang: 'fr' }]);
    expect(out.capped).toBe(1);
    expect(out.replies[0]!.choices).toEqual(choices.slice(0, MAX_CHOICES));
    expect(out.replies[1]).toEqual({ kind: 'notice', text: 'x', lang: 'fr' });
  });

  it('serves forget-me and carrier keywords whatever the limits', () => {
    for (const text of ['DELETE', 'supprimer', 'امسح', '/delete', 'Borrar']) expect(alwaysServed({ channel: 'web', text, receivedAt: 1 }, false)).toBe(true);
    expect(alwaysServed({ channel: 'web', choiceId: 'cmd:delete', receivedAt: 1 }, false)).toBe(true);
    expect(alwaysServed({ channel: 'sms', text: 'STOP', receivedAt: 1 }, true)).toBe(true);
    expect(alwaysServed({ channel: 'sms', text: 'start', receivedAt: 1 }, true)).toBe(true);
    expect(alwaysServed({ channel: 'web', text: 'STOP', receivedAt: 1 }, false)).toBe(false);
    expect(alwaysServed({ channel: 'web', text: 'please delete my data and tell me about papers', receivedAt: 1 }, false)).toBe(false);
  });
});
