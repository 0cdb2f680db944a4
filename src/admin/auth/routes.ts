/**
 * Sign-in, sign-out and the interface language. The sign-in form carries a pre-session CSRF token
 * (cookie and field); failures count against the login rate limit; a successful sign-in always
 * gets a new session id.
 */
import { randomBytes } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { safeNext } from '../html.js';
import type { AdminHttp } from '../http/context.js';
import { formOf, str } from '../http/form.js';
import { isUiLang } from '../i18n.js';
import { createSession, deleteSession, isKnownDevice, loginCheck, loginFailed, loginSucceeded, rememberDevice, safeEqual, verifyPassword, DEVICE_DAYS, type AdminUser, type LoginLimit } from './accounts.js';
import { cookiesOf, DEVICE_COOKIE, LANG_COOKIE, PRE_COOKIE, sameOrigin, sessionCookieName, signedOf } from './session.js';
import { loginPage } from './views.js';

/** Adds the routes of signing in and out to the admin router. */
export function mountAuthRoutes(router: Router, http: AdminHttp): void {
  const { settings } = http;
  const sessionCookie = sessionCookieName(settings.cookieSecure);
  const limit: LoginLimit = {
    maxFailures: settings.loginMaxFailures,
    windowSeconds: settings.loginWindowMinutes * 60,
    ...(settings.loginBackoffMaxSeconds !== undefined ? { accountBackoffMaxSeconds: settings.loginBackoffMaxSeconds } : {}),
  };

  /** Sets a new pre-session CSRF token for the sign-in form. */
  const setPre = (res: Response, req: Request): string => {
    const token = randomBytes(24).toString('base64url');
    res.cookie(PRE_COOKIE, token, { httpOnly: true, secure: settings.cookieSecure, sameSite: 'strict', path: req.baseUrl || '/', maxAge: 30 * 60_000 });
    return token;
  };

  router.get('/login', async (req, res) => {
    if (signedOf(res)) return http.back(res, `${req.baseUrl}/`);
    const ctx = await http.ctxOf(req, res, false);
    res.type('html').send(loginPage(ctx, { token: setPre(res, req) }));
  });

  router.post('/login', http.forms, async (req, res) => {
    const body = formOf(req);
    const username = str(body.username).trim().toLowerCase().slice(0, 64);
    const password = str(body.password).slice(0, 1024);
    const ctx = await http.ctxOf(req, res, false);
    const refuse = (status: number, error: 'login.expired' | 'login.tooMany' | 'login.failed'): void => {
      res.status(status).type('html').send(loginPage(ctx, { token: setPre(res, req), username, error }));
    };
    if (!sameOrigin(req) || !safeEqual(str(body._csrf), cookiesOf(res)[PRE_COOKIE])) return refuse(403, 'login.expired');
    const ip = req.ip ?? 'unknown';
    const user = username ? await http.store.get<AdminUser>('users', username) : undefined;
    const account = user ? user.username : undefined;
    const device = cookiesOf(res)[DEVICE_COOKIE];
    const known = account !== undefined && (await isKnownDevice(http.store, device, account));
    const check = await loginCheck(http.store, limit, ip, account, known, http.now());
    if (!check.allowed) {
      http.logger.warn('admin.login_limited', { retryAfter: check.retryAfter });
      res.set('Retry-After', String(check.retryAfter));
      return refuse(429, 'login.tooMany');
    }
    const ok = (await verifyPassword(password, user?.passwordHash)) && user !== undefined && !user.disabled;
    if (!ok || !user) {
      await loginFailed(http.store, limit, ip, account, http.now());
      http.logger.info('admin.login_failed');
      return refuse(401, 'login.failed');
    }
    // A new session id at every sign-in (no fixation); the old session, if any, ends.
    await deleteSession(http.store, cookiesOf(res)[sessionCookie]);
    const { id } = await createSession(http.store, user.username, settings.sessionHours, http.now());
    await loginSucceeded(http.store, limit, ip, user.username);
    const deviceId = await rememberDevice(http.store, device, user.username);
    res.cookie(DEVICE_COOKIE, deviceId, { httpOnly: true, secure: settings.cookieSecure, sameSite: 'strict', path: req.baseUrl || '/', maxAge: DEVICE_DAYS * 86_400_000 });
    res.clearCookie(PRE_COOKIE, { path: req.baseUrl || '/' });
    res.cookie(sessionCookie, id, { httpOnly: true, secure: settings.cookieSecure, sameSite: 'strict', path: '/', maxAge: settings.sessionHours * 3_600_000 });
    http.logger.info('admin.login', { role: user.role });
    // A case worker's home is the inbox (they have no content page).
    res.redirect(303, safeNext(req.query.next, req.baseUrl, user.role === 'caseworker' ? `${req.baseUrl}/cases` : `${req.baseUrl}/`));
  });

  router.post('/logout', http.forms, http.need('any'), async (req, res) => {
    await deleteSession(http.store, signedOf(res)!.sessionId);
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

}
