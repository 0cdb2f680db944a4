/**
 * Translators' files over real HTTP: export as CSV and XLSX, import back as drafts after a preview.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerKey } from '../../../src/knowledge/publish.js';
import { readXlsx } from '../../../src/admin/translations/xlsx.js';
import { parseCsv, writeCsv } from '../../../src/admin/translations/csv.js';
import { expectPrivateLogs, signIn, startWithAccounts, type SignedIn, type TestDalil } from '../support.js';

let d: TestDalil;
const signedIn = (user: string): Promise<SignedIn> => signIn(d, user);

beforeAll(async () => {
  d = await startWithAccounts();
});
afterAll(async () => {
  await d?.close();
});

describe("translators' files", () => {
  it('exports a language as CSV and XLSX, and imports it back as drafts after a preview', async () => {
    const ed = await signedIn('eddie');
    const csv = await ed.c.get('/admin/translations/export?lang=es&scope=all&format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="dalil-es-all-\d{4}-\d{2}-\d{2}\.csv"/);
    const rows = parseCsv(csv.text);
    expect(rows[0]).toEqual(['topic', 'field', 'source (fr)', 'translation (es)', 'status']);
    const title = rows.find((r) => r[0] === 'banking' && r[1] === 'title')!;
    expect(title[2]).toBe(d.live.kb.answers.get('banking')!.get('fr')!.title);
    expect(title[3]).toBe(d.live.kb.answers.get('banking')!.get('es')!.title);

    const xlsx = await fetch(`${d.url}/admin/translations/export?lang=ar&scope=all&format=xlsx`, { headers: { cookie: ed.c.cookieHeader() } });
    const sheet = readXlsx(Buffer.from(await xlsx.arrayBuffer()));
    expect(sheet[0]).toEqual(['topic', 'field', 'source (fr)', 'translation (ar)', 'status']);
    expect(sheet.find((r) => r[0] === 'banking' && r[1] === 'body')?.[3]).toBe(d.live.kb.answers.get('banking')!.get('ar')!.body);

    const edited = rows.map((r) => (r[0] === 'banking' && r[1] === 'title' ? [r[0], r[1], r[2]!, 'Abrir una cuenta bancaria (nuevo)', r[4]!] : r));
    const up = await ed.c.request('POST', '/admin/translations/import?lang=es', writeCsv(edited), { 'content-type': 'application/octet-stream', 'x-csrf-token': ed.csrf, accept: 'application/json' });
    expect(up.status).toBe(200);
    const location = (JSON.parse(up.text) as { location: string }).location;
    const preview = await ed.c.get(location);
    expect(preview.text).toContain('Abrir una cuenta bancaria (nuevo)');
    // Only the translated answer changes: the export gives texts as written, so answers that quote a
    // setting ({{retention_days}}) come back unchanged.
    expect([...preview.text.matchAll(/<article class="card" data-topic=/g)].length).toBe(1);
    const applied = await ed.c.post(`${location}/apply`, { _csrf: ed.csrf });
    expect(applied.status).toBe(303);
    const draft = await d.admin.workspace.draft(answerKey('banking', 'es'));
    expect(draft?.origin).toBe('import');
    expect(draft?.text).toContain('title: Abrir una cuenta bancaria (nuevo)');
    await d.admin.workspace.discardDraft(answerKey('banking', 'es'));
  });
});

describe('privacy of the logs', () => {
  it('never logs a password, session id, or the text of a missed question', () => {
    expectPrivateLogs(d);
  });
});
