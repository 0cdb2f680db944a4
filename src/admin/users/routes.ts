/**
 * Accounts (admins only): create an account, change its role, disable or enable it, set its
 * password. Nobody changes their own account here.
 */
import type { Router } from 'express';
import { partnerName } from '../cases/partner-views.js';
import { isRole, saveUser, UnknownPartnerError, type AdminUser } from '../auth/accounts.js';
import type { AdminHttp } from '../http/context.js';
import { formOf, str } from '../http/form.js';
import type { MessageKey } from '../locales/en.js';
import { usersPage } from './views.js';

/** Adds the routes of the accounts page to the admin router. */
export function mountUsersRoutes(router: Router, http: AdminHttp): void {
  const { store, logger } = http;
  const usersList = async (): Promise<AdminUser[]> => (await store.list<AdminUser>('users')).sort((a, b) => (a.username < b.username ? -1 : 1));
  /** The partners a case worker can belong to, named as the directory names their organisation. */
  const partnerChoices = (lang: string) =>
    (http.cases?.partners.list() ?? []).map((partner) => ({ partner, name: partnerName(http.workspace.kb(), partner, lang) }));
  const render = async (req: Parameters<typeof http.ctxOf>[0], res: Parameters<typeof http.ctxOf>[1], error?: MessageKey): Promise<string> => {
    const ctx = await http.ctxOf(req, res);
    return usersPage(ctx, await usersList(), error, partnerChoices(ctx.lang));
  };
  /** A case worker's partner from the form (only for that role). */
  const partnerOf = (role: string, body: Record<string, unknown>): { partnerId?: string } => (role === 'caseworker' && str(body.partnerId) ? { partnerId: str(body.partnerId) } : {});

  router.get('/users', http.need('admin'), async (req, res) => {
    res.type('html').send(await render(req, res));
  });

  router.post('/users', http.forms, http.need('admin'), async (req, res) => {
    const body = formOf(req);
    const username = str(body.username).trim().toLowerCase();
    const role = str(body.role);
    let error: MessageKey | undefined;
    if (!isRole(role)) error = 'error.badRequest';
    else if (await store.get('users', username)) error = 'users.exists';
    else {
      try {
        await saveUser(store, { username, role, password: str(body.password), ...partnerOf(role, body) });
        logger.info('admin.user_created', { role });
        return http.back(res, `${req.baseUrl}/users`, 'userSaved');
      } catch (err) {
        error = err instanceof UnknownPartnerError ? 'users.needPartner' : 'users.invalid';
      }
    }
    res.status(400).type('html').send(await render(req, res, error));
  });

  router.post('/users/:username', http.forms, http.need('admin'), async (req, res) => {
    const body = formOf(req);
    const target = await store.get<AdminUser>('users', str(req.params.username));
    if (!target) return http.sendError(req, res, 404, 'error.title', 'error.notFound');
    if (target.username === http.me(res).username) return http.sendError(req, res, 400, 'error.title', 'users.self');
    const action = str(body.action);
    try {
      if (action === 'role' && isRole(body.role)) await saveUser(store, { username: target.username, role: body.role, ...partnerOf(body.role, body) });
      else if (action === 'disable' || action === 'enable') await saveUser(store, { username: target.username, role: target.role, disabled: action === 'disable' });
      else if (action === 'password') await saveUser(store, { username: target.username, role: target.role, password: str(body.password) });
      else return http.sendError(req, res, 400, 'error.title', 'error.badRequest');
    } catch (err) {
      res.status(400).type('html').send(await render(req, res, err instanceof UnknownPartnerError ? 'users.needPartner' : 'users.invalid'));
      return;
    }
    logger.info('admin.user_changed', { action });
    http.back(res, `${req.baseUrl}/users`, 'userSaved');
  });

}
