/**
 * The Insights page and exports over real HTTP, on a month of seeded counters: who may see them,
 * the charts and tables, the filters, and small-count protection everywhere (page, CSV, JSON).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startTestDalil, type SignedIn, type TestDalil } from '../support.js';
import { seedInsights } from './seed.js';

let d: TestDalil;
const NOW = Date.parse('2026-11-30T12:00:00Z');
const signedIn = (user: string): Promise<SignedIn> => signIn(d, user);

beforeAll(async () => {
  d = await startTestDalil({ insights: { retentionDays: 400, minCount: 5, roundTo: 5, smsSegmentPrice: 0.35, smsCurrency: 'MAD' }, now: () => NOW });
  await d.addUser('eddie', 'editor');
  await d.addUser('rita', 'reviewer');
  await d.addUser('ada', 'admin');
  await seedInsights(d.admin, NOW);
}, 60_000);
afterAll(async () => {
  await d?.close();
});

/** The numbers of table cells and bar values of a page. */
function shownNumbers(page: string): string[] {
  return [...page.matchAll(/<(?:td|dd)>([^<]*)<\/(?:td|dd)>|<span class="ins-hv">([^<]*)<\/span>/g)].map((m) => (m[1] ?? m[2] ?? '').trim());
}

/** A shown count is "<5", a dash, 0, or a multiple of 5 (thousands separators aside). */
function expectProtected(values: readonly string[]): void {
  for (const v of values) {
    for (const part of v.split('/').map((x) => x.trim())) {
      if (part === '&lt;5' || part === '<5' || part === '–' || part === '' || /ms|MAD|م\.ث/.test(part)) continue;
      const n = Number(part.replace(/[\s\u202f\u00a0,.]/g, ''));
      expect(Number.isNaN(n) || n % 5 === 0, `shown count "${part}"`).toBe(true);
    }
  }
}

describe('insights page', () => {
  it('is for reviewers and administrators only, and in their menu', async () => {
    const ed = await signedIn('eddie');
    expect((await ed.c.get('/admin/insights')).status).toBe(403);
    expect((await ed.c.get('/admin/insights/export.csv')).status).toBe(403);
    expect((await ed.c.get('/admin/')).text).not.toContain('/admin/insights"');
    for (const user of ['rita', 'ada']) {
      const s = await signedIn(user);
      const home = await s.c.get('/admin/');
      expect(home.text).toContain('href="/admin/insights"');
      expect((await s.c.get('/admin/insights')).status).toBe(200);
    }
    expect((await fetch(`${d.url}/admin/insights`, { redirect: 'manual' })).status).not.toBe(200);
  });

  it('draws the charts and tables, links problem topics to their editor and the missed questions, and hides small counts', async () => {
    const rita = await signedIn('rita');
    const res = await rita.c.get('/admin/insights?period=30');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const page = res.text;
    for (const id of ['by-channel', 'by-lang', 'topics', 'problems', 'cities', 'sms', 'urgent', 'export']) expect(page).toContain(`id="${id}"`);
    expect([...page.matchAll(/<svg class="ins-chart"/g)].length).toBeGreaterThanOrEqual(4);
    expect(page).toContain('<svg class="ins-map"');
    // No inline style: the admin's CSP would block it.
    expect(page).not.toMatch(/\sstyle="/);
    expect(page).toMatch(/<tr data-topic="banking">[\s\S]*?href="\/admin\/topics\/banking\/fr"[\s\S]*?href="\/admin\/missed"/);
    // Tiznit had two messages: its row reads "<5"; Casablanca had hundreds.
    expect(page).toMatch(/Tiznit<\/span>\s*<svg[^>]*>.*?<\/svg>\s*<span class="ins-hv"><bdi dir="ltr">&lt;5<\/bdi><\/span>/s);
    expect(page).toMatch(/Casablanca<\/span>[\s\S]*?<span class="ins-hv">\d[\d\s\u202f,.]*<\/span>/);
    // One trafficking case this month: the urgent table says "<5", never "1".
    expect(page).toMatch(/Σ<\/th>(?:<td>[^<]*<\/td>)*<td><bdi dir="ltr">&lt;5<\/bdi><\/td>/);
    expectProtected(shownNumbers(page));
    // SMS cost at the configured price.
    expect(page).toContain('data-tile="cost"');
    expect(page).toContain('0,35 MAD');
  });

  it('filters by channel and language, in Arabic too', async () => {
    const rita = await signedIn('rita');
    const sms = await rita.c.get('/admin/insights?period=7&channel=sms&lang=es');
    expect(sms.status).toBe(200);
    expect(sms.text).toContain('<option value="sms" selected>');
    expect(sms.text).toContain('<option value="es" selected>');
    expect(sms.text).not.toMatch(/<th scope="col">WhatsApp<\/th>/);
    expectProtected(shownNumbers(sms.text));
    await rita.c.get('/admin/lang/ar?next=/admin/insights');
    const ar = await rita.c.get('/admin/insights');
    expect(ar.text).toContain('<html lang="ar" dir="rtl">');
    expect(ar.text).toContain('مؤشرات');
    expectProtected(shownNumbers(ar.text));
  });
});

describe('insights exports', () => {
  it('CSV and JSON give protected day-by-day counters, with a README of the fields', async () => {
    const rita = await signedIn('rita');
    const csv = await rita.c.get('/admin/insights/export.csv?period=30');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="dalil-insights-2026-11-01-2026-11-30\.csv"/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('day,metric,channel,lang,key,detail,count');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.length).toBeGreaterThan(100);
    for (const r of rows) expect(r[6] === '<5' || (Number(r[6]) >= 5 && Number(r[6]) % 5 === 0), r.join(',')).toBe(true);
    expect(rows.filter((r) => r[1] === 'city' && r[4] === 'tiznit').map((r) => r[6])).toEqual(['<5']);
    expect(rows.some((r) => r[1] === 'turns' && Number(r[6]) >= 5)).toBe(true);
    expect(rows.every((r) => /^2026-11-\d{2}$/.test(r[0]!))).toBe(true);

    const json = await rita.c.get('/admin/insights/export.json?period=30&channel=sms');
    const body = JSON.parse(json.text) as { minCount: number; channel: string; rows: Array<{ channel: string; count: number | string; metric: string; key: string }> };
    expect(body.minCount).toBe(5);
    expect(body.channel).toBe('sms');
    expect(body.rows.length).toBeGreaterThan(10);
    for (const r of body.rows) {
      expect(r.channel).toBe('sms');
      expect(r.count === '<5' || (typeof r.count === 'number' && r.count >= 5 && r.count % 5 === 0)).toBe(true);
    }
    expect(body.rows.some((r) => r.metric === 'sms_segments' && typeof r.count === 'number')).toBe(true);

    const readme = await rita.c.get('/admin/insights/README.md');
    expect(readme.headers.get('content-type')).toContain('text/markdown');
    for (const field of ['`day`', '`metric`', '`count`', 'sms_segments', 'latency_bucket', '`<5`', 'rounded to the nearest multiple of 5']) expect(readme.text).toContain(field);
  });
});
