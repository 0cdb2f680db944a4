/**
 * Partner organisations: the form's checks (with their messages in the interface language), the
 * pages for admins only, case workers' accounts tied to a partner that exists, and the partners
 * reloaded on a second instance sharing Redis when an admin changes one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPartner, parseDayHours, type PartnerInput } from '../../../src/admin/cases/partners.js';
import { saveUser } from '../../../src/admin/auth/accounts.js';
import type { AdminUser } from '../../../src/admin/auth/accounts.js';
import { signIn, startTestDalil, type TestDalil } from '../support.js';

let d: TestDalil;

beforeAll(async () => {
  d = await startTestDalil();
  await d.addUser('ada', 'admin');
  await d.addUser('rita', 'reviewer');
}, 60_000);
afterAll(async () => {
  await d?.close();
});

const form = (over: Partial<Record<string, string | string[]>> = {}): Record<string, string | string[]> => ({
  id: 'gadem-rabat',
  orgId: 'gadem',
  topics: ['police-stop-arrest', 'housing'],
  cities: ['rabat', 'sale'],
  langs: ['fr', 'ar'],
  hours_1: '09:00-12:30, 14:00-17:00',
  hours_5: '9:00-12:00',
  active: 'on',
  ...over,
});

describe('opening hours as typed', () => {
  it.each([
    ['', []],
    ['09:00-17:00', [['09:00', '17:00']]],
    ['14:00-17:00, 9:00-12:30', [['09:00', '12:30'], ['14:00', '17:00']]],
  ])('reads "%s"', (text, ranges) => {
    expect(parseDayHours(text)).toEqual({ ok: true, ranges });
  });
  it.each(['17:00-09:00', '9-17', '25:00-26:00', '09:00-12:00, 11:00-13:00', 'closed'])('refuses "%s"', (text) => {
    expect(parseDayHours(text).ok).toBe(false);
  });
});

describe('the partner form', () => {
  const input = (over: Partial<PartnerInput> = {}): PartnerInput => ({ id: 'p-1', orgId: 'gadem', topics: [], cities: [], langs: ['fr'], hours: {}, active: true, ...over });

  it('names every mistake by its field', () => {
    const kb = d.live.kb;
    const out = checkPartner(input({ id: 'A!', orgId: 'nowhere', topics: ['not-a-topic'], cities: ['atlantis'], langs: [], hours: { 2: '18:00-08:00' } }), kb, d.admin.partners, true);
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.errors.map((e) => e.field).sort()).toEqual(['cities', 'hours_2', 'id', 'langs', 'orgId', 'topics']);
    expect(out.errors.find((e) => e.field === 'hours_2')!.vars).toEqual({ value: '18:00-08:00' });
  });

  it('builds the partner in the Casablanca zone, languages in order, no duplicates', () => {
    const out = checkPartner(input({ topics: ['housing', 'housing'], langs: ['ar', 'fr'], hours: { 1: '09:00-17:00' } }), d.live.kb, d.admin.partners, true);
    expect(out).toEqual({ ok: true, partner: { id: 'p-1', orgId: 'gadem', topics: ['housing'], cities: [], langs: ['fr', 'ar'], hours: { tz: 'Africa/Casablanca', days: { 1: [['09:00', '17:00']] } }, active: true } });
  });
});

describe('partners pages', () => {
  it('are for admins only', async () => {
    const { c, csrf } = await signIn(d, 'rita');
    expect((await c.get('/admin/partners')).status).toBe(403);
    expect((await c.post('/admin/partners', { _csrf: csrf, ...form() })).status).toBe(403);
    expect(d.admin.partners.get('gadem-rabat')).toBeUndefined();
  });

  it('an admin creates a partner linked to a directory organisation, with clear messages on mistakes', async () => {
    const { c, csrf } = await signIn(d, 'ada');
    const page = (await c.get('/admin/partners/new')).text;
    expect(page).toMatch(/<option value="gadem">[^<]*GADEM/);
    // Topics are offered by their title.
    expect(page).toContain(`value="housing"> <span>${d.live.kb.answers.get('housing')!.get('fr')!.title}</span>`);
    const bad = await c.post('/admin/partners', { _csrf: csrf, ...form({ id: 'Bad Id', hours_2: '18:00-08:00', langs: [] }) });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('L’identifiant doit faire 2 à 40 lettres minuscules');
    expect(bad.text).toContain('« 18:00-08:00 » n’est pas une plage horaire');
    expect(bad.text).toContain('Cochez au moins une langue.');
    // What was typed stays in the form.
    expect(bad.text).toContain('value="09:00-12:30, 14:00-17:00"');

    const ok = await c.post('/admin/partners', { _csrf: csrf, ...form() });
    expect(ok.location).toBe('/admin/partners?done=partnerSaved');
    expect(d.admin.partners.get('gadem-rabat')).toMatchObject({ orgId: 'gadem', langs: ['fr', 'ar'], hours: { days: { 1: [['09:00', '12:30'], ['14:00', '17:00']], 5: [['09:00', '12:00']] } }, active: true });
    expect((await c.post('/admin/partners', { _csrf: csrf, ...form() })).text).toContain('Un partenaire a déjà cet identifiant.');
    expect((await c.get('/admin/partners')).text).toContain('data-partner="gadem-rabat"');
  });

  it('an admin changes a partner (paused, other topics) and the registry follows at once', async () => {
    const { c, csrf } = await signIn(d, 'ada');
    await c.get('/admin/lang/en?next=/admin/partners');
    expect((await c.post('/admin/partners/gadem-rabat', { _csrf: csrf, ...form({ id: 'ignored', topics: ['health-care'], active: [] }) })).status).toBe(303);
    expect(d.admin.partners.get('gadem-rabat')).toMatchObject({ id: 'gadem-rabat', topics: ['health-care'], active: false });
    const bad = await c.post('/admin/partners/gadem-rabat', { _csrf: csrf, ...form({ cities: ['atlantis'] }) });
    expect(bad.text).toContain('Unknown city &quot;atlantis&quot;.');
    expect((await c.get('/admin/partners/nobody')).status).toBe(404);
  });
});

describe('case workers\' accounts', () => {
  it('need a partner that exists, from the Users page too', async () => {
    await expect(saveUser(d.admin.store, { username: 'cw1', role: 'caseworker', password: 'long-enough-pass' })).rejects.toThrow(/--org/);
    await expect(saveUser(d.admin.store, { username: 'cw1', role: 'caseworker', password: 'long-enough-pass', partnerId: 'nope' })).rejects.toThrow(/no partner organisation "nope"/);
    const { c, csrf } = await signIn(d, 'ada');
    const users = (await c.get('/admin/users')).text;
    expect(users).toContain('<option value="caseworker">');
    expect(users).toMatch(/<option value="gadem-rabat">[^<]*GADEM/);
    const refused = await c.post('/admin/users', { _csrf: csrf, username: 'cw2', role: 'caseworker', password: 'long-enough-pass', partnerId: '' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Un·e intervenant·e a besoin d’une organisation');
    expect((await c.post('/admin/users', { _csrf: csrf, username: 'cw2', role: 'caseworker', password: 'long-enough-pass', partnerId: 'gadem-rabat' })).status).toBe(303);
    expect(await d.admin.store.get<AdminUser>('users', 'cw2')).toMatchObject({ role: 'caseworker', partnerId: 'gadem-rabat' });
    // Made an editor: the partner goes.
    expect((await c.post('/admin/users/cw2', { _csrf: csrf, action: 'role', role: 'editor', partnerId: 'gadem-rabat' })).status).toBe(303);
    expect((await d.admin.store.get<AdminUser>('users', 'cw2'))?.partnerId).toBeUndefined();
  });
});
