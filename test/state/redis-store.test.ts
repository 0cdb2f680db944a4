/**
 * The Redis store against a real Redis (REDIS_URL, default redis://127.0.0.1:6379), under a
 * prefix unique to this run; every key it wrote is removed afterwards.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newState, STATE_VERSION } from '../../src/domain/index.js';
import type { ConversationKey, ConversationState } from '../../src/domain/index.js';
import { createHmacKeyer } from '../../src/state/keyer.js';
import { createRedisStore, type RedisConversationStore, type RedisStoreOptions } from '../../src/state/redis.js';
import { connectAdmin, deleteByPrefix, globEscape, redisSuite, scanKeys, uniquePrefix, type AdminClient } from '../helpers/redis.js';
import { captureLogger, nextTurn, sleep, testKey } from './support.js';

const redis = await redisSuite();

describe.skipIf(!redis.available)('Redis conversation store', () => {
  const prefix = uniquePrefix('state');
  let admin: AdminClient;
  const open: RedisConversationStore[] = [];

  const makeStore = async (overrides: Partial<RedisStoreOptions> = {}): Promise<RedisConversationStore> => {
    const store = await createRedisStore({
      url: redis.url,
      prefix,
      ttlSeconds: 30 * 86_400,
      commandTimeoutMs: 2000,
      logger: captureLogger(),
      ...overrides,
    });
    open.push(store);
    return store;
  };

  /** Every key in Redis that mentions the conversation, wherever it sits. */
  const keysMentioning = (key: ConversationKey): Promise<string[]> => scanKeys(admin, `*${globEscape(key)}*`);

  beforeAll(async () => {
    admin = await connectAdmin(redis.url);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    if (!admin) return;
    await deleteByPrefix(admin, prefix);
    expect(await scanKeys(admin, `${globEscape(prefix)}*`)).toEqual([]);
    admin.destroy();
  });

  it('keeps state as versioned JSON under the prefix, keyed only by the keyed hash of the user id', async () => {
    const store = await makeStore();
    const key = createHmacKeyer('test-secret').key('whatsapp', '+212600000001');
    await store.transact(key, (s) => ({ state: { ...nextTurn(s), lang: 'fr', city: 'rabat' }, result: null }));
    await store.markDelivery(key, 'SM0123456789abcdef0123456789abcdef');

    const keys = await keysMentioning(key);
    expect(keys.sort()).toEqual([store.keysOf(key).deliveries, store.keysOf(key).state].sort());
    for (const k of keys) expect(k.startsWith(`${prefix}c:{${key}}:`)).toBe(true);

    const raw = await admin.get(store.keysOf(key).state);
    expect(JSON.parse(raw ?? '')).toMatchObject({ v: STATE_VERSION, lang: 'fr', city: 'rabat', turns: 1 });
    const deliveries = await admin.zRange(store.keysOf(key).deliveries, 0, -1);
    const everything = [...keys, raw, ...deliveries].join(' ');
    expect(everything).not.toContain('212600000001');
    expect(everything).not.toContain('SM0123456789abcdef');
    expect(await store.get(key)).toMatchObject({ lang: 'fr', city: 'rabat', turns: 1 });
  });

  it('refreshes the state TTL on every turn, and not on a plain read', async () => {
    const ttlSeconds = 3600;
    const store = await makeStore({ ttlSeconds });
    const key = testKey('ttl');
    const stateKey = store.keysOf(key).state;
    await store.transact(key, (s) => ({ state: nextTurn(s), result: null }));
    expect(await admin.pTTL(stateKey)).toBeGreaterThan((ttlSeconds - 60) * 1000);

    await admin.pExpire(stateKey, 10_000);
    await store.get(key);
    expect(await admin.pTTL(stateKey)).toBeLessThanOrEqual(10_000);

    await store.transact(key, (s) => ({ state: nextTurn(s), result: null }));
    expect(await admin.pTTL(stateKey)).toBeGreaterThan((ttlSeconds - 60) * 1000);
    expect((await store.get(key))?.turns).toBe(2);
  });

  it('migrates older stored state on read and discards what it cannot trust', async () => {
    const logger = captureLogger();
    const store = await makeStore({ logger });
    const old = testKey('v0');
    // Version 0: written before state carried `v`, without the later fields.
    await admin.set(store.keysOf(old).state, JSON.stringify({ lang: 'es', menuPath: ['papers'], turns: 4, createdAt: 1000 }));
    expect(await store.get(old)).toEqual({
      v: STATE_VERSION,
      lang: 'es',
      langConfirmed: false,
      menuPath: ['papers'],
      choices: [],
      noticeShown: false,
      turns: 4,
      createdAt: 1000,
      updatedAt: 1000,
    });
    expect(logger.count('state.migrate.upgraded')).toBe(1);

    const future = testKey('future');
    await admin.set(store.keysOf(future).state, JSON.stringify({ ...newState(1), v: STATE_VERSION + 1 }));
    const garbage = testKey('garbage');
    await admin.set(store.keysOf(garbage).state, '{"v":1,"turns":');
    expect(await store.get(future)).toBeUndefined();
    expect(await store.get(garbage)).toBeUndefined();
    expect(logger.entries.filter((e) => e.event === 'state.migrate.discarded').map((e) => e.fields.reason)).toEqual([
      'future-version',
      'unparseable',
    ]);

    // A turn on a discarded value starts afresh and overwrites it with valid state.
    const seen = await store.transact(garbage, (s) => ({ state: nextTurn(s), result: s }));
    expect(seen).toBeUndefined();
    expect(JSON.parse((await admin.get(store.keysOf(garbage).state)) ?? '')).toMatchObject({ v: STATE_VERSION, turns: 1 });
  });

  it('serialises 50 concurrent turns of one conversation from two clients: the counter ends at exactly 50', async () => {
    const a = await makeStore();
    const b = await makeStore();
    const key = testKey('race');
    const seen: number[] = [];
    const turn = (store: RedisConversationStore): Promise<number> =>
      store.transact(key, async (s) => {
        const before = s?.turns ?? 0;
        seen.push(before);
        await sleep(Math.random() * 3); // widen the read-modify-write window
        return { state: nextTurn(s), result: before };
      });

    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => turn(i % 2 === 0 ? a : b)));

    expect((await a.get(key))?.turns).toBe(50);
    // Each turn saw the state left by exactly one other: 0..49, each once.
    expect([...results].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(seen).toHaveLength(50);
    expect(a.metrics().transactions + b.metrics().transactions).toBe(50);
    expect(a.metrics().degradedTransactions + b.metrics().degradedTransactions).toBe(0);
    expect(await admin.exists(a.keysOf(key).lock)).toBe(0);
  });

  it('waits for a lock left by a crashed instance until it expires, then runs the turn', async () => {
    const store = await makeStore();
    const key = testKey('dead-holder');
    await admin.set(store.keysOf(key).lock, 'token-of-a-dead-instance', { PX: 300 });
    await store.transact(key, (s) => ({ state: nextTurn(s), result: null }));
    expect((await store.get(key))?.turns).toBe(1);
    expect(store.metrics().lockContended).toBe(1);
    expect(store.metrics().lockTimeouts).toBe(0);
  });

  it('gives up waiting after lockWaitMs: runs the turn on the latest state and saves nothing', async () => {
    const logger = captureLogger();
    const store = await makeStore({ lockWaitMs: 150, logger });
    const key = testKey('stuck');
    await store.transact(key, (s) => ({ state: { ...nextTurn(s), lang: 'en' }, result: null }));
    await admin.set(store.keysOf(key).lock, 'held-elsewhere', { PX: 10_000 });

    const seen = await store.transact(key, (s) => ({ state: nextTurn(s), result: s }));
    expect(seen).toMatchObject({ lang: 'en', turns: 1 });
    expect((await store.get(key))?.turns).toBe(1);
    expect(await admin.get(store.keysOf(key).lock)).toBe('held-elsewhere');
    expect(logger.count('state.redis.lock_timeout')).toBe(1);
    expect(store.metrics().lockTimeouts).toBe(1);
  });

  it('runs a turn again when its lock expired mid-turn and another instance saved meanwhile', async () => {
    const logger = captureLogger();
    const slow = await makeStore({ logger });
    const other = await makeStore();
    const key = testKey('lost-lock');
    let calls = 0;
    const seen = await slow.transact(key, async (s) => {
      calls++;
      if (calls === 1) {
        // Simulate the lock expiring while this turn runs, and another instance taking a turn.
        await admin.del(slow.keysOf(key).lock);
        await other.transact(key, (o) => ({ state: { ...nextTurn(o), lang: 'ar' }, result: null }));
      }
      return { state: nextTurn(s), result: s?.turns ?? 0 };
    });
    expect(calls).toBe(2);
    expect(seen).toBe(1);
    expect(await slow.get(key)).toMatchObject({ lang: 'ar', turns: 2 });
    expect(logger.count('state.redis.save_conflict')).toBe(1);
  });

  it('releases the lock when the turn throws, and passes the error on', async () => {
    const store = await makeStore();
    const key = testKey('throws');
    const failure = new Error('engine failed');
    await expect(store.transact(key, () => Promise.reject(failure))).rejects.toBe(failure);
    expect(await admin.exists(store.keysOf(key).lock)).toBe(0);
    expect(await store.get(key)).toBeUndefined();
  });

  it('handles a delivery once: the second delivery of the same id is refused', async () => {
    const store = await makeStore();
    const key = testKey('dedupe');
    const other = testKey('dedupe-other');
    expect(await store.markDelivery(key, 'update-1001')).toBe(true);
    expect(await store.markDelivery(key, 'update-1001')).toBe(false);
    expect(await store.markDelivery(key, 'update-1002')).toBe(true);
    expect(await store.markDelivery(other, 'update-1001')).toBe(true);
    const ttl = await admin.pTTL(store.keysOf(key).deliveries);
    expect(ttl).toBeGreaterThan(86_000 * 1000);
    expect(ttl).toBeLessThanOrEqual(86_400 * 1000);
  });

  it('accepts exactly one of 20 simultaneous deliveries of one id across two instances', async () => {
    const a = await makeStore();
    const b = await makeStore();
    const key = testKey('dedupe-race');
    const accepted = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).markDelivery(key, 'wamid.ABC')));
    expect(accepted.filter(Boolean)).toHaveLength(1);
  });

  it('forgets a delivery id after the dedupe TTL', async () => {
    const store = await makeStore({ dedupeTtlSeconds: 0.2 });
    const key = testKey('dedupe-ttl');
    expect(await store.markDelivery(key, 'm-1')).toBe(true);
    expect(await store.markDelivery(key, 'm-1')).toBe(false);
    await sleep(300);
    expect(await store.markDelivery(key, 'm-1')).toBe(true);
    expect(await admin.zCard(store.keysOf(key).deliveries)).toBe(1);
  });

  it('forget me: delete removes the state, the delivery ids and the lock, and nothing else', async () => {
    const store = await makeStore();
    const key = testKey('forget');
    const bystander = testKey('bystander');
    for (const k of [key, bystander]) {
      await store.transact(k, (s) => ({ state: nextTurn(s), result: null }));
      await store.markDelivery(k, 'd-1');
      await store.markDelivery(k, 'd-2');
    }
    await admin.set(store.keysOf(key).lock, 'in-flight', { PX: 10_000 });
    expect(await keysMentioning(key)).toHaveLength(3);

    await store.delete(key);

    expect(await keysMentioning(key)).toEqual([]);
    expect(await store.get(key)).toBeUndefined();
    expect(await store.markDelivery(key, 'd-1')).toBe(true);
    expect(await keysMentioning(bystander)).toHaveLength(2);
  });

  it('forget me inside a turn: a null state deletes every key of the conversation', async () => {
    const store = await makeStore();
    const key = testKey('forget-turn');
    await store.markDelivery(key, 'd-1');
    await store.transact(key, (s) => ({ state: nextTurn(s), result: null }));
    await store.markDelivery(key, 'd-2');
    const result = await store.transact(key, () => ({ state: null, result: 'forgotten' }));
    expect(result).toBe('forgotten');
    expect(await keysMentioning(key)).toEqual([]);
  });

  it('two instances sharing one Redis serve one conversation alternately without losing context', async () => {
    const instances = [await makeStore(), await makeStore()];
    const key = createHmacKeyer('test-secret').key('telegram', '987654321');
    // Turn 1 on instance A: language chosen, a numbered menu shown.
    await instances[0]!.transact(key, (s) => ({
      state: {
        ...nextTurn(s),
        lang: 'fr',
        langConfirmed: true,
        choices: [
          { id: 'topic:residence-permit', label: 'Carte de séjour' },
          { id: 'topic:asylum', label: 'Asile' },
        ],
      },
      result: null,
    }));
    // Turns 2..10 alternate; each instance must see exactly what the other one wrote.
    for (let turn = 2; turn <= 10; turn++) {
      const store = instances[(turn - 1) % 2]!;
      await store.transact(key, (s) => {
        expect(s?.turns).toBe(turn - 1);
        expect(s?.lang).toBe('fr');
        expect(s?.menuPath).toHaveLength(turn - 2);
        const picked = s?.choices[1]?.id ?? 'missing';
        return { state: { ...nextTurn(s), menuPath: [...(s?.menuPath ?? []), picked] }, result: null };
      });
    }
    const final = (await instances[1]!.get(key)) as ConversationState;
    expect(final.turns).toBe(10);
    expect(final.menuPath).toEqual(Array(9).fill('topic:asylum'));
  });

  it('keeps an idle conversation under 1 KB of Redis memory', async () => {
    const store = await makeStore({ dedupeTtlSeconds: 0.2 });
    const key = createHmacKeyer('test-secret').key('whatsapp', '+212600000002');
    // A realistic state after a dozen turns in Arabic, with a menu of 8 numbered choices.
    const labels = ['بطاقة الإقامة', 'اللجوء', 'العمل', 'الصحة', 'التعليم', 'العنف', 'الاحتجاز', 'الرجوع'];
    const state: ConversationState = {
      ...newState(Date.now()),
      lang: 'ar',
      langConfirmed: true,
      menuPath: ['papers'],
      choices: labels.map((label, i) => ({ id: `topic:topic-number-${i}`, label })),
      lastTopic: 'residence-permit',
      city: 'casablanca',
      noticeShown: true,
      turns: 12,
    };
    await store.transact(key, () => ({ state, result: null }));
    for (let i = 0; i < 3; i++) await store.markDelivery(key, `SM${'0'.repeat(30)}${i}`);
    await sleep(300); // the delivery ids expire; the conversation is now idle

    const keys = await keysMentioning(key);
    expect(keys).toEqual([store.keysOf(key).state]);
    let bytes = 0;
    for (const k of keys) bytes += (await admin.memoryUsage(k)) ?? Infinity;
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(1024);
  });

  it('reports ok health, and refuses a prefix that would break the hash tag or a URL that is not redis://', async () => {
    const store = await makeStore();
    expect(await store.health()).toBe('ok');
    expect(store.isAvailable()).toBe(true);
    await expect(makeStore({ prefix: 'dalil:{x}:' })).rejects.toThrow(/braces/);
    const bad = makeStore({ url: 'user:s3cret@localhost:6379' });
    await expect(bad).rejects.toThrow(/REDIS_URL must look like redis:/);
    await expect(bad).rejects.not.toThrow(/s3cret/);
  });
});
