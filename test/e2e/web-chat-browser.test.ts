/**
 * The web chat at `/` in a real headless Chromium (Debian's /usr/bin/chromium driven by
 * playwright-core; no browser is ever downloaded), as a person in trouble uses it on a 360x640
 * phone and on a 1280x900 screen: the welcome and language choice, an urgent reply in view with
 * numbers to tap, an answer that leads with its short form, a slow and a failed network, names
 * and sizes of the controls, Arabic right to left, and a partner site embedding the chat (allowed
 * and refused). Screenshots go to test-artifacts/web-e2e/ (git-ignored). Without
 * /usr/bin/chromium the suite is skipped with one loud line, except on CI (CI=true), where it fails.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/config/index.js';
import { startTestDalil, type TestDalil } from '../admin/support.js';
import { CHROMIUM, chromiumAvailable as available } from '../helpers/chromium.js';

const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts', 'web-e2e');

const PHONE = { width: 360, height: 640 };
const DESKTOP = { width: 1280, height: 900 };

/** A partner's page on another origin: the chat by script tag, or a plain iframe. */
function partnerSite(): Promise<{ server: Server; origin: string; dalil: { url: string } }> {
  const dalil = { url: '' };
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    const body = req.url === '/iframe'
      ? `<h1>Partner</h1><iframe id="chat" title="Dalil" src="${dalil.url}/" width="360" height="600"></iframe>`
      : `<h1>Partner</h1><script src="${dalil.url}/embed.js" data-lang="ar"></script>`;
    res.end(`<!doctype html><html><body>${body}</body></html>`);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://localhost:${(server.address() as AddressInfo).port}`, dalil }));
  });
}

describe.skipIf(!available)('the web chat in a real browser', () => {
  let d: TestDalil;
  let refused: TestDalil;
  let partner: Awaited<ReturnType<typeof partnerSite>>;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const started = Date.now();

  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  const fresh = async (viewport: { width: number; height: number }, query = ''): Promise<void> => {
    await page.setViewportSize(viewport);
    await page.goto(`${d.url}/${query}`);
    await page.evaluate('localStorage.clear()');
    await page.goto(`${d.url}/${query}`);
  };
  const say = async (text: string): Promise<void> => {
    const before = await page.locator('.msg.bot').count();
    await page.fill('#t', text);
    await page.press('#t', 'Enter');
    await expect.poll(() => page.locator('.msg.bot:not(.typing)').count(), { timeout: 15_000 }).toBeGreaterThan(before);
    await expect.poll(() => page.locator('#t').isEnabled(), { timeout: 15_000 }).toBe(true);
  };
  const inView = async (selector: string): Promise<boolean> => {
    const box = await page.locator(selector).first().boundingBox();
    const height = page.viewportSize()?.height ?? 0;
    return box !== null && box.y >= 0 && box.y < height - 60;
  };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    partner = await partnerSite();
    d = await startTestDalil({ web: { embedOrigins: [partner.origin] } });
    refused = await startTestDalil();
    profile = mkdtempSync(path.join(tmpdir(), 'dalil-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: PHONE,
      locale: 'fr-FR',
    });
    page = context.pages()[0] ?? (await context.newPage());
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await d?.close();
    await refused?.close();
    await new Promise<void>((resolve) => (partner ? partner.server.close(() => resolve()) : resolve()));
    if (profile) rmSync(profile, { recursive: true, force: true });
    console.info(`web e2e: ${((Date.now() - started) / 1000).toFixed(1)} s, screenshots in ${path.relative(PROJECT_ROOT, ARTIFACTS)}/`);
  });

  it('welcomes an empty page in four languages and switches the interface to the language chosen', async () => {
    await fresh(PHONE);
    const welcome = page.locator('.welcome');
    await expect.poll(() => welcome.isVisible()).toBe(true);
    expect(await welcome.locator('p[lang]').evaluateAll((ps) => ps.map((p) => p.getAttribute('lang')))).toEqual(['fr', 'en', 'ar', 'es']);
    expect(await welcome.locator('button').allInnerTexts()).toEqual(['Français', 'English', 'العربية', 'Español']);
    expect(await page.getAttribute('#t', 'aria-label')).toBe('Votre message');
    expect(await page.locator('link[rel=icon]').getAttribute('href')).toBe('/favicon.svg');
    await shot('01-welcome-fr-phone');

    await welcome.locator('button[lang=ar]').click();
    await expect.poll(() => page.evaluate<string>('document.documentElement.dir')).toBe('rtl');
    expect(await page.getAttribute('#send', 'aria-label')).toBe('إرسال');
    expect(await page.getAttribute('#reset', 'aria-label')).toBe('محادثة جديدة');
    await expect.poll(() => page.locator('.msg.bot.menu').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator('.msg.bot.menu').getAttribute('dir')).toBe('rtl');
  }, 60_000);

  it('shows an urgent reply first and in view on a phone, every number a tel: link, kept in a strip at the top', async () => {
    await fresh(PHONE);
    await say('je suis blessé, je saigne');
    const urgent = page.locator('.msg.bot.urgent');
    expect(await urgent.count()).toBe(1);
    // First of the new replies, and on screen (not scrolled away behind the rest of the turn).
    expect(await page.locator('.msg.bot:not(.welcome)').first().getAttribute('class')).toContain('urgent');
    expect(await inView('.msg.bot.urgent')).toBe(true);
    // One call button per number of the block, each dialling the number it shows.
    const calls = await urgent.locator('a.call').evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent ?? '' })));
    const listed = (await urgent.innerText()).split('\n').filter((l) => /\d{2,}/.test(l));
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.length).toBe(listed.length);
    expect(calls.map((c) => c.href)).toContain('tel:15');
    for (const c of calls) expect(c.text).toMatch(new RegExp(`^Appeler le ${c.href?.slice(4)} · \\p{L}`, 'u'));
    expect(calls.some((c) => /\(\d+\)/.test(c.text))).toBe(false);
    expect(await urgent.innerText()).not.toContain('*');
    expect(await page.evaluate<string>("getComputedStyle(document.querySelector('.msg.bot.urgent')).borderTopWidth")).toBe('3px');
    expect(await page.locator('#sos a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(calls.map((c) => c.href));
    await shot('02-urgent-fr-phone');

    // Scrolled to the very end of the conversation, the numbers are still one tap away.
    await page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
    expect(await inView('#sos a[href="tel:15"]')).toBe(true);
  }, 60_000);

  it('in Arabic: the urgent reply right to left with its call buttons in Arabic', async () => {
    await fresh(PHONE, '?lang=ar');
    expect(await page.evaluate<string>('document.documentElement.dir')).toBe('rtl');
    await say('انا مجروح و كنتزف الدم');
    const urgent = page.locator('.msg.bot.urgent');
    expect(await urgent.getAttribute('dir')).toBe('rtl');
    expect(await inView('.msg.bot.urgent')).toBe(true);
    expect(await urgent.locator('a.call').first().innerText()).toMatch(/^اتصل بـ \d+/);
    expect(await page.getAttribute('#sos', 'aria-label')).toBe('طوارئ');
    await shot('03-urgent-ar-phone');
  }, 60_000);

  it('leads an answer with its short form, renders bold and lists, links its sources once, hides previews', async () => {
    await fresh(DESKTOP);
    await say('comment avoir la carte de sejour ?');
    const answer = page.locator('.msg.bot.answer').last();
    const full = answer.locator('.full');
    expect(await full.isHidden()).toBe(true);
    expect(await answer.locator('h2.title').innerText()).toContain('Carte de séjour');
    // The SMS instruction of the short form is left out: the page has a button for the rest.
    expect(await answer.innerText()).not.toMatch(/Repondez PLUS/);
    expect(await inView('.msg.bot.answer h2.title')).toBe(true);
    await shot('04-answer-short-fr-desktop');

    const more = answer.locator('button.more');
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    await more.click();
    expect(await more.getAttribute('aria-expanded')).toBe('true');
    expect(await full.isVisible()).toBe(true);
    expect(await full.locator('strong').count()).toBeGreaterThan(2);
    expect(await full.locator('ul li').count()).toBeGreaterThan(3);
    expect(await answer.innerText()).not.toMatch(/\*[^*\n]+\*/);
    const source = 'migration.ma';
    expect(await answer.locator('a[href*="migration.ma"]').count()).toBe(1);
    expect((await answer.innerText()).split(source).length - 1).toBe(1);
    expect(await page.locator('details.pv').count()).toBe(0);
    await shot('05-answer-full-fr-desktop');

    await fresh(DESKTOP, '?preview=1');
    await say('comment avoir la carte de sejour ?');
    expect(await page.locator('.msg.bot.answer details.pv').count()).toBe(1);
  }, 60_000);

  it('disables the input and shows that Dalil is writing on a slow network, and offers a retry when sending fails', async () => {
    await fresh(PHONE);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/chat', async (route) => {
      await held;
      await route.continue();
    });
    await page.click('.welcome button[lang=fr]');
    await expect.poll(() => page.locator('.msg.typing').isVisible()).toBe(true);
    expect(await page.locator('.msg.typing').innerText()).toBe('Dalil écrit…');
    expect(await page.locator('#t').isDisabled()).toBe(true);
    expect(await page.locator('#send').isDisabled()).toBe(true);
    await shot('06-sending-fr-phone');
    release();
    await expect.poll(() => page.locator('.msg.bot.menu').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator('.msg.typing').count()).toBe(0);
    expect(await page.locator('#t').isEnabled()).toBe(true);
    await page.unroute('**/api/chat');

    await page.route('**/api/chat', (route) => route.abort('internetdisconnected'));
    await page.fill('#t', 'aide');
    await page.press('#t', 'Enter');
    const retry = page.locator('.msg.error button.retry');
    await expect.poll(() => retry.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await retry.innerText()).toBe('Réessayer');
    expect(await page.locator('#t').isEnabled()).toBe(true);
    await shot('07-failed-fr-phone');
    await page.unroute('**/api/chat');
    const answered = await page.locator('.msg.bot:not(.error)').count();
    await retry.click();
    await expect.poll(() => page.locator('.msg.bot:not(.error):not(.typing)').count(), { timeout: 15_000 }).toBeGreaterThan(answered);
    expect(await page.locator('.msg.error').count()).toBe(0);
  }, 60_000);

  it('gives every control a name in the page language and at least 44 px of height', async () => {
    await fresh(PHONE);
    await say('comment avoir la carte de sejour ?');
    const controls = await page.locator('button:visible, input:visible, #sos a:visible, a.call:visible').evaluateAll((els) =>
      els.map((e) => ({ name: (e.getAttribute('aria-label') ?? e.textContent ?? '').trim(), height: e.getBoundingClientRect().height, html: e.outerHTML.slice(0, 80) })),
    );
    expect(controls.length).toBeGreaterThan(8);
    for (const c of controls) {
      expect(c.name, c.html).not.toBe('');
      expect(c.height, c.html).toBeGreaterThanOrEqual(44);
    }
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(1);
  }, 60_000);

  it('opens in a partner site by its script tag, and a site not on the list cannot frame it', async () => {
    partner.dalil.url = d.url;
    await page.setViewportSize(DESKTOP);
    await page.goto(`${partner.origin}/`);
    await page.click('button:has-text("Dalil")');
    const frame = page.frameLocator('iframe[title=Dalil]');
    await expect.poll(() => frame.locator('.welcome').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await frame.locator('html').getAttribute('dir')).toBe('rtl');
    await frame.locator('.welcome button[lang=ar]').click();
    await expect.poll(() => frame.locator('.msg.bot.menu').count(), { timeout: 15_000 }).toBe(1);
    await shot('08-embedded-partner');

    partner.dalil.url = refused.url;
    const blocked: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /frame-ancestors/.test(m.text())) blocked.push(m.text());
    });
    await page.goto(`${partner.origin}/iframe`);
    await expect.poll(() => blocked.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.frameLocator('#chat').locator('#log').count()).toBe(0);
  }, 60_000);
});
