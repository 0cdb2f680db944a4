/**
 * Which Redis deployment Dalil talks to: one endpoint (`REDIS_URL`, possibly a managed primary with
 * failover behind it), Redis Sentinel (`REDIS_SENTINELS` + `REDIS_SENTINEL_NAME`) or Redis Cluster
 * (`REDIS_CLUSTER_NODES`). Both stores (conversations and the editors' app) connect with it.
 */

/** A host and port, as Sentinel and Cluster seed lists give them. */
export interface RedisNodeAddress {
  host: string;
  port: number;
}

/** Credentials and TLS for the data nodes (Sentinel and Cluster; a URL carries its own). */
export interface RedisNodeAuth {
  username?: string;
  password?: string;
  /** Connect with TLS (the certificate is verified). */
  tls?: boolean;
}

export type RedisTopology =
  | { kind: 'standalone'; url: string }
  | ({ kind: 'sentinel'; name: string; sentinels: RedisNodeAddress[]; sentinelPassword?: string } & RedisNodeAuth)
  | ({ kind: 'cluster'; nodes: RedisNodeAddress[] } & RedisNodeAuth);

/** How a topology may be named in logs: its kind and how many seed nodes, never a host or password. */
export function describeTopology(t: RedisTopology): { topology: RedisTopology['kind']; seeds: number } {
  if (t.kind === 'standalone') return { topology: t.kind, seeds: 1 };
  return { topology: t.kind, seeds: t.kind === 'sentinel' ? t.sentinels.length : t.nodes.length };
}
