/**
 * The Redis `ConversationStore` (node-redis 6), for several Dalil instances behind a load balancer.
 *
 * Key layout, per conversation (`<key>` is the keyed hash of channel and user id, never a raw id;
 * the `{<key>}` hash tag keeps a conversation's keys in one Redis Cluster slot, so the Lua scripts
 * below may touch them together):
 *
 *   <prefix>c:{<key>}:s   string: JSON of `ConversationState`; expires `ttlSeconds` after the last turn
 *   <prefix>c:{<key>}:l   string: random token of the instance running a turn; expires after `lockTtlMs`
 *   <prefix>c:{<key>}:d   sorted set: 96-bit SHA-256 prefixes of delivery ids scored by their expiry time;
 *                         the key expires `dedupeTtlSeconds` after the last delivery
 *   <prefix>c:{<key>}:r   integer: messages in the current rate-limit window; expires with the window
 *   <prefix>c:{<key>}:m   integer: SMS replies in the current daily-cap window; expires with the window
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
 * instead of throwing: `transact` runs the turn without state and keeps nothing, `markDelivery`
 * lets the message through, `get` finds nothing, `delete` is queued until Redis is back.
 * `state.redis.unavailable` is logged once per outage and `state.redis.recovered` when it ends.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createClient, ErrorReply } from 'redis';
import { ConfigError, DalilError, OPEN_GATE } from '../domain/index.js';
import type { ConversationKey, ConversationState, CounterBucket, ConversationStore, GateResult, Logger, StoreHealth, Transaction, TurnGate } from '../domain/index.js';
import { counterWindowMs, DEFAULT_DEDUPE_TTL_SECONDS, type TurnFn } from './common.js';
import { migrateState } from './migrate.js';

/** Options of `createRedisStore`. */
export interface RedisStoreOptions {
  /** `redis://[user:pass@]host:port[/db]` or `rediss://...` (TLS). */
  url: string;
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

/** Redis names of one conversation's keys. */
export interface ConversationRedisKeys {
  state: string;
  lock: string;
  deliveries: string;
  /** Rate-limit counter (`hit(key, 'rate', ...)`). */
  rate: string;
  /** SMS daily-cap counter (`hit(key, 'sms', ...)`). */
  sms: string;
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

/** A Redis call did not answer within the command timeout. */
export class RedisTimeoutError extends DalilError {
  constructor(ms: number) {
    super(`Redis did not answer within ${ms} ms`);
    this.name = 'RedisTimeoutError';
  }
}

/** The client is not connected (Redis down, or reconnecting); nothing was sent. */
export class RedisUnavailableError extends DalilError {
  constructor() {
    super('Redis is not connected');
    this.name = 'RedisUnavailableError';
  }
}

/** Another turn of the same conversation held the lock for longer than `lockWaitMs`. */
class LockWaitTimeoutError extends DalilError {
  constructor() {
    super('timed out waiting for the conversation lock');
    this.name = 'LockWaitTimeoutError';
  }
}

const DEFAULT_LOCK_TTL_MS = 5000;
const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
const DEFAULT_RECONNECT_MAX_DELAY_MS = 2000;
/** Runs of one turn when the lock expires mid-turn (a turn far slower than `lockTtlMs`). */
const MAX_TURN_ATTEMPTS = 3;
/** Most delivery ids remembered per conversation (the oldest go first): bounds memory under a flood. */
const MAX_DELIVERIES_PER_CONVERSATION = 200;
/** Commands in flight per client before new ones fail at once (a stalled Redis cannot queue without bound). */
const MAX_QUEUED_COMMANDS = 2000;
/** Forget-me deletions kept while Redis is down. */
const MAX_PENDING_DELETES = 10_000;
const KEY_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

interface Script {
  source: string;
  sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/**
 * Lua shared by the scripts below. `mark` records a delivery hash in a sorted set scored by its
 * expiry (server clock, so instances with skewed clocks agree) and returns 0 when it was seen within
 * the ttl; `hit` counts in a fixed window that its first event starts.
 */
const LUA_HELPERS = `
local function mark(key, id, ttl, max)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local seen = redis.call('ZSCORE', key, id)
  if seen and tonumber(seen) > now then return 0 end
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  redis.call('ZADD', key, now + tonumber(ttl), id)
  local excess = redis.call('ZCARD', key) - tonumber(max)
  if excess > 0 then redis.call('ZREMRANGEBYRANK', key, 0, excess - 1) end
  redis.call('PEXPIRE', key, ttl)
  return 1
end
local function hit(key, window)
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('PEXPIRE', key, window) end
  return n
end
`;

/**
 * Takes a conversation's lock and reads its state; the first attempt of a turn with a gate also
 * dedupes and counts it, in the same round trip.
 * KEYS: lock, state, deliveries, rate counter. ARGV: token, lock ttl ms, delivery hash ('' for none),
 * dedupe ttl ms, max deliveries, rate window ms ('0' for none).
 * Returns {2, json?} for a delivery already seen (no lock taken, nothing counted), {1, count, json?}
 * when the lock was taken, {0, count} when another turn holds it (the delivery is recorded and the
 * message counted all the same: retries pass no delivery hash and no window).
 */
const ACQUIRE = script(`${LUA_HELPERS}
if ARGV[3] ~= '' and mark(KEYS[3], ARGV[3], ARGV[4], ARGV[5]) == 0 then
  local s = redis.call('GET', KEYS[2])
  if s then return {2, s} end
  return {2}
end
local n = 0
if ARGV[6] ~= '0' then n = hit(KEYS[4], ARGV[6]) end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local s = redis.call('GET', KEYS[2])
  if s then return {1, n, s} end
  return {1, n}
end
return {0, n}`);

/** ACQUIRE's gate arguments for an attempt that only waits for the lock. */
const NO_GATE_ARGS: readonly string[] = ['', '0', '0', '0'];

/**
 * KEYS: lock, state, deliveries, rate counter, SMS counter. ARGV: token, 'set' | 'del', json, state ttl ms.
 * Writes (or deletes everything) only while the caller still holds the lock; returns 1, else 0.
 */
const COMMIT = script(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == 'del' then
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
else
  redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
  redis.call('DEL', KEYS[1])
end
return 1`);

/** KEYS: lock. ARGV: token. Compare-and-delete. */
const RELEASE = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

/** KEYS: deliveries. ARGV: delivery hash, ttl ms, max entries. Returns 1 for a new delivery, 0 for one seen within the ttl. */
const MARK_DELIVERY = script(`${LUA_HELPERS}
return mark(KEYS[1], ARGV[1], ARGV[2], ARGV[3])`);

/** KEYS: counter. ARGV: window ms. Returns the count including this event. */
const HIT = script(`${LUA_HELPERS}
return hit(KEYS[1], ARGV[1])`);

/** What the logs may say about an error: its code or class, never its message. */
function reasonOf(err: unknown): string {
  if (err instanceof ErrorReply) return err.message.split(' ', 1)[0] ?? 'ErrorReply';
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? code : err.name;
  }
  return 'unknown';
}

/** Rejects with `RedisTimeoutError` when `promise` has not settled within `ms`. */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisTimeoutError(ms)), ms);
  });
  promise.catch(() => undefined); // a reply arriving after the deadline is dropped
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A node-redis client that fails fast instead of queueing, and reconnects for ever with capped backoff. */
function newRedisClient(url: string, connectTimeoutMs: number, reconnectMaxDelayMs: number) {
  return createClient({
    url,
    // Fail at once while disconnected rather than queueing without bound. Each call is bounded by
    // `withDeadline` below; node-redis's own per-command timeout is switched off (0; its default is
    // 5000 ms): it arms an AbortSignal.timeout per command that lives, and fires, for the whole
    // timeout even after the reply (about 4 % of the server's CPU under load, bench/fixes.md).
    disableOfflineQueue: true,
    commandOptions: { timeout: 0 },
    commandsQueueMaxLength: MAX_QUEUED_COMMANDS,
    // Keeps idle connections through proxies and cloud load balancers that drop silent ones.
    pingInterval: 30_000,
    maintNotifications: 'disabled',
    socket: {
      connectTimeout: connectTimeoutMs,
      // Never gives up: capped exponential backoff with jitter, before and after the first connect.
      reconnectStrategy: (retries: number) =>
        Math.min(reconnectMaxDelayMs, 50 * 2 ** Math.min(retries, 16)) + Math.floor(Math.random() * 100),
    },
  });
}

/**
 * Connects to Redis and returns the store. Resolves even when Redis cannot be reached (the store
 * starts degraded and keeps reconnecting with capped backoff, for ever); waits at most about
 * `connectTimeoutMs` for the first connection.
 */
export async function createRedisStore(opts: RedisStoreOptions): Promise<RedisConversationStore> {
  if (/[{}\s]/.test(opts.prefix)) throw new ConfigError('REDIS_PREFIX must not contain braces or spaces');
  const { logger, prefix, commandTimeoutMs } = opts;
  const stateTtlMs = Math.round(opts.ttlSeconds * 1000);
  const dedupeTtlMs = Math.round((opts.dedupeTtlSeconds ?? DEFAULT_DEDUPE_TTL_SECONDS) * 1000);
  const lockTtlMs = opts.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
  const lockWaitMs = opts.lockWaitMs ?? lockTtlMs;
  const connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const reconnectMaxDelayMs = opts.reconnectMaxDelayMs ?? DEFAULT_RECONNECT_MAX_DELAY_MS;
  for (const [name, v] of Object.entries({ stateTtlMs, dedupeTtlMs, lockTtlMs, commandTimeoutMs })) {
    if (!Number.isFinite(v) || v < 1) throw new ConfigError(`Redis store: ${name} must be positive`);
  }

  if (!/^rediss?:\/\/[^\s]+$/.test(opts.url)) {
    throw new ConfigError('REDIS_URL must look like redis://[user:password@]host:port[/db] or rediss://... (TLS)');
  }
  let client: ReturnType<typeof newRedisClient>;
  try {
    client = newRedisClient(opts.url, connectTimeoutMs, reconnectMaxDelayMs);
  } catch (err) {
    // The message never repeats the URL: it may hold a password.
    throw Object.assign(new ConfigError('REDIS_URL could not be parsed'), { cause: err });
  }

  const metrics: Omit<RedisStoreMetrics, 'pendingDeletes'> = {
    transactions: 0,
    degradedTransactions: 0,
    lockContended: 0,
    lockWaitMsTotal: 0,
    lockWaitMsMax: 0,
    lockTimeouts: 0,
    saveConflicts: 0,
    outages: 0,
  };
  let available = true;
  let downSince = 0;
  let closed = false;
  const pendingDeletes = new Set<ConversationKey>();
  let lastErrorReplyLog = 0;
  // Lock tokens only need to be unique among the instances sharing Redis: a random id per store
  // and a counter (a random draw per turn cost ~1 % of the server's CPU under load).
  const instanceId = randomBytes(12).toString('base64url');
  let tokenCounter = 0;
  const nextToken = (): string => `${instanceId}.${(tokenCounter++).toString(36)}`;

  const keysOf = (key: ConversationKey): ConversationRedisKeys => {
    if (!KEY_PATTERN.test(key)) throw new DalilError('a conversation key must be a base64url hash');
    const base = `${prefix}c:{${key}}:`;
    return { state: `${base}s`, lock: `${base}l`, deliveries: `${base}d`, rate: `${base}r`, sms: `${base}m` };
  };

  const markDown = (reason: string): void => {
    if (!available || closed) return;
    available = false;
    downSince = Date.now();
    metrics.outages++;
    logger.warn('state.redis.unavailable', { reason });
  };
  const markUp = (): void => {
    if (available) return;
    available = true;
    logger.info('state.redis.recovered', { downMs: Date.now() - downSince });
    void flushPendingDeletes();
  };
  const noteFailure = (err: unknown): void => {
    if (err instanceof ErrorReply) {
      // Redis answered with an error (OOM, NOAUTH, READONLY ...): reachable but refusing; log at most once a minute.
      const t = Date.now();
      if (t - lastErrorReplyLog > 60_000) {
        lastErrorReplyLog = t;
        logger.warn('state.redis.command_failed', { reason: reasonOf(err) });
      }
      return;
    }
    markDown(reasonOf(err));
  };

  /** One bounded round trip: fails at once when disconnected, after `commandTimeoutMs` when Redis stalls. */
  const call = async <T>(op: () => Promise<T>): Promise<T> => {
    if (!client.isReady) {
      markDown('disconnected');
      throw new RedisUnavailableError();
    }
    try {
      const reply = await withDeadline(op(), commandTimeoutMs);
      markUp();
      return reply;
    } catch (err) {
      noteFailure(err);
      throw err;
    }
  };

  const run = (s: Script, keys: string[], args: string[]): Promise<unknown> =>
    call(async () => {
      try {
        return await client.evalSha(s.sha, { keys, arguments: args });
      } catch (err) {
        if (err instanceof ErrorReply && err.message.startsWith('NOSCRIPT')) {
          return client.eval(s.source, { keys, arguments: args });
        }
        throw err;
      }
    });

  const deleteNow = async (key: ConversationKey): Promise<void> => {
    const k = keysOf(key);
    await call(() => client.del([k.state, k.lock, k.deliveries, k.rate, k.sms]));
    pendingDeletes.delete(key);
  };

  const queueDelete = (key: ConversationKey): void => {
    if (pendingDeletes.size >= MAX_PENDING_DELETES) {
      logger.error('state.redis.delete_dropped', { pending: pendingDeletes.size });
      return;
    }
    pendingDeletes.add(key);
    logger.warn('state.redis.delete_deferred', { pending: pendingDeletes.size });
  };

  let flushing = false;
  async function flushPendingDeletes(): Promise<void> {
    if (flushing || pendingDeletes.size === 0) return;
    flushing = true;
    try {
      for (const key of [...pendingDeletes]) {
        try {
          await deleteNow(key);
        } catch {
          break; // down again: the next recovery retries
        }
      }
      if (pendingDeletes.size === 0) logger.info('state.redis.deletes_applied');
    } finally {
      flushing = false;
    }
  }

  /** A forget-me not yet applied to Redis wins over whatever Redis still holds for that key. */
  const settlePendingDelete = async (key: ConversationKey): Promise<boolean> => {
    if (!pendingDeletes.has(key)) return true;
    try {
      await deleteNow(key);
      return true;
    } catch {
      return false;
    }
  };

  /** Delivery ids are hashed: fixed length, and nothing a platform sent is stored verbatim. */
  const deliveryHash = (deliveryId: string): string => createHash('sha256').update(deliveryId).digest('base64url').slice(0, 16);
  const windowMsOf = (windowSeconds: number): number => counterWindowMs(windowSeconds, stateTtlMs);

  /** A turn's gate on its way through `acquire`: the script arguments until sent once, then what it found. */
  interface PendingGate {
    args: string[] | undefined;
    found: GateResult;
  }
  const pendingGate = (gate: TurnGate | undefined): PendingGate => {
    if (gate?.deliveryId === undefined && gate?.rateWindowSeconds === undefined) return { args: undefined, found: OPEN_GATE };
    return {
      args: [
        gate.deliveryId !== undefined ? deliveryHash(gate.deliveryId) : '',
        String(dedupeTtlMs),
        String(MAX_DELIVERIES_PER_CONVERSATION),
        gate.rateWindowSeconds !== undefined ? String(windowMsOf(gate.rateWindowSeconds)) : '0',
      ],
      found: OPEN_GATE,
    };
  };

  type Acquired = { kind: 'locked'; token: string; state: ConversationState | undefined } | { kind: 'duplicate'; state: ConversationState | undefined };

  const acquire = async (k: ConversationRedisKeys, gate: PendingGate): Promise<Acquired> => {
    const token = nextToken();
    const started = performance.now();
    let delay = 2;
    for (;;) {
      const gated = gate.args;
      let reply: unknown[];
      try {
        reply = (await run(ACQUIRE, [k.lock, k.state, k.deliveries, k.rate], [token, String(lockTtlMs), ...(gated ?? NO_GATE_ARGS)])) as unknown[];
      } catch (err) {
        // A stalled Redis may still run the acquire later: queue the release right behind it
        // (same connection, so in order), or the conversation would stay locked for lockTtlMs.
        if (err instanceof RedisTimeoutError) void run(RELEASE, [k.lock], [token]).catch(() => undefined);
        throw err;
      }
      if (reply[0] === 2) return { kind: 'duplicate', state: migrateState(reply[1], Date.now(), logger) };
      if (gated) {
        // Recorded and counted once: retries only wait for the lock.
        gate.args = undefined;
        gate.found = { duplicate: false, rateCount: Number(reply[1]) || 0 };
      }
      if (reply[0] === 1) {
        const waited = performance.now() - started;
        if (delay > 2) {
          metrics.lockContended++;
          metrics.lockWaitMsTotal += waited;
          metrics.lockWaitMsMax = Math.max(metrics.lockWaitMsMax, waited);
        }
        return { kind: 'locked', token, state: migrateState(reply[2], Date.now(), logger) };
      }
      if (performance.now() - started + delay > lockWaitMs) throw new LockWaitTimeoutError();
      await sleep(delay * (0.5 + Math.random()));
      delay = Math.min(delay * 2, 50);
    }
  };

  const readState = async (key: ConversationKey): Promise<ConversationState | undefined> => {
    const json = await call(() => client.get(keysOf(key).state));
    return migrateState(json, Date.now(), logger);
  };

  /** A turn that cannot use Redis: runs on `state` (usually none) and keeps nothing but a forget-me. */
  const runDetached = async <T>(key: ConversationKey, state: ConversationState | undefined, fn: TurnFn<T>, gate: GateResult): Promise<T> => {
    const out = await fn(state, gate);
    if (out.state === null) await store.delete(key);
    return out.result;
  };

  const store: RedisConversationStore = {
    async transact<T>(key: ConversationKey, fn: TurnFn<T>, turnGate?: TurnGate): Promise<T> {
      const k = keysOf(key);
      if (!(await settlePendingDelete(key))) {
        metrics.degradedTransactions++;
        return runDetached(key, undefined, fn, OPEN_GATE);
      }
      const gate = pendingGate(turnGate);
      for (let attempt = 1; ; attempt++) {
        let lock: Acquired;
        try {
          lock = await acquire(k, gate);
        } catch (err) {
          if (err instanceof LockWaitTimeoutError) {
            metrics.lockTimeouts++;
            logger.warn('state.redis.lock_timeout', { waitedMs: lockWaitMs });
            const latest = await readState(key).catch(() => undefined);
            return runDetached(key, latest, fn, gate.found);
          }
          metrics.degradedTransactions++;
          return runDetached(key, undefined, fn, gate.found);
        }
        if (lock.kind === 'duplicate') return (await fn(lock.state, { duplicate: true, rateCount: 0 })).result;

        let out: Transaction<T>;
        try {
          out = await fn(lock.state, gate.found);
        } catch (err) {
          await run(RELEASE, [k.lock], [lock.token]).catch(() => undefined);
          throw err;
        }
        if (out.state === undefined) {
          // Nothing to write (a rate-limited message): only the lock goes.
          await run(RELEASE, [k.lock], [lock.token]).catch(() => undefined);
          metrics.transactions++;
          return out.result;
        }

        let committed: unknown;
        try {
          committed =
            out.state === null
              ? await run(COMMIT, [k.lock, k.state, k.deliveries, k.rate, k.sms], [lock.token, 'del', '', '0'])
              : await run(COMMIT, [k.lock, k.state, k.deliveries, k.rate, k.sms], [lock.token, 'set', JSON.stringify(out.state), String(stateTtlMs)]);
        } catch {
          // Redis failed mid-turn: the reply still goes out; this turn's state is lost (a forget-me is queued).
          metrics.degradedTransactions++;
          if (out.state === null) queueDelete(key);
          return out.result;
        }
        if (committed === 1) {
          metrics.transactions++;
          return out.result;
        }
        metrics.saveConflicts++;
        logger.warn('state.redis.save_conflict', { attempt });
        if (attempt >= MAX_TURN_ATTEMPTS) {
          if (out.state === null) await store.delete(key);
          return out.result;
        }
      }
    },

    async get(key) {
      keysOf(key);
      if (!(await settlePendingDelete(key))) return undefined;
      try {
        return await readState(key);
      } catch {
        return undefined;
      }
    },

    async delete(key) {
      keysOf(key);
      try {
        await deleteNow(key);
      } catch {
        queueDelete(key);
      }
    },

    async markDelivery(key, deliveryId) {
      const k = keysOf(key);
      try {
        const reply = await run(MARK_DELIVERY, [k.deliveries], [deliveryHash(deliveryId), String(dedupeTtlMs), String(MAX_DELIVERIES_PER_CONVERSATION)]);
        return reply !== 0;
      } catch {
        return true; // better a rare duplicate reply than no reply
      }
    },

    async hit(key: ConversationKey, bucket: CounterBucket, windowSeconds: number) {
      const k = keysOf(key);
      try {
        const reply = await run(HIT, [bucket === 'rate' ? k.rate : k.sms], [String(windowMsOf(windowSeconds))]);
        return typeof reply === 'number' ? reply : Number(reply) || 0;
      } catch {
        return 0; // cannot count: let the message through rather than silence a user
      }
    },

    async health(): Promise<StoreHealth> {
      try {
        await call(() => client.ping());
        return 'ok';
      } catch {
        return 'degraded';
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      try {
        if (client.isReady) await withDeadline(client.close(), commandTimeoutMs);
      } catch {
        // fall through to destroy
      }
      if (client.isOpen) client.destroy();
      logger.info('state.redis.closed');
    },

    keysOf,

    isAvailable() {
      return available && client.isReady;
    },

    async waitUntilAvailable(timeoutMs) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        if ((await store.health()) === 'ok') return true;
        if (Date.now() >= until || closed) return false;
        await sleep(Math.min(100, Math.max(1, until - Date.now())));
      }
    },

    metrics() {
      return { ...metrics, pendingDeletes: pendingDeletes.size };
    },
  };

  // Startup: resolve on the first connection, the first failure, or the connect timeout, whichever
  // comes first; node-redis keeps reconnecting in the background.
  let startupDone: () => void = () => undefined;
  const startup = new Promise<void>((resolve) => (startupDone = resolve));
  client.on('error', (err: unknown) => {
    noteFailure(err);
    startupDone();
  });
  client.on('ready', () => {
    markUp();
    startupDone();
  });
  client.connect().catch(() => undefined); // never rejects with this reconnect strategy, except on close()
  const timer = setTimeout(startupDone, connectTimeoutMs + commandTimeoutMs);
  await startup;
  clearTimeout(timer);
  if (!client.isReady) markDown('connect-failed');
  else logger.info('state.redis.connected', { prefix });
  return store;
}
