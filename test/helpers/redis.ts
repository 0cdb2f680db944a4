/**
 * Shared helpers of the Redis test suites: which Redis to use, whether it can be reached, a
 * unique key prefix per run, and inspection/cleanup through a plain client (SCAN is fine in tests).
 */
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';

/** The Redis the suites use: `REDIS_URL`, default the local one. */
export const REDIS_URL = process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';

/** On CI a missing Redis fails the run instead of skipping the suite. */
export const IN_CI = process.env.CI === 'true';

/** Removes `user:password@` from a URL before it is printed. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/** Resolves `true` when a PING to `url` answers within `timeoutMs`; never throws, never retries. */
export async function probeRedis(url: string = REDIS_URL, timeoutMs = 1500): Promise<boolean> {
  const client = createClient({ url, socket: { connectTimeout: timeoutMs, reconnectStrategy: false } });
  client.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  const attempt = (async () => {
    await client.connect();
    return (await client.ping()) === 'PONG';
  })().catch(() => false);
  try {
    return await Promise.race([attempt, deadline]);
  } finally {
    clearTimeout(timer);
    if (client.isOpen) client.destroy();
  }
}

/**
 * Decides whether a suite that needs `REDIS_URL` runs. Without a reachable Redis it warns in one
 * loud line and returns `available: false` (the suite skips), except on CI (`CI=true`), where it throws.
 */
export async function redisSuite(url: string = REDIS_URL, ci: boolean = IN_CI): Promise<{ available: boolean; url: string }> {
  if (await probeRedis(url)) return { available: true, url };
  const where = redactUrl(url);
  if (ci) throw new Error(`REDIS SUITE FAILED: no Redis at ${where} and CI=true (run .ci/redis.sh first)`);
  console.warn(`REDIS SUITE SKIPPED: no Redis at ${where} (start one, e.g. .ci/redis.sh, or set REDIS_URL)`);
  return { available: false, url };
}

/** A key prefix no other run uses, e.g. `dalil-test:lx3k2a-9f1c2b:`. */
export function uniquePrefix(label = 'test'): string {
  return `dalil-${label}:${Date.now().toString(36)}-${randomBytes(4).toString('hex')}:`;
}

/** Connects a plain client (the caller closes it with `destroy()`). */
export async function connectAdmin(url: string = REDIS_URL) {
  const client = createClient({ url, socket: { reconnectStrategy: false } });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** A plain node-redis client for inspecting what a store wrote. */
export type AdminClient = Awaited<ReturnType<typeof connectAdmin>>;

/** Every key matching a glob pattern, by SCAN. */
export async function scanKeys(client: AdminClient, pattern: string): Promise<string[]> {
  const found: string[] = [];
  for await (const batch of client.scanIterator({ MATCH: pattern, COUNT: 500 })) found.push(...batch);
  return [...new Set(found)];
}

/** Escapes glob metacharacters so a literal string can sit inside a SCAN pattern. */
export function globEscape(literal: string): string {
  return literal.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** Deletes every key under `prefix`; returns how many there were. */
export async function deleteByPrefix(client: AdminClient, prefix: string): Promise<number> {
  const keys = await scanKeys(client, `${globEscape(prefix)}*`);
  for (let i = 0; i < keys.length; i += 500) await client.unlink(keys.slice(i, i + 500));
  return keys.length;
}
