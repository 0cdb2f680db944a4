/**
 * The admin's express router (mounted at `/admin`): security headers, the static assets, who is
 * signed in, then each feature's routes (sign-in, content editing, review and publishing,
 * missed questions, translators' files, accounts), and the 404 and error pages. Every feature
 * route checks the session and the role it needs; every POST checks the CSRF token (form field
 * `_csrf` or header `x-csrf-token`) and the Origin header.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { methodsAt } from '../domain/http-methods.js';
import { ADMIN_CSS, ADMIN_JS } from './assets.js';
import { CASES_CSS, CASES_JS } from './cases/assets.js';
import { mountInboxRoutes } from './cases/inbox-routes.js';
import { createLiveHub, type LiveHub } from './cases/live.js';
import { mountPartnerRoutes } from './cases/partner-routes.js';
import { mountAuthRoutes } from './auth/routes.js';
import { readSignedIn, sessionCookieName, signedOf } from './auth/session.js';
import { mountContentRoutes } from './content/routes.js';
import { mountDirectoryRoutes } from './directory/routes.js';
import { createAdminHttp, type AdminHttp, type AdminRouterDeps } from './http/context.js';
import { mountInsightsRoutes } from './insights/routes.js';
import { mountMissedRoutes } from './missed/routes.js';
import { mountReviewRoutes } from './review/routes.js';
import { mountTranslationsRoutes } from './translations/routes.js';
import { mountUsersRoutes } from './users/routes.js';

export type { AdminRouterDeps } from './http/context.js';

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/** Builds the admin router; `hub`: the inbox's live streams (ended by the admin's close). */
export function createAdminRouter(deps: AdminRouterDeps, hub: LiveHub = createLiveHub()): Router {
  const http = createAdminHttp(deps);
  const router = express.Router();
  router.use((_req, res, next) => {
    res.set(SECURITY_HEADERS);
    next();
  });
  router.get('/assets/admin.css', (_req, res) => {
    res.set('Cache-Control', 'private, max-age=300').type('text/css').send(ADMIN_CSS + CASES_CSS);
  });
  router.get('/assets/admin.js', (_req, res) => {
    res.set('Cache-Control', 'private, max-age=300').type('application/javascript').send(ADMIN_JS);
  });
  router.get('/assets/cases.js', (_req, res) => {
    res.set('Cache-Control', 'private, max-age=300').type('application/javascript').send(CASES_JS);
  });
  router.use(readSignedIn(http.store, sessionCookieName(http.settings.cookieSecure), http.now));
  // A case worker's home is the inbox: they have no content page.
  router.use((req, res, next) => {
    if (req.method === 'GET' && req.path === '/' && signedOf(res)?.user.role === 'caseworker') return res.redirect(303, `${req.baseUrl}/cases`);
    next();
  });
  for (const mount of [mountAuthRoutes, mountContentRoutes, mountReviewRoutes, mountMissedRoutes, mountDirectoryRoutes, mountTranslationsRoutes, mountUsersRoutes, mountInsightsRoutes]) {
    mount(router, http);
  }
  if (deps.cases) {
    mountPartnerRoutes(router, http, deps.cases.partners);
    mountInboxRoutes(router, http, { ...deps.cases, hub });
  }
  router.use(async (req, res) => {
    const allow = methodsAt(router, req.path);
    if (allow.length > 0 && !allow.includes(req.method)) {
      res.set('Allow', allow.join(', '));
      await http.sendError(req, res, 405, 'error.title', 'error.badRequest');
      return;
    }
    await http.sendError(req, res, 404, 'error.title', 'error.notFound');
  });
  router.use(errorHandler(http));
  return router;
}

/** The last handler: logs failures (by name only) and answers with an error page. */
function errorHandler(http: AdminHttp) {
  return async (err: unknown, req: Request, res: Response, _next: NextFunction): Promise<void> => {
    const e = err as { status?: number; statusCode?: number; type?: string; name?: string };
    const status = e.status ?? e.statusCode ?? 500;
    if (status >= 500 && status !== 503) http.logger.error('admin.unhandled_error', { path: req.baseUrl + (req.route?.path ?? ''), error: e.name ?? 'Error' });
    if (res.headersSent) return;
    if (status === 503) {
      http.logger.warn('admin.unavailable', { path: req.baseUrl + (req.route?.path ?? '') });
      res.set('Retry-After', '30');
    }
    try {
      if (status === 503) await http.sendError(req, res, 503, 'error.unavailableTitle', 'error.unavailable');
      else await http.sendError(req, res, status, 'error.title', status === 413 ? 'error.tooLarge' : status >= 500 ? 'error.internal' : 'error.badRequest');
    } catch {
      res.status(status).type('text').send('error');
    }
  };
}
