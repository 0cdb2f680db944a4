/**
 * Sessions over HTTP: the cookies of the admin, who is signed in on a request, and the guard of
 * every route: a signed-in user with the role it needs and, on a POST, the session's CSRF token
 * (form field `_csrf` or header `x-csrf-token`) from a page of this origin.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../../domain/index.js';
import type { MessageKey } from '../locales/en.js';
import type { AdminStore } from '../store/port.js';
import { hasRole, readSession, safeEqual, type AdminSession, type AdminUser, type Role } from './accounts.js';

/** Cookie of the interface language chosen by the user. */
export const LANG_COOKIE = 'dalil_admin_lang';
/** Cookie of the pre-session CSRF token of the sign-in form. */
export const PRE_COOKIE = 'dalil_admin_pre';
/** Cookie of a device that signed in before (a random id; the store keeps its hash per account). */
export const DEVICE_COOKIE = 'dalil_admin_device';

/** Name of the session cookie (the `__Host-` prefix needs Secure). */
export const sessionCookieName = (secure: boolean): string => (secure ? '__Host-dalil_admin' : 'dalil_admin');

/** The signed-in user of a request. */
export interface Signed {
  user: AdminUser;
  session: AdminSession;
  sessionId: string;
}

/** Parses a Cookie header (the first of two cookies of one name wins). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
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

/** The cookies of a request (read by `readSignedIn`). */
export const cookiesOf = (res: Response): Record<string, string> => res.locals.adminCookies as Record<string, string>;

/** The signed-in user of a request, if any (set by `readSignedIn`). */
export const signedOf = (res: Response): Signed | undefined => res.locals.adminSigned as Signed | undefined;

/** Middleware: reads the cookies and the live session of an enabled account. */
export function readSignedIn(store: AdminStore, sessionCookie: string, now: () => number): RequestHandler {
  return async (req, res, next) => {
    const c = parseCookies(req.headers.cookie);
    res.locals.adminCookies = c;
    const id = c[sessionCookie];
    const session = await readSession(store, id, now());
    if (session && id) {
      const user = await store.get<AdminUser>('users', session.username);
      // A session older than the account's last password reset or disabling is over.
      const current = user && !user.disabled && !(user.sessionsNotBefore !== undefined && session.createdAt < user.sessionsNotBefore);
      if (user && current) res.locals.adminSigned = { user, session, sessionId: id } satisfies Signed;
    }
    next();
  };
}

/** False for a request whose Origin header (when the browser sends one) names another host. */
export function sameOrigin(req: Request): boolean {
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
}

/** Sends an error page (or JSON error) with this status. */
export type SendError = (req: Request, res: Response, status: number, title: MessageKey, message: MessageKey) => Promise<void>;

/**
 * `need(role)`: requires a signed-in user with at least `role` (`any`: every signed-in user, a
 * case worker too); POSTs also need the CSRF token.
 */
export function createGuard(logger: Logger, sendError: SendError): (role: Role | 'any') => RequestHandler {
  return (role) =>
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
      if (req.method !== 'GET' && req.method !== 'HEAD' && !csrfOk(req, signed)) {
        logger.warn('admin.csrf_rejected', { path: req.baseUrl + req.route?.path });
        await sendError(req, res, 403, 'error.title', 'error.csrf');
        return;
      }
      if (role !== 'any' && !hasRole(signed.user.role, role)) {
        await sendError(req, res, 403, 'error.title', 'error.forbidden');
        return;
      }
      next();
    };
}

const field = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The request comes from this origin and carries the session's CSRF token. */
function csrfOk(req: Request, signed: Signed): boolean {
  const body = req.body as Record<string, unknown> | undefined;
  const token = (body && !Buffer.isBuffer(body) ? field(body._csrf) : '') || req.get('x-csrf-token');
  return sameOrigin(req) && safeEqual(token, signed.session.csrf);
}

/**
 * The guard of the case workers' inbox: a signed-in admin of the Centre or case worker of a
 * partner (POSTs also need the CSRF token). Anyone else signed in gets 404, as if the inbox did
 * not exist: editors and reviewers see no cases.
 */
export function createCasesGuard(logger: Logger, sendError: SendError, adminOnly = false): RequestHandler {
  const signedIn = createGuard(logger, sendError)('any');
  return (req, res, next) => {
    const signed = signedOf(res);
    const allowed = signed !== undefined && (signed.user.role === 'admin' || (!adminOnly && signed.user.role === 'caseworker' && typeof signed.user.partnerId === 'string'));
    if (signed && !allowed) {
      void sendError(req, res, 404, 'error.title', 'error.notFound');
      return;
    }
    if (!signed || req.method === 'GET' || req.method === 'HEAD') return void signedIn(req, res, next);
    if (!csrfOk(req, signed)) {
      logger.warn('admin.csrf_rejected', { path: req.baseUrl + req.route?.path });
      void sendError(req, res, 403, 'error.title', 'error.csrf');
      return;
    }
    next();
  };
}
