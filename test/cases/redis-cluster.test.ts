/**
 * The case store on a real Redis Cluster (six redis-servers of the test's own): every script and
 * multi-key command of the store stays in one hash slot (a case's keys share `{<ref>}`, the
 * indexes `{cases}`), so the same contract and desk suites pass there, live events included.
 */
import { afterAll, beforeAll } from 'vitest';
import { createRedisCaseStore } from '../../src/cases/redis-store.js';
import { createLogger } from '../../src/logging/logger.js';
import { haSuite, startRedisCluster, type ClusterHandle } from '../helpers/redis-ha.js';
import { uniquePrefix } from '../helpers/redis.js';
import { describeDesk } from './desk-suite.js';
import { describeStore } from './store-suite.js';

if (haSuite()) {
  let cluster: ClusterHandle;
  beforeAll(async () => {
    cluster = await startRedisCluster();
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  const make = (limits = {}) =>
    createRedisCaseStore({
      topology: { kind: 'cluster', nodes: cluster.nodes.slice(0, 2) },
      prefix: uniquePrefix('cases-cluster'),
      commandTimeoutMs: 2000,
      logger: createLogger('silent'),
      limits,
    });
  describeStore('Redis Cluster', make);
  describeDesk('Redis Cluster', { make: () => make() });
}
