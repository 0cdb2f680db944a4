/**
 * Accounts over real HTTP: admins create, demote and disable them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, expectPrivateLogs, signIn, startWithAccounts, type SignedIn, type TestDalil } from '../support.js';

let d: TestDalil;
const signedIn = (user: string): Promise<SignedIn> => signIn(d, user);

beforeAll(async () => {
  d = await startWithAccounts();
});
afterAll(async () => {
  await d?.close();
});

describe('accounts', () => {
  it('admins create, demote and disable accounts', async () => {
    const ad = await signedIn('ada');
    expect((await ad.c.post('/admin/users', { _csrf: ad.csrf, username: 'nora', role: 'editor', password: 'short' })).status).toBe(400);
    expect((await ad.c.post('/admin/users', { _csrf: ad.csrf, username: 'nora', role: 'reviewer', password: 'nora-long-password' })).status).toBe(303);
    expect((await new Client(d.url).login('nora', 'nora-long-password')).status).toBe(303);
    expect((await ad.c.post('/admin/users/nora', { _csrf: ad.csrf, action: 'disable' })).status).toBe(303);
    expect((await new Client(d.url).login('nora', 'nora-long-password')).status).toBe(401);
    expect((await ad.c.post('/admin/users/ada', { _csrf: ad.csrf, action: 'disable' })).status).toBe(400);
  });
});

describe('privacy of the logs', () => {
  it('never logs a password, session id, or the text of a missed question', () => {
    expectPrivateLogs(d);
  });
});
