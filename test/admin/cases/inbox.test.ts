/**
 * The case workers' inbox over real HTTP: who sees what (a case worker their partner's cases
 * only, 404 for another partner's case and every action on it; editors and reviewers 404 on the
 * whole inbox; an admin every case), the actions, the audit log of reads, and the live events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseDesk, createMemoryCaseStore, createSealer, type RunningCaseDesk } from '../../../src/cases/index.js';
import type { AuditEntry, CaseReacher, ChannelId, ConversationKey, Intake, Partner, UrgencyKind } from '../../../src/domain/index.js';
import { newConversationKey, newKey, recordingReacher, translate } from '../../cases/support.js';
import { Client, signIn, startTestDalil, type SignedIn, type TestDalil } from '../support.js';

const partner = (id: string, orgId: string): Partner => ({ id, orgId, topics: [], cities: [], langs: ['fr', 'ar'], hours: { tz: 'Africa/Casablanca', days: { 1: [['09:00', '17:00']] } }, active: true });

let d: TestDalil;
let desk: RunningCaseDesk;
let clock = Date.parse('2026-12-03T10:00:00Z');
/** WhatsApp's reacher: its answer is changed by the tests (a closed 24-hour window). */
const whatsapp = recordingReacher('whatsapp');
const keys = new Map<string, ConversationKey>();
const audit = (): Promise<AuditEntry[]> => desk.audit({ limit: 10_000 });

/** Opens a case as the conversation service does, with the user's first message. */
async function seed(input: { ref: string; partnerId: string; lang?: 'fr' | 'ar'; intake?: Intake; urgency?: UrgencyKind; text: string; at: number; channel?: ChannelId }): Promise<void> {
  const key = newConversationKey();
  keys.set(input.ref, key);
  const channel = input.channel ?? 'web';
  await desk.open({ ref: input.ref, key, partnerId: input.partnerId, lang: input.lang ?? 'fr', intake: input.intake ?? {}, ...(input.urgency ? { urgency: input.urgency } : {}), address: { channel, userId: channel === 'whatsapp' ? 'whatsapp:+212600000001' : 'web-client' }, at: input.at });
  await desk.fromUser({ ref: input.ref, key, text: input.text, at: input.at });
}

/** Signs a case worker in; their CSRF token is read from the inbox (they have no content page). */
async function signInWorker(user: string): Promise<SignedIn> {
  const c = new Client(d.url);
  const res = await c.login(user);
  expect(res.status).toBe(303);
  expect(res.location).toBe('/admin/cases');
  const page = await c.get('/admin/cases');
  const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(page.text)?.[1];
  expect(csrf).toBeTruthy();
  return { c, csrf: csrf! };
}

beforeAll(async () => {
  d = await startTestDalil({ now: () => clock });
  desk = createCaseDesk({
    store: createMemoryCaseStore({}, () => clock),
    sealer: createSealer([newKey()]),
    reachers: new Map<ChannelId, CaseReacher>([['whatsapp', whatsapp.reacher]]),
    partners: d.admin.partners,
    t: await translate(),
    logger: d.logger,
    clock: () => clock,
    retentionDays: 30,
  });
  d.admin.useDesk(desk);
  await d.admin.partners.save(partner('ong-a', 'gadem'));
  await d.admin.partners.save(partner('ong-b', 'caritas'));
  await d.addUser('eddie', 'editor');
  await d.addUser('rita', 'reviewer');
  await d.addUser('ada', 'admin');
  await d.addUser('wanda', 'caseworker', undefined, 'ong-a');
  await d.addUser('bob', 'caseworker', undefined, 'ong-b');
  await seed({ ref: 'A-1001', partnerId: 'ong-a', channel: 'whatsapp', intake: { topic: 'police-stop-arrest', city: 'rabat' }, text: 'They took my passport', at: clock - 5 * 3_600_000 });
  await seed({ ref: 'A-1002', partnerId: 'ong-a', intake: { topic: 'housing' }, urgency: 'violence', text: 'My landlord hit me', at: clock - 10 * 60_000 });
  await seed({ ref: 'B-2001', partnerId: 'ong-b', lang: 'ar', intake: { topic: 'health-care' }, text: 'أحتاج طبيبا', at: clock - 2 * 3_600_000 });
}, 60_000);

afterAll(async () => {
  await d?.close();
});

describe('who sees the inbox', () => {
  it('editors and reviewers get 404 on every inbox route, as if it did not exist', async () => {
    for (const user of ['eddie', 'rita']) {
      const { c, csrf } = await signIn(d, user);
      for (const p of ['/admin/cases', '/admin/cases/A-1001', '/admin/cases/events', '/admin/cases/state', '/admin/cases/audit']) expect((await c.get(p)).status, `${user} ${p}`).toBe(404);
      for (const action of ['claim', 'reply', 'transfer', 'close']) {
        expect((await c.post(`/admin/cases/A-1001/${action}`, { _csrf: csrf, text: 'x', to: 'ong-b', reason: 'x', outcome: 'other' })).status, `${user} ${action}`).toBe(404);
      }
      expect((await c.get('/admin/')).text).not.toContain('/admin/cases');
    }
    expect(await audit()).toEqual([]);
  });

  it('a case worker sees only their partner\'s cases, urgent first, with the SLA colour, and no content page', async () => {
    const { c } = await signInWorker('wanda');
    const inbox = (await c.get('/admin/cases')).text;
    expect(inbox).toContain('A-1001');
    expect(inbox).toContain('A-1002');
    expect(inbox).not.toContain('B-2001');
    // Urgent first, then the longest wait; five hours is red, ten minutes green.
    expect(inbox.indexOf('data-ref="A-1002"')).toBeLessThan(inbox.indexOf('data-ref="A-1001"'));
    expect(inbox).toMatch(/class="case-card sla-red" data-ref="A-1001"/);
    expect(inbox).toMatch(/class="case-card sla-green urgent" data-ref="A-1002"/);
    // Topics by their title in the interface language, cities by their name.
    expect(inbox).toContain(d.live.kb.answers.get('police-stop-arrest')!.get('fr')!.title);
    expect(inbox).toContain('Rabat');
    expect(inbox).toContain('attend depuis 5 h 00');
    expect((await c.get('/admin/')).status).toBe(303);
    for (const p of ['/admin/topics/housing/fr', '/admin/review', '/admin/users', '/admin/partners', '/admin/directory']) expect((await c.get(p)).status, p).toBe(403);
    expect((await c.get('/admin/cases/audit')).status).toBe(404);
  });

  it('a case worker of B gets 404 on A\'s case and on every action on it, and nothing changes', async () => {
    const { c, csrf } = await signInWorker('bob');
    const before = JSON.stringify(await desk.list({ username: 'ada' }));
    expect((await c.get('/admin/cases/A-1001')).status).toBe(404);
    expect((await c.get('/admin/cases/A-1001?part=live')).status).toBe(404);
    expect((await c.get('/admin/cases/NOPE-1')).status).toBe(404);
    expect((await c.post('/admin/cases/A-1001/claim', { _csrf: csrf })).status).toBe(404);
    expect((await c.post('/admin/cases/A-1001/reply', { _csrf: csrf, text: 'hello' })).status).toBe(404);
    expect((await c.post('/admin/cases/A-1001/reply', { _csrf: csrf, text: '' })).status).toBe(404);
    expect((await c.post('/admin/cases/A-1001/transfer', { _csrf: csrf, to: 'ong-b', reason: 'ours now' })).status).toBe(404);
    expect((await c.post('/admin/cases/A-1001/close', { _csrf: csrf, outcome: 'informed' })).status).toBe(404);
    const state = JSON.parse((await c.get('/admin/cases/state?ref=A-1001')).text) as { v: string };
    const empty = JSON.parse((await c.get('/admin/cases/state?ref=NOPE-1')).text) as { v: string };
    expect(state.v).toBe(empty.v);
    expect(JSON.stringify(await desk.list({ username: 'ada' }))).toBe(before);
    expect((await audit()).filter((e) => e.username === 'bob' && e.ref === 'A-1001')).toEqual([]);
  });

  it('an admin of the Centre sees every case, with its organisation, and the audit log', async () => {
    const { c } = await signIn(d, 'ada');
    const inbox = (await c.get('/admin/cases')).text;
    for (const ref of ['A-1001', 'A-1002', 'B-2001']) expect(inbox).toContain(ref);
    expect(inbox).toContain('/admin/cases/audit');
    expect((await c.get('/admin/cases/B-2001')).status).toBe(200);
    expect((await c.get('/admin/cases/audit')).status).toBe(200);
  });

  it('refuses a POST without the CSRF token, and a signed-out visitor is sent to sign in', async () => {
    const { c } = await signInWorker('wanda');
    expect((await c.post('/admin/cases/A-1001/claim', {})).status).toBe(403);
    const out = await new Client(d.url).get('/admin/cases');
    expect(out.status).toBe(303);
    expect(out.location).toMatch(/\/admin\/login/);
  });
});

describe('working a case', () => {
  it('claims, replies with the delivery state shown, transfers and closes; each read is audited', async () => {
    const { c, csrf } = await signInWorker('wanda');
    const reads = async (): Promise<number> => (await audit()).filter((e) => e.action === 'read' && e.username === 'wanda').length;
    const readsBefore = await reads();
    const page = (await c.get('/admin/cases/A-1001')).text;
    expect(page).toContain('They took my passport');
    // The insert select offers the knowledge base's short forms and the organisations' contacts.
    expect(page).toMatch(/<select id="insert" data-insert-into="reply-text">/);
    expect(page).toContain('<optgroup label="Contacts des organisations">');
    expect(await reads()).toBe(readsBefore + 1);

    expect((await c.post('/admin/cases/A-1001/claim', { _csrf: csrf })).location).toBe('/admin/cases/A-1001?done=claimed');
    expect((await c.post('/admin/cases/A-1001/reply', { _csrf: csrf, text: '   ' })).status).toBe(400);
    expect((await c.post('/admin/cases/A-1001/reply', { _csrf: csrf, text: 'Nous vous appelons demain.' })).status).toBe(303);
    whatsapp.reacher.result = { ok: false, reason: 'window-closed' };
    expect((await c.post('/admin/cases/A-1001/reply', { _csrf: csrf, text: 'Second message' })).status).toBe(303);
    const after = (await c.get('/admin/cases/A-1001')).text;
    expect(after).toMatch(/<span class="delivery d-sent">envoyé<\/span>/);
    expect(after).toMatch(/<span class="delivery d-failed">NON remis: la personne n’a pas écrit depuis 24 h/);
    expect(after).toContain('pris par wanda');

    expect((await c.post('/admin/cases/A-1001/transfer', { _csrf: csrf, to: 'ong-b', reason: '' })).status).toBe(400);
    expect((await c.post('/admin/cases/A-1001/transfer', { _csrf: csrf, to: 'nobody', reason: 'x' })).status).toBe(400);
    expect((await c.post('/admin/cases/A-1002/close', { _csrf: csrf, outcome: 'forgotten' })).status).toBe(400);
    expect((await c.post('/admin/cases/A-1002/close', { _csrf: csrf, outcome: 'informed' })).location).toBe('/admin/cases?done=closed');
    expect((await c.post('/admin/cases/A-1002/reply', { _csrf: csrf, text: 'too late' })).status).toBe(409);
    expect((await c.post('/admin/cases/A-1001/transfer', { _csrf: csrf, to: 'ong-b', reason: 'They work in Rabat' })).location).toBe('/admin/cases?done=transferred');
    // Moved away: wanda no longer sees it, bob does.
    expect((await c.get('/admin/cases/A-1001')).status).toBe(404);
    expect((await (await signInWorker('bob')).c.get('/admin/cases/A-1001')).status).toBe(200);

    const { c: admin } = await signIn(d, 'ada');
    const log = (await admin.get('/admin/cases/audit?ref=A-1001')).text;
    for (const action of ['read', 'claim', 'reply', 'transfer']) expect(log).toContain(`data-action="${action}"`);
    expect(log).toContain('wanda');
    expect(log).toContain('bob');
    expect(log).not.toContain('Nous vous appelons');
  });

  it('shows the inbox in Arabic, right to left', async () => {
    const { c } = await signInWorker('bob');
    await c.get('/admin/lang/ar?next=/admin/cases');
    const page = (await c.get('/admin/cases')).text;
    expect(page).toContain('<html lang="ar" dir="rtl">');
    expect(page).toContain('الملفات');
    expect(page).toContain('<script src="/admin/assets/cases.js" defer></script>');
    expect(page).not.toMatch(/<script>(?!<)/);
  });
});

describe('live updates', () => {
  it('streams an event to the case worker of the partner, and not to another partner\'s', async () => {
    const wanda = await signInWorker('wanda');
    const bob = await signInWorker('bob');
    const open = async (c: Client) => {
      const ctrl = new AbortController();
      const res = await fetch(`${d.url}/admin/cases/events`, { headers: { cookie: c.cookieHeader() }, signal: ctrl.signal });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
      const reader = res.body!.getReader();
      let text = '';
      const until = async (pattern: RegExp): Promise<string> => {
        while (!pattern.test(text)) {
          const { value, done } = await reader.read();
          if (done) break;
          text += new TextDecoder().decode(value);
        }
        return text;
      };
      return { until, text: () => text, close: () => ctrl.abort() };
    };
    const a = await open(wanda.c);
    const b = await open(bob.c);
    await a.until(/retry:/);
    await b.until(/retry:/);
    await seed({ ref: 'A-1003', partnerId: 'ong-a', text: 'Help', at: clock });
    await seed({ ref: 'B-2002', partnerId: 'ong-b', text: 'Help', at: clock });
    expect(await a.until(/A-1003/)).toMatch(/event: case\ndata: \{"ref":"A-1003","kind":"opened"\}/);
    expect(await b.until(/B-2002/)).not.toContain('A-1003');
    expect(a.text()).not.toContain('B-2002');
    a.close();
    b.close();
  });

  it('gives the polling fallback a fingerprint that changes with a new message, and the live part of the list', async () => {
    const { c } = await signInWorker('wanda');
    const v1 = (JSON.parse((await c.get('/admin/cases/state')).text) as { v: string }).v;
    clock += 60_000;
    await desk.fromUser({ ref: 'A-1003', key: keys.get('A-1003')!, text: 'Are you there?', at: clock });
    const v2 = (JSON.parse((await c.get('/admin/cases/state')).text) as { v: string }).v;
    expect(v2).not.toBe(v1);
    const part = await c.get('/admin/cases?part=live');
    expect(part.text).toContain('data-ref="A-1003"');
    expect(part.text).not.toContain('<html');
  });
});
