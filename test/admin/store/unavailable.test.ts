/**
 * While the admin's Redis is down, its pages answer 503 with a clear "temporarily unavailable"
 * page in the editor's language (and `Retry-After`), never a 500; they work again once it is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniquePrefix } from '../../helpers/redis.js';
import { redisServerSuite, startRedisServer, type RedisServerHandle } from '../../helpers/redis-server.js';
import { Client, PASSWORD, startTestDalil, type TestDalil } from '../support.js';

const runs = redisServerSuite();

describe.skipIf(!runs)('admin during a Redis outage', () => {
  let redis: RedisServerHandle;
  let d: TestDalil;
  beforeAll(async () => {
    redis = await startRedisServer();
    d = await startTestDalil({ redis: { url: redis.url, prefix: uniquePrefix('adm-out') } });
    await d.addUser('eddie', 'editor');
  }, 60_000);
  afterAll(async () => {
    await d?.close();
    await redis?.stop();
  });

  it('answers 503 "temporarily unavailable", then works again', async () => {
    const c = new Client(d.url);
    expect((await c.login('eddie', PASSWORD)).status).toBe(303);
    expect((await c.get('/admin/')).status).toBe(200);
    await redis.stop();
    for (const res of [await c.get('/admin/', { 'accept-language': 'fr' }), await c.get('/admin/missed'), await new Client(d.url).login('eddie', PASSWORD)]) {
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('30');
    }
    const fr = await c.get('/admin/', { 'accept-language': 'fr' });
    expect(fr.text).toContain('Momentanément indisponible');
    expect(d.logger.lines.join('\n')).not.toContain('admin.unhandled_error');
    await redis.start(); // empty: no persistence
    let status = 503;
    for (let i = 0; i < 50 && status === 503; i++) {
      await new Promise((r) => setTimeout(r, 200));
      status = (await new Client(d.url).login('eddie', PASSWORD)).status;
    }
    // Redis answers again (and, started empty, no longer knows the account).
    expect(status).toBe(401);
  }, 60_000);
});
