/**
 * Missed questions over real HTTP: masked, grouped, attached to a topic as a phrase, dismissed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phrasesKey } from '../../../src/knowledge/publish.js';
import { expectPrivateLogs, signIn, startWithAccounts, type SignedIn, type TestDalil } from '../support.js';

let d: TestDalil;
const signedIn = (user: string): Promise<SignedIn> => signIn(d, user);

beforeAll(async () => {
  d = await startWithAccounts();
});
afterAll(async () => {
  await d?.close();
});

describe('missed questions', () => {
  it('are masked, grouped, attached to a topic as a phrase, or dismissed', async () => {
    await d.admin.recordMissed({ text: 'where can I open a bank acount, call me +212 612 345 678', lang: 'en', intent: 'out-of-scope', confidence: 0.2, topCandidates: [{ intent: 'banking', confidence: 0.2 }] });
    await d.admin.recordMissed({ text: 'where can i open a bank account? mail me at ana@example.org', lang: 'en', intent: 'out-of-scope', confidence: 0.25, topCandidates: [{ intent: 'banking', confidence: 0.25 }] });
    await d.admin.recordMissed({ text: 'my case number is 1234567, what now', lang: 'en', intent: 'out-of-scope', confidence: 0.1 });
    const ed = await signedIn('eddie');
    const page = await ed.c.get('/admin/missed');
    expect(page.text).not.toMatch(/612|345 678|ana@example|1234567/);
    expect(page.text).toContain('[phone]');
    expect(page.text).toContain('[email]');
    expect(page.text).toContain('[number]');
    const groups = [...page.text.matchAll(/<article class="card group">/g)].length;
    expect(groups).toBe(2);
    const ids = [...page.text.matchAll(/<li data-id="([^"]+)"><p dir="auto" lang="en">([^<]*)</g)].map((m) => ({ id: m[1]!, text: m[2]! }));
    const bank = ids.find((x) => x.text.includes('[phone]'))!;
    const res = await ed.c.post('/admin/missed/attach', { _csrf: ed.csrf, id: bank.id, topic: 'banking' });
    expect(res.status).toBe(303);
    const draft = await d.admin.workspace.draft(phrasesKey('en', 'banking'));
    expect(draft?.text).toContain('where can I open a bank acount, call me');
    expect(draft?.text).not.toContain('[phone]');
    expect(draft?.origin).toBe('missed');
    const rest = ids.filter((x) => x.id !== bank.id).map((x) => x.id);
    await ed.c.post('/admin/missed/dismiss', { _csrf: ed.csrf, ids: rest });
    expect((await ed.c.get('/admin/missed')).text).not.toContain('data-id=');
    await d.admin.workspace.discardDraft(phrasesKey('en', 'banking'));
  });
});

describe('privacy of the logs', () => {
  it('never logs a password, session id, or the text of a missed question', () => {
    expectPrivateLogs(d);
  });
});
