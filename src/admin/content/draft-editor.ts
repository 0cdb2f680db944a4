/**
 * The one form-handling path of the content editors (the answer editor and the phrase editor):
 * show the page of a file (its draft, else its published text); on a POST, discard the draft, or
 * turn the form into a new draft and save it, then, when asked to publish (reviewers only),
 * publish it; a refused publish re-renders the page with what was submitted and why.
 */
import type { Request, Response, Router } from 'express';
import type { ContentIssue } from '../../domain/index.js';
import { hasRole } from '../auth/accounts.js';
import type { AdminHttp } from '../http/context.js';
import { formOf, str } from '../http/form.js';
import type { Draft } from '../workspace/index.js';

/** The current state of the edited file. */
export interface EditedFile {
  key: string;
  draft: Draft | undefined;
  published: string | undefined;
}

/** What a submitted form does: nothing (`'unchanged'`), or save `text` as the draft (none: keep the draft). */
export type Edit<Form> = 'unchanged' | { text?: string; form?: Form };

/** One kind of editor: what it edits and how its form reads and its page renders. */
export interface DraftEditorKind<Target, Form> {
  /** Express path, e.g. `/topics/:topic/:lang`. */
  path: string;
  /** The edited file named by the URL (undefined: 404). */
  target(req: Request): Target | undefined;
  key(target: Target): string;
  /** Path of the editor page under the admin's mount. */
  url(target: Target): string;
  /** Whether the editor's note field goes with the draft and the published version. */
  withNote: boolean;
  /** Reads the submitted form against the file as it is. */
  edit(body: Record<string, unknown>, file: EditedFile, publishing: boolean): Edit<Form>;
  /** The editor page; `form`: what was submitted, `refused`: why publishing it was refused. */
  page(req: Request, res: Response, target: Target, submitted?: { form?: Form; refused: ContentIssue[] }): Promise<string>;
}

/** Mounts the editor's page (GET) and form (POST) on `router`. */
export function mountDraftEditor<Target, Form>(router: Router, http: AdminHttp, kind: DraftEditorKind<Target, Form>): void {
  router.get(kind.path, http.need('editor'), async (req, res) => {
    const target = kind.target(req);
    if (!target) return http.sendError(req, res, 404, 'error.title', 'error.notFound');
    res.type('html').send(await kind.page(req, res, target));
  });

  router.post(kind.path, http.forms, http.need('editor'), async (req, res) => {
    const target = kind.target(req);
    if (!target) return http.sendError(req, res, 404, 'error.title', 'error.notFound');
    await submit(http, kind, target, req, res);
  });
}

/** Handles a POST of an editor's form. */
async function submit<Target, Form>(http: AdminHttp, kind: DraftEditorKind<Target, Form>, target: Target, req: Request, res: Response): Promise<void> {
  const ws = http.workspace;
  const body = formOf(req);
  const key = kind.key(target);
  const url = req.baseUrl + kind.url(target);
  const action = str(body.action);
  const user = http.me(res);
  if (action === 'discard') {
    await ws.discardDraft(key);
    return http.back(res, url, 'discarded');
  }
  const publishing = action === 'publish';
  if (publishing && !hasRole(user.role, 'reviewer')) return http.sendError(req, res, 403, 'error.title', 'error.forbidden');
  const [draft, published] = await Promise.all([ws.draft(key), ws.published(key)]);
  const edit = kind.edit(body, { key, draft, published }, publishing);
  if (edit === 'unchanged') return http.back(res, url, 'unchanged');
  const note = kind.withNote ? str(body.note) : undefined;
  if (edit.text !== undefined) await ws.saveDraft(key, edit.text, user.username, 'editor', note);
  if (!publishing) {
    // A draft with a problem to fix is kept, but nobody can publish it yet: say so.
    const saved = edit.text ?? draft?.text;
    const blocked = saved !== undefined && ws.check(key, saved).some((i) => i.severity === 'error');
    return http.back(res, url, blocked ? 'savedWithErrors' : 'saved');
  }
  const result = await ws.publish([key], user.username, note);
  if (result.ok) return http.back(res, url, 'published');
  if (result.reason === 'nothing') return http.back(res, url, 'nothing');
  const submitted = edit.form !== undefined ? { form: edit.form, refused: result.issues } : { refused: result.issues };
  res.status(422).type('html').send(await kind.page(req, res, target, submitted));
}
