/**
 * The web chat with a case open, in a real headless Chromium (Debian's /usr/bin/chromium with
 * playwright-core): a user asks for a person, consents and skips the intake by buttons; a case
 * worker replies through the desk; the reply appears in the page without reloading, marked as
 * from the organisation; after the user ends the case the page stops polling.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { organisationName, type Partner } from '../../src/domain/index.js';
import { createCaseDesk, createMemoryCaseStore, createSealer, staticPartners, type RunningCaseDesk } from '../../src/cases/index.js';
import { createConversationService } from '../../src/engine/index.js';
import { createHmacKeyer } from '../../src/state/keyer.js';
import { createMemoryStore } from '../../src/state/memory.js';
import { smsCapabilities } from '../../src/channels/shared/capabilities.js';
import { createSmsFitter } from '../../src/channels/shared/sms.js';
import { createWebChannel } from '../../src/channels/web/router.js';
import { fakeMatcher, fixtureKb } from '../helpers/kb-fixture.js';
import { captureLogs, serve, t } from '../channels/harness.js';
import { CHROMIUM, chromiumAvailable as available } from '../helpers/chromium.js';


const PARTNER: Partner = {
  id: 'gadem-cases',
  orgId: 'gadem',
  topics: [],
  cities: [],
  langs: ['fr', 'en', 'ar', 'es'],
  hours: { tz: 'Africa/Casablanca', days: Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [d, [['00:00', '24:00']]])) },
  active: true,
};
const WORKER = { username: 'amina', partnerId: PARTNER.id };

describe.skipIf(!available)('a case worker\'s reply in the web chat', () => {
  let desk: RunningCaseDesk;
  let app: { url: string; close(): Promise<void> };
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const polls: string[] = [];

  beforeAll(async () => {
    const kb = fixtureKb();
    const logs = captureLogs();
    const store = createMemoryStore({ ttlSeconds: 3600, sweepIntervalMs: 0 });
    const keyer = createHmacKeyer('case-poll-secret');
    desk = createCaseDesk({
      store: createMemoryCaseStore(),
      sealer: createSealer([randomBytes(32)]),
      reachers: new Map(),
      partners: staticPartners([PARTNER]),
      t,
      logger: logs.logger,
      retentionDays: 30,
      orgName: (orgId, lang) => {
        const org = kb.organisations.get(orgId);
        return org ? organisationName(org, lang) : undefined;
      },
    });
    const handleTurn = createConversationService({ store, keyer, deps: { kb, matcher: fakeMatcher(), t, defaultLang: 'fr' }, logger: logs.logger, cases: desk });
    const caseUpdates = async (userId: string) => {
      const key = keyer.key('web', userId);
      return { replies: await desk.takeWebReplies(key), open: (await store.get(key))?.case !== undefined };
    };
    const sms = smsCapabilities(3);
    app = await serve([createWebChannel({ maxBodySize: '64kb', smsCapabilities: sms, smsFit: createSmsFitter(sms, t) }, { handleTurn, logger: logs.logger, caseUpdates }).mount], logs.logger);
    profile = mkdtempSync(path.join(tmpdir(), 'dalil-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 360, height: 640 },
      locale: 'en-GB',
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('request', (r) => {
      if (r.url().endsWith('/api/chat/updates')) polls.push(r.url());
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await app?.close();
    await desk?.shutdown();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const bots = () => page.locator('.msg.bot:not(.typing)').count();
  const click = async (label: string): Promise<void> => {
    const before = await bots();
    await page.locator('button.choice', { hasText: label }).last().click();
    await expect.poll(bots, { timeout: 15_000 }).toBeGreaterThan(before);
  };

  it('shows the reply without reloading, marked as from the organisation, and forgets the case once it ends', async () => {
    await page.goto(`${app.url}/`);
    await click('English');
    const before = await bots();
    await page.fill('#t', 'person');
    await page.press('#t', 'Enter');
    await expect.poll(bots, { timeout: 15_000 }).toBeGreaterThan(before);
    await click('Yes, I agree');
    await click('Skip');
    await click('Skip');
    await click('Skip');
    await expect.poll(() => page.locator('.msg.bot').last().innerText()).toContain('MENU');
    expect(polls).toEqual([]);

    const [summary] = await desk.list(WORKER, { status: 'open' });
    await desk.reply(WORKER, summary!.ref, 'Come to our office on Monday at 10.');
    const org = page.locator('.msg.bot.org');
    await expect.poll(() => org.count(), { timeout: 15_000 }).toBe(1);
    expect(await org.innerText()).toContain('Message from the organisation');
    expect(await org.innerText()).toContain('GADEM: Come to our office on Monday at 10.');

    expect(await page.evaluate("localStorage.getItem('dalil.case')")).toBe('1');
    await click('End the conversation');
    await click('Yes, end it');
    // The page no longer keeps the case (it polls again only after a reply that says one is open).
    expect(await page.evaluate("localStorage.getItem('dalil.case')")).toBe('');
  }, 60_000);
});
