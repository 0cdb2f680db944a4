/**
 * Content editing: the topic x language matrix, the answer editor (with the live check its page
 * calls as the editor types) and the phrase editor, both on the shared draft-editor path.
 */
import type { Router } from 'express';
import { answerKey, answerToMarkdown } from '../../knowledge/publish.js';
import type { AdminHttp } from '../http/context.js';
import { titleOf } from '../http/titles.js';
import { issueText } from '../i18n.js';
import type { MessageKey } from '../locales/en.js';
import { answerEditor, fieldIssues, topicLang } from './answer-editor.js';
import { fieldsOfForm } from './answer-form.js';
import { mountDraftEditor } from './draft-editor.js';
import { buildMatrix } from './matrix.js';
import { phraseEditor } from './phrase-editor.js';
import { answerReply } from './preview.js';
import { matrixPage } from './views.js';

/** Adds the routes of content editing to the admin router. */
export function mountContentRoutes(router: Router, http: AdminHttp): void {
  const ws = http.workspace;

  router.get('/', http.need('editor'), async (req, res) => {
    const ctx = await http.ctxOf(req, res);
    const kb = ws.kb();
    const drafts = await ws.drafts();
    const rows = buildMatrix(kb, { draftKeys: new Set(drafts.map((d) => d.key)), marks: await ws.marks(), today: http.today() });
    res.type('html').send(matrixPage(ctx, rows, (t) => titleOf(kb, t, ctx.lang)));
  });

  mountDraftEditor(router, http, answerEditor(http));

  router.post('/api/check/:topic/:lang', http.need('editor'), http.json, async (req, res) => {
    const tl = topicLang(req);
    if (!tl) return http.sendError(req, res, 404, 'error.title', 'error.notFound');
    const fields = fieldsOfForm((req.body ?? {}) as Record<string, unknown>);
    const written = answerToMarkdown(fields);
    const issues = fieldIssues(ws.check(answerKey(tl.topic, tl.lang), written.text), written.lines);
    const t = http.uiText(req, res);
    res.json({
      issues: issues.map((i) => ({ ...i, message: issueText(t, i), label: t(i.severity === 'error' ? 'issue.error' : 'issue.warning'), fieldLabel: i.field ? t(`field.${i.field}` as MessageKey) : '' })),
      preview: http.renderPreview(answerReply(fields, tl.lang)),
      budget: http.smsShortFormSegments,
      noIssues: t('editor.noIssues'),
    });
  });

  mountDraftEditor(router, http, phraseEditor(http));

}
