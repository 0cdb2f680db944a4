/**
 * Several instances sharing Redis: what one publishes, the others answer with within seconds
 * (pub/sub), an instance started later applies it at start, content files stay untouched, and a
 * rollback spreads the same way. Needs a Redis (skipped with one loud line, except on CI).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerKey } from '../../../src/knowledge/publish.js';
import { connectAdmin, deleteByPrefix, redisSuite, uniquePrefix } from '../../helpers/redis.js';
import { ask, Client, copyContent, startTestDalil, type TestDalil } from '../support.js';

const redis = await redisSuite();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Asks until the answer satisfies `ok` (at most `ms`); returns the last answer. */
async function eventually(url: string, question: string, ok: (text: string) => boolean, ms = 10_000): Promise<string> {
  const until = Date.now() + ms;
  let last = '';
  while (Date.now() < until) {
    last = await ask(url, question);
    if (ok(last)) return last;
    await sleep(200);
  }
  return last;
}

describe.skipIf(!redis.available)('publishing with several instances on Redis', () => {
  const prefix = uniquePrefix('admin-pub');
  const content = copyContent('redis-pub');
  const running: TestDalil[] = [];
  const start = async (): Promise<TestDalil> => {
    const d = await startTestDalil({ redis: { url: redis.url, prefix }, content, pollSeconds: 0 });
    running.push(d);
    return d;
  };
  let a: TestDalil;
  let b: TestDalil;
  const question = 'I need a bank account to receive money, which bank accepts migrants';
  const file = (): string => readFileSync(path.join(content.knowledge.contentDir, 'topics', 'banking', 'en.md'), 'utf8');

  beforeAll(async () => {
    a = await start();
    b = await start();
    await a.addUser('rita', 'reviewer');
  }, 60_000);
  afterAll(async () => {
    await Promise.all(running.map((d) => d.close()));
    content.cleanup();
    const c = await connectAdmin(redis.url);
    await deleteByPrefix(c, prefix);
    c.destroy();
  });

  it('spreads a publish to every instance within seconds, and to instances started later', async () => {
    const onDisk = file();
    const c = new Client(a.url);
    expect((await c.login('rita')).status).toBe(303);
    const csrf = await c.csrf();
    const key = answerKey('banking', 'en');
    const text = (await a.admin.workspace.published(key))!.replace(/\n---\n/, '\n---\nOKAPI-7: bring your passport and your residence card to the bank.\n\n');
    await a.admin.workspace.saveDraft(key, text, 'rita', 'editor');
    const started = Date.now();
    expect((await c.post('/admin/review/publish', { _csrf: csrf, keys: key })).status).toBe(303);
    expect(await eventually(b.url, question, (t) => t.includes('OKAPI-7'))).toContain('OKAPI-7');
    const spreadMs = Date.now() - started;
    expect(spreadMs).toBeLessThan(10_000);
    console.info(`admin: publish reached the second instance in ${spreadMs} ms`);
    expect(await ask(a.url, question)).toContain('OKAPI-7');
    expect(file()).toBe(onDisk);

    const late = await start();
    expect(await ask(late.url, question)).toContain('OKAPI-7');
    // The account lives in Redis too: any instance signs the reviewer in.
    expect((await new Client(late.url).login('rita')).status).toBe(303);
  }, 60_000);

  it('spreads a rollback the same way', async () => {
    const c = new Client(b.url);
    expect((await c.login('rita')).status).toBe(303);
    const csrf = await c.csrf();
    const seq = (await b.admin.workspace.history())[0]!.seq;
    expect((await c.post(`/admin/history/${seq}/rollback`, { _csrf: csrf })).status).toBe(303);
    expect(await eventually(a.url, question, (t) => !t.includes('OKAPI-7'))).not.toContain('OKAPI-7');
    for (const d of running) expect(await eventually(d.url, question, (t) => !t.includes('OKAPI-7'))).not.toContain('OKAPI-7');
  }, 60_000);
});
