/** The case desk's behaviour and the store contract over the Redis store: the same suites as over memory, on a real Redis (a fresh prefix per test). */
import { afterAll } from 'vitest';
import { createRedisCaseStore } from '../../src/cases/redis-store.js';
import { createLogger } from '../../src/logging/logger.js';
import { connectAdmin, deleteByPrefix, redisSuite, uniquePrefix } from '../helpers/redis.js';
import { describeDesk } from './desk-suite.js';
import { describeStore } from './store-suite.js';

const redis = await redisSuite();
const prefixes: string[] = [];

if (redis.available) {
  describeStore('Redis', async (limits) => {
    const prefix = uniquePrefix('cases');
    prefixes.push(prefix);
    return createRedisCaseStore({ topology: { kind: 'standalone', url: redis.url }, prefix, commandTimeoutMs: 2000, logger: createLogger('silent'), limits });
  });
  describeDesk('Redis', {
    async make() {
      const prefix = uniquePrefix('cases');
      prefixes.push(prefix);
      return createRedisCaseStore({ topology: { kind: 'standalone', url: redis.url }, prefix, commandTimeoutMs: 2000, logger: createLogger('silent') });
    },
  });
  afterAll(async () => {
    const admin = await connectAdmin(redis.url);
    for (const prefix of prefixes) await deleteByPrefix(admin, prefix);
    admin.destroy();
  });
}
