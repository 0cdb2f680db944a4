/**
 * Signing in over real HTTP on the embedded default (files, memory state): sessions and their
 * cookies, the login limit, the sign-in form's own CSRF token, then CSRF and roles on the routes.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerKey } from '../../../src/knowledge/publish.js';
import { tokenHash } from '../../../src/admin/auth/accounts.js';
import { Client, expectPrivateLogs, PASSWORD, signIn, startTestDalil, startWithAccounts, type SignedIn, type TestDalil } from '../support.js';

let d: TestDalil;
const signedIn = (user: string): Promise<SignedIn> => signIn(d, user);

beforeAll(async () => {
  d = await startWithAccounts();
});
afterAll(async () => {
  await d?.close();
});

describe('signing in', () => {
  it('sends visitors to the sign-in page, in French until they choose English or Arabic (right-to-left)', async () => {
    const c = new Client(d.url);
    const home = await c.get('/admin/');
    expect(home.status).toBe(303);
    expect(home.location).toBe('/admin/login?next=%2Fadmin%2F');
    // French, the Centre's working language, whatever the browser prefers, until the user chooses.
    for (const accept of ['ar-MA,ar;q=0.9', 'en-US', 'fr-FR']) {
      const fr = await c.get('/admin/login', { 'accept-language': accept });
      expect(fr.text).toMatch(/<html lang="fr" dir="ltr">/);
      expect(fr.text).toContain('Mot de passe');
    }
    await c.get('/admin/lang/ar?next=/admin/login');
    const ar = await c.get('/admin/login', { 'accept-language': 'en-US' });
    expect(ar.text).toMatch(/<html lang="ar" dir="rtl">/);
    expect(ar.text).toContain('تسجيل الدخول');
    await c.get('/admin/lang/en?next=/admin/login');
    const en = await c.get('/admin/login', { 'accept-language': 'ar' });
    expect(en.text).toContain('Password');
    expect(en.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(en.headers.get('x-frame-options')).toBe('DENY');
    expect(en.headers.get('cache-control')).toBe('no-store');
  });

  it('gives a new random session id at sign-in in an httpOnly SameSite cookie, stored only as a hash, and signs out', async () => {
    const c = new Client(d.url);
    const planted = 'A'.repeat(43);
    c.jar.set('dalil_admin', planted);
    const page = await c.get('/admin/login');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const res = await c.post('/admin/login', { _csrf: token, username: 'eddie', password: PASSWORD });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/admin/');
    const cookie = res.headers.getSetCookie().find((l) => l.startsWith('dalil_admin='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\//);
    const id = c.jar.get('dalil_admin')!;
    expect(id).not.toBe(planted);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const sessionFiles = readdirSync(path.join(d.dataDir, 'sessions'));
    const stored = sessionFiles.map((f) => Buffer.from(f.replace(/\.json$/, ''), 'base64url').toString());
    expect(stored).toContain(tokenHash(id));
    expect(stored).not.toContain(id);
    for (const f of sessionFiles) expect(readFileSync(path.join(d.dataDir, 'sessions', f), 'utf8')).not.toContain(id);

    const home = await c.get('/admin/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('eddie');
    const csrf = await c.csrf();
    const out = await c.post('/admin/logout', { _csrf: csrf });
    expect(out.status).toBe(303);
    const replay = new Client(d.url);
    replay.jar.set('dalil_admin', id);
    expect((await replay.get('/admin/')).status).toBe(303);
  });

  it('uses the __Host- cookie name with Secure when cookies are secure', async () => {
    const secure = await startTestDalil({ settings: { cookieSecure: true } });
    try {
      await secure.addUser('sam', 'editor');
      const c = new Client(secure.url);
      const res = await c.login('sam');
      const cookie = res.headers.getSetCookie().find((l) => l.startsWith('__Host-dalil_admin='));
      expect(cookie).toMatch(/; Secure/i);
    } finally {
      await secure.close();
    }
  });

  it('refuses a wrong password and stops checking after 5 failures for one IP and user name', async () => {
    const c = new Client(d.url);
    for (let i = 0; i < 5; i++) {
      const r = await c.login('rita', 'wrong-password-123', '203.0.113.7');
      expect(r.status).toBe(401);
      expect(r.text).toContain('Nom d&#39;utilisateur ou mot de passe incorrect');
    }
    const blocked = await c.login('rita', PASSWORD, '203.0.113.7');
    expect(blocked.status).toBe(429);
    expect(c.jar.has('dalil_admin')).toBe(false);
    const other = new Client(d.url);
    expect((await other.login('rita', PASSWORD, '198.51.100.9')).status).toBe(303);
    const unknown = await new Client(d.url).login('nobody', PASSWORD, '198.51.100.10');
    expect(unknown.status).toBe(401);
  });

  it('refuses a sign-in form that was not served by the admin', async () => {
    const c = new Client(d.url);
    const res = await c.post('/admin/login', { _csrf: 'forged', username: 'eddie', password: PASSWORD });
    expect(res.status).toBe(403);
    expect(c.jar.has('dalil_admin')).toBe(false);
  });
});

describe('CSRF and roles', () => {
  it('refuses POSTs without the session CSRF token or from another origin', async () => {
    const { c, csrf } = await signedIn('rita');
    expect((await c.post('/admin/review/discard', { key: answerKey('housing', 'fr') })).status).toBe(403);
    expect((await c.post('/admin/review/discard', { key: answerKey('housing', 'fr'), _csrf: 'x'.repeat(43) })).status).toBe(403);
    expect((await c.postJson('/admin/api/check/housing/fr', { title: 'x' })).status).toBe(403);
    expect((await c.post('/admin/review/discard', { key: answerKey('housing', 'fr'), _csrf: csrf }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await c.post('/admin/review/discard', { key: answerKey('housing', 'fr'), _csrf: csrf })).status).toBe(303);
  });

  it('lets editors save but not publish, and only admins manage accounts', async () => {
    const { c, csrf } = await signedIn('eddie');
    expect((await c.post('/admin/review/publish', { _csrf: csrf, keys: answerKey('housing', 'en') })).status).toBe(403);
    expect((await c.post('/admin/history/1/rollback', { _csrf: csrf })).status).toBe(403);
    expect((await c.get('/admin/users')).status).toBe(403);
    const review = await signedIn('rita');
    expect((await review.c.get('/admin/users')).status).toBe(403);
  });
});

describe('privacy of the logs', () => {
  it('never logs a password, session id, or the text of a missed question', () => {
    expectPrivateLogs(d);
  });
});
