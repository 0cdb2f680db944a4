/**
 * What every feature's routes share: the admin's dependencies, body parsers, the role guard, the
 * view context of a page (language, user, CSRF token, menu counts, notice after a redirect),
 * error pages and redirects back with a notice.
 */
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from '../../domain/index.js';
import { todayIso } from '../../knowledge/index.js';
import type { CaseDesk } from '../../domain/index.js';
import type { AdminUser, Role } from '../auth/accounts.js';
import { cookiesOf, createCasesGuard, createGuard, LANG_COOKIE, signedOf } from '../auth/session.js';
import type { PartnerBook } from '../cases/partners.js';
import type { PreviewRenderer } from '../content/preview.js';
import { pickUiLang, translator } from '../i18n.js';
import type { MessageKey } from '../locales/en.js';
import type { InsightsRecorder } from '../insights/recorder.js';
import type { InsightsSettings } from '../insights/settings.js';
import type { MissedLog } from '../missed/missed-log.js';
import type { AdminSettings } from '../settings.js';
import type { AdminStore } from '../store/port.js';
import { errorPage } from '../views/error.js';
import type { ViewContext } from '../views/layout.js';
import type { Workspace } from '../workspace/index.js';
import { str } from './form.js';

/** What the admin's routes need. */
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
  /** Research counters and their settings (the Insights page is absent without them). */
  insights?: { recorder: InsightsRecorder; settings: InsightsSettings };
  /** Partner organisations, and the case desk once the server attached one (the inbox answers 404 without it). */
  cases?: { partners: PartnerBook; desk(): CaseDesk | undefined };
}

/** The shared request helpers handed to each feature's router. */
export interface AdminHttp extends Omit<AdminRouterDeps, 'now'> {
  now: () => number;
  /** Today, `YYYY-MM-DD`. */
  today(): string;
  /** Parses a urlencoded form (1 MB, 5,000 fields at most). */
  forms: RequestHandler;
  /** Parses a JSON body (1 MB at most). */
  json: RequestHandler;
  /** Requires a signed-in user with at least `role` (`any`: anyone signed in); POSTs also need the CSRF token. */
  need(role: Role | 'any'): RequestHandler;
  /** The inbox's guard: an admin or a case worker; anyone else signed in gets 404. `adminOnly`: admins only (others 404). */
  needCases(adminOnly?: boolean): RequestHandler;
  /** The view context of a page; `withCounts`: the menu's numbers of drafts and missed questions. */
  ctxOf(req: Request, res: Response, withCounts?: boolean): Promise<ViewContext>;
  /** The interface strings in the request's language (for JSON answers). */
  uiText(req: Request, res: Response): ReturnType<typeof translator>;
  /** An error page, or `{ error }` for the API and clients asking for JSON. */
  sendError(req: Request, res: Response, status: number, title: MessageKey, message: MessageKey): Promise<void>;
  /** The signed-in user (only behind `need`). */
  me(res: Response): AdminUser;
  /** Redirects (303) to `url`, with a `done` notice when given. */
  back(res: Response, url: string, done?: string): void;
  /** Forgets the menu's count of missed questions (after the list changed). */
  missedChanged(): void;
}

/** Notices a page shows after a redirect (`?done=`). */
const NOTICES: ReadonlySet<string> = new Set(['saved', 'savedWithErrors', 'published', 'discarded', 'rolledBack', 'attached', 'dismissed', 'imported', 'userSaved', 'nothing', 'unchanged', 'nothingToTranslate', 'partnerSaved', 'claimed', 'replied', 'transferred', 'closed']);

/** Builds the shared helpers. */
export function createAdminHttp(deps: AdminRouterDeps): AdminHttp {
  const now = deps.now ?? Date.now;
  const missedCount = createMissedCounter(deps.missed, now);

  const uiText: AdminHttp['uiText'] = (req, res) => translator(pickUiLang(cookiesOf(res)[LANG_COOKIE]));

  const ctxOf: AdminHttp['ctxOf'] = async (req, res, withCounts = true) => {
    const lang = pickUiLang(cookiesOf(res)[LANG_COOKIE]);
    const signed = signedOf(res);
    const ctx: ViewContext = { t: translator(lang), lang, dir: lang === 'ar' ? 'rtl' : 'ltr', base: req.baseUrl, path: req.baseUrl + req.path };
    if (signed) {
      ctx.user = { username: signed.user.username, role: signed.user.role };
      ctx.csrf = signed.session.csrf;
      if (withCounts && signed.user.role !== 'caseworker') {
        const [drafts, missed] = await Promise.all([deps.workspace.drafts(), missedCount.get()]);
        ctx.counts = { drafts: drafts.length, missed };
      }
    }
    const done = str(req.query.done);
    if (NOTICES.has(done)) {
      ctx.notice = `done.${done}` as MessageKey;
      ctx.noticeKind = done === 'savedWithErrors' ? 'error' : 'ok';
    }
    return ctx;
  };

  const sendError: AdminHttp['sendError'] = async (req, res, status, title, message) => {
    if (req.path.startsWith('/api/') || req.get('accept')?.includes('application/json')) {
      res.status(status).json({ error: message });
      return;
    }
    res.status(status).type('html').send(errorPage(await ctxOf(req, res, false), title, message));
  };

  return {
    ...deps,
    now,
    today: () => todayIso(new Date(now())),
    forms: express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 5000 }),
    json: express.json({ limit: '1mb' }),
    need: createGuard(deps.logger, sendError),
    needCases: (adminOnly = false) => createCasesGuard(deps.logger, sendError, adminOnly),
    ctxOf,
    uiText,
    sendError,
    me: (res) => signedOf(res)!.user,
    back(res, url, done) {
      res.redirect(303, done ? `${url}${url.includes('?') ? '&' : '?'}done=${done}` : url);
    },
    missedChanged: () => missedCount.reset(),
  };
}

/** The number of missed questions for the menu, read at most every 15 s (the list can be long). */
function createMissedCounter(missed: MissedLog, now: () => number): { get(): Promise<number>; reset(): void } {
  let cached: { at: number; n: number } | undefined;
  return {
    async get() {
      if (!cached || now() - cached.at > 15_000) cached = { at: now(), n: (await missed.list()).length };
      return cached.n;
    },
    reset() {
      cached = undefined;
    },
  };
}
