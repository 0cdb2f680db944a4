/**
 * The stores on highly-available Redis, against real processes this file starts on free ports
 * (test/helpers/redis-ha.ts): every operation and Lua script of the conversation store and the
 * editors' store on a Redis Cluster (all keys of one call in one slot), and a master killed under
 * Sentinel while conversations take turns: no acknowledged turn is lost, and turns are saved again
 * within the sentinels' failover time plus a few seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationKey, ConversationState, RedisTopology } from '../../src/domain/index.js';
import { createRedisAdminStore } from '../../src/admin/store/redis-store.js';
import { createRedisStore, type RedisConversationStore } from '../../src/state/redis.js';
import { uniquePrefix } from '../helpers/redis.js';
import { haSuite, startRedisCluster, startRedisSentinel, type ClusterHandle, type SentinelHandle } from '../helpers/redis-ha.js';
import { captureLogger, nextTurn, sleep, testKey } from './support.js';

const runs = haSuite();

const storeOn = (topology: RedisTopology, logger = captureLogger()): Promise<RedisConversationStore> =>
  createRedisStore({
    url: '',
    topology,
    prefix: uniquePrefix('ha'),
    ttlSeconds: 3600,
    commandTimeoutMs: 500,
    connectTimeoutMs: 2000,
    reconnectMaxDelayMs: 200,
    logger,
  });

/** Exercises every operation of the conversation store once (each one a script or command on one slot). */
async function everyOperation(store: RedisConversationStore): Promise<void> {
  const keys = Array.from({ length: 12 }, (_, i) => testKey(`slot${i}`)); // spread over many slots and masters
  for (const key of keys) {
    const first = await store.transact(key, (s, gate) => ({ state: nextTurn(s), result: { s, gate } }), { deliveryId: `d-${key}`, rateWindowSeconds: 60 });
    expect(first.s).toBeUndefined();
    expect(first.gate.duplicate).toBe(false);
    expect(first.gate.rateCount).toBe(1);
    const again = await store.transact(key, (s, gate) => ({ state: nextTurn(s), result: { s, gate } }), { deliveryId: `d-${key}`, rateWindowSeconds: 60 });
    expect(again.gate.duplicate).toBe(true);
    expect((await store.get(key))?.turns).toBe(1);
    expect(await store.markDelivery(key, 'x')).toBe(true);
    expect(await store.markDelivery(key, 'x')).toBe(false);
    expect(await store.hit(key, 'sms', 3600)).toBe(1);
    expect(await store.hit(key, 'sms', 3600)).toBe(2);
    await store.transact(key, () => ({ state: null, result: undefined })); // forget-me deletes all keys in one script
    expect(await store.get(key)).toBeUndefined();
    expect(await store.hit(key, 'sms', 3600)).toBe(1);
    await store.delete(key);
  }
  const budget = `sms-${Math.random().toString(36).slice(2, 8)}`;
  expect(await store.spend(budget, 3, 3600)).toBe(3); // the global spending counter: one key, one slot
  expect(await store.spend(budget, 2, 3600)).toBe(5);
  expect(await store.health()).toBe('ok');
  expect(store.metrics().degradedTransactions).toBe(0);
}

describe.skipIf(!runs)('Redis Cluster', () => {
  let cluster: ClusterHandle;
  beforeAll(async () => {
    cluster = await startRedisCluster();
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('runs every conversation-store operation and script, each on one slot', async () => {
    const store = await storeOn({ kind: 'cluster', nodes: cluster.nodes.slice(0, 2) });
    try {
      await everyOperation(store);
    } finally {
      await store.close();
    }
  });

  it('keeps the editors data (records, lists, counters, locks, announcements) on one slot', async () => {
    const logger = captureLogger();
    const admin = await createRedisAdminStore({ url: '', topology: { kind: 'cluster', nodes: cluster.nodes.slice(0, 2) }, prefix: uniquePrefix('ha-admin'), logger });
    try {
      await adminRoundTrip(admin);
      expect(logger.count('admin.redis.error')).toBe(0);
    } finally {
      await admin.close();
    }
  });
});

type AdminStore = Awaited<ReturnType<typeof createRedisAdminStore>>;

async function adminRoundTrip(admin: AdminStore): Promise<void> {
  await admin.put('drafts', 'a1', { text: 'one' });
  await admin.put('sessions', 's1', { user: 'u' }, 60);
  expect(await admin.get('drafts', 'a1')).toEqual({ text: 'one' });
  expect(await admin.list('drafts')).toEqual([{ text: 'one' }]);
  expect(await admin.incr('limits', 'n1', 60)).toBe(1);
  expect(await admin.incr('limits', 'n1', 60)).toBe(2);
  expect(await admin.withLock('publish', async () => 'locked')).toBe('locked');
  await admin.addCounts('insights', 'day-1', { 'answered|fr': 2, 'failed|ar': 1 }, 60);
  await admin.addCounts('insights', 'day-1', { 'answered|fr': 1 });
  expect(await admin.getCounts('insights', ['day-1', 'day-2'])).toEqual([{ 'answered|fr': 3, 'failed|ar': 1 }, {}]);
  await admin.delete('drafts', 'a1');
  expect(await admin.get('drafts', 'a1')).toBeUndefined();
  expect(await admin.list('drafts')).toEqual([]);
  const heard: number[] = [];
  await admin.onAnnounce((v) => heard.push(v));
  await admin.announce(7);
  for (let i = 0; i < 100 && heard.length === 0; i++) await sleep(20);
  expect(heard).toEqual([7]);
}

describe.skipIf(!runs)('Redis Sentinel', () => {
  let ha: SentinelHandle;
  let topology: RedisTopology;
  beforeAll(async () => {
    ha = await startRedisSentinel();
    topology = { kind: 'sentinel', name: ha.name, sentinels: ha.sentinels };
  }, 60_000);
  afterAll(async () => {
    await ha?.stop();
  });

  it('runs every operation through the master the sentinels name, and the editors store too', async () => {
    const store = await storeOn(topology);
    const admin = await createRedisAdminStore({ url: '', topology, prefix: uniquePrefix('ha-admin'), logger: captureLogger() });
    try {
      await everyOperation(store);
      await adminRoundTrip(admin);
    } finally {
      await store.close();
      await admin.close();
    }
  });

  it('loses no acknowledged turn when the master is killed mid-stream, and saves turns again within the failover time plus a few seconds', async () => {
    const logger = captureLogger();
    const store = await storeOn(topology, logger);
    const admin = await createRedisAdminStore({ url: '', topology, prefix: uniquePrefix('ha-admin'), logger: captureLogger() });
    await admin.put('drafts', 'before', { text: 'written before the failover' });
    await sleep(200); // replicated long before the kill
    const conversations = Array.from({ length: 8 }, (_, i) => testKey(`fo${i}`));
    /** Per conversation: the turn count last read back from Redis after a saved turn (acknowledged). */
    const acknowledged = new Map<ConversationKey, number>();
    const regressions: string[] = [];
    let killedAt = 0;
    let firstSavedAfterKill = 0;
    let stop = false;
    let turns = 0;
    let answered = 0;

    const talk = async (key: ConversationKey): Promise<void> => {
      while (!stop) {
        turns++;
        const startedAt = Date.now();
        const seen = await store.transact(key, (s) => ({ state: nextTurn(s), result: s as ConversationState | undefined }));
        answered++;
        const ack = acknowledged.get(key) ?? 0;
        // A turn given state must be given at least the last acknowledged one (an older one means a lost write).
        if (seen && seen.turns < ack) regressions.push(`${key}: saw ${seen.turns} after ${ack} was acknowledged`);
        const back = await store.get(key).catch(() => undefined);
        if (back && back.turns < ack) regressions.push(`${key}: read ${back.turns} after ${ack} was acknowledged`);
        if (back && back.turns > ack) {
          acknowledged.set(key, back.turns);
          if (killedAt && startedAt > killedAt && !firstSavedAfterKill) firstSavedAfterKill = Date.now();
        }
        await sleep(5);
      }
    };
    const talking = Promise.all(conversations.map(talk));
    await sleep(1000);
    const before = turns;
    killedAt = Date.now();
    await ha.master.kill();
    // The sentinels' own failover time: until they name the replica as master.
    let promotedAt = 0;
    const deadline = killedAt + ha.failoverBudgetMs + 10_000;
    while ((!firstSavedAfterKill || !promotedAt) && Date.now() < deadline) {
      if (!promotedAt && (await ha.masterPortNow()) === ha.replica.port) promotedAt = Date.now();
      await sleep(50);
    }
    await sleep(500);
    stop = true;
    await talking;

    const recoveryMs = firstSavedAfterKill ? firstSavedAfterKill - killedAt : Infinity;
    const failoverMs = promotedAt ? promotedAt - killedAt : Infinity;
    console.info(
      `sentinel failover: replica promoted ${failoverMs} ms and turns saved again ${recoveryMs} ms after the master was killed; ${turns} turns, ${answered} answered, ${regressions.length} lost`,
    );
    expect(before).toBeGreaterThan(20);
    expect(answered).toBe(turns); // every message was answered, during the failover too
    expect(regressions).toEqual([]);
    // Within the sentinels' failover time plus a few seconds (the client follows the new master).
    expect(failoverMs).toBeLessThan(ha.failoverBudgetMs + 10_000);
    expect(recoveryMs - failoverMs).toBeLessThan(5000);
    expect(ha.currentMasterPort()).toBe(ha.replica.port);
    // After the failover, every conversation's state is still there and moves on.
    for (const key of conversations) {
      const s = await store.get(key);
      expect(s?.turns ?? 0).toBeGreaterThanOrEqual(acknowledged.get(key) ?? 0);
    }
    // The editors' data survived on the promoted replica, and the editors' store writes again.
    expect(await admin.get('drafts', 'before')).toEqual({ text: 'written before the failover' });
    await admin.put('drafts', 'after', { text: 'written after' });
    expect((await admin.list('drafts')).length).toBe(2);
    await admin.close();
    await store.close();
  }, 60_000);
});
