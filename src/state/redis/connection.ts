/**
 * The Redis store's connection: the node-redis client and how it connects and reconnects, the
 * outage state (`state.redis.unavailable` once per outage, `state.redis.recovered` when it ends),
 * and `call`, the one bounded round trip every command of the store goes through.
 */
import { ErrorReply } from '@redis/client';
import { DalilError } from '../../domain/index.js';
import type { Logger, RedisTopology, StoreCallFact, StoreHealth } from '../../domain/index.js';
import { createRedisKv, type RedisKv } from './client.js';
import type { Script } from './lua.js';

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

/** Commands in flight per client before new ones fail at once (a stalled Redis cannot queue without bound). */
const MAX_QUEUED_COMMANDS = 2000;

/** Names the slot a cluster's health PING goes to (nothing is read or written). */
const HEALTH_KEY = '{dalil-health}';

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

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Commands of the store's connection, over a plain, Sentinel or Cluster client (`client.ts`). */
type RedisClient = RedisKv;


/** Whether Redis is usable, as the store's calls found it; logs each transition once. */
export interface OutageTracker {
  /** Last known availability. */
  isUp(): boolean;
  /** A call failed for want of Redis (timeout, refused, disconnected): starts an outage unless one is on. */
  markDown(reason: string): void;
  /** A call succeeded: ends the outage, if any, and tells the recovery listeners. */
  markUp(): void;
  /** Sorts a failure: an error reply from Redis is logged (at most once a minute), anything else is an outage. */
  noteFailure(err: unknown): void;
  /** Runs `listener` each time an outage ends. */
  onRecovered(listener: () => void): void;
  /** Outages seen since the start. */
  outages(): number;
  /** No outage is reported after this (the store is closing). */
  close(): void;
}

/** Creates the outage state: available at first, as the store assumes until a call says otherwise. */
export function createOutageTracker(logger: Logger, now: () => number = Date.now): OutageTracker {
  let available = true;
  let closed = false;
  let downSince = 0;
  let outages = 0;
  let lastErrorReplyLog = -Infinity;
  const listeners: Array<() => void> = [];
  const tracker: OutageTracker = {
    isUp: () => available,
    markDown(reason) {
      if (!available || closed) return;
      available = false;
      downSince = now();
      outages++;
      logger.warn('state.redis.unavailable', { reason });
    },
    markUp() {
      if (available) return;
      available = true;
      logger.info('state.redis.recovered', { downMs: now() - downSince });
      for (const listener of listeners) listener();
    },
    noteFailure(err) {
      if (!(err instanceof ErrorReply)) return tracker.markDown(reasonOf(err));
      // Redis answered with an error (OOM, NOAUTH, READONLY ...): reachable but refusing; log at most once a minute.
      const t = now();
      if (t - lastErrorReplyLog <= 60_000) return;
      lastErrorReplyLog = t;
      logger.warn('state.redis.command_failed', { reason: reasonOf(err) });
    },
    onRecovered: (listener) => void listeners.push(listener),
    outages: () => outages,
    close: () => void (closed = true),
  };
  return tracker;
}

/** Options of `connectRedis` (see `RedisStoreOptions`). */
export interface RedisConnectionOptions {
  url: string;
  /** Sentinel or Cluster instead of `url` (default: the one endpoint of `url`). */
  topology?: RedisTopology;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  reconnectMaxDelayMs: number;
  logger: Logger;
  /** Only for the `state.redis.connected` log line. */
  prefix: string;
  /** Told the duration and success of every call (for `/metrics`); must not throw. */
  onCall?: (fact: StoreCallFact) => void;
}

/** The store's connection to Redis. */
export interface RedisConnection {
  readonly client: RedisClient;
  readonly outage: OutageTracker;
  /** One bounded round trip: fails at once when disconnected, after `commandTimeoutMs` when Redis stalls. */
  call<T>(op: () => Promise<T>): Promise<T>;
  /** Runs a script by its SHA, and by its source when Redis does not know it yet (one round trip more). */
  run(s: Script, keys: string[], args: string[]): Promise<unknown>;
  /** `ok` when a PING answers in time. */
  health(): Promise<StoreHealth>;
  /** Last known availability (no round trip). */
  isAvailable(): boolean;
  /** Resolves `true` once a PING answers, `false` after `timeoutMs` or once closed. */
  waitUntilAvailable(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Creates the client, refusing a URL it cannot parse without repeating it (it may hold a password). */
function clientFor(opts: RedisConnectionOptions): RedisClient {
  // node-redis's own per-command timeout is switched off (0; its default is 5000 ms): it arms an
  // AbortSignal.timeout per command that lives, and fires, for the whole timeout even after the
  // reply (about 4 % of the server's CPU under load, bench/fixes.md). `withDeadline` bounds each call.
  return createRedisKv(opts.topology ?? { kind: 'standalone', url: opts.url }, {
    connectTimeoutMs: opts.connectTimeoutMs,
    reconnectMaxDelayMs: opts.reconnectMaxDelayMs,
    commandTimeoutMs: 0,
    maxQueuedCommands: MAX_QUEUED_COMMANDS,
  });
}

/**
 * Connects; resolves on the first connection, the first failure, or the connect timeout, whichever
 * comes first (the connection then starts as an outage). node-redis keeps reconnecting in the background.
 */
export async function connectRedis(opts: RedisConnectionOptions): Promise<RedisConnection> {
  const client = clientFor(opts);
  const outage = createOutageTracker(opts.logger);
  const connection = connectionOf(client, outage, opts);
  let startupDone: () => void = () => undefined;
  const startup = new Promise<void>((resolve) => (startupDone = resolve));
  client.on('error', (err: unknown) => {
    outage.noteFailure(err);
    startupDone();
  });
  client.on('ready', () => {
    outage.markUp();
    startupDone();
  });
  // Resolves once connected: node-redis's cluster client emits no 'ready', so without this the
  // first connection to a cluster waited the whole bound below. Never rejects with this reconnect
  // strategy, except on close().
  client.connect().then(startupDone, () => undefined);
  const timer = setTimeout(startupDone, opts.connectTimeoutMs + opts.commandTimeoutMs);
  await startup;
  clearTimeout(timer);
  if (!client.isReady) outage.markDown('connect-failed');
  else opts.logger.info('state.redis.connected', { prefix: opts.prefix, topology: client.topology });
  return connection;
}

/** The calls over `client`, each bounded by the command timeout and reported to `outage`. */
function connectionOf(client: RedisClient, outage: OutageTracker, opts: RedisConnectionOptions): RedisConnection {
  const { commandTimeoutMs, logger } = opts;
  let closed = false;
  const call = async <T>(op: () => Promise<T>): Promise<T> => {
    if (!client.isReady) {
      outage.markDown('disconnected');
      throw new RedisUnavailableError();
    }
    const started = performance.now();
    try {
      const reply = await withDeadline(op(), commandTimeoutMs);
      opts.onCall?.({ ms: performance.now() - started, ok: true });
      outage.markUp();
      return reply;
    } catch (err) {
      opts.onCall?.({ ms: performance.now() - started, ok: false });
      outage.noteFailure(err);
      throw err;
    }
  };
  const connection: RedisConnection = {
    client,
    outage,
    call,
    run: (s, keys, args) =>
      call(async () => {
        try {
          return await client.evalSha(s.sha, { keys, arguments: args });
        } catch (err) {
          if (err instanceof ErrorReply && err.message.startsWith('NOSCRIPT')) return client.eval(s.source, { keys, arguments: args });
          throw err;
        }
      }),
    health: () => call(() => client.ping(HEALTH_KEY)).then((): StoreHealth => 'ok', (): StoreHealth => 'degraded'),
    isAvailable: () => outage.isUp() && client.isReady,
    async waitUntilAvailable(timeoutMs) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        if ((await connection.health()) === 'ok') return true;
        if (Date.now() >= until || closed) return false;
        await sleep(Math.min(100, Math.max(1, until - Date.now())));
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      outage.close();
      try {
        if (client.isReady) await withDeadline(client.close(), commandTimeoutMs);
      } catch {
        // fall through to destroy
      }
      if (client.isOpen) client.destroy();
      logger.info('state.redis.closed');
    },
  };
  return connection;
}
