/**
 * The embedded default `ConversationStore`: process memory, with the same TTL semantics as Redis.
 * Suitable for one instance; state is lost on restart (which only forgets menu position and language).
 */
import type { ConversationKey, ConversationState, ConversationStore, StoreHealth, Transaction } from '../domain/index.js';

interface Entry {
  state: ConversationState;
  expiresAt: number;
}

export interface MemoryStoreOptions {
  ttlSeconds: number;
  /** Clock, for tests. */
  now?: () => number;
  /** How often expired entries are swept (ms); 0 disables the timer (expiry is still checked on read). */
  sweepIntervalMs?: number;
}

/** Creates a memory store. Turns on one key run one after the other (a per-key promise chain). */
export function createMemoryStore(options: MemoryStoreOptions): ConversationStore & { size(): number } {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlSeconds * 1000;
  const entries = new Map<ConversationKey, Entry>();
  const deliveries = new Map<string, number>();
  const locks = new Map<ConversationKey, Promise<unknown>>();

  const live = (key: ConversationKey): ConversationState | undefined => {
    const e = entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return structuredClone(e.state);
  };

  const sweep = (): void => {
    const t = now();
    for (const [k, e] of entries) if (e.expiresAt <= t) entries.delete(k);
    for (const [k, exp] of deliveries) if (exp <= t) deliveries.delete(k);
  };
  const interval = options.sweepIntervalMs ?? 60_000;
  const timer = interval > 0 ? setInterval(sweep, interval) : undefined;
  timer?.unref();

  return {
    async transact<T>(key: ConversationKey, fn: (s: ConversationState | undefined) => Transaction<T> | Promise<Transaction<T>>): Promise<T> {
      const previous = locks.get(key) ?? Promise.resolve();
      const run = previous.catch(() => undefined).then(async () => {
        const out = await fn(live(key));
        if (out.state === null) {
          entries.delete(key);
          for (const k of deliveries.keys()) if (k.startsWith(`${key}:`)) deliveries.delete(k);
        } else {
          entries.set(key, { state: structuredClone(out.state), expiresAt: now() + ttlMs });
        }
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
      entries.delete(key);
      for (const k of deliveries.keys()) if (k.startsWith(`${key}:`)) deliveries.delete(k);
    },
    async markDelivery(key, deliveryId) {
      const id = `${key}:${deliveryId}`;
      const exp = deliveries.get(id);
      if (exp !== undefined && exp > now()) return false;
      deliveries.set(id, now() + ttlMs);
      return true;
    },
    async health(): Promise<StoreHealth> {
      return 'ok';
    },
    async close() {
      if (timer) clearInterval(timer);
      entries.clear();
      deliveries.clear();
    },
    size() {
      sweep();
      return entries.size;
    },
  };
}
