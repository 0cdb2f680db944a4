/**
 * The Redis implementation of `AdminStore`, for several instances behind a load balancer.
 *
 * Keys (all in one Redis Cluster slot thanks to the `{adm}` hash tag, so scripts and MGET work):
 *   <prefix>{adm}:<collection>:<id>   string: JSON record; sessions, missed questions, imports and
 *                                      login counters carry a TTL (EX)
 *   <prefix>{adm}:<collection>:<id>   hash of counters (`addCounts`, research insights: one per
 *                                      day), with a TTL
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

/** A client that fails commands at once while disconnected (no offline queue) and reconnects with backoff. */
function newClient(url: string, timeout: number) {
  return createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout },
    pingInterval: 30_000,
    maintNotifications: 'disabled',
    socket: {
      connectTimeout: timeout,
      reconnectStrategy: (retries: number) => Math.min(2000, 50 * 2 ** Math.min(retries, 16)) + Math.floor(Math.random() * 100),
    },
  });
}

type Client = ReturnType<typeof newClient>;

/** Keys of the store under its prefix. */
interface Keys {
  record(c: AdminCollection, id: string): string;
  index(c: AdminCollection): string;
  lock(name: string): string;
  channel: string;
}

function keysOf(prefix: string): Keys {
  const base = `${prefix}{adm}:`;
  return {
    record(c, id) {
      checkId(id);
      return `${base}${c}:${id}`;
    },
    index: (c) => `${base}idx:${c}`,
    lock: (name) => `${base}lock:${name}`,
    channel: `${prefix}admin:published`,
  };
}

/** Logs a Redis error by its code, at most once a minute. */
function errorLogger(logger: Logger): (err: unknown) => void {
  let lastErrorLog = 0;
  return (err) => {
    const t = Date.now();
    if (t - lastErrorLog < 60_000) return;
    lastErrorLog = t;
    const code = (err as { code?: unknown }).code;
    logger.warn('admin.redis.error', { reason: typeof code === 'string' ? code : err instanceof Error ? err.name : 'unknown' });
  };
}

/**
 * Starts connecting and waits at most `timeout * 2` for the first connection. Redis being down
 * does not stop the server: commands fail until node-redis reconnects (it keeps trying, and
 * restores subscriptions when it does).
 */
async function connectSoon(c: { connect(): Promise<unknown>; isReady: boolean }, what: string, timeout: number, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeout * 2);
  });
  await Promise.race([c.connect().catch(() => undefined), deadline]);
  clearTimeout(timer);
  if (!c.isReady) logger.warn('admin.redis.not_connected', { connection: what });
}

/** Records: JSON strings with an index set per collection (for `list`, no KEYS scans). */
function recordsOf(client: Client, keys: Keys): Pick<AdminStore, 'get' | 'put' | 'delete' | 'list' | 'incr' | 'addCounts' | 'getCounts'> {
  return {
    async get<T>(c: AdminCollection, id: string) {
      const raw = await client.get(keys.record(c, id));
      return raw === null ? undefined : (JSON.parse(String(raw)) as T);
    },
    async put<T>(c: AdminCollection, id: string, value: T, ttlSeconds?: number) {
      const key = keys.record(c, id);
      const json = JSON.stringify(value);
      const multi = client.multi();
      if (ttlSeconds) multi.set(key, json, { expiration: { type: 'EX', value: Math.max(1, Math.ceil(ttlSeconds)) } });
      else multi.set(key, json);
      multi.sAdd(keys.index(c), id);
      await multi.exec();
    },
    async delete(c, id) {
      await client.multi().del(keys.record(c, id)).sRem(keys.index(c), id).exec();
    },
    async list<T>(c: AdminCollection) {
      const ids = Array.from((await client.sMembers(keys.index(c))) as Iterable<unknown>, (x) => String(x));
      const out: T[] = [];
      const gone: string[] = [];
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const values = await client.mGet(chunk.map((id) => keys.record(c, id)));
        values.forEach((raw, j) => {
          if (raw === null || raw === undefined) gone.push(chunk[j]!);
          else out.push(JSON.parse(String(raw)) as T);
        });
      }
      if (gone.length > 0) await client.sRem(keys.index(c), gone);
      return out;
    },
    async incr(c, id, ttlSeconds) {
      const n = await client.eval(INCR_TTL, { keys: [keys.record(c, id)], arguments: [String(Math.ceil(ttlSeconds ?? 0))] });
      return Number(n);
    },
    async addCounts(c, id, counts, ttlSeconds) {
      const key = keys.record(c, id);
      const fields = Object.entries(counts).filter(([, n]) => n !== 0);
      if (fields.length === 0) return;
      // One round trip: every HINCRBY of the batch and the expiry.
      const multi = client.multi();
      for (const [field, n] of fields) multi.hIncrBy(key, field, n);
      if (ttlSeconds) multi.expire(key, Math.max(1, Math.ceil(ttlSeconds)));
      await multi.exec();
    },
    async getCounts(c, ids) {
      if (ids.length === 0) return [];
      const multi = client.multi();
      for (const id of ids) multi.hGetAll(keys.record(c, id));
      const replies = (await multi.exec()) as unknown as Array<Record<string, string> | null>;
      return replies.map((raw) => Object.fromEntries(Object.entries(raw ?? {}).map(([f, n]) => [f, Number(n) || 0])));
    },
  };
}

/** `withLock`: a local mutex, then a Redis lock (SET NX PX) taken with backoff and released only if still ours. */
function lockOf(client: Client, keys: Keys, lockTtlMs: number, lockWaitMs: number): AdminStore['withLock'] {
  const local = createLocalMutex();
  return <T>(name: string, fn: () => Promise<T>): Promise<T> =>
    local(name, async () => {
      const key = keys.lock(name);
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
}

/** Closes a connection gracefully when it is ready, and destroys it if still open. */
async function closeConnection(c: Client | undefined): Promise<void> {
  if (!c) return;
  try {
    if (c.isReady) await c.close();
  } catch {
    // fall through
  }
  if (c.isOpen) c.destroy();
}

/** Connects to Redis and returns the store; when Redis cannot be reached yet, calls fail until it can. */
export async function createRedisAdminStore(opts: RedisAdminStoreOptions): Promise<AdminStore> {
  if (/[{}\s]/.test(opts.prefix)) throw new Error('REDIS_PREFIX must not contain braces or spaces');
  const timeout = opts.commandTimeoutMs ?? 3000;
  const { logger } = opts;
  const keys = keysOf(opts.prefix);
  const client = newClient(opts.url, timeout);
  const onError = errorLogger(logger);
  client.on('error', onError);
  await connectSoon(client, 'commands', timeout, logger);
  /** Subscriptions need their own connection (node-redis). */
  let subscriber: Client | undefined;

  return {
    shared: true,
    ...recordsOf(client, keys),
    withLock: lockOf(client, keys, opts.lockTtlMs ?? 60_000, opts.lockWaitMs ?? 30_000),
    async announce(version) {
      await client.publish(keys.channel, String(version));
    },
    async onAnnounce(listener) {
      if (!subscriber) {
        subscriber = client.duplicate();
        subscriber.on('error', onError);
        await connectSoon(subscriber, 'subscriber', timeout, logger);
      }
      await subscriber.subscribe(keys.channel, (message) => {
        const v = Number(message);
        if (Number.isInteger(v) && v > 0) listener(v);
      });
    },
    async close() {
      await closeConnection(subscriber);
      await closeConnection(client);
    },
  };
}
