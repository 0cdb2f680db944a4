/**
 * Shared helpers of the admin tests: a copy of the real content in a temporary folder (publishing
 * writes there, never to the repository), a Dalil wired like `main.ts` with the admin mounted at
 * `/admin` (kb and matcher swapped on publish through getters), and an HTTP client with a cookie jar.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { expect } from 'vitest';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/index.js';
import { randomBytes } from 'node:crypto';
import { createCaseDesk, createMemoryCaseStore, createSealer, openCaseStore, type RunningCaseDesk } from '../../src/cases/index.js';
import { organisationName, type CaseDesk, type KnowledgeBase, type Logger, type Matcher } from '../../src/domain/index.js';
import { createAdmin, defaultAdminSettings, type Admin, type AdminSettings, type InsightsSettings } from '../../src/admin/index.js';
import { saveUser, type Role } from '../../src/admin/auth/accounts.js';
import { smsCapabilities } from '../../src/channels/shared/capabilities.js';
import { createSmsFitter } from '../../src/channels/shared/sms.js';
import { createWebRouter, previewOf, type WebChannelSettings } from '../../src/channels/web/router.js';
import { createConversationService } from '../../src/engine/index.js';
import { createTranslator } from '../../src/i18n/index.js';
import { loadKnowledge, type LoadKnowledgeOptions } from '../../src/knowledge/index.js';
import { createMatcher } from '../../src/nlu/index.js';
import { createApp } from '../../src/server/app.js';
import { createHmacKeyer } from '../../src/state/keyer.js';
import { createMemoryStore } from '../../src/state/memory.js';
import { tempAdminDataDir } from '../helpers/admin-data.js';

/** A logger that keeps every line (to prove nothing private is logged). */
export function captureLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const put = (level: string) => (event: string, fields?: Record<string, unknown>) => {
    lines.push(JSON.stringify({ level, event, ...fields }));
  };
  return { lines, debug: put('debug'), info: put('info'), warn: put('warn'), error: put('error') };
}

/** A temporary folder holding a copy of `content/` and `intents/`. */
export function copyContent(label = 'admin'): { root: string; knowledge: LoadKnowledgeOptions; cleanup(): void } {
  const root = mkdtempSync(path.join(tmpdir(), `dalil-${label}-`));
  cpSync(path.join(PROJECT_ROOT, 'content'), path.join(root, 'content'), { recursive: true });
  cpSync(path.join(PROJECT_ROOT, 'intents'), path.join(root, 'intents'), { recursive: true });
  return {
    root,
    knowledge: { contentDir: path.join(root, 'content'), intentsDir: path.join(root, 'intents'), smsShortFormSegments: 2, root },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** A running Dalil with its admin. */
export interface TestDalil {
  url: string;
  admin: Admin;
  root: string;
  /** The admin's data folder (a fresh temporary one; removed after the test file). */
  dataDir: string;
  knowledge: LoadKnowledgeOptions;
  logger: Logger & { lines: string[] };
  /** The memory case desk (with `cases: true`). */
  cases?: RunningCaseDesk;
  /** Versions of the knowledge base the engine has run (the last is live). */
  published: KnowledgeBase[];
  live: { kb: KnowledgeBase; matcher: Matcher };
  /** Creates an account; a case worker needs `partnerId`, a partner that exists. */
  addUser(username: string, role: Role, password?: string, partnerId?: string): Promise<void>;
  close(): Promise<void>;
}

/** Test password of the accounts `addUser` creates. */
export const PASSWORD = 'correct-horse-battery';

/** Starts Dalil as `main.ts` will wire it, on a content copy (or `shared` content when given). */
export async function startTestDalil(
  opts: {
    redis?: { url: string; prefix: string };
    settings?: Partial<AdminSettings>;
    content?: ReturnType<typeof copyContent>;
    pollSeconds?: number;
    insights?: InsightsSettings;
    now?: () => number;
    web?: WebChannelSettings['http'];
    /** The case desk behind the inbox. */
    desk?: CaseDesk;
    /**
     * A case desk wired as `main.ts` wires it (memory, or Redis with `redis`): the conversation
     * service opens cases with it, routed to the partners admins edit, and the inbox reads them
     * (`desk` is ignored then). Instances on one Redis share one test key.
     */
    cases?: boolean;
  } = {},
): Promise<TestDalil> {
  const content = opts.content ?? copyContent();
  const logger = captureLogger();
  const { kb, issues } = await loadKnowledge(content.knowledge);
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) throw new Error(`content has errors: ${errors.length}`);
  const live = { kb, matcher: createMatcher({ phrases: kb.phrases, cities: [...kb.cities.values()] }) };
  const published: KnowledgeBase[] = [];
  const t = await createTranslator(path.join(PROJECT_ROOT, 'locales'));
  const store = createMemoryStore({ ttlSeconds: 3600 });
  // Turns are counted for the Insights page once the admin exists, as main.ts wires it.
  const counting: { admin?: Admin } = {};
  // With Redis, the cases live there too (every instance sees them and their live events), as main.ts does.
  const caseStore = !opts.cases ? undefined : opts.redis ? await openCaseStore({ topology: { kind: 'standalone', url: opts.redis.url }, prefix: opts.redis.prefix, commandTimeoutMs: 3000, retentionDays: 30, logger }) : createMemoryCaseStore();
  const cases = caseStore
    ? createCaseDesk({
        store: caseStore,
        sealer: createSealer([opts.redis ? Buffer.alloc(32, 7) : randomBytes(32)]),
        reachers: new Map(),
        partners: { list: () => counting.admin?.partners.list() ?? [], get: (id) => counting.admin?.partners.get(id) },
        t,
        logger,
        retentionDays: 30,
        orgName: (orgId, lang) => {
          const org = live.kb.organisations.get(orgId);
          return org ? organisationName(org, lang) : undefined;
        },
      })
    : undefined;
  const keyer = createHmacKeyer('admin-test-secret');
  const handleTurn = createConversationService({
    ...(cases ? { cases } : {}),
    onTurn: (facts) => counting.admin?.recordTurn(facts),
    store,
    keyer,
    deps: {
      get kb() {
        return live.kb;
      },
      get matcher() {
        return live.matcher;
      },
      t,
      defaultLang: 'fr',
      maxMessageChars: 1000,
    },
    logger,
  });
  const smsCaps = smsCapabilities(3);
  const smsFit = createSmsFitter(smsCaps, t);
  const settings: AdminSettings = { ...defaultAdminSettings(content.root, false), dataDir: tempAdminDataDir(), ...opts.settings };
  const admin = await createAdmin({
    settings,
    knowledge: content.knowledge,
    kb,
    onPublished: (next) => {
      live.matcher = createMatcher({ phrases: next.phrases, cities: [...next.cities.values()] });
      live.kb = next;
      published.push(next);
    },
    renderPreview: (reply) => previewOf(reply, smsCaps, smsFit),
    logger,
    ...(opts.redis ? { redis: opts.redis } : {}),
    ...(opts.pollSeconds !== undefined ? { pollSeconds: opts.pollSeconds } : {}),
    ...(opts.insights ? { insights: opts.insights } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...(cases ? { desk: cases } : opts.desk ? { desk: opts.desk } : {}),
  });
  counting.admin = admin;
  const app = createApp({
    mounts: [
      {
        name: 'web',
        path: '/',
        router: createWebRouter(
          { maxBodySize: '64kb', smsCapabilities: smsCaps, smsFit, http: opts.web },
          {
            handleTurn,
            logger,
            // The web chat's poll for the case worker's replies, as main.ts wires it.
            ...(cases
              ? {
                  caseUpdates: async (userId: string) => {
                    const key = keyer.key('web', userId);
                    return { replies: await cases.takeWebReplies(key), open: (await store.get(key))?.case !== undefined };
                  },
                }
              : {}),
          },
        ),
      },
      { name: 'admin', path: '/admin', router: admin.router },
    ],
    logger,
    health: async () => ({ status: 'ok', state: 'ok', channels: ['web', 'admin'], content: live.kb.version }),
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    admin,
    root: content.root,
    dataDir: settings.dataDir,
    ...(cases ? { cases } : {}),
    knowledge: content.knowledge,
    logger,
    published,
    live,
    async addUser(username, role, password = PASSWORD, partnerId) {
      await saveUser(admin.store, { username, role, password, ...(partnerId ? { partnerId } : {}) });
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await admin.close();
      await cases?.shutdown();
      await store.close();
      if (!opts.content) content.cleanup();
    },
  };
}

/** A response as the tests read it. */
export interface Res {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

/** A browser-like HTTP client: keeps cookies, does not follow redirects. */
/** Applies Set-Cookie lines to a cookie jar as a browser would (an emptied or expired cookie is removed). */
export function rememberCookies(jar: Map<string, string>, setCookies: readonly string[]): void {
  for (const line of setCookies) {
    const [pair] = line.split(';');
    const i = pair!.indexOf('=');
    const name = pair!.slice(0, i).trim();
    const value = pair!.slice(i + 1).trim();
    if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(name);
    else jar.set(name, value);
  }
}

export class Client {
  readonly jar = new Map<string, string>();
  constructor(readonly base: string) {}

  private store(res: Response): void {
    rememberCookies(this.jar, res.headers.getSetCookie());
  }

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(method: string, p: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Res> {
    const res = await fetch(this.base + p, {
      method,
      redirect: 'manual',
      headers: { cookie: this.cookieHeader(), ...headers },
      ...(body !== undefined ? { body } : {}),
    });
    this.store(res);
    return { status: res.status, headers: res.headers, text: await res.text(), location: res.headers.get('location') };
  }

  get(p: string, headers?: Record<string, string>): Promise<Res> {
    return this.request('GET', p, undefined, headers);
  }

  /** Posts a form; arrays become repeated fields. */
  post(p: string, form: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<Res> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
    return this.request('POST', p, params.toString(), { 'content-type': 'application/x-www-form-urlencoded', ...headers });
  }

  postJson(p: string, body: unknown, headers: Record<string, string> = {}): Promise<Res> {
    return this.request('POST', p, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
  }

  /** The CSRF token of the signed-in session, read from a page. */
  async csrf(): Promise<string> {
    const page = await this.get('/admin/');
    const m = /<meta name="csrf-token" content="([^"]+)">/.exec(page.text);
    if (!m) throw new Error(`no CSRF token on the page (status ${page.status})`);
    return m[1]!;
  }

  /** Signs in; returns the final response of the POST. */
  async login(username: string, password = PASSWORD, ip?: string): Promise<Res> {
    const page = await this.get('/admin/login');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    return this.post('/admin/login', { _csrf: token, username, password }, ip ? { 'x-forwarded-for': ip } : {});
  }
}

/** The text of a reply of `/api/chat` for a message (a fresh user each time). */
export async function ask(url: string, text: string, user = `u${Math.random().toString(36).slice(2, 10)}`): Promise<string> {
  const res = await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, text }) });
  const json = (await res.json()) as { replies: Array<{ text: string }> };
  return json.replies.map((r) => r.text).join('\n\n');
}

/** Starts Dalil with the accounts the HTTP tests sign in as: eddie (editor), rita (reviewer), ada (admin). */
export async function startWithAccounts(): Promise<TestDalil> {
  const d = await startTestDalil();
  await d.addUser('eddie', 'editor');
  await d.addUser('rita', 'reviewer');
  await d.addUser('ada', 'admin');
  return d;
}

/** A signed-in client and the CSRF token of its session. */
export interface SignedIn {
  c: Client;
  csrf: string;
}

/** Signs `user` in (expects the redirect of a successful sign-in). */
export async function signIn(d: TestDalil, user: string): Promise<SignedIn> {
  const c = new Client(d.url);
  const res = await c.login(user);
  expect(res.status).toBe(303);
  return { c, csrf: await c.csrf() };
}

/** The admin never logs a password, a session id or the text of a missed question. */
export function expectPrivateLogs(d: TestDalil): void {
  const all = d.logger.lines.join('\n');
  expect(all).not.toContain(PASSWORD);
  expect(all).not.toContain('nora-long-password');
  expect(all).not.toMatch(/bank acount|case number/);
  expect(all).not.toMatch(/[A-Za-z0-9_-]{43}/);
}
