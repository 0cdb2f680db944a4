/**
 * Security of the content editors' admin (`src/admin`), through HTTP on the app `main.ts` builds
 * (`createApp`) with the admin mounted at `/admin`: CSRF on every state-changing request, no
 * session fixation, brute-force limits on sign-in, and the role check on every admin route (the
 * routes are read from the router itself, so a route added later without a decision here fails).
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import { createLogger } from '../../src/logging/logger.js';
import { loadKnowledge } from '../../src/knowledge/index.js';
import { ROOT } from './support.js';
import { rememberCookies } from '../admin/support.js';
import { tempAdminDataDir } from '../helpers/admin-data.js';

const ADMIN_READY = existsSync(path.join(ROOT, 'src/admin/index.ts'));
const PASSWORD = 'correct-horse-battery';
/** `cases`: the case workers' inbox, for admins and case workers; anyone else signed in gets 404. */
type Role = 'editor' | 'reviewer' | 'admin' | 'cases';

/** Minimum role of every admin route; `public` routes need no session. */
const ROUTE_ROLES: Record<string, Role | 'public'> = {
  'GET /assets/admin.css': 'public',
  'GET /assets/admin.js': 'public',
  'GET /login': 'public',
  'POST /login': 'public',
  'GET /lang/:lang': 'public',
  'POST /logout': 'editor',
  'GET /': 'editor',
  'GET /topics/:topic/:lang': 'editor',
  'POST /topics/:topic/:lang': 'editor',
  'POST /api/check/:topic/:lang': 'editor',
  'GET /phrases/:intent/:lang': 'editor',
  'POST /phrases/:intent/:lang': 'editor',
  'GET /review': 'editor',
  'POST /review/publish': 'reviewer',
  'POST /review/discard': 'editor',
  'GET /history': 'editor',
  'POST /history/:seq/rollback': 'reviewer',
  'GET /missed': 'editor',
  'POST /missed/attach': 'editor',
  'POST /missed/dismiss': 'editor',
  'GET /directory': 'editor',
  'POST /directory/contact': 'reviewer',
  'POST /directory/organisation': 'reviewer',
  'GET /insights/insights.css': 'public',
  'GET /insights': 'reviewer',
  'GET /insights/export.:format': 'reviewer',
  'GET /insights/README.md': 'reviewer',
  'GET /translations': 'editor',
  'GET /translations/export': 'editor',
  'POST /translations/import': 'editor',
  'GET /translations/import/:token': 'editor',
  'POST /translations/import/:token/apply': 'editor',
  'GET /users': 'admin',
  'POST /users': 'admin',
  'POST /users/:username': 'admin',
  'GET /assets/cases.js': 'public',
  'GET /partners': 'admin',
  'GET /partners/new': 'admin',
  'POST /partners': 'admin',
  'GET /partners/:id': 'admin',
  'POST /partners/:id': 'admin',
  'GET /cases': 'cases',
  'GET /cases/events': 'cases',
  'GET /cases/state': 'cases',
  'GET /cases/audit': 'cases',
  'GET /cases/:ref': 'cases',
  'POST /cases/:ref/claim': 'cases',
  'POST /cases/:ref/reply': 'cases',
  'POST /cases/:ref/transfer': 'cases',
  'POST /cases/:ref/close': 'cases',
};
const PARAMS: Record<string, string> = { topic: 'residence-permit', lang: 'fr', intent: 'residence-permit', seq: '1', token: 'A'.repeat(24), username: 'nobody', format: 'csv', id: 'nobody', ref: 'A-1' };

/** The routes of an express router as "METHOD /path". */
function routesOf(router: Router): string[] {
  const out: string[] = [];
  for (const layer of (router as unknown as { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> }).stack) {
    if (!layer.route) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') out.push(`${method.toUpperCase()} ${layer.route.path}`);
  }
  return out;
}

interface Res {
  status: number;
  text: string;
  location: string | null;
  setCookies: string[];
}

/** A browser-like client: a cookie jar, no redirects followed, optional extra headers. */
class Browser {
  readonly jar = new Map<string, string>();
  constructor(readonly base: string) {}
  async request(method: string, p: string, body?: string, headers: Record<string, string> = {}): Promise<Res> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(this.base + p, { method, redirect: 'manual', headers: { ...(cookie ? { cookie } : {}), ...headers }, ...(body !== undefined ? { body } : {}) });
    const setCookies = res.headers.getSetCookie();
    rememberCookies(this.jar, setCookies);
    return { status: res.status, text: await res.text(), location: res.headers.get('location'), setCookies };
  }
  get(p: string, headers?: Record<string, string>): Promise<Res> {
    return this.request('GET', p, undefined, headers);
  }
  post(p: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Res> {
    return this.request('POST', p, new URLSearchParams(form).toString(), { 'content-type': 'application/x-www-form-urlencoded', ...headers });
  }
  async loginToken(): Promise<string> {
    const page = await this.get('/admin/login');
    return /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  }
  async login(username: string, password = PASSWORD, headers: Record<string, string> = {}): Promise<Res> {
    return this.post('/admin/login', { _csrf: await this.loginToken(), username, password }, headers);
  }
  async csrf(): Promise<string> {
    const page = await this.get('/admin/');
    const m = /<meta name="csrf-token" content="([^"]+)">/.exec(page.text);
    if (!m) throw new Error(`no CSRF token on the page (status ${page.status})`);
    return m[1]!;
  }
}

interface Running {
  url: string;
  router: Router;
  sessionCookie: string;
  addUser(username: string, role: Exclude<Role, 'cases'>): Promise<void>;
  close(): Promise<void>;
}

/** The admin mounted on `createApp`, over a copy of the content, with the given settings. */
async function startAdmin(options: { cookieSecure?: boolean; trustProxy?: boolean | string } = {}): Promise<Running> {
  const admin = await import('../../src/admin/index.js');
  const auth = await import('../../src/admin/auth/accounts.js');
  const dir = mkdtempSync(path.join(tmpdir(), 'dalil-admin-security-'));
  cpSync(path.join(ROOT, 'content'), path.join(dir, 'content'), { recursive: true });
  cpSync(path.join(ROOT, 'intents'), path.join(dir, 'intents'), { recursive: true });
  const knowledge = { contentDir: path.join(dir, 'content'), intentsDir: path.join(dir, 'intents'), smsShortFormSegments: 2, root: dir };
  const { kb } = await loadKnowledge(knowledge);
  const logger = createLogger('silent');
  const settings = { ...admin.defaultAdminSettings(dir, false), dataDir: tempAdminDataDir(), cookieSecure: options.cookieSecure ?? false };
  const running = await admin.createAdmin({
    settings,
    knowledge,
    kb,
    onPublished: () => undefined,
    renderPreview: () => ({ sms: { text: '', encoding: 'GSM-7', segments: 1, chars: 0 }, whatsapp: { text: '' }, telegram: { text: '', buttons: [] } }) as never,
    logger,
  });
  const app = createApp({
    mounts: [{ name: 'admin', path: '/admin', router: running.router }],
    logger,
    health: async () => ({ status: 'ok', state: 'ok', channels: ['admin'], content: kb.version }),
    ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    router: running.router,
    sessionCookie: settings.cookieSecure ? '__Host-dalil_admin' : 'dalil_admin',
    addUser: async (username, role) => void (await auth.saveUser(running.store, { username, role, password: PASSWORD })),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe.skipIf(!ADMIN_READY)('admin security', () => {
  let dalil: Running;
  beforeAll(async () => {
    dalil = await startAdmin();
    await dalil.addUser('eddie', 'editor');
    await dalil.addUser('rita', 'reviewer');
    await dalil.addUser('ada', 'admin');
  }, 60_000);
  afterAll(async () => {
    await dalil?.close();
  });

  describe('CSRF', () => {
    it('refuses a state-changing request without the token, with a wrong one, or from another origin', async () => {
      const b = new Browser(dalil.url);
      expect((await b.login('eddie')).status).toBe(303);
      const token = await b.csrf();
      const target = '/admin/missed/dismiss';
      expect((await b.post(target, { key: 'x' })).status).toBe(403);
      expect((await b.post(target, { key: 'x', _csrf: 'A'.repeat(43) })).status).toBe(403);
      expect((await b.post(target, { key: 'x', _csrf: token }, { origin: 'https://evil.example' })).status).toBe(403);
      expect((await b.post(target, { key: 'x', _csrf: token }, { origin: 'null' })).status).toBe(403);
      // The same request from the admin's own page goes through.
      expect((await b.post(target, { key: 'x', _csrf: token }, { origin: dalil.url })).status).toBe(303);
      // JSON endpoints take the token in a header only.
      const check = (headers: Record<string, string>) => b.request('POST', '/admin/api/check/residence-permit/fr', JSON.stringify({ title: 'x' }), { 'content-type': 'application/json', ...headers });
      expect((await check({})).status).toBe(403);
      expect((await check({ 'x-csrf-token': token })).status).not.toBe(403);
    });

    it('a token belongs to one session: another user\'s token is refused', async () => {
      const a = new Browser(dalil.url);
      const b = new Browser(dalil.url);
      await a.login('eddie');
      await b.login('rita');
      const tokenOfA = await a.csrf();
      expect((await b.post('/admin/missed/dismiss', { key: 'x', _csrf: tokenOfA })).status).toBe(403);
    });

    it('refuses a sign-in form posted without the login page (login CSRF)', async () => {
      const b = new Browser(dalil.url);
      const out = await b.post('/admin/login', { username: 'eddie', password: PASSWORD, _csrf: 'forged' });
      expect(out.status).toBe(403);
      expect(out.setCookies.some((c) => c.startsWith(`${dalil.sessionCookie}=`))).toBe(false);
      const cross = new Browser(dalil.url);
      const token = await cross.loginToken();
      expect((await cross.post('/admin/login', { username: 'eddie', password: PASSWORD, _csrf: token }, { origin: 'https://evil.example' })).status).toBe(403);
    });
  });

  describe('sessions', () => {
    it('issues a new session id at sign-in: a planted cookie is never adopted', async () => {
      const b = new Browser(dalil.url);
      const planted = 'P'.repeat(43);
      b.jar.set(dalil.sessionCookie, planted);
      expect((await b.login('eddie')).status).toBe(303);
      const issued = b.jar.get(dalil.sessionCookie);
      expect(issued).toBeDefined();
      expect(issued).not.toBe(planted);
      const attacker = new Browser(dalil.url);
      attacker.jar.set(dalil.sessionCookie, planted);
      expect((await attacker.get('/admin/')).status).toBe(303);
    });

    it('ends the previous session when someone signs in again, and on sign-out', async () => {
      const b = new Browser(dalil.url);
      await b.login('eddie');
      const first = b.jar.get(dalil.sessionCookie)!;
      // The login page redirects a signed-in browser: fetch its form token without the session,
      // then sign in as someone else with the old session cookie still sent.
      b.jar.delete(dalil.sessionCookie);
      const token = await b.loginToken();
      b.jar.set(dalil.sessionCookie, first);
      expect((await b.post('/admin/login', { _csrf: token, username: 'rita', password: PASSWORD })).status).toBe(303);
      const second = b.jar.get(dalil.sessionCookie)!;
      expect(second).not.toBe(first);
      const old = new Browser(dalil.url);
      old.jar.set(dalil.sessionCookie, first);
      expect((await old.get('/admin/')).status).toBe(303);
      expect((await b.post('/admin/logout', { _csrf: await b.csrf() })).status).toBe(303);
      const replay = new Browser(dalil.url);
      replay.jar.set(dalil.sessionCookie, second);
      expect((await replay.get('/admin/')).status).toBe(303);
    });

    it('sets the session cookie HttpOnly, SameSite=Strict, and Secure with the __Host- prefix when cookies are secure', async () => {
      const b = new Browser(dalil.url);
      const out = await b.login('eddie');
      const cookie = out.setCookies.find((c) => c.startsWith(`${dalil.sessionCookie}=`))!;
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
      expect(cookie).toMatch(/Path=\//i);
      const secure = await startAdmin({ cookieSecure: true });
      try {
        await secure.addUser('eddie', 'editor');
        const s = await new Browser(secure.url).login('eddie');
        const c = s.setCookies.find((x) => x.startsWith('__Host-dalil_admin='))!;
        expect(c).toMatch(/Secure/i);
        expect(c).not.toMatch(/Domain=/i);
      } finally {
        await secure.close();
      }
    });

    it('closes the session of a disabled account at once', async () => {
      await dalil.addUser('temp', 'editor');
      const t = new Browser(dalil.url);
      await t.login('temp');
      expect((await t.get('/admin/')).status).toBe(200);
      const a = new Browser(dalil.url);
      await a.login('ada');
      expect((await a.post('/admin/users/temp', { action: 'disable', _csrf: await a.csrf() })).status).toBe(303);
      expect((await t.get('/admin/')).status).toBe(303);
    });

    it('never redirects outside the admin after sign-in (open redirect)', async () => {
      for (const next of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)']) {
        const b = new Browser(dalil.url);
        const token = await b.loginToken();
        const out = await b.post(`/admin/login?next=${encodeURIComponent(next)}`, { _csrf: token, username: 'eddie', password: PASSWORD });
        expect(out.status).toBe(303);
        expect(out.location).toMatch(/^\/admin(\/|$)/);
      }
    });
  });

  describe('brute force', () => {
    it('stops checking passwords after 5 failures for an address and user name, even the right one', async () => {
      await dalil.addUser('bruno', 'editor');
      const b = new Browser(dalil.url);
      const ip = { 'x-forwarded-for': '10.0.0.7' };
      for (let i = 0; i < 5; i++) expect((await b.login('bruno', `wrong-password-${i}`, ip)).status).toBe(401);
      const locked = await b.login('bruno', PASSWORD, ip);
      expect(locked.status).toBe(429);
      expect(locked.setCookies.some((c) => c.startsWith(`${dalil.sessionCookie}=`))).toBe(false);
      // Another address may still sign in.
      expect((await new Browser(dalil.url).login('bruno', PASSWORD, { 'x-forwarded-for': '10.0.0.8' })).status).toBe(303);
    });

    it('slows a user name attacked from many addresses down (forged X-Forwarded-For): a new device waits its backoff', async () => {
      await dalil.addUser('carla', 'editor');
      for (let i = 0; i < 20; i++) {
        const status = (await new Browser(dalil.url).login('carla', `guess-${i}`, { 'x-forwarded-for': `203.0.113.${i}` })).status;
        expect([401, 429]).toContain(status);
      }
      expect((await new Browser(dalil.url).login('carla', PASSWORD, { 'x-forwarded-for': '198.51.100.1' })).status).toBe(429);
    }, 60_000);

    it('does not believe X-Forwarded-For from a client that is not a trusted proxy', async () => {
      const direct = await startAdmin({ trustProxy: false });
      try {
        await direct.addUser('dora', 'editor');
        for (let i = 0; i < 5; i++) await new Browser(direct.url).login('dora', `wrong-${i}`, { 'x-forwarded-for': `198.51.100.${i}` });
        // Every attempt counted against the real address, whatever the header said.
        expect((await new Browser(direct.url).login('dora', PASSWORD, { 'x-forwarded-for': '198.51.100.99' })).status).toBe(429);
      } finally {
        await direct.close();
      }
    }, 60_000);

    it('answers an unknown user exactly like a wrong password (no account discovery)', async () => {
      const unknown = await new Browser(dalil.url).login('nobody-here', 'whatever-password', { 'x-forwarded-for': '10.9.9.1' });
      const wrong = await new Browser(dalil.url).login('eddie', 'whatever-password', { 'x-forwarded-for': '10.9.9.2' });
      expect(unknown.status).toBe(wrong.status);
      const strip = (html: string) => html.replace(/value="[^"]*"/g, '');
      expect(strip(unknown.text)).toBe(strip(wrong.text).replace('eddie', 'nobody-here'));
    });
  });

  describe('roles', () => {
    it('every route of the admin router has a decided minimum role', () => {
      const routes = routesOf(dalil.router);
      expect(routes.length).toBeGreaterThan(20);
      expect([...routes].sort()).toEqual(Object.keys(ROUTE_ROLES).sort());
    });

    const order: Role[] = ['editor', 'reviewer', 'admin'];
    // Sign-out last: it ends the session the loop runs in.
    const guarded = (Object.entries(ROUTE_ROLES).filter(([, role]) => role !== 'public') as Array<[string, Role]>).sort(([a], [b]) => Number(a === 'POST /logout') - Number(b === 'POST /logout'));

    it('refuses every guarded route without a session', async () => {
      const b = new Browser(dalil.url);
      for (const [route] of guarded) {
        const [method, pattern] = route.split(' ') as [string, string];
        const p = '/admin' + pattern.replace(/:(\w+)/g, (_m, name: string) => PARAMS[name]!);
        const out = method === 'GET' ? await b.get(p) : await b.post(p, {});
        if (method === 'GET') {
          expect(out.status, route).toBe(303);
          expect(out.location, route).toMatch(/\/admin\/login/);
        } else expect(out.status, route).toBe(401);
      }
    });

    it.each([
      ['editor', 'eddie'],
      ['reviewer', 'rita'],
    ] as const)('refuses a %s every route that needs a higher role (with a valid CSRF token)', async (role, username) => {
      const b = new Browser(dalil.url);
      await b.login(username);
      const token = await b.csrf();
      for (const [route, needed] of guarded) {
        const [method, pattern] = route.split(' ') as [string, string];
        const p = '/admin' + pattern.replace(/:(\w+)/g, (_m, name: string) => PARAMS[name]!);
        // The token goes in the form and in the header (JSON and upload routes read the header).
        const out = method === 'GET' ? await b.get(p) : await b.post(p, { _csrf: token, username: 'x', role: 'admin', password: 'new-password-123', action: 'role' }, { 'x-csrf-token': token });
        // The inbox does not exist for editors and reviewers: 404, not 403.
        if (needed === 'cases') expect(out.status, `${role} on ${route}`).toBe(404);
        else if (order.indexOf(role) < order.indexOf(needed)) expect(out.status, `${role} on ${route}`).toBe(403);
        else expect(out.status, `${role} on ${route}`).not.toBe(403);
      }
      // Nothing was granted on the way.
      const admin = new Browser(dalil.url);
      await admin.login('ada');
      expect((await admin.get('/admin/users')).text).not.toMatch(/>x</);
    }, 60_000);
  });
});
