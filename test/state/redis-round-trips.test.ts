/**
 * Redis round trips per operation of the Redis store, counted with MONITOR on a redis-server of
 * the test's own (so no other client's traffic is counted). A turn costs two round trips (take the
 * lock with the gate, write), an SMS turn three (plus the daily-cap counter): the webhook's cost
 * under load depends on it (bench/fixes.md, item 3).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore, type RedisConversationStore } from '../../src/state/redis.js';
import { connectAdmin, uniquePrefix, type AdminClient } from '../helpers/redis.js';
import { redisServerSuite, startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { captureLogger, eventually, nextTurn, testKey } from './support.js';

const runs = redisServerSuite();

describe.skipIf(!runs)('Redis store round trips', () => {
  const prefix = uniquePrefix('trips');
  let server: RedisServerHandle;
  let admin: AdminClient;
  let monitor: AdminClient;
  let store: RedisConversationStore;
  /** Commands MONITOR saw, without those run inside scripts. */
  const seen: string[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    admin = await connectAdmin(server.url);
    monitor = admin.duplicate();
    await monitor.connect();
    await monitor.monitor((line: string) => {
      if (!/\[\d+ lua\]/.test(line)) seen.push(line);
    });
    store = await createRedisStore({ url: server.url, prefix, ttlSeconds: 3600, commandTimeoutMs: 2000, logger: captureLogger() });
    // Loads the scripts (the first call of each on a fresh server costs a NOSCRIPT reply and an EVAL).
    const warm = testKey('warm');
    await store.transact(warm, (s) => ({ state: nextTurn(s), result: null }), { deliveryId: 'w', rateWindowSeconds: 60 });
    await store.transact(warm, () => ({ state: undefined, result: null }));
    await store.hit(warm, 'sms', 86_400);
    await store.markDelivery(warm, 'w2');
  });

  afterAll(async () => {
    await store?.close();
    monitor?.destroy();
    admin?.destroy();
    await server?.stop();
  });

  /** Resolves once MONITOR has reported every command sent before this call; returns how many it saw. */
  const drain = async (): Promise<number> => {
    const marker = `mark-${Math.random().toString(36).slice(2)}`;
    await admin.echo(marker);
    expect(await eventually(() => seen.some((l) => l.includes(marker)), 5000)).toBe(true);
    return seen.findIndex((l) => l.includes(marker));
  };

  /** Round trips of the store's own commands while `op` runs (those naming one of its keys). */
  const roundTrips = async (op: () => Promise<unknown>): Promise<string[]> => {
    const from = await drain();
    await op();
    const to = await drain();
    return seen
      .slice(from + 1, to)
      .filter((l) => l.includes(prefix))
      .map((l) => l.replace(/^.*?\] "([^"]+)".*$/, '$1').toLowerCase());
  };

  it('a turn with a gate that writes its state: two round trips, both scripts', async () => {
    const key = testKey('turn');
    const trips = await roundTrips(() =>
      store.transact(key, (s) => ({ state: nextTurn(s), result: null }), { deliveryId: 'd1', rateWindowSeconds: 60 }),
    );
    expect(trips).toEqual(['evalsha', 'evalsha']);
    expect((await store.get(key))?.turns).toBe(1);
  });

  it('an SMS turn (turn plus daily-cap counter): three round trips', async () => {
    const key = testKey('sms');
    const trips = await roundTrips(async () => {
      await store.transact(key, (s) => ({ state: nextTurn(s), result: null }), { deliveryId: 'd1', rateWindowSeconds: 60 });
      expect(await store.hit(key, 'sms', 86_400)).toBe(1);
    });
    expect(trips).toHaveLength(3);
  });

  it('a redelivery and a turn that writes nothing: one and two round trips', async () => {
    const key = testKey('dup');
    await store.transact(key, (s) => ({ state: nextTurn(s), result: null }), { deliveryId: 'd1' });
    const duplicate = await roundTrips(() => store.transact(key, (s) => ({ state: nextTurn(s), result: null }), { deliveryId: 'd1' }));
    expect(duplicate).toEqual(['evalsha']);
    const unchanged = await roundTrips(() => store.transact(key, () => ({ state: undefined, result: null }), { rateWindowSeconds: 60 }));
    expect(unchanged).toEqual(['evalsha', 'evalsha']);
  });
});
