/**
 * Content editing over real HTTP on the embedded default: the matrix, editing with live checks,
 * review and publishing (the bot then answers with the new text), rollback, training phrases.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerKey, phrasesKey } from '../../../src/knowledge/publish.js';
import { fieldsOfText } from '../../../src/admin/content/answer-form.js';
import { ask, Client, expectPrivateLogs, signIn, startWithAccounts, type SignedIn, type TestDalil } from '../support.js';

let d: TestDalil;
const signedIn = (user: string): Promise<SignedIn> => signIn(d, user);

beforeAll(async () => {
  d = await startWithAccounts();
});
afterAll(async () => {
  await d?.close();
});

const housingEn = (): string => readFileSync(path.join(d.knowledge.contentDir, 'topics', 'housing', 'en.md'), 'utf8');

/** The form fields of the editor page for an answer, as a browser would submit them. */
async function editorForm(c: Client, topic: string, lang: string): Promise<Record<string, string | string[]>> {
  const page = await c.get(`/admin/topics/${topic}/${lang}`);
  expect(page.status).toBe(200);
  const form = /<form method="post" action="\/admin\/topics[^"]*" id="answer-form"[\s\S]*?<\/form>/.exec(page.text)![0];
  const out: Record<string, string | string[]> = {};
  const add = (k: string, v: string): void => {
    const cur = out[k];
    if (cur === undefined) out[k] = v;
    else out[k] = Array.isArray(cur) ? [...cur, v] : [cur, v];
  };
  const unescape = (s: string): string =>
    s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#96;/g, '`').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const withoutTemplate = form.replace(/<template[\s\S]*?<\/template>/, '');
  for (const m of withoutTemplate.matchAll(/<input ([^>]*)>/g)) {
    const name = /name="([^"]+)"/.exec(m[1]!)?.[1];
    const value = /value="([^"]*)"/.exec(m[1]!)?.[1] ?? '';
    if (!name) continue;
    if (/type="checkbox"/.test(m[1]!) && !/ checked/.test(m[1]!)) continue;
    add(name, unescape(value));
  }
  for (const m of withoutTemplate.matchAll(/<textarea name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) add(m[1]!, unescape(m[2]!));
  for (const m of withoutTemplate.matchAll(/<select name="([^"]+)">([\s\S]*?)<\/select>/g)) {
    add(m[1]!, /<option value="([^"]+)" selected>/.exec(m[2]!)?.[1] ?? '');
  }
  return out;
}

describe('topics, editing and publishing', () => {
  it('names the topic by its title in the interface language in the breadcrumb, not by its id', async () => {
    const { c } = await signedIn('eddie');
    const kb = d.live.kb;
    const crumbs = async (url: string): Promise<string> => /<p class="crumbs">([\s\S]*?)<\/p>/.exec((await c.get(url)).text)![1]!;
    const title = (lang: 'fr' | 'ar') => kb.answers.get('housing')!.get(lang)!.title.replace(/&/g, '&amp;').replace(/'/g, '&#39;');
    // French interface (the default), on the English answer and on the Arabic phrases.
    for (const url of ['/admin/topics/housing/en', '/admin/phrases/housing/ar']) {
      const fr = await crumbs(url);
      expect(fr, url).toContain(title('fr'));
      expect(fr, url).not.toMatch(/>housing</);
    }
    // Arabic interface.
    expect((await c.get('/admin/lang/ar?next=/admin/')).status).toBe(303);
    expect(await crumbs('/admin/topics/housing/en')).toContain(title('ar'));
    await c.get('/admin/lang/fr?next=/admin/');
  });

  it('shows every topic in every language with its status', async () => {
    const { c } = await signedIn('eddie');
    const page = await c.get('/admin/');
    expect(page.status).toBe(200);
    const cells = [...page.text.matchAll(/<a class="cell s-([a-z-]+)" href="\/admin\/topics\/([a-z-]+)\/([a-z]{2})"/g)];
    expect(cells.length).toBe(32 * 4);
    const rp = cells.find((m) => m[2] === 'residence-permit' && m[3] === 'fr');
    expect(rp?.[1]).toBe(d.live.kb.answers.get('residence-permit')!.get('fr')!.status);
  });

  it('checks a draft as the editor types, with the SMS segments and encoding', async () => {
    const { c, csrf } = await signedIn('eddie');
    const form = await editorForm(c, 'housing', 'en');
    const ok = await c.postJson('/admin/api/check/housing/en', form, { 'x-csrf-token': csrf });
    expect(ok.status).toBe(200);
    const good = JSON.parse(ok.text) as { issues: Array<{ severity: string; field?: string }>; preview: { sms: { encoding: string; segments: number }; whatsapp: { text: string } } };
    expect(good.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(good.preview.sms.encoding).toBe('GSM-7');
    expect(good.preview.whatsapp.text).toContain(`*${form.title}*`);

    const long = { ...form, sms: 'Wait for the answer. '.repeat(20), source_title: [], source_ref: [], source_url: [], reviewed: '2999-01-01' };
    const bad = JSON.parse((await c.postJson('/admin/api/check/housing/en', long, { 'x-csrf-token': csrf })).text) as typeof good;
    const errors = bad.issues.filter((i) => i.severity === 'error');
    // A date typed in the form is not written: only a reviewer's action records a checked date.
    expect(errors.map((e) => e.field).sort()).toEqual(['sms', 'sources']);
    expect(bad.preview.sms.segments).toBe(3);
  });

  it('edits the short label of buttons: shown from the file, checked as typed, kept in the draft', async () => {
    const { c, csrf } = await signedIn('eddie');
    const form = await editorForm(c, 'school-enrolment', 'fr');
    expect(form.label).toBe(fieldsOfText(readFileSync(path.join(d.knowledge.contentDir, 'topics', 'school-enrolment', 'fr.md'), 'utf8'), '2026-11-29').label);
    expect(form.label).not.toBe('');

    const check = async (label: string): Promise<Array<{ severity: string; field?: string; message: string }>> =>
      (JSON.parse((await c.postJson('/admin/api/check/school-enrolment/fr', { ...form, label }, { 'x-csrf-token': csrf })).text) as { issues: Array<{ severity: string; field?: string; message: string }> }).issues;
    expect((await check('Inscrire son enfant à l’école')).filter((i) => i.field === 'label')).toEqual([
      expect.objectContaining({ severity: 'error', code: 'label.tooLong', message: 'Le libellé court fait 29 caractères : les boutons WhatsApp en acceptent 20 au plus. Enlevez au moins 9 caractères.' }),
    ]);
    expect((await check('')).filter((i) => i.field === 'label')).toEqual([expect.objectContaining({ severity: 'warning' })]);

    const saved = await c.post('/admin/topics/school-enrolment/fr', { ...form, label: 'École des enfants', _csrf: csrf, action: 'save' });
    expect(saved.location).toBe('/admin/topics/school-enrolment/fr?done=saved');
    const draft = (await d.admin.workspace.draft(answerKey('school-enrolment', 'fr')))!.text;
    expect(draft.split('\n').slice(1, 3)).toEqual([expect.stringMatching(/^title: /), 'label: École des enfants']);
    expect((await editorForm(c, 'school-enrolment', 'fr')).label).toBe('École des enfants');
    await d.admin.workspace.discardDraft(answerKey('school-enrolment', 'fr'));
  });

  it('saves a draft (editor), publishes it (reviewer): the bot answers with the new text; rollback restores the old one', async () => {
    const before = housingEn();
    const question = 'how can I rent a flat, the landlord wants a deposit';
    expect(await ask(d.url, question)).not.toContain('ZEBRA-42');

    const ed = await signedIn('eddie');
    const form = await editorForm(ed.c, 'housing', 'en');
    // The form holds everything the file says, in the same order: sent back as it is, nothing changes.
    const same = await ed.c.post('/admin/topics/housing/en', { ...form, _csrf: ed.csrf, action: 'save' });
    expect(same.location).toBe('/admin/topics/housing/en?done=unchanged');
    expect(await d.admin.workspace.draft(answerKey('housing', 'en'))).toBeUndefined();
    const saved = await ed.c.post('/admin/topics/housing/en', { ...form, body: `${form.body}\n\nZEBRA-42: ask the landlord for a written receipt.`, note: 'receipt advice', _csrf: ed.csrf, action: 'save' });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe('/admin/topics/housing/en?done=saved');
    expect(housingEn()).toBe(before);
    const draft = fieldsOfText((await d.admin.workspace.draft(answerKey('housing', 'en')))!.text, '2026-11-29');
    const live = fieldsOfText(before, '2026-11-29');
    expect(draft).toEqual({ ...live, body: `${live.body}\n\nZEBRA-42: ask the landlord for a written receipt.` });
    expect((await ed.c.post('/admin/topics/housing/en', { ...form, _csrf: ed.csrf, action: 'publish' })).status).toBe(403);

    const rv = await signedIn('rita');
    const review = await rv.c.get('/admin/review');
    expect(review.text).toContain('ZEBRA-42');
    expect(review.text).toContain('receipt advice');
    const pub = await rv.c.post('/admin/review/publish', { _csrf: rv.csrf, keys: answerKey('housing', 'en') });
    expect(pub.status).toBe(303);
    expect(pub.location).toBe('/admin/review?done=published');
    expect(housingEn()).toContain('ZEBRA-42');
    expect(await ask(d.url, question)).toContain('ZEBRA-42');

    const history = await rv.c.get('/admin/history');
    const seq = Number(/data-seq="(\d+)"/.exec(history.text)![1]);
    expect(history.text).toContain('rita');
    expect(history.text).toContain('content/topics/housing/en.md');
    const back = await rv.c.post(`/admin/history/${seq}/rollback`, { _csrf: rv.csrf });
    expect(back.status).toBe(303);
    expect(housingEn()).toBe(before);
    expect(await ask(d.url, question)).not.toContain('ZEBRA-42');
    const after = await rv.c.get('/admin/history');
    expect(after.text).toContain(`data-seq="${seq + 1}"`);
  });

  it('marks an answer checked only on a reviewer\'s check: status, date and name, recorded in history', async () => {
    const file = (): string => readFileSync(path.join(d.knowledge.contentDir, 'topics', 'banking', 'en.md'), 'utf8');
    const ed = await signedIn('eddie');
    const form = await editorForm(ed.c, 'banking', 'en');
    // An editor cannot publish or mark checked by typing it into the form.
    await ed.c.post('/admin/topics/banking/en', { ...form, status: 'published', body: `${form.body}\n\nOTTER-7.`, _csrf: ed.csrf, action: 'save' });
    const draft = (await d.admin.workspace.draft(answerKey('banking', 'en')))!.text;
    expect(draft).toContain('status: needs-verification');
    expect(draft).not.toContain('reviewed_by');

    const rv = await signedIn('rita');
    expect((await rv.c.get('/admin/review')).text).toContain('name="checked"');
    // Published without the check: still "not yet checked".
    await rv.c.post('/admin/review/publish', { _csrf: rv.csrf, keys: answerKey('banking', 'en') });
    expect(file()).toContain('OTTER-7');
    expect(file()).toContain('status: needs-verification');
    expect(file()).not.toContain('reviewed_by');

    await ed.c.post('/admin/topics/banking/en', { ...(await editorForm(ed.c, 'banking', 'en')), body: `${form.body}\n\nOTTER-8.`, _csrf: ed.csrf, action: 'save' });
    const pub = await rv.c.post('/admin/review/publish', { _csrf: rv.csrf, keys: answerKey('banking', 'en'), checked: answerKey('banking', 'en') });
    expect(pub.location).toBe('/admin/review?done=published');
    expect(file()).toContain('status: published');
    expect(file()).toMatch(/reviewed: ["']?\d{4}-\d{2}-\d{2}["']?\nreviewed_by: rita\n/);
    expect((await rv.c.get('/admin/history')).text).toContain('rita');
    const answer = await ask(d.url, 'how do I open a bank account in Morocco');
    expect(answer).toContain('OTTER-8');
    expect(answer).not.toContain('Not yet checked by our team');
  });

  it('refuses to publish what content:check would refuse, and keeps the live answer', async () => {
    const before = readFileSync(path.join(d.knowledge.contentDir, 'topics', 'banking', 'fr.md'), 'utf8');
    const rv = await signedIn('rita');
    const form = await editorForm(rv.c, 'banking', 'fr');
    const res = await rv.c.post('/admin/topics/banking/fr', { ...form, source_title: [], source_ref: [], source_url: [], _csrf: rv.csrf, action: 'publish' });
    expect(res.status).toBe(422);
    // Said in the interface language (French by default), not the checker's English.
    expect(res.text).toContain('Aucune source : indiquez-en au moins une');
    expect(res.text).not.toContain('is empty: list at least one source');
    expect(readFileSync(path.join(d.knowledge.contentDir, 'topics', 'banking', 'fr.md'), 'utf8')).toBe(before);
    // The refused change stays as a draft, so nothing typed is lost.
    expect(await d.admin.workspace.draft(answerKey('banking', 'fr'))).toBeDefined();
    await d.admin.workspace.discardDraft(answerKey('banking', 'fr'));
  });

  it('adds and removes training phrases; publishing retrains the matcher', async () => {
    const phrase = 'zorblax quantum piggybank wobble';
    const key = phrasesKey('en', 'banking');
    const file = path.join(d.knowledge.intentsDir, 'en', 'banking.txt');
    const rv = await signedIn('rita');
    const added = await rv.c.post('/admin/phrases/banking/en', { _csrf: rv.csrf, add: phrase, action: 'publish' });
    expect(added.status).toBe(303);
    expect(readFileSync(file, 'utf8')).toContain(phrase);
    expect(d.live.matcher.match(phrase, 'en').ranked[0]?.intent).toBe('banking');
    const removed = await rv.c.post('/admin/phrases/banking/en', { _csrf: rv.csrf, remove: phrase, action: 'publish' });
    expect(removed.status).toBe(303);
    expect(readFileSync(file, 'utf8')).not.toContain(phrase);
    expect(await d.admin.workspace.draft(key)).toBeUndefined();
  });

  it('refuses a phrase that another topic already has', async () => {
    const taken = readFileSync(path.join(d.knowledge.intentsDir, 'en', 'housing.txt'), 'utf8').split('\n').find((l) => l.trim() && !l.startsWith('#'))!;
    const rv = await signedIn('rita');
    const res = await rv.c.post('/admin/phrases/banking/en', { _csrf: rv.csrf, add: taken, action: 'publish' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('est sous deux intentions');
    await d.admin.workspace.discardDraft(phrasesKey('en', 'banking'));
  });
});

describe('privacy of the logs', () => {
  it('never logs a password, session id, or the text of a missed question', () => {
    expectPrivateLogs(d);
  });
});
