/**
 * Pure parts of the admin: HTML escaping, masking and grouping missed questions, CSV and XLSX
 * for translators, editing phrase files, writing answers back, password hashing, line diffs.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hashPassword, verifyPassword } from '../../src/admin/auth.js';
import { parseCsv, writeCsv } from '../../src/admin/csv.js';
import { diffLines } from '../../src/admin/diff.js';
import { escapeHtml, html, safeNext } from '../../src/admin/html.js';
import { createMissedLog, groupMissed, maskPrivate, type MissedQuestion } from '../../src/admin/missed.js';
import { editPhrases, phrasesOf } from '../../src/admin/phrases.js';
import { fieldsOfText } from '../../src/admin/answer-form.js';
import { readXlsx, unzip, writeXlsx, zip } from '../../src/admin/xlsx.js';
import { answerToMarkdown } from '../../src/knowledge/publish.js';
import { validateAnswer } from '../../src/knowledge/index.js';
import { ar } from '../../src/admin/locales/ar.js';
import { en } from '../../src/admin/locales/en.js';
import { fr } from '../../src/admin/locales/fr.js';
import type { AdminStore } from '../../src/admin/store/port.js';
import { captureLogger } from './support.js';

describe('html', () => {
  it('escapes every value put into a template', () => {
    const evil = `<script>alert("x")</script>' onload='x' \``;
    const out = html`<p title="${evil}">${evil}</p>`.value;
    expect(out).not.toContain('<script>');
    expect(out.match(/["'`]/g)).toEqual(['"', '"']);
    expect(out).toBe(`<p title="${escapeHtml(evil)}">${escapeHtml(evil)}</p>`);
    expect(html`${[html`<b>${'<i>'}</b>`, '<u>']}`.value).toBe('<b>&lt;i&gt;</b>&lt;u&gt;');
  });

  it('redirects only inside the admin', () => {
    expect(safeNext('/admin/review', '/admin', '/admin/')).toBe('/admin/review');
    for (const bad of ['https://evil.example/admin/', '//evil.example', '/adminx', '/admin/\\evil', 42]) expect(safeNext(bad, '/admin', '/admin/')).toBe('/admin/');
  });

  it('has every interface string in French, English and Arabic', () => {
    for (const table of [fr, ar]) {
      expect(Object.keys(table).sort()).toEqual(Object.keys(en).sort());
      for (const [k, v] of Object.entries(table)) {
        expect(v.trim(), k).not.toBe('');
        expect([...v.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort(), k).toEqual([...en[k as keyof typeof en].matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort());
      }
    }
  });
});

describe('missed questions', () => {
  it('masks phone numbers, e-mail addresses and digit runs of 6 or more', () => {
    expect(maskPrivate('call +212 6 12 34 56 78 or 0612345678 now')).toBe('call [phone] or [phone] now');
    expect(maskPrivate('06-12-34-56-78 / (0537) 77.03.32')).toBe('[phone] / ([phone]');
    expect(maskPrivate('write to ana.b+x@mail.example.org please')).toBe('write to [email] please');
    expect(maskPrivate('case 123456, room 12, year 2024')).toBe('case [number], room 12, year 2024');
    expect(maskPrivate('رقمي ٠٦١٢٣٤٥٦٧٨')).toBe('رقمي [phone]');
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{6,15}$/), fc.string({ maxLength: 20 }), (digits, around) => {
        const masked = maskPrivate(`${around} ${digits} ${around}`);
        return !masked.includes(digits);
      }),
    );
  });

  it('stores a masked copy without any user identifier, for at most 30 days', async () => {
    const saved: Array<{ id: string; value: unknown; ttl?: number }> = [];
    const store = {
      incr: async () => 1,
      put: async (_c: string, id: string, value: unknown, ttl?: number) => void saved.push({ id, value, ttl }),
    } as unknown as AdminStore;
    const log = createMissedLog({ store, logger: captureLogger(), retentionDays: 90 });
    await log.record({ text: 'my number is 0612345678', lang: 'fr', intent: 'out-of-scope', confidence: 0.1, topCandidates: [{ intent: 'housing', confidence: 0.1 }], userId: 'tg:99' } as never);
    expect(saved).toHaveLength(1);
    expect(saved[0]!.ttl).toBe(30 * 86_400);
    const value = saved[0]!.value as Record<string, unknown>;
    expect(Object.keys(value).sort()).toEqual(['at', 'candidates', 'confidence', 'id', 'intent', 'lang', 'text']);
    expect(JSON.stringify(value)).not.toMatch(/0612345678|tg:99/);
  });

  it('groups questions that look alike', () => {
    const q = (text: string, i: number, intent?: string): MissedQuestion => ({ id: String(i), text, at: i, candidates: intent ? [{ intent, confidence: 0.3 }] : [] });
    const groups = groupMissed([
      q('comment ouvrir un compte bancaire', 1, 'banking'),
      q('comment ouvrir un compte en banque ?', 2, 'banking'),
      q('Comment ouvrir un compte bancaire svp', 3),
      q('ma femme est malade, quel hopital', 4, 'health-care'),
    ]);
    expect(groups.map((g) => g.items.length)).toEqual([3, 1]);
    expect(groups[0]!.suggestion).toBe('banking');
  });
});

describe("translators' files", () => {
  const rows = [
    ['topic', 'field', 'source (fr)', 'translation (ar)', 'status'],
    ['banking', 'body', 'Ligne 1\n\n- liste "guillemets", virgule; point-virgule', 'السطر الأول\n- قائمة', 'published'],
    ['banking', 'sms', '=HYPERLINK("x")', '+212 formula?', 'stale'],
    ['housing', 'title', ' espace ', '', 'missing'],
  ];

  it('writes CSV that reads back the same, with formulas neutralised', () => {
    const text = writeCsv(rows);
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
    expect(parseCsv(text)).toEqual(rows);
    const semicolons = rows.map((r) => r.map((c) => (/[;"\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(';')).join('\r\n');
    expect(parseCsv(semicolons)).toEqual(rows);
    fc.assert(fc.property(fc.array(fc.array(fc.string({ minLength: 1 }).filter((s) => !/^[=+\-@\t\r']/.test(s) && s.trim() !== ''), { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (r) => JSON.stringify(parseCsv(writeCsv(r))) === JSON.stringify(r)));
  });

  it('writes XLSX that reads back the same, and reads shared strings as Excel saves them', () => {
    expect(readXlsx(writeXlsx(rows, { sheetName: 'ar' }))).toEqual(rows);
    const parts = unzip(writeXlsx(rows, { sheetName: 'ar' }));
    expect(parts.get('xl/worksheets/sheet1.xml')!.toString()).not.toContain('<f>');
    const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    const excel = zip([
      { name: 'xl/workbook.xml', data: Buffer.from(`<workbook xmlns="${ns}" xmlns:r="r"><sheets><sheet name="x" sheetId="1" r:id="rId3"/></sheets></workbook>`) },
      { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from('<Relationships><Relationship Id="rId3" Type="t" Target="/xl/worksheets/other.xml"/></Relationships>') },
      { name: 'xl/sharedStrings.xml', data: Buffer.from(`<sst xmlns="${ns}"><si><t>topic</t></si><si><r><t>ban</t></r><r><t xml:space="preserve">king </t></r></si><si><t>a&amp;b_x000D_</t></si></sst>`) },
      { name: 'xl/worksheets/other.xml', data: Buffer.from(`<worksheet xmlns="${ns}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>2</v></c></row><row r="3"><c r="B3" t="s"><v>1</v></c><c r="C3"><v>42</v></c></row></sheetData></worksheet>`) },
    ]);
    expect(readXlsx(excel)).toEqual([['topic', '', 'a&b\r'], ['', 'banking ', '42']]);
  });
});

describe('phrase files', () => {
  it('adds and removes phrases, keeping comments and refusing duplicates', () => {
    const text = '# banking\ncompte bancaire\nBanque sans papiers\n\nouvrir un compte\n';
    const out = editPhrases(text, ['nouvelle phrase', 'OUVRIR UN COMPTE', ''], ['banque  sans papiers']);
    expect(out).toBe('# banking\ncompte bancaire\n\nouvrir un compte\nnouvelle phrase\n');
    expect(phrasesOf(out)).toEqual(['compte bancaire', 'ouvrir un compte', 'nouvelle phrase']);
  });
});

describe('answers written back', () => {
  it('round-trips any text through the front matter and passes the same validator', () => {
    const fields = {
      title: 'Titre : avec "guillemets" et # dièse',
      status: 'needs-verification' as const,
      // No reviewer: the date is not written, and reads back as the editor's default (today).
      reviewed: '2026-11-29',
      sources: [{ title: 'Loi 02-03: art. 6', ref: 'Loi 02-03, art. 6' }, { title: 'Site', url: 'https://example.org/a?b=1#c' }],
      related: ['irregular-stay'],
      organisations: ['gadem'],
      sms: "Carte de sejour: demande a la police. Repondez 1 pour plus.",
      body: '*Gras*\n\n- point\n- autre',
    };
    const { text, lines } = answerToMarkdown(fields);
    const v = validateAnswer(text, { file: 'f.md', topic: 'residence-permit', lang: 'fr', smsShortFormSegments: 2, today: '2026-11-29', organisationIds: new Set(['gadem']) });
    expect(v.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(v.answer).toMatchObject({ title: fields.title, sms: fields.sms, body: fields.body, sources: fields.sources, related: fields.related });
    expect(fieldsOfText(text, '2026-11-29')).toEqual(fields);
    const smsLine = lines.find((l) => l.field === 'sms')!;
    expect(text.split('\n')[smsLine.from - 1]).toMatch(/^sms: /);
  });
});

describe('passwords and diffs', () => {
  it('hashes with scrypt and a random salt, and checks in constant time', async () => {
    const a = await hashPassword('correct-horse-battery');
    const b = await hashPassword('correct-horse-battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct-horse-battery', a)).toBe(true);
    expect(await verifyPassword('correct-horse-batterz', a)).toBe(false);
    expect(await verifyPassword('x', undefined)).toBe(false);
    expect(await verifyPassword('x', 'plain')).toBe(false);
  });

  it('diffs lines', () => {
    expect(diffLines('a\nb\nc', 'a\nx\nc')).toEqual([
      { op: 'same', text: 'a' },
      { op: 'add', text: 'x' },
      { op: 'del', text: 'b' },
      { op: 'same', text: 'c' },
    ]);
    expect(diffLines('', 'new')).toEqual([{ op: 'add', text: 'new' }]);
  });
});
