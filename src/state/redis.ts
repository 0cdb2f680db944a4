/**
 * The Redis `ConversationStore` (node-redis 6), for several Dalil instances behind a load balancer.
 *
 * Key layout, per conversation (`<key>` is the keyed hash of channel and user id, never a raw id;
 * the `{<key>}` hash tag keeps a conversation's keys in one Redis Cluster slot, so the Lua scripts
 * may touch them together):
 *
 *   <prefix>c:{<key>}:s   string: JSON of `ConversationState`; expires `ttlSeconds` after the last turn
 *   <prefix>c:{<key>}:l   string: random token of the instance running a turn; expires after `lockTtlMs`
 *   <prefix>c:{<key>}:d   sorted set: 96-bit SHA-256 prefixes of delivery ids scored by their expiry time;
 *                         the key expires `dedupeTtlSeconds` after the last delivery
 *   <prefix>c:{<key>}:r   integer: messages in the current rate-limit window; expires with the window
 *   <prefix>c:{<key>}:m   integer: SMS replies in the current daily-cap window; expires with the window
 *   <prefix>g:<name>:<n>  integer: a global counter (SMS segments of the hour or day) of window n; expires after two windows
 *
 * There is no index: forgetting a user deletes these five names. No command scans the keyspace.
 *
 * Turns are serialised by the lock (SET NX PX with a token unique to the turn, taken in the same
 * script that reads the state and, for a turn with a gate, records its delivery id and counts it in
 * the rate window: one round trip before the turn, one after it); the state is written by a script
 * that checks the token first, so an instance
 * whose lock expired mid-turn cannot overwrite a newer state: it runs the turn again instead
 * (so `fn` may run up to 3 times for one call and must have no side effects, as the engine's
 * `handleTurn` has none; only the last run's result is returned).
 *
 * When Redis is down or slow every call gives up after `commandTimeoutMs` and the store degrades
 * instead of throwing: `transact` runs the turn on the last state this instance saw in the last
 * minutes (kept in memory only for that, see `redis/outage-fallback.ts`) and keeps the new one
 * there, written back when Redis returns over the older state Redis holds (`redis/write-back.ts`:
 * never over a newer state, a forget-me or an expiry); delivery ids, the rate limit, the SMS cap and global budgets are counted in memory,
 * per instance; `get` finds nothing, `delete` is queued until Redis is back.
 * `state.redis.unavailable` is logged once per outage and `state.redis.recovered` when it ends.
 *
 * This file composes the parts in `redis/`: `connection` (client, reconnects, outage state, the
 * bounded call), `turn-lock` (the acquire script with the gate, lock waiting, release), `data`
 * (read, commit under the token, delivery ids, counters, delete), `delete-queue` (forget-me
 * deletions waiting for Redis), `turn` (`transact`), `keys` and `lua`.
 */
import { ConfigError } from '../domain/index.js';
import type { ConversationKey, ConversationStore, Logger, RedisTopology, StoreCallFact } from '../domain/index.js';
import { counterWindowMs, DEFAULT_DEDUPE_TTL_SECONDS } from './common.js';
import { connectRedis } from './redis/connection.js';
import { createConversationData } from './redis/data.js';
import { createDeleteQueue } from './redis/delete-queue.js';
import { createOutageFallback } from './redis/outage-fallback.js';
import { conversationKeys, type ConversationRedisKeys } from './redis/keys.js';
import { createTransact } from './redis/turn.js';
import { createTurnLock } from './redis/turn-lock.js';
import { createWriteBack } from './redis/write-back.js';

export { RedisTimeoutError, RedisUnavailableError } from './redis/connection.js';
export type { ConversationRedisKeys } from './redis/keys.js';

/** Options of `createRedisStore`. */
export interface RedisStoreOptions {
  /** `redis://[user:pass@]host:port[/db]` or `rediss://...` (TLS); ignored with `topology`. */
  url: string;
  /** Sentinel or Cluster (node-redis's own clients) instead of the one endpoint of `url`. */
  topology?: RedisTopology;
  /** Prepended to every key, e.g. `dalil:`; must not contain `{` or `}`. */
  prefix: string;
  /** State lifetime after the last turn. */
  ttlSeconds: number;
  /** Longest wait for any one Redis call before the store degrades (e.g. 500). */
  commandTimeoutMs: number;
  /** How long a delivery id is remembered by `markDelivery` (default 24 h). */
  dedupeTtlSeconds?: number;
  logger: Logger;
  /** Lifetime of a turn's lock: bounds how long a crashed instance blocks a conversation (default 5000). */
  lockTtlMs?: number;
  /** Longest wait for another instance's turn on the same conversation (default `lockTtlMs`). */
  lockWaitMs?: number;
  /** TCP/TLS connect timeout, and the longest `createRedisStore` waits for Redis at startup (default 5000). */
  connectTimeoutMs?: number;
  /** Cap of the reconnect backoff (default 2000). */
  reconnectMaxDelayMs?: number;
  /** Told the duration and success of every Redis call (for `/metrics`); must not throw. */
  onCall?: (fact: StoreCallFact) => void;
}

/** Counters of one Redis store instance (for `/metrics` and tests). */
export interface RedisStoreMetrics {
  /** Turns whose state was read and written through Redis. */
  transactions: number;
  /** Turns run without state because Redis failed. */
  degradedTransactions: number;
  /** Lock acquisitions that had to wait for another turn of the same conversation. */
  lockContended: number;
  lockWaitMsTotal: number;
  lockWaitMsMax: number;
  /** Turns that gave up waiting for the lock (run on the last state, not saved). */
  lockTimeouts: number;
  /** Writes refused because the lock had expired meanwhile (the turn is run again). */
  saveConflicts: number;
  /** Outages seen (transitions from available to unavailable). */
  outages: number;
  /** Forget-me deletions waiting for Redis to come back. */
  pendingDeletes: number;
}

/** The Redis store, with what operators and tests need beyond the port. */
export interface RedisConversationStore extends ConversationStore {
  /** Names of every Redis key that can belong to `key`. */
  keysOf(key: ConversationKey): ConversationRedisKeys;
  /** Last known availability (no round trip). */
  isAvailable(): boolean;
  /** Resolves `true` once a PING answers, `false` after `timeoutMs`. */
  waitUntilAvailable(timeoutMs: number): Promise<boolean>;
  metrics(): RedisStoreMetrics;
}

const DEFAULT_LOCK_TTL_MS = 5000;
const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
const DEFAULT_RECONNECT_MAX_DELAY_MS = 2000;

/** `opts` with defaults applied and durations in milliseconds; throws `ConfigError` for values that cannot work. */
function settingsOf(opts: RedisStoreOptions) {
  if (/[{}\s]/.test(opts.prefix)) throw new ConfigError('REDIS_PREFIX must not contain braces or spaces');
  const stateTtlMs = Math.round(opts.ttlSeconds * 1000);
  const dedupeTtlMs = Math.round((opts.dedupeTtlSeconds ?? DEFAULT_DEDUPE_TTL_SECONDS) * 1000);
  const lockTtlMs = opts.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
  const { commandTimeoutMs } = opts;
  for (const [name, v] of Object.entries({ stateTtlMs, dedupeTtlMs, lockTtlMs, commandTimeoutMs })) {
    if (!Number.isFinite(v) || v < 1) throw new ConfigError(`Redis store: ${name} must be positive`);
  }
  return {
    stateTtlMs,
    dedupeTtlMs,
    lockTtlMs,
    lockWaitMs: opts.lockWaitMs ?? lockTtlMs,
    connectTimeoutMs: opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    reconnectMaxDelayMs: opts.reconnectMaxDelayMs ?? DEFAULT_RECONNECT_MAX_DELAY_MS,
    windowMsOf: (windowSeconds: number): number => counterWindowMs(windowSeconds, stateTtlMs),
  };
}

/**
 * Connects to Redis and returns the store. Resolves even when Redis cannot be reached (the store
 * starts degraded and keeps reconnecting with capped backoff, for ever); waits at most about
 * `connectTimeoutMs` for the first connection.
 */
export async function createRedisStore(opts: RedisStoreOptions): Promise<RedisConversationStore> {
  const { logger } = opts;
  const settings = settingsOf(opts);
  const keysOf = conversationKeys(opts.prefix);
  const topology = { ...(opts.topology ? { topology: opts.topology } : {}), ...(opts.onCall ? { onCall: opts.onCall } : {}) };
  const conn = await connectRedis({ ...settings, ...topology, url: opts.url, commandTimeoutMs: opts.commandTimeoutMs, logger, prefix: opts.prefix });
  const data = createConversationData(conn, { ...settings, keysOf, logger, prefix: opts.prefix });
  const deletes = createDeleteQueue((key) => data.remove(key), logger);
  const lock = createTurnLock(conn, { ...settings, logger });
  const fallback = createOutageFallback({ dedupeTtlMs: settings.dedupeTtlMs, logger });
  const writeBack = createWriteBack({ fallback, data, keysOf, logger });
  // Forget-me deletions first, then the states that changed during the outage (never over a deletion).
  conn.outage.onRecovered(() => void deletes.flush().then(writeBack, () => undefined));
  const turns = createTransact({ keysOf, lock, data, deletes, lockWaitMs: settings.lockWaitMs, logger, fallback, windowMsOf: settings.windowMsOf });

  return {
    transact: turns.transact,
    async get(key) {
      const k = keysOf(key);
      if (!(await deletes.settle(key))) return undefined;
      return data.read(k).catch(() => undefined);
    },
    async delete(key: ConversationKey) {
      keysOf(key);
      fallback.forget(key);
      await deletes.forget(key);
    },
    async markDelivery(key, deliveryId) {
      const k = keysOf(key);
      // Redis cannot tell: this instance's memory decides (a rare duplicate reply across instances).
      return data.markDelivery(k, deliveryId).catch(() => fallback.markDelivery(key, deliveryId));
    },
    async hit(key, bucket, windowSeconds) {
      const k = keysOf(key);
      // Redis cannot count: this instance counts, so an outage never lifts the limits.
      return data.hit(k, bucket, windowSeconds).catch(() => fallback.hit(key, bucket, settings.windowMsOf(windowSeconds)));
    },
    async spend(name, amount, windowSeconds) {
      const windowMs = windowSeconds * 1000;
      return data.spend(name, amount, windowMs).catch(() => fallback.spend(name, amount, windowMs));
    },
    health: () => conn.health(),
    close: async () => {
      fallback.clear();
      await conn.close();
    },
    keysOf,
    isAvailable: () => conn.isAvailable(),
    waitUntilAvailable: (timeoutMs) => conn.waitUntilAvailable(timeoutMs),
    metrics: () => {
      const { transactions, degradedTransactions, lockTimeouts, saveConflicts } = turns.metrics();
      const { lockContended, lockWaitMsTotal, lockWaitMsMax } = lock.metrics();
      return {
        transactions,
        degradedTransactions,
        lockContended,
        lockWaitMsTotal,
        lockWaitMsMax,
        lockTimeouts,
        saveConflicts,
        outages: conn.outage.outages(),
        pendingDeletes: deletes.size(),
      };
    },
  };
}
