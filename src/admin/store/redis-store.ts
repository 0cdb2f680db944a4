/**
 * The Redis implementation of `AdminStore`, for several instances behind a load balancer.
 *
 * Keys (all in one Redis Cluster slot thanks to the `{adm}` hash tag, so scripts and MGET work):
 *   <prefix>{adm}:<collection>:<id>   string: JSON record; sessions, missed questions, imports and
 *                                      login counters carry a TTL (EX)
 *   <prefix>{adm}:idx:<collection>    set of the ids of a collection, for `list` (ids whose record
 *                                      expired are removed lazily when listing); no KEYS scans
 *   <prefix>{adm}:lock:<name>         string: random token of the instance holding a lock (PX)
 * Announcements go over pub/sub channel `<prefix>admin:published`, received on a `duplicate()`
 * connection, as node-redis requires for subscriptions.
 */
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import type { Logger } from '../../domain/index.js';
import { checkId, createLocalMutex, type AdminCollection, type AdminStore } from './port.js';

/** Options of `createRedisAdminStore`. */
export interface RedisAdminStoreOptions {
  url: string;
  /** Same prefix as the conversation store (e.g. `dalil:`); must not contain braces. */
  prefix: string;
  logger: Logger;
  /** Longest wait for one command (default 3000 ms). */
  commandTimeoutMs?: number;
  /** Lifetime of a lock: bounds how long a crashed instance blocks publishing (default 60 s). */
  lockTtlMs?: number;
  /** Longest wait to take a lock (default 30 s). */
  lockWaitMs?: number;
}

/** KEYS: counter. ARGV: ttl seconds (0: none). INCR, with an expiry set when the counter is new. */
const INCR_TTL = `
local n = redis.call('INCR', KEYS[1])
if n == 1 and tonumber(ARGV[1]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n`;

/** KEYS: lock. ARGV: token. Deletes the lock only when it is still ours. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Connects to Redis and returns the store; when Redis cannot be reached yet, calls fail until it can. */
export async function createRedisAdminStore(opts: RedisAdminStoreOptions): Promise<AdminStore> {
  if (/[{}\s]/.test(opts.prefix)) throw new Error('REDIS_PREFIX must not contain braces or spaces');
  const timeout = opts.commandTimeoutMs ?? 3000;
  const lockTtlMs = opts.lockTtlMs ?? 60_000;
  const lockWaitMs = opts.lockWaitMs ?? 30_000;
  const base = `${opts.prefix}{adm}:`;
  const channel = `${opts.prefix}admin:published`;
  const { logger } = opts;
  const client = createClient({
    url: opts.url,
    disableOfflineQueue: true,
    commandOptions: { timeout },
    pingInterval: 30_000,
    maintNotifications: 'disabled',
    socket: {
      connectTimeout: timeout,
      reconnectStrategy: (retries: number) => Math.min(2000, 50 * 2 ** Math.min(retries, 16)) + Math.floor(Math.random() * 100),
    },
  });
  let lastErrorLog = 0;
  const onError = (err: unknown): void => {
    const t = Date.now();
    if (t - lastErrorLog < 60_000) return;
    lastErrorLog = t;
    const code = (err as { code?: unknown }).code;
    logger.warn('admin.redis.error', { reason: typeof code === 'string' ? code : err instanceof Error ? err.name : 'unknown' });
  };
  client.on('error', onError);
  let subscriber: ReturnType<typeof client.duplicate> | undefined;
  /**
   * Starts connecting and waits at most `timeout * 2` for the first connection. Redis being down
   * does not stop the server: commands fail until node-redis reconnects (it keeps trying, and
   * restores subscriptions when it does).
   */
  const connectSoon = async (c: { connect(): Promise<unknown>; isReady: boolean }, what: string): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeout * 2);
    });
    await Promise.race([c.connect().catch(() => undefined), deadline]);
    clearTimeout(timer);
    if (!c.isReady) logger.warn('admin.redis.not_connected', { connection: what });
  };
  await connectSoon(client, 'commands');

  const keyOf = (c: AdminCollection, id: string): string => {
    checkId(id);
    return `${base}${c}:${id}`;
  };
  const idx = (c: AdminCollection): string => `${base}idx:${c}`;
  const local = createLocalMutex();

  const store: AdminStore = {
    shared: true,
    async get<T>(c: AdminCollection, id: string) {
      const raw = await client.get(keyOf(c, id));
      return raw === null ? undefined : (JSON.parse(String(raw)) as T);
    },
    async put<T>(c: AdminCollection, id: string, value: T, ttlSeconds?: number) {
      const key = keyOf(c, id);
      const json = JSON.stringify(value);
      const multi = client.multi();
      if (ttlSeconds) multi.set(key, json, { expiration: { type: 'EX', value: Math.max(1, Math.ceil(ttlSeconds)) } });
      else multi.set(key, json);
      multi.sAdd(idx(c), id);
      await multi.exec();
    },
    async delete(c, id) {
      await client.multi().del(keyOf(c, id)).sRem(idx(c), id).exec();
    },
    async list<T>(c: AdminCollection) {
      const ids = Array.from((await client.sMembers(idx(c))) as Iterable<unknown>, (x) => String(x));
      const out: T[] = [];
      const gone: string[] = [];
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const values = await client.mGet(chunk.map((id) => keyOf(c, id)));
        values.forEach((raw, j) => {
          if (raw === null || raw === undefined) gone.push(chunk[j]!);
          else out.push(JSON.parse(String(raw)) as T);
        });
      }
      if (gone.length > 0) await client.sRem(idx(c), gone);
      return out;
    },
    async incr(c, id, ttlSeconds) {
      const n = await client.eval(INCR_TTL, { keys: [keyOf(c, id)], arguments: [String(Math.ceil(ttlSeconds ?? 0))] });
      return Number(n);
    },
    withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
      return local(name, async () => {
        const key = `${base}lock:${name}`;
        const token = randomBytes(12).toString('base64url');
        const started = Date.now();
        let delay = 20;
        while ((await client.set(key, token, { condition: 'NX', expiration: { type: 'PX', value: lockTtlMs } })) === null) {
          if (Date.now() - started > lockWaitMs) throw new Error(`admin store: lock "${name}" is busy`);
          await sleep(delay);
          delay = Math.min(delay * 2, 500);
        }
        try {
          return await fn();
        } finally {
          await client.eval(RELEASE, { keys: [key], arguments: [token] }).catch(() => undefined);
        }
      });
    },
    async announce(version) {
      await client.publish(channel, String(version));
    },
    async onAnnounce(listener) {
      if (!subscriber) {
        subscriber = client.duplicate();
        subscriber.on('error', onError);
        await connectSoon(subscriber, 'subscriber');
      }
      await subscriber.subscribe(channel, (message) => {
        const v = Number(message);
        if (Number.isInteger(v) && v > 0) listener(v);
      });
    },
    async close() {
      for (const c of [subscriber, client]) {
        if (!c) continue;
        try {
          if (c.isReady) await c.close();
        } catch {
          // fall through
        }
        if (c.isOpen) c.destroy();
      }
    },
  };
  return store;
}
