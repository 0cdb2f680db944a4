/**
 * The turn gate of `transact` (delivery dedupe and rate count in the round trip that takes the
 * lock), the same contract checked on the memory store and on a real Redis.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationStore, GateResult } from '../../src/domain/index.js';
import { createMemoryStore } from '../../src/state/memory.js';
import { createRedisStore } from '../../src/state/redis.js';
import { connectAdmin, deleteByPrefix, redisSuite, uniquePrefix, type AdminClient } from '../helpers/redis.js';
import { captureLogger, nextTurn, sleep, testKey } from './support.js';

const redis = await redisSuite();
const prefix = uniquePrefix('gate');
const open: ConversationStore[] = [];
let admin: AdminClient | undefined;

type Maker = () => Promise<ConversationStore>;
const makers: Array<[string, Maker, boolean]> = [
  ['memory store', async () => createMemoryStore({ ttlSeconds: 3600, sweepIntervalMs: 0 }), true],
  [
    'Redis store',
    async () => createRedisStore({ url: redis.url, prefix, ttlSeconds: 3600, commandTimeoutMs: 2000, lockWaitMs: 3000, logger: captureLogger() }),
    redis.available,
  ],
];

beforeAll(async () => {
  if (redis.available) admin = await connectAdmin(redis.url);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  if (!admin) return;
  await deleteByPrefix(admin, prefix);
  admin.destroy();
});

for (const [name, make, runs] of makers) {
  describe.skipIf(!runs)(`turn gate: ${name}`, () => {
    const store = async (): Promise<ConversationStore> => {
      const s = await make();
      open.push(s);
      return s;
    };

    it('hands a redelivery to the turn as a duplicate, on the latest state, and writes nothing it returns', async () => {
      const s = await store();
      const key = testKey('gate-dup');
      const seen: GateResult[] = [];
      const turn = () =>
        s.transact(
          key,
          (state, gate) => {
            seen.push(gate);
            return { state: nextTurn(state), result: state?.turns ?? 0 };
          },
          { deliveryId: 'wamid.1' },
        );
      expect(await turn()).toBe(0);
      expect(await turn()).toBe(1); // ran on the saved state ...
      expect((await s.get(key))?.turns).toBe(1); // ... and its new state was not written
      expect(seen.map((g) => g.duplicate)).toEqual([false, true]);
      // The gate and markDelivery keep the same record.
      expect(await s.markDelivery(key, 'wamid.1')).toBe(false);
      expect(await s.markDelivery(key, 'wamid.2')).toBe(true);
    });

    it('counts every new message in the rate window once, and no duplicate', async () => {
      const s = await store();
      const key = testKey('gate-rate');
      const counts: number[] = [];
      for (const id of ['a', 'b', 'b', 'c']) {
        await s.transact(
          key,
          (state, gate) => {
            counts.push(gate.duplicate ? -1 : gate.rateCount);
            return { state: nextTurn(state), result: null };
          },
          { deliveryId: id, rateWindowSeconds: 60 },
        );
      }
      expect(counts).toEqual([1, 2, -1, 3]);
      expect(await s.hit(key, 'rate', 60)).toBe(4);
      // Without a gate, nothing is counted and the turn gets the open gate.
      const plain = await s.transact(key, (state, gate) => ({ state: nextTurn(state), result: gate }));
      expect(plain).toEqual({ duplicate: false, rateCount: 0 });
      expect(await s.hit(key, 'rate', 60)).toBe(5);
    });

    it('leaves the state as it is when the turn returns no state, and frees the conversation for the next turn', async () => {
      const s = await store();
      const key = testKey('gate-keep');
      await s.transact(key, (state) => ({ state: nextTurn(state), result: null }));
      const before = await s.get(key);
      await s.transact(key, () => ({ state: undefined, result: null }), { rateWindowSeconds: 60 });
      expect(await s.get(key)).toEqual(before);
      const started = Date.now();
      await s.transact(key, (state) => ({ state: nextTurn(state), result: null }));
      expect(Date.now() - started).toBeLessThan(1000); // not held up by a lock left behind
      expect((await s.get(key))?.turns).toBe(2);
    });

    it('accepts exactly one of 20 simultaneous deliveries of one id, and counts a message once while it waits for the lock', async () => {
      const a = await store();
      const b = name === 'Redis store' ? await store() : a; // two instances on one Redis
      const key = testKey('gate-race');
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? a : b).transact(
            key,
            async (state, gate) => {
              if (!gate.duplicate) await sleep(20); // hold the lock while the others retry
              return { state: gate.duplicate ? undefined : nextTurn(state), result: gate };
            },
            { deliveryId: 'same', rateWindowSeconds: 60 },
          ),
        ),
      );
      expect(results.filter((g) => !g.duplicate)).toHaveLength(1);
      // Two different messages that both wait for the lock are each counted exactly once.
      const waiting = await Promise.all(
        ['x', 'y'].map((id) =>
          a.transact(
            key,
            async (state, gate) => {
              await sleep(30);
              return { state: nextTurn(state), result: gate.rateCount };
            },
            { deliveryId: id, rateWindowSeconds: 60 },
          ),
        ),
      );
      expect(waiting.sort()).toEqual([2, 3]);
      expect((await a.get(key))?.turns).toBe(3);
    });
  });
}
