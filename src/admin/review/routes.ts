/**
 * Review and publishing: the drafts waiting for review (publish or discard them), the history
 * of published versions and rolling one back.
 */
import type { Router } from 'express';
import { parseContentKey, reviewedAnswerToMarkdown } from '../../knowledge/publish.js';
import { fieldsOfText } from '../content/answer-form.js';
import { fieldLinesOfText, fieldOfIssue } from '../content/answer-editor.js';
import { hasRole } from '../auth/accounts.js';
import type { AdminHttp } from '../http/context.js';
import { asArray, formOf, str } from '../http/form.js';
import { fileLabel } from '../http/titles.js';
import type { ViewContext } from '../views/layout.js';
import { textHash } from '../workspace/index.js';
import { historyPage, reviewPage, type ReviewItem } from './views.js';

/** How many versions the history page lists. */
const HISTORY_SHOWN = 100;

/** Adds the routes of review, publishing, history and rollback to the admin router. */
export function mountReviewRoutes(router: Router, http: AdminHttp): void {
  const ws = http.workspace;

  /** Every draft with its label, its editor's URL, its issues and whether it conflicts with what was published since. */
  const reviewItems = async (ctx: ViewContext): Promise<ReviewItem[]> => {
    const kb = ws.kb();
    const drafts = await ws.drafts();
    return Promise.all(
      drafts.map(async (d): Promise<ReviewItem> => {
        const ref = parseContentKey(d.key)!;
        const published = (await ws.published(d.key)) ?? null;
        const label = fileLabel(kb, d.key, ctx.t, ctx.lang);
        const editUrl = ref.kind === 'answer' ? `/topics/${ref.topic}/${ref.lang}` : ref.kind === 'phrases' ? `/phrases/${ref.intent}/${ref.lang}` : '/directory';
        const issues = ws.check(d.key, d.text);
        const lines = ref.kind === 'answer' ? fieldLinesOfText(d.text) : [];
        const fields = issues.map((i) => (ref.kind === 'answer' ? fieldOfIssue(i, lines) : undefined));
        return { draft: d, label, fields, editUrl: ctx.base + editUrl, published, issues, conflict: d.base !== textHash(published) };
      }),
    );
  };

  router.get('/review', http.need('editor'), async (req, res) => {
    const ctx = await http.ctxOf(req, res);
    res.type('html').send(reviewPage(ctx, await reviewItems(ctx), hasRole(http.me(res).role, 'reviewer')));
  });

  /**
   * The reviewer's check of an answer's facts: its draft becomes "published", with today's date
   * and the reviewer's name (reviewed, reviewed_by). The only way an answer is marked checked.
   */
  const markChecked = async (key: string, reviewer: string): Promise<void> => {
    const draft = await ws.draft(key);
    if (!draft || parseContentKey(key)?.kind !== 'answer') return;
    const today = http.today();
    const text = reviewedAnswerToMarkdown(fieldsOfText(draft.text, today), reviewer, today).text;
    if (text !== draft.text) await ws.saveDraft(key, text, draft.author, draft.origin, draft.note);
  };

  router.post('/review/publish', http.forms, http.need('reviewer'), async (req, res) => {
    const body = formOf(req);
    const keys = asArray(body.keys).filter((k) => parseContentKey(k));
    const reviewer = http.me(res).username;
    for (const key of asArray(body.checked)) if (keys.includes(key)) await markChecked(key, reviewer);
    const result = await ws.publish(keys, reviewer, str(body.note));
    if (result.ok) return http.back(res, `${req.baseUrl}/review`, 'published');
    if (result.reason === 'nothing') return http.back(res, `${req.baseUrl}/review`, 'nothing');
    const ctx = await http.ctxOf(req, res);
    res.status(422).type('html').send(reviewPage(ctx, await reviewItems(ctx), true, result.issues));
  });

  router.post('/review/discard', http.forms, http.need('editor'), async (req, res) => {
    const key = str(formOf(req).key);
    if (parseContentKey(key)) await ws.discardDraft(key);
    http.back(res, `${req.baseUrl}/review`, 'discarded');
  });

  router.get('/history', http.need('editor'), async (req, res) => {
    const entries = (await ws.history()).slice(0, HISTORY_SHOWN);
    const ctx = await http.ctxOf(req, res);
    const label = (key: string): string => fileLabel(ws.kb(), key, ctx.t, ctx.lang);
    res.type('html').send(historyPage(ctx, entries, hasRole(http.me(res).role, 'reviewer'), ws.version(), label));
  });

  router.post('/history/:seq/rollback', http.forms, http.need('reviewer'), async (req, res) => {
    const seq = Number(req.params.seq);
    if (!Number.isInteger(seq) || seq < 1) return http.sendError(req, res, 404, 'error.title', 'error.notFound');
    const result = await ws.rollback(seq, http.me(res).username);
    if (result.ok) return http.back(res, `${req.baseUrl}/history`, 'rolledBack');
    if (result.reason === 'nothing') return http.back(res, `${req.baseUrl}/history`, 'nothing');
    const ctx = await http.ctxOf(req, res);
    ctx.notice = 'publish.refused';
    ctx.noticeKind = 'error';
    const label = (key: string): string => fileLabel(ws.kb(), key, ctx.t, ctx.lang);
    res.status(422).type('html').send(historyPage(ctx, (await ws.history()).slice(0, HISTORY_SHOWN), true, ws.version(), label, result.issues));
  });

}
