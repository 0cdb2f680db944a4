/** Which Redis the configuration selects: one URL, Sentinel or Cluster, and plain words for a mistake. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { describeTopology } from '../../src/domain/index.js';
import { testEnv } from '../helpers/admin-data.js';

describe('Redis topology settings', () => {
  it('keeps REDIS_URL as the one endpoint, and memory state without any Redis setting', () => {
    expect(loadConfig(testEnv({ REDIS_URL: 'redis://127.0.0.1:6379' })).redisTopology).toEqual({ kind: 'standalone', url: 'redis://127.0.0.1:6379' });
    expect(loadConfig(testEnv({})).redisTopology).toBeUndefined();
  });

  it('selects Sentinel with its master name, credentials and TLS, before REDIS_URL', () => {
    const config = loadConfig(
      testEnv({
        REDIS_URL: 'redis://ignored:6379',
        REDIS_SENTINELS: '10.0.0.1:26379, 10.0.0.2:26379,[fd00::3]:26379',
        REDIS_SENTINEL_NAME: 'dalil',
        REDIS_PASSWORD: 'pw',
        REDIS_TLS: 'true',
      }),
    );
    expect(config.redisTopology).toEqual({
      kind: 'sentinel',
      name: 'dalil',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '10.0.0.2', port: 26379 },
        { host: 'fd00::3', port: 26379 },
      ],
      password: 'pw',
      tls: true,
    });
    expect(describeTopology(config.redisTopology!)).toEqual({ topology: 'sentinel', seeds: 3 });
  });

  it('selects Cluster from its seed nodes', () => {
    const config = loadConfig(testEnv({ REDIS_CLUSTER_NODES: 'redis-1:6379,redis-2:6379' }));
    expect(config.redisTopology).toEqual({ kind: 'cluster', nodes: [{ host: 'redis-1', port: 6379 }, { host: 'redis-2', port: 6379 }] });
  });

  it('names the setting when a node list is malformed or both are set', () => {
    expect(() => loadConfig(testEnv({ REDIS_SENTINELS: 'host-without-port' }))).toThrow(/REDIS_SENTINELS must be a comma-separated list of host:port/);
    expect(() => loadConfig(testEnv({ REDIS_CLUSTER_NODES: 'a:99999' }))).toThrow(/REDIS_CLUSTER_NODES/);
    expect(() => loadConfig(testEnv({ REDIS_SENTINELS: 'a:1', REDIS_CLUSTER_NODES: 'b:2' }))).toThrow(/not both/);
  });
});
