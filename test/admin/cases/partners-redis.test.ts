/**
 * Partners with several instances on one Redis: an admin's change on one instance is in the
 * partners of the other within moments (the store's signal), and an instance started later loads
 * them at start. Needs a Redis (skipped with one loud line, except on CI).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAdmin, deleteByPrefix, redisSuite, uniquePrefix } from '../../helpers/redis.js';
import { copyContent, signIn, startTestDalil, type TestDalil } from '../support.js';

const redis = await redisSuite();

describe.skipIf(!redis.available)('partners shared through Redis', () => {
  const prefix = uniquePrefix('admin-partners');
  const content = copyContent('redis-partners');
  const running: TestDalil[] = [];
  const start = async (): Promise<TestDalil> => {
    const d = await startTestDalil({ redis: { url: redis.url, prefix }, content, pollSeconds: 0 });
    running.push(d);
    return d;
  };

  beforeAll(async () => {
    await start();
    await start();
    await running[0]!.addUser('ada', 'admin');
  }, 60_000);
  afterAll(async () => {
    await Promise.all(running.map((d) => d.close()));
    content.cleanup();
    const c = await connectAdmin(redis.url);
    await deleteByPrefix(c, prefix);
    c.destroy();
  });

  it('reloads the partners of every instance when an admin saves one', async () => {
    const [a, b] = running as [TestDalil, TestDalil];
    const { c, csrf } = await signIn(a, 'ada');
    const form = { _csrf: csrf, id: 'caritas-tanger', orgId: 'caritas', langs: ['fr', 'en'], hours_3: '10:00-16:00', active: 'on' };
    expect((await c.post('/admin/partners', form)).status).toBe(303);
    expect(a.admin.partners.get('caritas-tanger')?.langs).toEqual(['fr', 'en']);
    await expect.poll(() => b.admin.partners.get('caritas-tanger')?.hours.days[3], { timeout: 5000 }).toEqual([['10:00', '16:00']]);
    expect((await c.post('/admin/partners/caritas-tanger', { ...form, active: '' })).status).toBe(303);
    await expect.poll(() => b.admin.partners.get('caritas-tanger')?.active, { timeout: 5000 }).toBe(false);
    const later = await start();
    expect(later.admin.partners.list().map((p) => p.id)).toEqual(['caritas-tanger']);
  });
});
