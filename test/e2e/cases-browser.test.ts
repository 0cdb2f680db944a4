/**
 * A person behind Dalil, end to end in a real headless Chromium (Debian's /usr/bin/chromium driven
 * by playwright-core; no browser is ever downloaded), with two browser contexts: a web-chat user
 * asks for a person, consents and goes through the intake; a case worker of the partner, signed
 * in to the inbox in the other context, sees the case appear without reloading, claims it and
 * replies (with an answer inserted from the knowledge base); the user sees the reply without
 * reloading; the worker closes the case. Then the inbox in Arabic on a 360x640 phone. The inbox also
 * updates by polling where server-sent events are missing. Screenshots go to test-artifacts/cases-e2e/ (git-ignored). Without /usr/bin/chromium the suite is skipped
 * with one loud line, except on CI (CI=true), where it fails.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/config/index.js';
import type { ConversationKey, Partner } from '../../src/domain/index.js';
import { PASSWORD, startTestDalil, type TestDalil } from '../admin/support.js';
import { CHROMIUM, chromiumAvailable as available } from '../helpers/chromium.js';

const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts', 'cases-e2e');

const PHONE = { width: 360, height: 640 };
const DESKTOP = { width: 1280, height: 900 };
/** Open every day, all day: the test never depends on the time it runs. */
const ALWAYS = Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [d, [['00:00', '23:59']]])) as Partner['hours']['days'];
const GADEM: Partner = { id: 'gadem-rabat', orgId: 'gadem', topics: [], cities: [], langs: ['fr', 'en', 'ar', 'es'], hours: { tz: 'Africa/Casablanca', days: ALWAYS }, active: true };
const AR_KEY = 'k-ar-0001' as ConversationKey;
const POLL_KEY = 'k-poll-0001' as ConversationKey;
const CARITAS: Partner = { id: 'caritas-casa', orgId: 'caritas', topics: [], cities: [], langs: ['fr', 'ar'], hours: { tz: 'Africa/Casablanca', days: ALWAYS }, active: false };

describe.skipIf(!available)('a person behind Dalil, in two browsers', () => {
  let d: TestDalil;
  let browser: Browser;
  let userContext: BrowserContext;
  let workerContext: BrowserContext;
  let user: Page;
  let worker: Page;
  let ref = '';
  const started = Date.now();
  const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  /** The user clicks a choice of the last bot message and waits for the next reply. */
  const choose = async (label: string | RegExp): Promise<void> => {
    const before = await user.locator('.msg.bot').count();
    await user.locator('.msg.bot').last().locator('button.choice', { hasText: label }).click();
    await expect.poll(() => user.locator('.msg.bot:not(.typing)').count(), { timeout: 15_000 }).toBeGreaterThan(before);
    await expect.poll(() => user.locator('#t').isEnabled(), { timeout: 15_000 }).toBe(true);
  };
  const say = async (text: string): Promise<void> => {
    const before = await user.locator('.msg.bot').count();
    await user.fill('#t', text);
    await user.press('#t', 'Enter');
    await expect.poll(() => user.locator('.msg.bot:not(.typing)').count(), { timeout: 15_000 }).toBeGreaterThan(before);
    await expect.poll(() => user.locator('#t').isEnabled(), { timeout: 15_000 }).toBe(true);
  };
  /** A mark on the window: still there later means the page was never reloaded. */
  const mark = (page: Page): Promise<unknown> => page.evaluate('window.__dalilMark = 42');
  const marked = (page: Page): Promise<unknown> => page.evaluate('window.__dalilMark');

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    d = await startTestDalil({ cases: true });
    await d.admin.partners.save(GADEM);
    await d.admin.partners.save(CARITAS);
    await d.addUser('wanda', 'caseworker', PASSWORD, GADEM.id);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    userContext = await browser.newContext({ viewport: PHONE, locale: 'fr-FR' });
    workerContext = await browser.newContext({ viewport: DESKTOP, locale: 'fr-FR' });
    user = await userContext.newPage();
    worker = await workerContext.newPage();
    worker.on('dialog', (dialog) => void dialog.accept());
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await d?.close();
    console.info(`cases e2e: ${((Date.now() - started) / 1000).toFixed(1)} s, screenshots in ${path.relative(PROJECT_ROOT, ARTIFACTS)}/`);
  });

  it('a web-chat user asks for a person, consents and goes through the intake; the case worker sees the case appear live', async () => {
    await worker.goto(`${d.url}/admin/login`);
    await worker.fill('input[name=username]', 'wanda');
    await worker.fill('input[name=password]', PASSWORD);
    await Promise.all([worker.waitForURL(`${d.url}/admin/cases`), worker.click('button[type=submit].primary')]);
    expect(await worker.locator('.case-card').count()).toBe(0);
    await expect.poll(() => worker.locator('#live-state').getAttribute('data-live'), { timeout: 10_000 }).toBe('on');
    await mark(worker);

    await user.goto(`${d.url}/`);
    await user.locator('.welcome button[lang=fr]').click();
    await expect.poll(() => user.locator('.msg.bot.menu').count(), { timeout: 15_000 }).toBe(1);
    await say('je veux parler à une personne');
    expect(await user.locator('.msg.bot').last().innerText()).toMatch(/GADEM[\s\S]*D'accord/);
    await choose('Oui, d\'accord');
    await choose('Passer');
    await choose('Passer');
    // Safe to be written to here; the web chat has no phone number, so no call-back question.
    await choose(/^\d*\.? ?Oui$/);
    const done = await user.locator('.msg.bot').last().innerText();
    ref = /dossier ([A-Z0-9-]+) est chez GADEM/.exec(done)?.[1] ?? '';
    expect(ref).not.toBe('');
    await shot(user, '01-user-case-opened');
    await say('Mon patron garde mon passeport depuis deux semaines.');

    // The case appears in the inbox without a reload, through the live events.
    await expect.poll(() => worker.locator(`.case-card[data-ref="${ref}"]`).count(), { timeout: 15_000 }).toBe(1);
    expect(await marked(worker)).toBe(42);
    expect(await worker.locator(`.case-card[data-ref="${ref}"]`).getAttribute('class')).toContain('sla-green');
    await shot(worker, '02-inbox-new-case');
  }, 120_000);

  it('the case worker claims and replies with an inserted answer', async () => {
    await Promise.all([worker.waitForURL(`${d.url}/admin/cases/${ref}`), worker.click(`.case-card[data-ref="${ref}"] a`)]);
    expect(await worker.locator('#messages').innerText()).toContain('Mon patron garde mon passeport');
    await Promise.all([worker.waitForURL(/done=claimed/), worker.click('#claim')]);
    expect(await worker.locator('.case-head .status').innerText()).toContain('pris par wanda');

    // The insert select puts the answer's short form into the reply box, where the cursor is.
    const sms = d.live.kb.answers.get('labour-rights')!.get('fr')!;
    await worker.fill('#reply-text', 'Bonjour, voici ce que dit la loi :');
    await worker.locator('#reply-text').press('End');
    await worker.selectOption('#insert', { label: sms.title });
    expect(await worker.inputValue('#reply-text')).toBe(`Bonjour, voici ce que dit la loi :\n${sms.title}\n${sms.sms}`);
    expect(await worker.inputValue('#insert')).toBe('');
    await worker.fill('#reply-text', 'Bonjour, nous pouvons vous aider. Pouvez-vous venir mardi à 10 h ?');
    await mark(user);
    await Promise.all([worker.waitForURL(/done=replied/), worker.click('#send')]);
    expect(await worker.locator('#messages .msg.from-worker .delivery').last().innerText()).toMatch(/envoyé/);
    await shot(worker, '03-case-replied');
  }, 120_000);

  it('the user sees the case worker\'s reply without reloading', async () => {
    await expect.poll(() => user.locator('.msg.bot').allInnerTexts().then((ts) => ts.join('\n')), { timeout: 20_000 }).toContain('Pouvez-vous venir mardi à 10 h ?');
    expect(await marked(user)).toBe(42);
    await shot(user, '04-user-sees-reply');
  }, 120_000);

  it('a new message of the user appears on the case page without reloading; the worker closes the case', async () => {
    await mark(worker);
    await say('Oui, mardi 10 h me va.');
    await expect.poll(() => worker.locator('#messages').innerText(), { timeout: 15_000 }).toContain('mardi 10 h me va');
    expect(await marked(worker)).toBe(42);

    await worker.locator('details', { hasText: 'Clore le dossier' }).locator('summary').click();
    await worker.selectOption('#outcome', 'accompanied');
    await Promise.all([worker.waitForURL(/\/admin\/cases\?done=closed/), worker.click('#close-case')]);
    expect(await worker.locator(`.case-card[data-ref="${ref}"]`).count()).toBe(0);
    expect((await d.cases!.list({ username: 'centre' }, { status: 'closed' })).map((c) => [c.ref, c.outcome])).toEqual([[ref, 'accompanied']]);
    // The user is told, on the page they have open, and is back with Dalil.
    await expect.poll(() => user.locator('.msg.bot').last().innerText(), { timeout: 20_000 }).toContain('a clos votre demande');
    expect(await marked(user)).toBe(42);
    await shot(user, '05-user-case-closed');
  }, 120_000);

  it('without server-sent events the inbox still updates, by polling', async () => {
    const page = await workerContext.newPage();
    await page.addInitScript('delete window.EventSource');
    await page.goto(`${d.url}/admin/cases`);
    await expect.poll(() => page.locator('#live-state').getAttribute('data-live')).toBe('off');
    await mark(page);
    await d.cases!.open({ ref: 'POLL-0001', key: POLL_KEY, partnerId: GADEM.id, lang: 'fr', intake: {}, address: { channel: 'web', userId: 'web-poll' }, at: Date.now() });
    await expect.poll(() => page.locator('.case-card[data-ref="POLL-0001"]').count(), { timeout: 20_000 }).toBe(1);
    expect(await marked(page)).toBe(42);
    await page.close();
  }, 60_000);

  it('the inbox is usable in Arabic on a 360x640 phone: right to left, cards, 44 px targets, no sideways scroll', async () => {
    await d.cases!.open({ ref: 'AR-0001', key: AR_KEY, partnerId: GADEM.id, lang: 'ar', intake: { topic: 'health-care', city: 'rabat' }, urgency: 'medical', address: { channel: 'web', userId: 'web-ar' }, at: Date.now() - 2 * 3_600_000 });
    await d.cases!.fromUser({ ref: 'AR-0001', key: AR_KEY, text: 'أحتاج إلى طبيب لابني', at: Date.now() - 2 * 3_600_000 });
    await worker.setViewportSize(PHONE);
    await worker.goto(`${d.url}/admin/lang/ar?next=/admin/cases`);
    await worker.waitForURL(`${d.url}/admin/cases`);
    expect(await worker.evaluate('document.documentElement.dir')).toBe('rtl');
    const card = worker.locator('.case-card[data-ref="AR-0001"]');
    expect(await card.getAttribute('class')).toMatch(/sla-amber urgent/);
    expect(await card.innerText()).toContain('مستعجل');
    const box = (await card.locator('a').boundingBox())!;
    expect(box.width).toBeGreaterThan(300);
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(await worker.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await shot(worker, '06-inbox-ar-phone');

    await Promise.all([worker.waitForURL(/\/admin\/cases\/AR-0001$/), card.locator('a').click()]);
    expect(await worker.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    for (const selector of ['#claim', '#send', '#reply-text', '#insert']) {
      const b = (await worker.locator(selector).boundingBox())!;
      expect(b.height, selector).toBeGreaterThanOrEqual(44);
      expect(b.x, selector).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width, selector).toBeLessThanOrEqual(PHONE.width);
    }
    expect(await worker.locator('#messages').innerText()).toContain('أحتاج إلى طبيب لابني');
    expect(await worker.locator('label[for=reply-text]').innerText()).toContain('العربية');
    await shot(worker, '07-case-ar-phone');
  }, 120_000);
});
