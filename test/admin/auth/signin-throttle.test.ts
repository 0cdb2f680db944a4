/**
 * Sign-in under attack: failures slow attempts down per address (across user names), per address
 * and account, and per account, with exponential backoff, never a lock-out of the owner: a device
 * that signed in before is not held back by attacks on its account, a new device waits at most a
 * short backoff. The counters an attacker can make are bounded. A new password or a disabled
 * account ends its sessions (enabling it again does not bring them back), and a translation-import
 * preview is visible to the user who made it only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS_BUCKETS, backoffSeconds } from '../../../src/admin/auth/accounts.js';
import { parseCsv, writeCsv } from '../../../src/admin/translations/csv.js';
import { sleep } from '../../hardening/support.js';
import { Client, PASSWORD, signIn, startTestDalil, type TestDalil } from '../support.js';

let d: TestDalil;
beforeAll(async () => {
  d = await startTestDalil({ settings: { loginBackoffMaxSeconds: 1 } });
  for (const [u, role] of [['eddie', 'editor'], ['rita', 'reviewer'], ['ada', 'admin'], ['owner', 'editor'], ['nina', 'editor']] as const) await d.addUser(u, role);
}, 60_000);
afterAll(async () => {
  await d?.close();
});

describe('backoff', () => {
  it('doubles after the free failures, up to its cap', () => {
    expect([4, 5, 6, 7, 8, 30].map((f) => backoffSeconds(f, 5, 30))).toEqual([0, 1, 2, 4, 8, 30]);
  });
});

describe('sign-in throttling', () => {
  it('throttles one address guessing across many user names', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await new Client(d.url).login(`someone-${i}`, 'guess-password', '192.0.2.50')).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20).filter((s) => s === 429).length).toBeGreaterThan(15);
  }, 60_000);

  it('keeps a bounded number of counters, none per unknown user name', async () => {
    const before = (await d.admin.store.list('limits')).length;
    for (let i = 0; i < 30; i++) await new Client(d.url).login(`unknown-${i}-${Math.random().toString(36).slice(2)}`, 'guess-password', '192.0.2.77');
    const after = (await d.admin.store.list('limits')).length;
    // One address bucket: its counter and its time.
    expect(after - before).toBeLessThanOrEqual(2);
    expect(ADDRESS_BUCKETS).toBeLessThanOrEqual(4096);
  }, 60_000);

  it('never locks the owner out: a known device signs in at once, a new one after a short backoff', async () => {
    const ownerDevice = new Client(d.url);
    expect((await ownerDevice.login('owner', PASSWORD, '198.51.100.20')).status).toBe(303);
    await ownerDevice.post('/admin/logout', { _csrf: await ownerDevice.csrf() }, { origin: d.url });
    // An attack from many addresses, past the account's free failures.
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await new Client(d.url).login('owner', `guess-${i}`, `203.0.113.${100 + i}`)).status);
    expect(statuses).toContain(429);
    // The owner's own browser: straight in.
    expect((await ownerDevice.login('owner', PASSWORD, '198.51.100.21')).status).toBe(303);
    // A new device: at most the short backoff (1 s here, 30 s by default), then in.
    const fresh = new Client(d.url);
    let res = await fresh.login('owner', PASSWORD, '198.51.100.22');
    if (res.status === 429) {
      const wait = Number(res.headers.get('retry-after'));
      expect(wait).toBeLessThanOrEqual(1);
      await sleep(wait * 1000 + 50);
      res = await fresh.login('owner', PASSWORD, '198.51.100.22');
    }
    expect(res.status).toBe(303);
  }, 60_000);
});

describe('sessions end with a new password or a disabled account', () => {
  it('a password reset and a disabling end the sessions; enabling again does not bring them back', async () => {
    const admin = await signIn(d, 'ada');
    const nina = await signIn(d, 'nina');
    expect((await nina.c.get('/admin/')).status).toBe(200);
    expect((await admin.c.post('/admin/users/nina', { _csrf: admin.csrf, action: 'password', password: 'another-long-password' }, { origin: d.url })).status).toBe(303);
    expect((await nina.c.get('/admin/')).status).not.toBe(200);

    const again = new Client(d.url);
    expect((await again.login('nina', 'another-long-password')).status).toBe(303);
    expect((await again.get('/admin/')).status).toBe(200);
    await admin.c.post('/admin/users/nina', { _csrf: admin.csrf, action: 'disable' }, { origin: d.url });
    expect((await again.get('/admin/')).status).not.toBe(200);
    await admin.c.post('/admin/users/nina', { _csrf: admin.csrf, action: 'enable' }, { origin: d.url });
    expect((await again.get('/admin/')).status).not.toBe(200);
  });
});

describe('translation import previews', () => {
  it('belong to the user who made them', async () => {
    const ed = await signIn(d, 'eddie');
    const rows = parseCsv((await ed.c.get('/admin/translations/export?lang=es&scope=all&format=csv')).text);
    const up = await ed.c.request('POST', '/admin/translations/import?lang=es', writeCsv(rows), { 'content-type': 'application/octet-stream', 'x-csrf-token': ed.csrf, accept: 'application/json' });
    expect(up.status).toBe(200);
    const location = (JSON.parse(up.text) as { location: string }).location;
    expect((await ed.c.get(location)).status).toBe(200);
    const rita = await signIn(d, 'rita');
    expect((await rita.c.get(location)).status).toBe(404);
    expect((await rita.c.post(`${location}/apply`, { _csrf: rita.csrf }, { origin: d.url })).status).toBe(404);
    // Still there for its owner.
    expect((await ed.c.get(location)).status).toBe(200);
  });
});
