/**
 * The one place that creates node-redis clients, for both stores (conversations and the editors'
 * app): a plain client for `REDIS_URL`, node-redis's Sentinel client (`createSentinel`: it asks the
 * sentinels for the master and follows failovers) or its Cluster client (`createCluster`: it routes
 * each command to the slot's master and follows MOVED/ASK and failovers). No failover logic of our own.
 *
 * The stores see the narrow `RedisKv` below, the commands they use, whatever the topology. Every
 * command they send names its keys, and all keys of one command or script share a `{hash tag}`, so
 * the Cluster client can route it to one slot (no cross-slot commands).
 */
import { createClient, createCluster, createSentinel } from '@redis/client';
import { ConfigError } from '../../domain/index.js';
import type { RedisNodeAuth, RedisTopology } from '../../domain/index.js';

/** How the stores' clients behave, whatever the topology. */
export interface RedisClientSettings {
  connectTimeoutMs: number;
  reconnectMaxDelayMs: number;
  /** node-redis's own per-command timeout (0: off; the conversation store bounds calls itself). */
  commandTimeoutMs: number;
  /** Commands in flight per connection before new ones fail at once. */
  maxQueuedCommands?: number;
}

/** The commands the stores use, over any topology. */
export interface RedisKv {
  readonly topology: RedisTopology['kind'];
  readonly isReady: boolean;
  readonly isOpen: boolean;
  on(event: 'error', listener: (err: unknown) => void): void;
  on(event: 'ready', listener: () => void): void;
  connect(): Promise<unknown>;
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options?: { condition?: 'NX'; expiration?: { type: 'PX' | 'EX'; value: number } }): Promise<unknown>;
  del(keys: string[]): Promise<unknown>;
  mGet(keys: string[]): Promise<unknown[]>;
  sMembers(key: string): Promise<unknown>;
  sRem(key: string, members: string[]): Promise<unknown>;
  evalSha(sha: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  eval(source: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** A round trip to the node that holds `key` (on a cluster: that key's master). */
  ping(key: string): Promise<unknown>;
  publish(channel: string, message: string): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  /** A second connection (subscriptions need their own). */
  duplicate(): RedisKv;
  close(): Promise<unknown>;
  destroy(): unknown;
}

/** Capped exponential backoff with jitter. */
export function reconnectDelayMs(retries: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, 50 * 2 ** Math.min(retries, 16)) + Math.floor(Math.random() * 100);
}

/** Options every connection gets: fail fast instead of queueing, reconnect for ever with capped backoff. */
function nodeOptions(s: RedisClientSettings, auth: RedisNodeAuth = {}) {
  return {
    // Fail at once while disconnected rather than queueing without bound.
    disableOfflineQueue: true,
    commandsQueueMaxLength: s.maxQueuedCommands ?? 2000,
    // Keeps idle connections through proxies and cloud load balancers that drop silent ones.
    pingInterval: 30_000,
    maintNotifications: 'disabled' as const,
    ...(auth.username ? { username: auth.username } : {}),
    ...(auth.password ? { password: auth.password } : {}),
    socket: {
      connectTimeout: s.connectTimeoutMs,
      reconnectStrategy: (retries: number) => reconnectDelayMs(retries, s.reconnectMaxDelayMs),
      ...(auth.tls ? { tls: true as const } : {}),
    },
  };
}

/** The node-redis client for `topology` (not connected yet). */
function rawClient(topology: RedisTopology, s: RedisClientSettings): unknown {
  const commandOptions = { timeout: s.commandTimeoutMs };
  switch (topology.kind) {
    case 'standalone':
      if (!/^rediss?:\/\/[^\s]+$/.test(topology.url)) {
        throw new ConfigError('REDIS_URL must look like redis://[user:password@]host:port[/db] or rediss://... (TLS)');
      }
      return createClient({ url: topology.url, commandOptions, ...nodeOptions(s) });
    case 'sentinel':
      return createSentinel({
        name: topology.name,
        sentinelRootNodes: topology.sentinels,
        nodeClientOptions: nodeOptions(s, topology),
        sentinelClientOptions: nodeOptions(s, { ...(topology.sentinelPassword ? { password: topology.sentinelPassword } : {}), ...(topology.tls ? { tls: true } : {}) }),
        commandOptions,
        // One connection to the master: a script's write and the next read travel in order.
        masterPoolSize: 1,
        // Asks the sentinels for the master this often besides following their failover messages.
        scanInterval: 1000,
        maxCommandRediscovers: 8,
      });
    case 'cluster':
      return createCluster({
        rootNodes: topology.nodes.map((n) => ({ socket: { host: n.host, port: n.port } })),
        defaults: nodeOptions(s, topology),
        commandOptions,
        maxCommandRedirections: 8,
      });
  }
}

/** What node-redis's three clients have in common, as the stores call it. */
interface NodeRedisLike {
  isReady: boolean;
  isOpen: boolean;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  connect(): Promise<unknown>;
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options?: object): Promise<unknown>;
  del(keys: string[]): Promise<unknown>;
  mGet(keys: string[]): Promise<unknown[]>;
  sMembers(key: string): Promise<unknown>;
  sRem(key: string, members: string[]): Promise<unknown>;
  evalSha(sha: string, options: object): Promise<unknown>;
  eval(source: string, options: object): Promise<unknown>;
  ping(): Promise<unknown>;
  publish(channel: string, message: string): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  duplicate(): NodeRedisLike;
  close(): Promise<unknown>;
  destroy(): unknown;
  sendCommand(...args: unknown[]): Promise<unknown>;
}

function wrap(raw: NodeRedisLike, topology: RedisTopology['kind']): RedisKv {
  return {
    topology,
    get isReady() {
      return raw.isReady;
    },
    get isOpen() {
      return raw.isOpen;
    },
    on: (event: string, listener: (...args: never[]) => void) => void raw.on(event, listener as (...args: unknown[]) => void),
    connect: () => raw.connect(),
    get: (key) => raw.get(key),
    set: (key, value, options) => raw.set(key, value, options),
    del: (keys) => raw.del(keys),
    mGet: (keys) => raw.mGet(keys),
    sMembers: (key) => raw.sMembers(key),
    sRem: (key, members) => raw.sRem(key, members),
    evalSha: (sha, options) => raw.evalSha(sha, options),
    eval: (source, options) => raw.eval(source, options),
    // A cluster has no single node to PING: ask the one holding the key (ECHO-free, no data touched).
    ping: (key) => (topology === 'cluster' ? raw.sendCommand(key, true, ['PING']) : raw.ping()),
    publish: (channel, message) => raw.publish(channel, message),
    subscribe: (channel, listener) => raw.subscribe(channel, listener),
    duplicate: () => wrap(raw.duplicate(), topology),
    close: () => raw.close(),
    destroy: () => raw.destroy(),
  };
}

/** Creates (without connecting) a client for `topology`; refuses a URL it cannot parse without repeating it. */
export function createRedisKv(topology: RedisTopology, settings: RedisClientSettings): RedisKv {
  if (topology.kind === 'sentinel' && (topology.sentinels.length === 0 || !topology.name)) {
    throw new ConfigError('REDIS_SENTINELS needs at least one host:port and REDIS_SENTINEL_NAME the master name');
  }
  if (topology.kind === 'cluster' && topology.nodes.length === 0) throw new ConfigError('REDIS_CLUSTER_NODES needs at least one host:port');
  try {
    return wrap(rawClient(topology, settings) as NodeRedisLike, topology.kind);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw Object.assign(new ConfigError('the Redis settings could not be parsed'), { cause: err });
  }
}
