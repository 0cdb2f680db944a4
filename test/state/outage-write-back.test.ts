/**
 * A state that changed during a Redis outage is written back when Redis returns, so a user who
 * moved through the menus meanwhile keeps their place on every instance; but never over a newer
 * state another instance saved, and never where Redis no longer holds one (a forget-me made
 * elsewhere is not undone). Instance A reaches a private redis-server through a TCP proxy the test
 * cuts (A's outage) while instance B, connected directly, keeps working.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationKey, ConversationState } from '../../src/domain/index.js';
import { createRedisStore, type RedisConversationStore } from '../../src/state/redis.js';
import { connectAdmin, uniquePrefix } from '../helpers/redis.js';
import { redisServerSuite, startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { captureLogger, eventually, nextTurn, testKey } from './support.js';

const runs = redisServerSuite();

/** A TCP proxy to `port` that can be cut (every connection dropped, new ones refused) and restored. */
async function cuttableProxy(port: number): Promise<{ url: string; cut(): void; restore(): void; close(): Promise<void> }> {
  let cut = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (cut) return void client.destroy();
    const upstream = net.connect(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `redis://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    cut() {
      cut = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      cut = false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(!runs)('states changed during an outage are written back', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function twoInstances() {
    const redis: RedisServerHandle = await startRedisServer();
    cleanups.push(() => redis.stop());
    const proxy = await cuttableProxy(redis.port);
    cleanups.push(() => proxy.close());
    const prefix = uniquePrefix('writeback');
    const logger = captureLogger();
    const options = { prefix, ttlSeconds: 3600, commandTimeoutMs: 200, reconnectMaxDelayMs: 100, connectTimeoutMs: 1000 };
    const a = await createRedisStore({ ...options, url: proxy.url, logger });
    const b = await createRedisStore({ ...options, url: redis.url, logger: captureLogger() });
    cleanups.push(() => a.close(), () => b.close());
    const admin = await connectAdmin(redis.url);
    cleanups.push(async () => admin.destroy());
    const stored = async (store: RedisConversationStore, key: ConversationKey): Promise<ConversationState | undefined> => {
      const json = await admin.get(store.keysOf(key).state);
      return json ? (JSON.parse(json) as ConversationState) : undefined;
    };
    /** One turn one step further, at `at` (ms). */
    const turn = (store: RedisConversationStore, key: ConversationKey, at = Date.now()) =>
      store.transact(key, (s) => ({ state: nextTurn(s, at), result: s?.turns ?? 0 }));
    const outage = async (during: () => Promise<void>) => {
      proxy.cut();
      await during();
      expect(a.isAvailable()).toBe(false);
      proxy.restore();
      expect(await a.waitUntilAvailable(10_000)).toBe(true);
      expect(await eventually(() => logger.count('state.redis.written_back') > 0)).toBe(true);
    };
    return { a, b, stored, turn, outage, logger };
  }

  it('the menus moved during the outage are saved when Redis returns, and another instance carries on from them', async () => {
    const { a, b, stored, turn, outage, logger } = await twoInstances();
    const key = testKey('moved');
    await turn(a, key);
    await outage(async () => {
      expect(await turn(a, key)).toBe(1);
      expect(await turn(a, key)).toBe(2);
      // Redis still holds the state from before the outage.
      expect((await stored(a, key))?.turns).toBe(1);
    });
    expect((await stored(a, key))?.turns).toBe(3);
    expect(logger.entries.find((e) => e.event === 'state.redis.written_back')?.fields).toMatchObject({ unsaved: 1, written: 1, kept: 0 });
    // Counts only: no conversation key in the log.
    expect(JSON.stringify(logger.entries)).not.toContain(key);
    expect(await turn(b, key)).toBe(3);
  }, 30_000);

  it('never over a newer state saved by another instance, and never recreates a state forgotten meanwhile', async () => {
    const { a, b, stored, turn, outage, logger } = await twoInstances();
    const [newer, forgotten, older] = [testKey('newer'), testKey('forgotten'), testKey('older')];
    for (const key of [newer, forgotten, older]) await turn(a, key);
    await outage(async () => {
      for (const key of [newer, forgotten, older]) expect(await turn(a, key)).toBe(1);
      // Meanwhile another instance, which still reaches Redis, moves one on and forgets another.
      await turn(b, newer, Date.now() + 60_000);
      await turn(b, newer, Date.now() + 120_000);
      await b.delete(forgotten);
    });
    expect((await stored(a, newer))?.turns).toBe(3);
    expect(await stored(a, forgotten)).toBeUndefined();
    expect((await stored(a, older))?.turns).toBe(2);
    expect(logger.entries.find((e) => e.event === 'state.redis.written_back')?.fields).toMatchObject({ unsaved: 3, written: 1, kept: 0 });
    // A's next turn starts from Redis, not from what it kept.
    expect(await turn(a, newer)).toBe(3);
    expect(await turn(a, forgotten)).toBe(0);
  }, 30_000);
});
