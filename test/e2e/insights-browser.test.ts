/**
 * The Insights page in a real headless Chromium (Debian's /usr/bin/chromium driven by
 * playwright-core; no browser is downloaded), on a month of seeded counters: French and Arabic,
 * desktop (1280x900) and phone (360x640). The charts render within the admin's CSP (no console
 * error), nothing overflows sideways on a phone, the Arabic page reads right to left, and small
 * counts read "<5". Screenshots go to test-artifacts/insights-e2e/ (git-ignored). Without
 * /usr/bin/chromium the suite is skipped with one loud line, except on CI (CI=true).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/config/index.js';
import { PASSWORD, startTestDalil, type TestDalil } from '../admin/support.js';
import { seedInsights } from '../admin/insights/seed.js';
import { CHROMIUM, chromiumAvailable as available } from '../helpers/chromium.js';

const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts', 'insights-e2e');

describe.skipIf(!available)('insights page in a real browser', () => {
  let d: TestDalil;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    d = await startTestDalil({ insights: { retentionDays: 400, minCount: 5, roundTo: 5, smsSegmentPrice: 0.35, smsCurrency: 'MAD' } });
    await d.addUser('rita', 'reviewer');
    await seedInsights(d.admin, Date.now());
    profile = mkdtempSync(path.join(tmpdir(), 'dalil-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
      locale: 'fr-FR',
    });
    page = context.pages()[0] ?? (await context.newPage());
    // A CSP violation or a failed stylesheet shows as a console error; the browser's own
    // favicon request is not the page's.
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) problems.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    page.on('pageerror', (e) => problems.push(e.name));
    await page.goto(`${d.url}/admin/login`);
    await page.fill('input[name=username]', 'rita');
    await page.fill('input[name=password]', PASSWORD);
    await Promise.all([page.waitForURL(`${d.url}/admin/`), page.click('button[type=submit].primary')]);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await d?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const sizes = [
    { name: 'desktop', width: 1280, height: 900 },
    { name: 'phone', width: 360, height: 640 },
  ] as const;

  for (const lang of ['fr', 'ar'] as const) {
    it(`shows the charts in ${lang} on a desktop and a phone`, async () => {
      await page.goto(`${d.url}/admin/lang/${lang}?next=${encodeURIComponent('/admin/insights')}`);
      await page.waitForURL(/\/admin\/insights$/);
      expect(await page.getAttribute('html', 'dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
      for (const size of sizes) {
        await page.setViewportSize({ width: size.width, height: size.height });
        await page.reload();
        // The menu reaches the page; the charts have a real size; the stylesheet applied.
        expect(await page.locator('header nav a[aria-current="page"]').getAttribute('href')).toBe('/admin/insights');
        const chart = await page.locator('#by-channel svg.ins-chart').boundingBox();
        expect(chart!.width).toBeGreaterThan(size.width > 1000 ? 500 : 280);
        expect(chart!.height).toBeGreaterThan(60);
        expect(await page.locator('#by-channel svg.ins-chart rect').count()).toBeGreaterThan(30);
        expect(await page.evaluate<string>("getComputedStyle(document.querySelector('.ins-tiles')).display")).toBe('grid');
        const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
        expect(overflow, `${lang} ${size.name} overflows sideways`).toBeLessThanOrEqual(0);
        // The small town reads "<5" on the city list.
        const tiznit = page.locator('.ins-hbars li', { hasText: lang === 'ar' ? 'تيزنيت' : 'Tiznit' });
        expect(await tiznit.locator('.ins-hv').innerText()).toBe('<5');
        // It reads "<5" on screen too, not "5>" (a right-to-left page reorders a lone "<").
        // Every hidden count on the page (city list, tables) has its "<" left of its "5".
        const order = await page.evaluate<boolean[]>(`[...document.querySelectorAll('bdi')].filter((b) => b.getClientRects().length > 0).map((b) => {
          const node = b.firstChild;
          const at = (i) => {
            const r = document.createRange();
            r.setStart(node, i);
            r.setEnd(node, i + 1);
            return r.getBoundingClientRect().left;
          };
          return at(0) < at(1);
        })`);
        expect(order.length).toBeGreaterThan(0);
        expect(order.every(Boolean), 'the "<" is left of the "5"').toBe(true);
        await page.screenshot({ path: path.join(ARTIFACTS, `insights-${lang}-${size.name}.png`), fullPage: true });
        if (size.name === 'phone') {
          for (const id of ['by-channel', 'problems', 'cities']) await page.locator(`#${id}`).screenshot({ path: path.join(ARTIFACTS, `insights-${lang}-phone-${id}.png`) });
        }
      }
      expect(problems).toEqual([]);
    }, 60_000);
  }
});
