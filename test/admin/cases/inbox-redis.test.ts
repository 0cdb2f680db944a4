/**
 * Two Dalil instances behind one Redis: a case opened through one instance appears live in the
 * inbox of a case worker connected to the other (server-sent events from the shared desk), and
 * both instances route to the partners an admin saved on either. Needs a Redis (skipped with one
 * loud line, except on CI).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationKey } from '../../../src/domain/index.js';
import { connectAdmin, deleteByPrefix, redisSuite, uniquePrefix } from '../../helpers/redis.js';
import { Client, copyContent, PASSWORD, startTestDalil, type TestDalil } from '../support.js';

const redis = await redisSuite();

describe.skipIf(!redis.available)('the inbox with two instances on Redis', () => {
  const prefix = uniquePrefix('admin-inbox');
  const content = copyContent('redis-inbox');
  const running: TestDalil[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) running.push(await startTestDalil({ redis: { url: redis.url, prefix }, content, pollSeconds: 0, cases: true }));
    await running[0]!.admin.partners.save({ id: 'gadem-rabat', orgId: 'gadem', topics: [], cities: [], langs: ['fr'], hours: { tz: 'Africa/Casablanca', days: {} }, active: true });
    await running[0]!.addUser('wanda', 'caseworker', PASSWORD, 'gadem-rabat');
  }, 60_000);
  afterAll(async () => {
    await Promise.all(running.map((d) => d.close()));
    content.cleanup();
    const c = await connectAdmin(redis.url);
    await deleteByPrefix(c, prefix);
    c.destroy();
  });

  it('streams a case opened on one instance to a case worker on the other', async () => {
    const [a, b] = running as [TestDalil, TestDalil];
    await expect.poll(() => b.cases!.partners().map((p) => p.id), { timeout: 5000 }).toEqual(['gadem-rabat']);
    const worker = new Client(b.url);
    expect((await worker.login('wanda')).location).toBe('/admin/cases');
    const ctrl = new AbortController();
    const res = await fetch(`${b.url}/admin/cases/events`, { headers: { cookie: worker.cookieHeader() }, signal: ctrl.signal });
    const reader = res.body!.getReader();
    let text = '';
    const until = async (pattern: RegExp): Promise<string> => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      return text;
    };
    await until(/retry:/);
    const key = `k${Math.random().toString(36).slice(2)}` as ConversationKey;
    await a.cases!.open({ ref: 'RX-0001', key, partnerId: 'gadem-rabat', lang: 'fr', intake: {}, address: { channel: 'web', userId: 'w-redis' }, at: Date.now() });
    await a.cases!.fromUser({ ref: 'RX-0001', key, text: 'Bonjour, j’ai besoin d’aide', at: Date.now() });
    expect(await until(/"kind":"message"/)).toMatch(/data: \{"ref":"RX-0001","kind":"opened"\}/);
    ctrl.abort();
    const page = (await worker.get('/admin/cases/RX-0001')).text;
    expect(page).toContain('Bonjour, j’ai besoin d’aide');
  });
});
