/**
 * The admin's express router (mounted at `/admin`): sign-in, the topic matrix, the answer and
 * phrase editors, review and publishing, history and rollback, missed questions, translators'
 * files and accounts. Every route checks the session and the role it needs; every POST checks
 * the CSRF token (form field `_csrf` or header `x-csrf-token`) and the Origin header.
 */
import { randomBytes } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { ANSWER_FIELDS as FIELD_NAMES } from '../knowledge/index.js';
import { TOPIC_IDS, isIntentId, isLang, isTopicId } from '../domain/index.js';
import type { ContentIssue, IntentId, KnowledgeBase, Lang, Logger, TopicId } from '../domain/index.js';
import { todayIso } from '../knowledge/index.js';
import { answerKey, answerToMarkdown, parseContentKey, phrasesKey, type FieldLines } from '../knowledge/publish.js';
import { fieldsOfForm, fieldsOfText, templateFields } from './answer-form.js';
import { ADMIN_CSS, ADMIN_JS } from './assets.js';
import {
  createSession,
  deleteSession,
  hasRole,
  isRole,
  loginAllowed,
  loginFailed,
  loginSucceeded,
  readSession,
  safeEqual,
  saveUser,
  verifyPassword,
  type AdminSession,
  type AdminUser,
  type Role,
} from './auth.js';
import { CsvError, parseCsv, writeCsv } from './csv.js';
import { safeNext } from './html.js';
import { isUiLang, pickUiLang, translator } from './i18n.js';
import type { MessageKey } from './locales/en.js';
import { buildMatrix, isStale } from './matrix.js';
import { groupMissed, type MissedLog } from './missed.js';
import { editPhrases, phrasesOf } from './phrases.js';
import { answerReply, type PreviewRenderer } from './preview.js';
import type { AdminSettings } from './settings.js';
import type { AdminStore } from './store/port.js';
import { applyImport, exportRows, previewImport, type ExportScope, type ImportPreview } from './translations.js';
import { editorPage, matrixPage, phrasesPage, type EditorView, type FieldIssue } from './views/content.js';
import type { ViewContext } from './views/layout.js';
import { errorPage, importPreviewPage, loginPage, missedPage, translationsPage, usersPage } from './views/tools.js';
import { historyPage, reviewPage, type ReviewItem } from './views/workflow.js';
import { textHash, type Workspace } from './workspace.js';
import { readXlsx, writeXlsx, XlsxError } from './xlsx.js';

/** What the router needs. */
export interface AdminRouterDeps {
  store: AdminStore;
  workspace: Workspace;
  missed: MissedLog;
  renderPreview: PreviewRenderer;
  logger: Logger;
  settings: AdminSettings;
  /** Segments an SMS short form may use (SMS_SHORT_FORM_SEGMENTS). */
  smsShortFormSegments: number;
  now?: () => number;
}

/** The signed-in user of a request. */
interface Signed {
  user: AdminUser;
  session: AdminSession;
  sessionId: string;
}

const LANG_COOKIE = 'dalil_admin_lang';
const PRE_COOKIE = 'dalil_admin_pre';
const NOTICES: ReadonlySet<string> = new Set([
  'saved',
  'published',
  'discarded',
  'rolledBack',
  'attached',
  'dismissed',
  'imported',
  'userSaved',
  'nothing',
  'unchanged',
]);

/** Parses a Cookie header. */
function cookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    const v = part.slice(i + 1).trim();
    if (!(k in out)) {
      try {
        out[k] = decodeURIComponent(v);
      } catch {
        out[k] = v;
      }
    }
  }
  return out;
}

const asArray = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The field of an answer an issue is about: by its line in the written file, else by its message. */
export function fieldOfIssue(issue: ContentIssue, lines: readonly FieldLines[]): string | undefined {
  const named = /^(?:"|unknown (?:topic|organisation) ")?(\w+)"?/.exec(issue.message)?.[1];
  if (issue.line > 1) {
    const hit = lines.find((l) => issue.line >= l.from && issue.line <= l.to);
    if (hit) return hit.field;
  }
  if (/source/.test(issue.message)) return 'sources';
  if (/the answer has no text/.test(issue.message)) return 'body';
  if (named && (FIELD_NAMES as readonly string[]).includes(named)) return named;
  return undefined;
}

/** Builds the admin router. */
export function createAdminRouter(deps: AdminRouterDeps): Router {
  const { store, workspace: ws, missed, logger, settings } = deps;
  const now = deps.now ?? Date.now;
  const today = (): string => todayIso(new Date(now()));
  const sessionCookie = settings.cookieSecure ? '__Host-dalil_admin' : 'dalil_admin';
  const limit = { maxFailures: settings.loginMaxFailures, windowSeconds: settings.loginWindowMinutes * 60 };
  const router = express.Router();
  const forms = express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 5000 });
  const json = express.json({ limit: '1mb' });

  // ---- security headers, context ----------------------------------------------------------
  router.use((req, res, next) => {
    res.set({
      'Content-Security-Policy':
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    });
    next();
  });

  router.get('/assets/admin.css', (_req, res) => {
    res.set('Cache-Control', 'private, max-age=300').type('text/css').send(ADMIN_CSS);
  });
  router.get('/assets/admin.js', (_req, res) => {
    res.set('Cache-Control', 'private, max-age=300').type('application/javascript').send(ADMIN_JS);
  });

  const signedOf = (res: Response): Signed | undefined => res.locals.adminSigned as Signed | undefined;

  router.use(async (req, res, next) => {
    const c = cookies(req);
    res.locals.adminCookies = c;
    const id = c[sessionCookie];
    const session = await readSession(store, id, now());
    if (session && id) {
      const user = await store.get<AdminUser>('users', session.username);
      if (user && !user.disabled) res.locals.adminSigned = { user, session, sessionId: id } satisfies Signed;
    }
    next();
  });

  /** The number of missed questions for the menu, read at most every 15 s (the list can be long). */
  let missedCount: { at: number; n: number } | undefined;
  const countMissed = async (): Promise<number> => {
    if (!missedCount || now() - missedCount.at > 15_000) missedCount = { at: now(), n: (await missed.list()).length };
    return missedCount.n;
  };

  const ctxOf = async (req: Request, res: Response, withCounts = true): Promise<ViewContext> => {
    const c = res.locals.adminCookies as Record<string, string>;
    const lang = pickUiLang(c[LANG_COOKIE], req.get('accept-language'));
    const signed = signedOf(res);
    const ctx: ViewContext = {
      t: translator(lang),
      lang,
      dir: lang === 'ar' ? 'rtl' : 'ltr',
      base: req.baseUrl,
      path: req.baseUrl + req.path,
    };
    if (signed) {
      ctx.user = { username: signed.user.username, role: signed.user.role };
      ctx.csrf = signed.session.csrf;
      if (withCounts) {
        const [drafts, missedCount] = await Promise.all([ws.drafts(), countMissed()]);
        ctx.counts = { drafts: drafts.length, missed: missedCount };
      }
    }
    const done = str(req.query.done);
    if (NOTICES.has(done)) {
      ctx.notice = `done.${done}` as MessageKey;
      ctx.noticeKind = 'ok';
    }
    return ctx;
  };

  const sendError = async (req: Request, res: Response, status: number, title: MessageKey, message: MessageKey): Promise<void> => {
    if (req.path.startsWith('/api/') || req.get('accept')?.includes('application/json')) {
      res.status(status).json({ error: message });
      return;
    }
    res.status(status).type('html').send(errorPage(await ctxOf(req, res, false), title, message));
  };

  /** Refuses a POST from another origin (when the browser says where it comes from). */
  const sameOrigin = (req: Request): boolean => {
    const origin = req.get('origin');
    if (!origin) return true;
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      return false;
    }
    const hosts = [req.get('host'), ...(req.get('x-forwarded-host') ?? '').split(',').map((h) => h.trim())];
    return hosts.includes(host);
  };

  /** Requires a signed-in user with at least `role`; POSTs also need the CSRF token. */
  const need =
    (role: Role) =>
    async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      const signed = signedOf(res);
      if (!signed) {
        if (req.method === 'GET' && !req.path.startsWith('/api/')) {
          res.redirect(303, `${req.baseUrl}/login?next=${encodeURIComponent(req.baseUrl + req.path)}`);
          return;
        }
        await sendError(req, res, 401, 'error.title', 'error.signedOut');
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        const body = req.body as Record<string, unknown> | undefined;
        const token = (body && !Buffer.isBuffer(body) ? str(body._csrf) : '') || req.get('x-csrf-token');
        if (!sameOrigin(req) || !safeEqual(token, signed.session.csrf)) {
          logger.warn('admin.csrf_rejected', { path: req.baseUrl + req.route?.path });
          await sendError(req, res, 403, 'error.title', 'error.csrf');
          return;
        }
      }
      if (!hasRole(signed.user.role, role)) {
        await sendError(req, res, 403, 'error.title', 'error.forbidden');
        return;
      }
      next();
    };
  const me = (res: Response): AdminUser => signedOf(res)!.user;
  const back = (res: Response, url: string, done?: string): void => {
    res.redirect(303, done ? `${url}${url.includes('?') ? '&' : '?'}done=${done}` : url);
  };

  // ---- sign-in ------------------------------------------------------------------------------
  const setPre = (res: Response, req: Request): string => {
    const token = randomBytes(24).toString('base64url');
    res.cookie(PRE_COOKIE, token, { httpOnly: true, secure: settings.cookieSecure, sameSite: 'strict', path: req.baseUrl || '/', maxAge: 30 * 60_000 });
    return token;
  };

  router.get('/login', async (req, res) => {
    if (signedOf(res)) {
      back(res, `${req.baseUrl}/`);
      return;
    }
    const ctx = await ctxOf(req, res, false);
    res.type('html').send(loginPage(ctx, { token: setPre(res, req) }));
  });

  router.post('/login', forms, async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const username = str(body.username).trim().toLowerCase().slice(0, 64);
    const password = str(body.password).slice(0, 1024);
    const ctx = await ctxOf(req, res, false);
    const pre = (res.locals.adminCookies as Record<string, string>)[PRE_COOKIE];
    if (!sameOrigin(req) || !safeEqual(str(body._csrf), pre)) {
      res.status(403).type('html').send(loginPage(ctx, { token: setPre(res, req), username, error: 'login.expired' }));
      return;
    }
    const ip = req.ip ?? 'unknown';
    if (!(await loginAllowed(store, limit, ip, username))) {
      logger.warn('admin.login_limited');
      res.status(429).set('Retry-After', String(limit.windowSeconds)).type('html').send(loginPage(ctx, { token: setPre(res, req), username, error: 'login.tooMany' }));
      return;
    }
    const user = username ? await store.get<AdminUser>('users', username) : undefined;
    const ok = (await verifyPassword(password, user?.passwordHash)) && user !== undefined && !user.disabled;
    if (!ok || !user) {
      await loginFailed(store, limit, ip, username);
      logger.info('admin.login_failed');
      res.status(401).type('html').send(loginPage(ctx, { token: setPre(res, req), username, error: 'login.failed' }));
      return;
    }
    // A new session id at every sign-in (no fixation); the old session, if any, ends.
    await deleteSession(store, (res.locals.adminCookies as Record<string, string>)[sessionCookie]);
    const { id } = await createSession(store, user.username, settings.sessionHours, now());
    await loginSucceeded(store, ip, username);
    res.clearCookie(PRE_COOKIE, { path: req.baseUrl || '/' });
    res.cookie(sessionCookie, id, { httpOnly: true, secure: settings.cookieSecure, sameSite: 'strict', path: '/', maxAge: settings.sessionHours * 3_600_000 });
    logger.info('admin.login', { role: user.role });
    res.redirect(303, safeNext(req.query.next, req.baseUrl, `${req.baseUrl}/`));
  });

  router.post('/logout', forms, need('editor'), async (req, res) => {
    await deleteSession(store, signedOf(res)!.sessionId);
    res.clearCookie(sessionCookie, { path: '/', httpOnly: true, secure: settings.cookieSecure, sameSite: 'strict' });
    res.redirect(303, `${req.baseUrl}/login`);
  });

  router.get('/lang/:lang', (req, res) => {
    const lang = req.params.lang;
    if (isUiLang(lang)) {
      res.cookie(LANG_COOKIE, lang, { httpOnly: true, secure: settings.cookieSecure, sameSite: 'lax', path: req.baseUrl || '/', maxAge: 365 * 86_400_000 });
    }
    res.redirect(303, safeNext(req.query.next, req.baseUrl, `${req.baseUrl}/`));
  });

  // ---- matrix -------------------------------------------------------------------------------
  const titleOf = (kb: KnowledgeBase, topic: TopicId, lang: string): string => {
    const byLang = kb.answers.get(topic);
    return (isLang(lang) ? byLang?.get(lang)?.title : undefined) ?? byLang?.get('fr')?.title ?? byLang?.get('en')?.title ?? topic;
  };

  router.get('/', need('editor'), async (req, res) => {
    const ctx = await ctxOf(req, res);
    const kb = ws.kb();
    const drafts = await ws.drafts();
    const rows = buildMatrix(kb, { draftKeys: new Set(drafts.map((d) => d.key)), marks: await ws.marks(), today: today() });
    res.type('html').send(matrixPage(ctx, rows, (t) => titleOf(kb, t, ctx.lang)));
  });

  // ---- answer editor ------------------------------------------------------------------------
  const topicLang = (req: Request): { topic: TopicId; lang: Lang } | undefined => {
    const { topic, lang } = req.params as { topic?: string; lang?: string };
    return topic && isTopicId(topic) && isLang(lang) ? { topic, lang } : undefined;
  };

  const fieldIssues = (issues: readonly ContentIssue[], lines: readonly FieldLines[]): FieldIssue[] =>
    issues.map((i) => {
      const field = fieldOfIssue(i, lines);
      return { severity: i.severity, message: i.message, line: i.line, ...(field ? { field } : {}) };
    });

  const editorView = async (topic: TopicId, lang: Lang, res: Response, override?: { fields: ReturnType<typeof fieldsOfForm>; refused?: ContentIssue[] }): Promise<EditorView> => {
    const kb = ws.kb();
    const key = answerKey(topic, lang);
    const [draft, published] = await Promise.all([ws.draft(key), ws.published(key)]);
    const fields =
      override?.fields ??
      (draft ? fieldsOfText(draft.text, today()) : published !== undefined ? fieldsOfText(published, today()) : templateFields(kb, topic, today()));
    const written = answerToMarkdown(fields);
    const fr = kb.answers.get(topic)?.get('fr');
    const current = kb.answers.get(topic)?.get(lang);
    const marks = await ws.marks();
    const view: EditorView = {
      topic,
      lang,
      title: titleOf(kb, topic, lang),
      fields,
      exists: published !== undefined,
      issues: fieldIssues(ws.check(key, written.text), written.lines),
      preview: deps.renderPreview(answerReply(fields, lang)),
      stale: isStale(fr, current, marks.get(`${topic}:${lang}`)),
      conflict: draft !== undefined && draft.base !== textHash(published),
      organisations: [...kb.organisations.values()].map((o) => ({ id: o.id, name: o.name })),
      topics: TOPIC_IDS.map((id) => ({ id, label: titleOf(kb, id, 'fr') })),
      canPublish: hasRole(me(res).role, 'reviewer'),
      smsBudget: deps.smsShortFormSegments,
    };
    if (draft) view.draft = draft;
    if (fr && lang !== 'fr') view.fr = fr;
    if (override?.refused) view.refused = override.refused;
    return view;
  };

  router.get('/topics/:topic/:lang', need('editor'), async (req, res) => {
    const tl = topicLang(req);
    if (!tl) return sendError(req, res, 404, 'error.title', 'error.notFound');
    res.type('html').send(editorPage(await ctxOf(req, res), await editorView(tl.topic, tl.lang, res)));
  });

  router.post('/topics/:topic/:lang', forms, need('editor'), async (req, res) => {
    const tl = topicLang(req);
    if (!tl) return sendError(req, res, 404, 'error.title', 'error.notFound');
    const body = req.body as Record<string, unknown>;
    const key = answerKey(tl.topic, tl.lang);
    const url = `${req.baseUrl}/topics/${tl.topic}/${tl.lang}`;
    const action = str(body.action);
    if (action === 'discard') {
      await ws.discardDraft(key);
      return back(res, url, 'discarded');
    }
    if (action === 'publish' && !hasRole(me(res).role, 'reviewer')) return sendError(req, res, 403, 'error.title', 'error.forbidden');
    const fields = fieldsOfForm(body);
    const text = answerToMarkdown(fields).text;
    const [draft, published] = await Promise.all([ws.draft(key), ws.published(key)]);
    const unchanged = !draft && published !== undefined && answerToMarkdown(fieldsOfText(published, today())).text === text;
    if (unchanged) return back(res, url, 'unchanged');
    await ws.saveDraft(key, text, me(res).username, 'editor', str(body.note));
    if (action !== 'publish') return back(res, url, 'saved');
    const result = await ws.publish([key], me(res).username, str(body.note));
    if (result.ok) return back(res, url, 'published');
    if (result.reason === 'nothing') return back(res, url, 'nothing');
    res.status(422).type('html').send(editorPage(await ctxOf(req, res), await editorView(tl.topic, tl.lang, res, { fields, refused: result.issues })));
  });

  router.post('/api/check/:topic/:lang', need('editor'), json, async (req, res) => {
    const tl = topicLang(req);
    if (!tl) return sendError(req, res, 404, 'error.title', 'error.notFound');
    const fields = fieldsOfForm((req.body ?? {}) as Record<string, unknown>);
    const written = answerToMarkdown(fields);
    const issues = fieldIssues(ws.check(answerKey(tl.topic, tl.lang), written.text), written.lines);
    const t = translator(pickUiLang((res.locals.adminCookies as Record<string, string>)[LANG_COOKIE], req.get('accept-language')));
    res.json({
      issues: issues.map((i) => ({ ...i, label: t(i.severity === 'error' ? 'issue.error' : 'issue.warning'), fieldLabel: i.field ? t(`field.${i.field}` as MessageKey) : '' })),
      preview: deps.renderPreview(answerReply(fields, tl.lang)),
      budget: deps.smsShortFormSegments,
      noIssues: t('editor.noIssues'),
    });
  });

  // ---- training phrases ---------------------------------------------------------------------
  const intentLang = (req: Request): { intent: IntentId; lang: Lang } | undefined => {
    const { intent, lang } = req.params as { intent?: string; lang?: string };
    return intent && isIntentId(intent) && isLang(lang) ? { intent, lang } : undefined;
  };

  const phrasesView = async (intent: IntentId, lang: Lang, res: Response, refused?: ContentIssue[]) => {
    const key = phrasesKey(lang, intent);
    const [draft, published] = await Promise.all([ws.draft(key), ws.published(key)]);
    const text = draft?.text ?? published ?? '';
    return {
      intent,
      lang,
      title: isTopicId(intent) ? titleOf(ws.kb(), intent, lang) : intent,
      phrases: phrasesOf(text),
      ...(draft ? { draft } : {}),
      issues: ws.check(key, text).map((i) => ({ severity: i.severity, message: i.message, line: i.line })),
      canPublish: hasRole(me(res).role, 'reviewer'),
      ...(refused ? { refused } : {}),
    };
  };

  router.get('/phrases/:intent/:lang', need('editor'), async (req, res) => {
    const il = intentLang(req);
    if (!il) return sendError(req, res, 404, 'error.title', 'error.notFound');
    res.type('html').send(phrasesPage(await ctxOf(req, res), await phrasesView(il.intent, il.lang, res)));
  });

  router.post('/phrases/:intent/:lang', forms, need('editor'), async (req, res) => {
    const il = intentLang(req);
    if (!il) return sendError(req, res, 404, 'error.title', 'error.notFound');
    const body = req.body as Record<string, unknown>;
    const key = phrasesKey(il.lang, il.intent);
    const url = `${req.baseUrl}/phrases/${il.intent}/${il.lang}`;
    const action = str(body.action);
    if (action === 'discard') {
      await ws.discardDraft(key);
      return back(res, url, 'discarded');
    }
    if (action === 'publish' && !hasRole(me(res).role, 'reviewer')) return sendError(req, res, 403, 'error.title', 'error.forbidden');
    const [draft, published] = await Promise.all([ws.draft(key), ws.published(key)]);
    const base = draft?.text ?? published ?? '';
    const text = editPhrases(base, str(body.add).split(/\r?\n/), asArray(body.remove));
    if (text !== base || (draft && action === 'publish')) {
      if (text !== base) await ws.saveDraft(key, text, me(res).username, 'editor');
    } else if (action !== 'publish') {
      return back(res, url, 'unchanged');
    }
    if (action !== 'publish') return back(res, url, 'saved');
    const result = await ws.publish([key], me(res).username);
    if (result.ok) return back(res, url, 'published');
    if (result.reason === 'nothing') return back(res, url, 'nothing');
    res.status(422).type('html').send(phrasesPage(await ctxOf(req, res), await phrasesView(il.intent, il.lang, res, result.issues)));
  });

  // ---- review and history -------------------------------------------------------------------
  const reviewItems = async (ctx: ViewContext): Promise<ReviewItem[]> => {
    const kb = ws.kb();
    const drafts = await ws.drafts();
    return Promise.all(
      drafts.map(async (d): Promise<ReviewItem> => {
        const ref = parseContentKey(d.key)!;
        const published = (await ws.published(d.key)) ?? null;
        const label =
          ref.kind === 'answer' ? `${titleOf(kb, ref.topic, ref.lang)} · ${ref.lang.toUpperCase()}` : `${ctx.t('phrases.title')}: ${isTopicId(ref.intent) ? titleOf(kb, ref.intent, ctx.lang) : ref.intent} · ${ref.lang.toUpperCase()}`;
        const editUrl = ref.kind === 'answer' ? `/topics/${ref.topic}/${ref.lang}` : `/phrases/${ref.intent}/${ref.lang}`;
        return { draft: d, label, editUrl, published, issues: ws.check(d.key, d.text), conflict: d.base !== textHash(published) };
      }),
    );
  };

  router.get('/review', need('editor'), async (req, res) => {
    const ctx = await ctxOf(req, res);
    const items = (await reviewItems(ctx)).map((i) => ({ ...i, editUrl: req.baseUrl + i.editUrl }));
    res.type('html').send(reviewPage(ctx, items, hasRole(me(res).role, 'reviewer')));
  });

  router.post('/review/publish', forms, need('reviewer'), async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const keys = asArray(body.keys).filter((k) => parseContentKey(k));
    const result = await ws.publish(keys, me(res).username, str(body.note));
    if (result.ok) return back(res, `${req.baseUrl}/review`, 'published');
    if (result.reason === 'nothing') return back(res, `${req.baseUrl}/review`, 'nothing');
    const ctx = await ctxOf(req, res);
    const items = (await reviewItems(ctx)).map((i) => ({ ...i, editUrl: req.baseUrl + i.editUrl }));
    res.status(422).type('html').send(reviewPage(ctx, items, true, result.issues));
  });

  router.post('/review/discard', forms, need('editor'), async (req, res) => {
    const key = str((req.body as Record<string, unknown>).key);
    if (parseContentKey(key)) await ws.discardDraft(key);
    back(res, `${req.baseUrl}/review`, 'discarded');
  });

  router.get('/history', need('editor'), async (req, res) => {
    const entries = (await ws.history()).slice(0, 100);
    res.type('html').send(historyPage(await ctxOf(req, res), entries, hasRole(me(res).role, 'reviewer'), ws.version()));
  });

  router.post('/history/:seq/rollback', forms, need('reviewer'), async (req, res) => {
    const seq = Number(req.params.seq);
    if (!Number.isInteger(seq) || seq < 1) return sendError(req, res, 404, 'error.title', 'error.notFound');
    const result = await ws.rollback(seq, me(res).username);
    if (result.ok) return back(res, `${req.baseUrl}/history`, 'rolledBack');
    if (result.reason === 'nothing') return back(res, `${req.baseUrl}/history`, 'nothing');
    const ctx = await ctxOf(req, res);
    ctx.notice = 'publish.refused';
    ctx.noticeKind = 'error';
    res.status(422).type('html').send(historyPage(ctx, (await ws.history()).slice(0, 100), true, ws.version(), result.issues));
  });

  // ---- missed questions ---------------------------------------------------------------------
  router.get('/missed', need('editor'), async (req, res) => {
    missedCount = undefined;
    const ctx = await ctxOf(req, res);
    const kb = ws.kb();
    const topics = TOPIC_IDS.map((id) => ({ id, label: `${titleOf(kb, id, ctx.lang)} (${id})` }));
    res.type('html').send(missedPage(ctx, groupMissed(await missed.list()).slice(0, 200), topics, Math.min(30, settings.missedRetentionDays)));
  });

  router.post('/missed/attach', forms, need('editor'), async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const q = await missed.get(str(body.id));
    const topic = str(body.topic);
    const lang = q?.lang ?? str(body.lang);
    if (!q || !isTopicId(topic) || !isLang(lang)) return sendError(req, res, 400, 'error.title', 'error.badRequest');
    const phrase = q.text.replace(/\[(?:email|phone|number)\]/g, ' ').replace(/\s+/g, ' ').trim();
    const key = phrasesKey(lang, topic);
    const base = (await ws.draft(key))?.text ?? (await ws.published(key)) ?? '';
    const text = editPhrases(base, [phrase], []);
    if (text !== base) await ws.saveDraft(key, text, me(res).username, 'missed');
    await missed.remove([q.id]);
    missedCount = undefined;
    back(res, `${req.baseUrl}/missed`, 'attached');
  });

  router.post('/missed/dismiss', forms, need('editor'), async (req, res) => {
    await missed.remove(asArray((req.body as Record<string, unknown>).ids).slice(0, 1000));
    missedCount = undefined;
    back(res, `${req.baseUrl}/missed`, 'dismissed');
  });

  // ---- translators' files -------------------------------------------------------------------
  router.get('/translations', need('editor'), async (req, res) => {
    res.type('html').send(translationsPage(await ctxOf(req, res)));
  });

  router.get('/translations/export', need('editor'), async (req, res) => {
    const lang = str(req.query.lang);
    const scope: ExportScope = req.query.scope === 'all' ? 'all' : 'todo';
    if (!isLang(lang) || lang === 'fr') return sendError(req, res, 400, 'error.title', 'error.badRequest');
    const rows = exportRows(ws.kb(), lang, scope, await ws.marks());
    const name = `dalil-${lang}-${scope === 'all' ? 'all' : 'missing-stale'}-${today()}`;
    if (req.query.format === 'csv') {
      res.set('Content-Disposition', `attachment; filename="${name}.csv"`).type('text/csv; charset=utf-8').send(writeCsv(rows));
    } else {
      const buf = writeXlsx(rows, { sheetName: lang, widths: [22, 8, 60, 60, 16], rtlColumns: lang === 'ar' ? [3] : [] });
      res.set('Content-Disposition', `attachment; filename="${name}.xlsx"`).type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(buf);
    }
    logger.info('admin.translations_exported', { lang, scope, rows: rows.length - 1 });
  });

  router.post(
    '/translations/import',
    need('editor'),
    express.raw({ type: () => true, limit: '5mb' }),
    async (req, res) => {
      const lang = str(req.query.lang);
      if (!isLang(lang) || lang === 'fr') return sendError(req, res, 400, 'error.title', 'error.badRequest');
      if ((req.get('content-type') ?? '').startsWith('multipart/')) return sendError(req, res, 400, 'error.title', 'tr.needsJs');
      const buf = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      let rows: string[][];
      try {
        rows = buf.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) ? readXlsx(buf) : parseCsv(buf.toString('utf8'));
      } catch (err) {
        if (err instanceof XlsxError || err instanceof CsvError) {
          res.status(400).json({ error: translator(pickUiLang((res.locals.adminCookies as Record<string, string>)[LANG_COOKIE], req.get('accept-language')))('tr.unreadable'), detail: err.message });
          return;
        }
        throw err;
      }
      const preview = await previewImport(rows, lang, { kb: ws.kb(), workspace: ws, today: today() });
      const token = randomBytes(18).toString('base64url');
      await store.put('imports', token, { preview, user: me(res).username }, 86_400);
      res.json({ location: `${req.baseUrl}/translations/import/${token}` });
    },
  );

  const loadImport = async (req: Request): Promise<ImportPreview | undefined> => {
    const token = str(req.params.token);
    if (!/^[A-Za-z0-9_-]{24}$/.test(token)) return undefined;
    return (await store.get<{ preview: ImportPreview }>('imports', token))?.preview;
  };

  router.get('/translations/import/:token', need('editor'), async (req, res) => {
    const preview = await loadImport(req);
    if (!preview) return sendError(req, res, 404, 'error.title', 'error.notFound');
    res.type('html').send(importPreviewPage(await ctxOf(req, res), preview, str(req.params.token)));
  });

  router.post('/translations/import/:token/apply', forms, need('editor'), async (req, res) => {
    const preview = await loadImport(req);
    if (!preview) return sendError(req, res, 404, 'error.title', 'error.notFound');
    const n = await applyImport(preview, ws, me(res).username);
    await store.delete('imports', str(req.params.token));
    logger.info('admin.translations_imported', { lang: preview.lang, drafts: n });
    back(res, `${req.baseUrl}/review`, 'imported');
  });

  // ---- accounts -----------------------------------------------------------------------------
  const usersList = async (): Promise<AdminUser[]> => (await store.list<AdminUser>('users')).sort((a, b) => (a.username < b.username ? -1 : 1));

  router.get('/users', need('admin'), async (req, res) => {
    res.type('html').send(usersPage(await ctxOf(req, res), await usersList()));
  });

  router.post('/users', forms, need('admin'), async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const username = str(body.username).trim().toLowerCase();
    const role = str(body.role);
    let error: MessageKey | undefined;
    if (!isRole(role)) error = 'error.badRequest';
    else if (await store.get('users', username)) error = 'users.exists';
    else {
      try {
        await saveUser(store, { username, role, password: str(body.password) });
        logger.info('admin.user_created', { role });
        return back(res, `${req.baseUrl}/users`, 'userSaved');
      } catch {
        error = 'users.invalid';
      }
    }
    res.status(400).type('html').send(usersPage(await ctxOf(req, res), await usersList(), error));
  });

  router.post('/users/:username', forms, need('admin'), async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const target = await store.get<AdminUser>('users', str(req.params.username));
    if (!target) return sendError(req, res, 404, 'error.title', 'error.notFound');
    if (target.username === me(res).username) return sendError(req, res, 400, 'error.title', 'users.self');
    const action = str(body.action);
    try {
      if (action === 'role' && isRole(body.role)) await saveUser(store, { username: target.username, role: body.role });
      else if (action === 'disable' || action === 'enable') await saveUser(store, { username: target.username, role: target.role, disabled: action === 'disable' });
      else if (action === 'password') await saveUser(store, { username: target.username, role: target.role, password: str(body.password) });
      else return sendError(req, res, 400, 'error.title', 'error.badRequest');
    } catch {
      res.status(400).type('html').send(usersPage(await ctxOf(req, res), await usersList(), 'users.invalid'));
      return;
    }
    logger.info('admin.user_changed', { action });
    back(res, `${req.baseUrl}/users`, 'userSaved');
  });

  // ---- fallbacks ----------------------------------------------------------------------------
  router.use(async (req, res) => {
    await sendError(req, res, 404, 'error.title', 'error.notFound');
  });

  router.use(async (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = err as { status?: number; statusCode?: number; type?: string; name?: string };
    const status = e.status ?? e.statusCode ?? 500;
    if (status >= 500) logger.error('admin.unhandled_error', { path: req.baseUrl + (req.route?.path ?? ''), error: e.name ?? 'Error' });
    if (res.headersSent) return;
    try {
      await sendError(req, res, status, 'error.title', status === 413 ? 'error.tooLarge' : status >= 500 ? 'error.internal' : 'error.badRequest');
    } catch {
      res.status(status).type('text').send('error');
    }
  });

  return router;
}

