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
 * Announcements go over pub/sub channel `<prefix>admin:published`, signals (a partner changed)
 * over `<prefix>admin:signal`, both received on a `duplicate()` connection, as node-redis requires
 * for subscriptions.
 */
import { randomBytes } from 'node:crypto';
import type { Logger, RedisTopology } from '../../domain/index.js';
import { createRedisKv, type RedisKv } from '../../state/redis/client.js';
import { checkId, createLocalMutex, type AdminCollection, type AdminStore } from './port.js';

/** Options of `createRedisAdminStore`. */
export interface RedisAdminStoreOptions {
  url: string;
  /** Sentinel or Cluster instead of the one endpoint of `url`. */
  topology?: RedisTopology;
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

/** KEYS: record, index. ARGV: json, id, ttl seconds (0: none). Writes a record and indexes it, atomically. */
const PUT = `
if tonumber(ARGV[3]) > 0 then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3]) else redis.call('SET', KEYS[1], ARGV[1]) end
redis.call('SADD', KEYS[2], ARGV[2])
return 1`;

/** KEYS: record, index. ARGV: id. Deletes a record and its index entry, atomically. */
const DELETE = `
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
return 1`;

/** KEYS: a record (hash of counters). ARGV: ttl seconds (0: none), then field, increment pairs. */
const ADD_COUNTS = `
for i = 2, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
if tonumber(ARGV[1]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return 1`;

/** KEYS: records. The fields and values of each, as flat arrays, in order. */
const GET_COUNTS = `
local out = {}
for i, key in ipairs(KEYS) do out[i] = redis.call('HGETALL', key) end
return out`;

/** KEYS: lock. ARGV: token. Deletes the lock only when it is still ours. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A client (plain, Sentinel or Cluster) that fails commands at once while disconnected and reconnects with backoff. */
function newClient(opts: RedisAdminStoreOptions, timeout: number): RedisKv {
  return createRedisKv(opts.topology ?? { kind: 'standalone', url: opts.url }, {
    connectTimeoutMs: timeout,
    reconnectMaxDelayMs: 2000,
    commandTimeoutMs: timeout,
  });
}

type Client = RedisKv;

/** Keys of the store under its prefix. */
interface Keys {
  record(c: AdminCollection, id: string): string;
  index(c: AdminCollection): string;
  lock(name: string): string;
  channel: string;
  /** Pub/sub channel of `signal` (the message is the signal's name). */
  signals: string;
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
    signals: `${prefix}admin:signal`,
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
      const ttl = ttlSeconds ? Math.max(1, Math.ceil(ttlSeconds)) : 0;
      await client.eval(PUT, { keys: [keys.record(c, id), keys.index(c)], arguments: [JSON.stringify(value), id, String(ttl)] });
    },
    async delete(c, id) {
      await client.eval(DELETE, { keys: [keys.record(c, id), keys.index(c)], arguments: [id] });
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
      // One round trip: every HINCRBY of the batch and the expiry, in one script (one slot, any topology).
      const ttl = ttlSeconds ? String(Math.max(1, Math.ceil(ttlSeconds))) : '0';
      await client.eval(ADD_COUNTS, { keys: [key], arguments: [ttl, ...fields.flatMap(([field, n]) => [field, String(Math.trunc(n))])] });
    },
    async getCounts(c, ids) {
      const out: Array<Record<string, number>> = [];
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500).map((id) => keys.record(c, id));
        const replies = (await client.eval(GET_COUNTS, { keys: chunk, arguments: [] })) as unknown[];
        for (const flat of replies) {
          const pairs = Array.isArray(flat) ? flat.map(String) : [];
          const counts: Record<string, number> = {};
          for (let j = 0; j + 1 < pairs.length; j += 2) counts[pairs[j]!] = Number(pairs[j + 1]) || 0;
          out.push(counts);
        }
      }
      return out;
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
  const client = newClient(opts, timeout);
  const onError = errorLogger(logger);
  client.on('error', onError);
  await connectSoon(client, 'commands', timeout, logger);
  /** Subscriptions need their own connection (node-redis). */
  let subscriber: Client | undefined;
  const subscribed = async (): Promise<Client> => {
    if (!subscriber) {
      subscriber = client.duplicate();
      subscriber.on('error', onError);
      await connectSoon(subscriber, 'subscriber', timeout, logger);
    }
    return subscriber;
  };

  return {
    shared: true,
    ...recordsOf(client, keys),
    withLock: lockOf(client, keys, opts.lockTtlMs ?? 60_000, opts.lockWaitMs ?? 30_000),
    async announce(version) {
      await client.publish(keys.channel, String(version));
    },
    async onAnnounce(listener) {
      await (await subscribed()).subscribe(keys.channel, (message) => {
        const v = Number(message);
        if (Number.isInteger(v) && v > 0) listener(v);
      });
    },
    async signal(name) {
      await client.publish(keys.signals, name);
    },
    async onSignal(listener) {
      await (await subscribed()).subscribe(keys.signals, (message) => listener(String(message)));
    },
    async close() {
      await closeConnection(subscriber);
      await closeConnection(client);
    },
  };
}
