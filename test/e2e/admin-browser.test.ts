/**
 * End to end in a real headless Chromium (Debian's /usr/bin/chromium driven by playwright-core;
 * no browser is ever downloaded): sign in, edit an answer with its live preview, publish as a
 * reviewer, the bot answering with the new text through /api/chat (the chat page), rollback, and
 * the Arabic right-to-left interface on a phone-sized screen. Screenshots of the main pages go to
 * test-artifacts/admin-e2e/ (git-ignored). Without /usr/bin/chromium the suite is skipped with one
 * loud line, except on CI (CI=true), where it fails.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/config/index.js';
import { ask, PASSWORD, startTestDalil, type TestDalil } from '../admin/support.js';
import { CHROMIUM, chromiumAvailable as available } from '../helpers/chromium.js';

const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts', 'admin-e2e');

describe.skipIf(!available)('admin in a real browser', () => {
  let d: TestDalil;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const started = Date.now();
  const marker = 'QUOKKA-9: ask the landlord for a signed receipt for every payment.';
  const question = 'how can I rent a flat, the landlord wants a deposit';

  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
  const signIn = async (user: string): Promise<void> => {
    await page.goto(`${d.url}/admin/login`);
    await page.fill('input[name=username]', user);
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL(`${d.url}/admin/`), page.click('button[type=submit].primary')]);
  };
  const signOut = async (): Promise<void> => {
    await Promise.all([page.waitForURL(/\/admin\/login$/), page.click('.account button[type=submit]')]);
  };

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
      viewport: { width: 1280, height: 900 },
      locale: 'fr-FR',
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('dialog', (dialog) => void dialog.accept());
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await d?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    console.info(`admin e2e: ${((Date.now() - started) / 1000).toFixed(1)} s, screenshots in ${path.relative(PROJECT_ROOT, ARTIFACTS)}/`);
  });

  it('an editor signs in and edits an answer with the live preview and checks', async () => {
    await signIn('eddie');
    expect(await page.locator('a.cell').count()).toBe(32 * 4);
    await shot('01-topics');

    await Promise.all([page.waitForURL(/\/admin\/topics\/housing\/en$/), page.click('a.cell[data-topic="housing"][data-lang="en"]')]);
    const body = page.locator('textarea[name=body]');
    await body.fill(`${await body.inputValue()}\n\n${marker}`);
    await expect.poll(() => page.locator('#pv-whatsapp').innerText(), { timeout: 5000 }).toContain('QUOKKA-9');
    expect(await page.locator('#pv-telegram').innerText()).toContain('QUOKKA-9');
    // The title shows in bold in the chat previews, built by the page script.
    expect(await page.locator('#pv-whatsapp b').first().innerText()).toBe(await page.locator('input[name=title]').inputValue());

    const sms = page.locator('textarea[name=sms]');
    const shortForm = await sms.inputValue();
    // Arabic needs UCS-2 (70/67 characters a segment) whatever is folded: over the 2-segment budget.
    await sms.fill('سيصلك الجواب قريبا، حسب حالتك. '.repeat(5));
    await expect.poll(() => page.locator('#pv-sms-meta').getAttribute('class'), { timeout: 5000 }).toContain('over');
    expect(await page.locator('#pv-sms-meta').innerText()).toMatch(/UCS-2/);
    expect(await page.locator('#issues li.error').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-field="sms"].has-error').count()).toBe(1);
    await shot('02-editor-checks');
    await sms.fill(shortForm);
    await expect.poll(() => page.locator('#issues li.error').count(), { timeout: 5000 }).toBe(0);
    expect(await page.locator('#pv-sms-meta').innerText()).toMatch(/GSM-7/);

    await Promise.all([page.waitForURL(/done=saved/), page.click('button[value=save]')]);
    expect(await page.locator('.notice.ok').innerText()).toBeTruthy();
    expect(await ask(d.url, question)).not.toContain('QUOKKA-9');
    await signOut();
  }, 120_000);

  it('a reviewer publishes it, and the bot answers with the new text on the chat page', async () => {
    await signIn('rita');
    await page.goto(`${d.url}/admin/review`);
    expect(await page.locator('article.card').count()).toBe(1);
    await page.locator('article.card details summary').click();
    await shot('03-review');
    await page.check('input[name=keys][value="content/topics/housing/en.md"]');
    await Promise.all([page.waitForURL(/done=published/), page.click('#publish-form button[type=submit]')]);

    await page.goto(`${d.url}/`);
    await page.fill('#t', question);
    await page.press('#t', 'Enter');
    // The answer leads with its short form; the new text is in the full answer behind "read more".
    await expect.poll(() => page.locator('.msg.bot.answer button.more').count(), { timeout: 15_000 }).toBe(1);
    await page.click('.msg.bot.answer button.more');
    expect(await page.locator('.msg.bot.answer .full').innerText()).toContain('QUOKKA-9');
    await shot('04-chat-after-publish');
  }, 120_000);

  it('the reviewer rolls the version back, and the bot answers with the old text again', async () => {
    await page.goto(`${d.url}/admin/history`);
    await page.locator('article.card details summary').first().click();
    await shot('05-history');
    await Promise.all([page.waitForURL(/done=rolledBack/), page.locator('article.card').first().locator('form button[type=submit]').click()]);
    expect(await page.locator('article.card').count()).toBe(2);
    expect(await ask(d.url, question)).not.toContain('QUOKKA-9');
  }, 120_000);

  it('works right-to-left in Arabic on a phone-sized screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${d.url}/admin/`);
    await Promise.all([page.waitForURL(`${d.url}/admin/`), page.click('.langs a[lang=ar]')]);
    expect(await page.evaluate<string>('document.documentElement.dir')).toBe('rtl');
    expect(await page.locator('h1').innerText()).toBe('المواضيع واللغات');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(1);
    await shot('06-topics-ar-phone');
    await page.goto(`${d.url}/admin/topics/housing/ar`);
    expect(await page.locator('textarea[name=body]').getAttribute('dir')).toBe('rtl');
    await shot('07-editor-ar-phone');
    await d.admin.recordMissed({ text: 'bghit nftah compte f lbanka bla karta, tel 0612345678', lang: 'ar', intent: 'out-of-scope', confidence: 0.2, topCandidates: [{ intent: 'banking', confidence: 0.2 }] });
    await page.goto(`${d.url}/admin/missed`);
    expect(await page.locator('ul.missed li').first().innerText()).toContain('[phone]');
    await shot('08-missed-ar-phone');
    await page.goto(`${d.url}/admin/translations`);
    await shot('09-translations-ar-phone');
    for (const p of ['/admin/', '/admin/topics/housing/ar', '/admin/missed', '/admin/translations', '/admin/review', '/admin/history']) {
      await page.goto(d.url + p);
      const wide = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(wide, p).toBeLessThanOrEqual(1);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 120_000);
});
