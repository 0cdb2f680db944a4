/**
 * The embedded default `ConversationStore`: process memory, with the same TTL semantics as Redis.
 * Suitable for one instance; state is lost on restart (which only forgets menu position and language).
 */
import type { ConversationKey, CounterBucket, ConversationState, ConversationStore, GateResult, Logger, StoreHealth, TurnGate } from '../domain/index.js';
import { OPEN_GATE } from '../domain/index.js';
import { counterWindowMs, DEFAULT_DEDUPE_TTL_SECONDS, type TurnFn } from './common.js';
import { migrateState } from './migrate.js';

interface Entry {
  /** JSON of the state, exactly as the Redis store keeps it. */
  json: string;
  expiresAt: number;
}

export interface MemoryStoreOptions {
  ttlSeconds: number;
  /** How long a delivery id is remembered for `markDelivery` (default 24 h). */
  dedupeTtlSeconds?: number;
  /** Receives `state.migrate.*` events. */
  logger?: Logger;
  /** Clock, for tests. */
  now?: () => number;
  /** How often expired entries are swept (ms); 0 disables the timer (expiry is still checked on read). */
  sweepIntervalMs?: number;
}

/** Creates a memory store. Turns on one key run one after the other (a per-key promise chain). */
export function createMemoryStore(options: MemoryStoreOptions): ConversationStore & { size(): number } {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlSeconds * 1000;
  const dedupeTtlMs = (options.dedupeTtlSeconds ?? DEFAULT_DEDUPE_TTL_SECONDS) * 1000;
  const entries = new Map<ConversationKey, Entry>();
  /** Delivery ids per conversation, each with its expiry time. */
  const deliveries = new Map<ConversationKey, Map<string, number>>();
  const locks = new Map<ConversationKey, Promise<unknown>>();
  /** Rate-limit and SMS-cap counters per conversation, each with the end of its window. */
  const counters = new Map<ConversationKey, Map<CounterBucket, { count: number; expiresAt: number }>>();
  /** Global counters (`spend`), per clock-aligned window. */
  const globals = new Map<string, { count: number; expiresAt: number }>();

  const live = (key: ConversationKey): ConversationState | undefined => {
    const e = entries.get(key);
    if (!e) return undefined;
    const t = now();
    if (e.expiresAt <= t) {
      entries.delete(key);
      return undefined;
    }
    // Same validation and migration as state read from Redis; always a fresh object.
    return migrateState(e.json, t, options.logger);
  };

  const forget = (key: ConversationKey): void => {
    entries.delete(key);
    deliveries.delete(key);
    counters.delete(key);
  };

  /** Records a delivery id; false when it was seen within the dedupe TTL. */
  const mark = (key: ConversationKey, deliveryId: string): boolean => {
    const t = now();
    let ids = deliveries.get(key);
    const exp = ids?.get(deliveryId);
    if (exp !== undefined && exp > t) return false;
    if (!ids) deliveries.set(key, (ids = new Map()));
    ids.set(deliveryId, t + dedupeTtlMs);
    return true;
  };

  /** Counts one event in `bucket`; the count so far including it. */
  const count = (key: ConversationKey, bucket: CounterBucket, windowSeconds: number): number => {
    const t = now();
    let buckets = counters.get(key);
    if (!buckets) counters.set(key, (buckets = new Map()));
    const current = buckets.get(bucket);
    if (current && current.expiresAt > t) {
      current.count += 1;
      return current.count;
    }
    // Same window rule as Redis.
    buckets.set(bucket, { count: 1, expiresAt: t + counterWindowMs(windowSeconds, ttlMs) });
    return 1;
  };

  const sweep = (): void => {
    const t = now();
    for (const [k, e] of entries) if (e.expiresAt <= t) entries.delete(k);
    for (const [k, ids] of deliveries) {
      for (const [id, exp] of ids) if (exp <= t) ids.delete(id);
      if (ids.size === 0) deliveries.delete(k);
    }
    for (const [id, c] of globals) if (c.expiresAt <= t) globals.delete(id);
    for (const [k, buckets] of counters) {
      for (const [b, c] of buckets) if (c.expiresAt <= t) buckets.delete(b);
      if (buckets.size === 0) counters.delete(k);
    }
  };
  const interval = options.sweepIntervalMs ?? 60_000;
  const timer = interval > 0 ? setInterval(sweep, interval) : undefined;
  timer?.unref();

  return {
    async transact<T>(key: ConversationKey, fn: TurnFn<T>, gate?: TurnGate): Promise<T> {
      // Checked before waiting for the conversation's turn, as the Redis store does in its acquire script.
      if (gate?.deliveryId !== undefined && !mark(key, gate.deliveryId)) {
        return (await fn(live(key), { duplicate: true, rateCount: 0 })).result;
      }
      const found: GateResult = gate?.rateWindowSeconds !== undefined ? { duplicate: false, rateCount: count(key, 'rate', gate.rateWindowSeconds) } : OPEN_GATE;
      const previous = locks.get(key) ?? Promise.resolve();
      const run = previous.catch(() => undefined).then(async () => {
        const out = await fn(live(key), found);
        if (out.state === null) forget(key);
        else if (out.state !== undefined) entries.set(key, { json: JSON.stringify(out.state), expiresAt: now() + ttlMs });
        return out.result;
      });
      locks.set(key, run);
      try {
        return await run;
      } finally {
        if (locks.get(key) === run) locks.delete(key);
      }
    },
    async get(key) {
      return live(key);
    },
    async delete(key) {
      forget(key);
    },
    async markDelivery(key, deliveryId) {
      return mark(key, deliveryId);
    },
    async hit(key, bucket, windowSeconds) {
      return count(key, bucket, windowSeconds);
    },
    async spend(name, amount, windowSeconds) {
      const windowMs = windowSeconds * 1000;
      const id = `${name}:${Math.floor(now() / windowMs)}`;
      const current = globals.get(id);
      const total = (current?.count ?? 0) + amount;
      globals.set(id, { count: total, expiresAt: (Math.floor(now() / windowMs) + 1) * windowMs });
      return total;
    },
    async health(): Promise<StoreHealth> {
      return 'ok';
    },
    async close() {
      if (timer) clearInterval(timer);
      entries.clear();
      deliveries.clear();
      counters.clear();
    },
    size() {
      sweep();
      return entries.size;
    },
  };
}
