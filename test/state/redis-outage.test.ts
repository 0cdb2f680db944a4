/**
 * The Redis store when Redis misbehaves: each test runs its own redis-server on a random port,
 * kills it (a crash), freezes it (a stalled server) or starts late, and checks that turns still
 * get answered without state within a bounded time, that the outage is logged once, and that the
 * store recovers by itself when Redis is back.
 *
 * Bounds are generous (an order of magnitude above the 200 ms command timeout): they catch a hang,
 * not a slow machine.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationState } from '../../src/domain/index.js';
import { createRedisStore, type RedisConversationStore } from '../../src/state/redis.js';
import { connectAdmin, uniquePrefix } from '../helpers/redis.js';
import { freePort, redisServerSuite, startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { captureLogger, eventually, nextTurn, settleWithin, testKey } from './support.js';

const runs = redisServerSuite();
const COMMAND_TIMEOUT_MS = 200;
/** Longest a degraded call may take before the test calls it a hang. */
const BOUND_MS = 3000;

describe.skipIf(!runs)('Redis store during outages', () => {
  const servers: RedisServerHandle[] = [];
  const stores: RedisConversationStore[] = [];

  const open = async (url: string, logger = captureLogger()): Promise<RedisConversationStore> => {
    const store = await createRedisStore({
      url,
      prefix: uniquePrefix('outage'),
      ttlSeconds: 3600,
      commandTimeoutMs: COMMAND_TIMEOUT_MS,
      reconnectMaxDelayMs: 200,
      connectTimeoutMs: 1000,
      logger,
    });
    stores.push(store);
    return store;
  };
  const server = async (port?: number, options?: { persist?: boolean }): Promise<RedisServerHandle> => {
    const s = await startRedisServer(port, options);
    servers.push(s);
    return s;
  };
  /** One turn that records the state it was given. */
  const turn = (store: RedisConversationStore, key: ReturnType<typeof testKey>) =>
    store.transact(key, (s) => ({ state: nextTurn(s), result: { seen: s } as { seen: ConversationState | undefined } }));

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    for (const s of servers.splice(0)) {
      s.resume();
      await s.stop();
    }
  });

  it('answers without state while Redis is down, logs the outage once, and recovers when it is back', async () => {
    const redis = await server();
    const logger = captureLogger();
    const store = await open(redis.url, logger);
    const key = testKey('crash');
    await turn(store, key);
    expect((await store.get(key))?.turns).toBe(1);

    await redis.stop();
    // The turns carry on from the last state this instance saw (kept in memory for the outage only).
    for (let i = 0; i < 3; i++) {
      const out = await settleWithin(turn(store, key), BOUND_MS);
      expect(out).toMatchObject({ seen: { turns: 1 + i } });
    }
    // A conversation this instance never saw starts without state.
    expect(await settleWithin(turn(store, testKey('never-seen')), BOUND_MS)).toEqual({ seen: undefined });
    // Delivery ids are remembered in memory meanwhile.
    expect(await settleWithin(store.markDelivery(key, 'd-1'), BOUND_MS)).toBe(true);
    expect(await settleWithin(store.markDelivery(key, 'd-1'), BOUND_MS)).toBe(false);
    expect(await settleWithin(store.get(key), BOUND_MS)).toBeUndefined();
    expect(await settleWithin(store.health(), BOUND_MS)).toBe('degraded');
    expect(store.isAvailable()).toBe(false);
    expect(logger.count('state.redis.unavailable')).toBe(1);
    expect(store.metrics().degradedTransactions).toBe(4);

    await redis.start(); // same port, empty (no persistence)
    expect(await store.waitUntilAvailable(10_000)).toBe(true);
    expect(logger.count('state.redis.recovered')).toBe(1);
    expect(await turn(store, key)).toEqual({ seen: undefined });
    expect(await turn(store, key)).toMatchObject({ seen: { turns: 1 } });
    expect((await store.get(key))?.turns).toBe(2);

    // A second outage is logged again, once.
    await redis.stop();
    await turn(store, key);
    await turn(store, key);
    expect(logger.count('state.redis.unavailable')).toBe(2);
    // No user data in any of it: not the conversation key either.
    expect(logger.text()).not.toContain(key);
  });

  it('answers without state while Redis is stalled, and carries on with the saved state once it answers again', async () => {
    const redis = await server();
    const logger = captureLogger();
    const store = await open(redis.url, logger);
    const key = testKey('stall');
    await turn(store, key);

    redis.pause();
    const out = await settleWithin(turn(store, key), BOUND_MS);
    expect(out).toMatchObject({ seen: { turns: 1 } });
    expect(await settleWithin(store.markDelivery(key, 'd-1'), BOUND_MS)).toBe(true);
    expect(await settleWithin(store.health(), BOUND_MS)).toBe('degraded');
    expect(logger.count('state.redis.unavailable')).toBe(1);
    expect(logger.entries.find((e) => e.event === 'state.redis.unavailable')?.fields.reason).toBe('RedisTimeoutError');

    redis.resume();
    expect(await store.waitUntilAvailable(10_000)).toBe(true);
    // The lock the stalled turn's acquire took when Redis woke up was released behind it, not left
    // for lockTtlMs (5 s).
    const admin = await connectAdmin(redis.url);
    try {
      expect(await eventually(async () => (await admin.exists(store.keysOf(key).lock)) === 0, 2000)).toBe(true);
    } finally {
      admin.destroy();
    }
    // The turn made during the stall is not lost: the next turn carries on from it (written back, or
    // taken from this instance's memory when the lock was still held at the write-back).
    expect(await turn(store, key)).toMatchObject({ seen: { turns: 2 } });
    expect((await store.get(key))?.turns).toBe(3);
    expect(store.metrics().lockContended).toBe(0);
    expect(logger.count('state.redis.recovered')).toBe(1);
  });

  it('applies a forget-me made during an outage as soon as Redis is back', async () => {
    const redis = await server(undefined, { persist: true });
    const store = await open(redis.url);
    const key = testKey('forget-later');
    await turn(store, key);
    await store.markDelivery(key, 'd-1');

    await redis.stop();
    const forgotten = await settleWithin(store.transact(key, () => ({ state: null, result: 'forgotten' })), BOUND_MS);
    expect(forgotten).toBe('forgotten');
    expect(store.metrics().pendingDeletes).toBe(1);

    await redis.start(); // the conversation is back from the append-only file
    expect(await store.waitUntilAvailable(10_000)).toBe(true);
    expect(await eventually(() => store.metrics().pendingDeletes === 0)).toBe(true);
    const admin = await connectAdmin(redis.url);
    try {
      const k = store.keysOf(key);
      expect(await admin.exists([k.state, k.deliveries, k.lock])).toBe(0);
    } finally {
      admin.destroy();
    }
    expect(await store.get(key)).toBeUndefined();
  });

  it('starts degraded when Redis is down at startup, and connects once it appears', async () => {
    const port = await freePort();
    const logger = captureLogger();
    const store = await settleWithin(open(`redis://127.0.0.1:${port}`, logger), BOUND_MS);
    expect(store).not.toBe('timed-out');
    const s = store as RedisConversationStore;
    expect(await s.health()).toBe('degraded');
    const key = testKey('late');
    expect(await settleWithin(turn(s, key), BOUND_MS)).toEqual({ seen: undefined });
    expect(logger.count('state.redis.unavailable')).toBe(1);

    await server(port);
    expect(await s.waitUntilAvailable(10_000)).toBe(true);
    await turn(s, key);
    expect((await s.get(key))?.turns).toBe(1);
  });
});
