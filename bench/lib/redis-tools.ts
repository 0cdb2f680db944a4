/**
 * Redis helpers of the benchmark: memory figures, a pipelined fill of stored conversations in
 * the store's own key format, and the clean-up of the run's prefix (SCAN + UNLINK, never KEYS).
 */
import { createHash } from 'node:crypto';
import { createClient } from 'redis';

function newClient(url: string) {
  return createClient({ url, socket: { connectTimeout: 3000, reconnectStrategy: false } });
}

/** A connected node-redis client. */
export type BenchRedis = ReturnType<typeof newClient>;

/** Connects to `url` (fails within 3 s when nothing listens). */
export async function connectRedis(url: string): Promise<BenchRedis> {
  const client = newClient(url);
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** A field of `INFO <section>`. */
export async function infoField(client: BenchRedis, section: string, field: string): Promise<string | undefined> {
  const info = await client.info(section);
  const m = new RegExp(`^${field}:(.*)$`, 'm').exec(info);
  return m?.[1]?.trim();
}

/** `used_memory` in bytes. */
export async function usedMemory(client: BenchRedis): Promise<number> {
  return Number(await infoField(client, 'memory', 'used_memory'));
}

/** Every key under `prefix`, by SCAN (COUNT 1000). */
export async function keysUnder(client: BenchRedis, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) out.push(...keys);
  return out;
}

/** Deletes every key under `prefix`; resolves how many. */
export async function deleteUnder(client: BenchRedis, prefix: string): Promise<number> {
  let n = 0;
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
    if (keys.length === 0) continue;
    n += await client.unlink(keys);
  }
  return n;
}

/** Mean `MEMORY USAGE` (bytes) of up to `sample` keys of `keys`. */
export async function meanMemoryUsage(client: BenchRedis, keys: readonly string[], sample = 2000): Promise<number | undefined> {
  const step = Math.max(1, Math.floor(keys.length / sample));
  const picked = keys.filter((_, i) => i % step === 0).slice(0, sample);
  if (picked.length === 0) return undefined;
  const sizes = await Promise.all(picked.map((k) => client.memoryUsage(k, { SAMPLES: 0 })));
  const known = sizes.filter((s): s is number => typeof s === 'number');
  return known.reduce((a, b) => a + b, 0) / Math.max(1, known.length);
}

/**
 * Writes `count` conversation states (`<prefix>c:{<key>}:s`, PX ttl) in pipelined batches, the
 * JSON taken in turn from `states`; with `deliveries`, also each one's dedupe sorted set
 * (`:d`, one 96-bit delivery hash, PX 24 h) as a conversation active in the last day has.
 */
export async function fillConversations(
  client: BenchRedis,
  o: { prefix: string; keys: readonly string[]; states: readonly string[]; ttlMs: number; deliveries?: { ttlMs: number } },
): Promise<void> {
  const BATCH = 2000;
  for (let i = 0; i < o.keys.length; i += BATCH) {
    const batch = o.keys.slice(i, i + BATCH);
    const ops: Array<Promise<unknown>> = [];
    batch.forEach((key, j) => {
      const base = `${o.prefix}c:{${key}}:`;
      if (o.deliveries) {
        const id = createHash('sha256').update(`bench-delivery-${i + j}`).digest('base64url').slice(0, 16);
        ops.push(client.zAdd(`${base}d`, { score: Date.now() + o.deliveries.ttlMs, value: id }));
        ops.push(client.pExpire(`${base}d`, o.deliveries.ttlMs));
      } else {
        ops.push(client.set(`${base}s`, o.states[(i + j) % o.states.length] as string, { expiration: { type: 'PX', value: o.ttlMs } }));
      }
    });
    await Promise.all(ops);
  }
}
