/**
 * The directory as reviewers check it: every organisation and contact with its source and
 * whether a person has checked it. A reviewer who has called a number, or read it on the
 * organisation's own page, marks it checked: the directory is published with today's date and
 * the reviewer's name on that contact, and users no longer see "not yet checked" next to it.
 * This is the only way a contact or an organisation becomes checked.
 */
import type { Router } from 'express';
import { DIRECTORY_KEY } from '../../knowledge/publish.js';
import { markContactChecked, markOrganisationVerified, type DirectoryMark } from '../../knowledge/index.js';
import type { AdminHttp } from '../http/context.js';
import { formOf, str } from '../http/form.js';
import { directoryPage } from './views.js';

/** Longest organisation id looked up (ids are short kebab-case words). */
const MAX_ID = 100;

/** Adds the directory's routes to the admin router. */
export function mountDirectoryRoutes(router: Router, http: AdminHttp): void {
  const ws = http.workspace;

  router.get('/directory', http.need('editor'), async (req, res) => {
    const ctx = await http.ctxOf(req, res);
    res.type('html').send(directoryPage(ctx, [...ws.kb().organisations.values()], http.me(res).role));
  });

  /** Writes a reviewer's mark into the directory and publishes it at once, as the reviewer. */
  const publishMark = async (req: Parameters<Parameters<Router['post']>[1]>[0], res: Parameters<Parameters<Router['post']>[1]>[1], mark: (text: string, user: string, today: string) => DirectoryMark, note: string): Promise<void> => {
    const published = (await ws.published(DIRECTORY_KEY)) ?? '';
    const user = http.me(res).username;
    const marked = mark(published, user, http.today());
    if ('error' in marked) return http.sendError(req, res, 404, 'error.title', 'error.notFound');
    const text = marked.text;
    await ws.saveDraft(DIRECTORY_KEY, text, user, 'editor', note);
    const result = await ws.publish([DIRECTORY_KEY], user, note);
    if (!result.ok) {
      await ws.discardDraft(DIRECTORY_KEY);
      return http.sendError(req, res, 422, 'error.title', 'publish.refused');
    }
    http.back(res, `${req.baseUrl}/directory`, 'checked');
  };

  router.post('/directory/contact', http.forms, http.need('reviewer'), async (req, res) => {
    const body = formOf(req);
    const org = str(body.org).slice(0, MAX_ID);
    const index = Number(str(body.index));
    await publishMark(req, res, (text, user, today) => markContactChecked(text, org, index, user, today), `contact checked: ${org} #${index + 1}`);
  });

  router.post('/directory/organisation', http.forms, http.need('reviewer'), async (req, res) => {
    const org = str(formOf(req).org).slice(0, MAX_ID);
    await publishMark(req, res, (text, user, today) => markOrganisationVerified(text, org, user, today), `organisation checked: ${org}`);
  });
}
