/**
 * The editors' app in the editor's own language, in a real headless Chromium (Debian's
 * /usr/bin/chromium driven by playwright-core; no browser is ever downloaded): French first
 * whatever the browser says, the checks, notices, review page, import errors and plurals in Arabic,
 * a draft saved with a blocking error said so, a phone number in an answer warned about, topic
 * titles in the history and the missed-questions inbox, an empty translators' export said so, and
 * the answer's text box taking most of a 360x640 phone. Screenshots go to test-artifacts/admin-e2e/
 * (git-ignored). Without /usr/bin/chromium the suite is skipped with one loud line, except on CI.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { exportRows } from '../../src/admin/translations/import-export.js';
import { PROJECT_ROOT } from '../../src/config/index.js';
import { LANGS } from '../../src/domain/index.js';
import { PASSWORD, startTestDalil, type TestDalil } from '../admin/support.js';
import { CHROMIUM, chromiumAvailable as available } from '../helpers/chromium.js';

const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts', 'admin-e2e');

/** An English sentence of a checker ("the SMS short form is too long ..."): what an Arabic page must not show. */
const ENGLISH = /\b(the|is|must|write|found|translation|unknown)\b/i;

describe.skipIf(!available)('the editors\' app in the editor\'s language, in a real browser', () => {
  let d: TestDalil;
  let context: BrowserContext;
  let page: Page;
  let profile: string;

  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  const signIn = async (user: string): Promise<void> => {
    await page.goto(`${d.url}/admin/login`);
    await page.fill('input[name=username]', user);
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL(`${d.url}/admin/`), page.click('button[type=submit].primary')]);
  };
  const signOut = async (): Promise<void> => {
    await Promise.all([page.waitForURL(/\/admin\/login$/), page.click('.account button[type=submit]')]);
  };
  const csrf = (): Promise<string> => page.locator('input[name=_csrf]').first().inputValue();

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    d = await startTestDalil();
    await d.addUser('eddie', 'editor');
    await d.addUser('rita', 'reviewer');
    profile = mkdtempSync(path.join(tmpdir(), 'dalil-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 360, height: 640 },
      // An English browser: the app still starts in French, the Centre's working language.
      locale: 'en-US',
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('dialog', (dialog) => void dialog.accept());
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await d?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('starts in French in an English browser, then keeps the language the editor chose', async () => {
    await page.goto(`${d.url}/admin/login`);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.locator('h1').innerText()).toBe('Connexion');
    await signIn('eddie');
    await Promise.all([page.waitForURL(`${d.url}/admin/`), page.click('.langs a[lang=ar]')]);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
  }, 60_000);

  it('gives the editing area most of a phone screen', async () => {
    await page.goto(`${d.url}/admin/topics/housing/ar`);
    const header = await page.locator('header.top').boundingBox();
    expect(header!.height).toBeLessThan(140);
    await page.evaluate("document.querySelector('textarea[name=body]').scrollIntoView({ block: 'start' })");
    const visible = await page.evaluate<number>(
      "(() => { const t = document.querySelector('textarea[name=body]').getBoundingClientRect(); const bar = document.querySelector('.actions.sticky').getBoundingClientRect(); return Math.min(t.bottom, bar.top) - Math.max(0, t.top); })()",
    );
    expect(visible).toBeGreaterThan(640 * 0.75);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(1);
    await shot('10-editor-ar-phone-body');
  }, 60_000);

  it('says the checks in Arabic, warns about a phone number, and says a draft with a blocking error cannot be published', async () => {
    await page.goto(`${d.url}/admin/topics/housing/ar`);
    await page.fill('textarea[name=sms]', 'هذا نص طويل جدا للرسالة القصيرة، يجب اختصاره كثيرا. '.repeat(8));
    const body = page.locator('textarea[name=body]');
    await body.fill(`${await body.inputValue()}\n\nاتصلوا بالجمعية على 0537 54 00 00.`);
    const error = page.locator('#issues li.error');
    await expect.poll(() => error.count(), { timeout: 5000 }).toBeGreaterThan(0);
    const errorText = await error.first().innerText();
    expect(errorText).toContain('طويل جدًا');
    expect(errorText).not.toMatch(ENGLISH);
    // No checker sentence is left in English (the status advice included).
    for (const text of await page.locator('#issues li').allInnerTexts()) expect(text).not.toMatch(ENGLISH);
    const warning = page.locator('#issues li.warning', { hasText: '0537 54 00 00' });
    await expect.poll(() => warning.count(), { timeout: 5000 }).toBe(1);
    expect(await warning.innerText()).toContain('رقم هاتف');
    await page.locator('#issues').scrollIntoViewIfNeeded();
    await shot('11-checks-ar-phone');

    await Promise.all([page.waitForURL(/done=savedWithErrors/), page.click('button[value=save]')]);
    const notice = page.locator('p.notice[role=status]');
    expect(await notice.getAttribute('class')).toContain('error');
    expect(await notice.innerText()).toContain('لا يمكن لأحد نشره');
    await shot('12-saved-with-errors-ar');

    // The review page places the problem by its field, in Arabic, with the right plural.
    await page.goto(`${d.url}/admin/review`);
    const card = page.locator('article.card', { hasText: 'AR' }).first();
    const issue = card.locator('ul.issues li.error').first();
    expect(await issue.innerText()).toMatch(/^النسخة القصيرة للرسائل النصية: /);
    expect(await card.locator('p.bad').innerText()).toMatch(/^مشكلة واحدة للتصحيح، (نصيحة واحدة|نصيحتان|\d+ نصائح)$/);
  }, 60_000);

  it('says import problems in Arabic, with the languages by name', async () => {
    await page.goto(`${d.url}/admin/translations`);
    const csv = 'topic,field,source (fr),translation (es),status\nhousing,title,Logement,Vivienda,published\n';
    const res = await page.request.post(`${d.url}/admin/translations/import?lang=en`, {
      data: csv,
      headers: { 'content-type': 'application/octet-stream', 'x-csrf-token': await csrf(), accept: 'application/json' },
    });
    expect(res.status()).toBe(200);
    await page.goto(d.url + ((await res.json()) as { location: string }).location);
    const problem = await page.locator('.notice.error li').first().innerText();
    expect(problem).toContain('Español');
    expect(problem).toContain('English');
    expect(problem).toContain('هذا الملف يحتوي ترجمة');
    expect(problem).not.toMatch(ENGLISH);
  }, 60_000);

  it('says so when there is nothing to translate, instead of an empty file', async () => {
    await page.goto(`${d.url}/admin/translations`);
    const marks = await d.admin.workspace.marks();
    for (const lang of LANGS.filter((l) => l !== 'fr')) {
      const todo = exportRows(d.live.kb, lang, 'todo', marks).length - 1;
      const res = await page.request.get(`${d.url}/admin/translations/export?lang=${lang}&scope=todo&format=csv`, { maxRedirects: 0 });
      if (todo === 0) {
        expect(res.status(), lang).toBe(303);
        await page.goto(d.url + res.headers()['location']);
        expect(await page.locator('p.notice[role=status]').innerText()).toContain('لا شيء للترجمة');
      } else {
        expect(res.status(), lang).toBe(200);
        expect((await res.text()).trim().split('\n').length, lang).toBeGreaterThan(1);
      }
    }
    // Every answer exists in the test content: at least one language has nothing to do.
    expect(LANGS.some((l) => l !== 'fr' && exportRows(d.live.kb, l, 'todo', marks).length === 1)).toBe(true);
  }, 60_000);

  it('names topics by their titles in the missed-questions inbox and explains its percentages', async () => {
    await d.admin.recordMissed({ text: 'kifach nkri dar bla bail', lang: 'fr', intent: 'out-of-scope', confidence: 0.35, topCandidates: [{ intent: 'housing', confidence: 0.35 }, { intent: 'greeting', confidence: 0.1 }] });
    await page.goto(`${d.url}/admin/missed`);
    const meta = await page.locator('ul.missed li .meta').first().innerText();
    const title = d.live.kb.answers.get('housing')!.get('ar')!.title;
    expect(meta).toContain(`${title} (متأكد بنسبة 35%)`);
    expect(meta).toContain('ليس موضوعًا');
    expect(meta).not.toMatch(/\bhousing\b|\bgreeting\b/);
    expect(await page.locator('p.help').innerText()).toContain('تبين النسبة');
    await shot('13-missed-ar-phone');
    await signOut();
  }, 60_000);

  it('lists the history by topic titles, not file paths', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn('rita');
    await page.goto(`${d.url}/admin/topics/banking/fr`);
    const body = page.locator('textarea[name=body]');
    await body.fill(`${await body.inputValue()}\n\nGardez une copie de chaque document signé.`);
    await Promise.all([page.waitForURL(/done=published/), page.click('button[value=publish]')]);
    await page.goto(`${d.url}/admin/history`);
    const file = page.locator('article.card').first().locator('ul.files li b.file').first();
    expect(await file.innerText()).toBe(`${d.live.kb.answers.get('banking')!.get('fr')!.title} · FR`);
    expect(await page.locator('article.card').first().innerText()).not.toContain('content/topics/');
    await shot('14-history-titles-ar');
  }, 60_000);
});
