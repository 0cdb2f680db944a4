/**
 * The answer editor of one topic in one language: the form of every field, the issues
 * `content:check` would report placed on their field, and the preview on each channel.
 */
import type { Request, Response } from 'express';
import { isLang, isTopicId, TOPIC_IDS, type ContentIssue, type Lang, type TopicId } from '../../domain/index.js';
import { ANSWER_FIELDS } from '../../knowledge/index.js';
import { answerKey, answerToMarkdown, unreviewedFields, type AnswerFields, type FieldLines } from '../../knowledge/publish.js';
import { hasRole } from '../auth/accounts.js';
import type { AdminHttp } from '../http/context.js';
import { titleOf } from '../http/titles.js';
import { textHash } from '../workspace/index.js';
import { fieldsOfForm, fieldsOfText, templateFields } from './answer-form.js';
import type { DraftEditorKind } from './draft-editor.js';
import { isStale } from './matrix.js';
import { answerReply } from './preview.js';
import { editorPage, type EditorView, type FieldIssue } from './views.js';

/** An answer named by the URL. */
export interface TopicLang {
  topic: TopicId;
  lang: Lang;
}

/** The topic and language of `/topics/:topic/:lang` (and `/api/check/...`), if valid. */
export function topicLang(req: Request): TopicLang | undefined {
  const { topic, lang } = req.params as { topic?: string; lang?: string };
  return topic && isTopicId(topic) && isLang(lang) ? { topic, lang } : undefined;
}

/** The field of an answer an issue is about: by its line in the written file, else by its message. */
export function fieldOfIssue(issue: ContentIssue, lines: readonly FieldLines[]): string | undefined {
  const named = /^(?:"|unknown (?:topic|organisation) ")?(\w+)"?/.exec(issue.message)?.[1];
  if (issue.line > 1) {
    const hit = lines.find((l) => issue.line >= l.from && issue.line <= l.to);
    if (hit) return hit.field;
  }
  if (/source/.test(issue.message)) return 'sources';
  if (/the answer has no text/.test(issue.message)) return 'body';
  if (named && (ANSWER_FIELDS as readonly string[]).includes(named)) return named;
  return undefined;
}

/** Where each field of an answer file is written: its front matter keys, then the body after the closing "---". */
export function fieldLinesOfText(text: string): FieldLines[] {
  const lines = text.split('\n');
  const out: FieldLines[] = [];
  let closed = false;
  lines.forEach((line, i) => {
    const n = i + 1;
    if (n === 1) return;
    if (!closed && line.trim() === '---') {
      closed = true;
      out.push({ field: 'body', from: n + 1, to: lines.length });
      return;
    }
    if (closed) return;
    const key = /^([a-z_]+):/.exec(line)?.[1];
    if (key) out.push({ field: (key === 'reviewed_by' ? 'reviewed' : key) as FieldLines['field'], from: n, to: n });
    else if (out.length > 0) out[out.length - 1]!.to = n;
  });
  return out;
}

/** Issues of an answer file with the field each is about. */
export function fieldIssues(issues: readonly ContentIssue[], lines: readonly FieldLines[]): FieldIssue[] {
  return issues.map((i) => {
    const field = fieldOfIssue(i, lines);
    return { severity: i.severity, message: i.message, line: i.line, ...(field ? { field } : {}), ...(i.code ? { code: i.code, params: i.params } : {}) };
  });
}

/** The answer editor on the shared draft-editor path. */
export function answerEditor(http: AdminHttp): DraftEditorKind<TopicLang, AnswerFields> {
  return {
    path: '/topics/:topic/:lang',
    target: topicLang,
    key: (t) => answerKey(t.topic, t.lang),
    url: (t) => `/topics/${t.topic}/${t.lang}`,
    withNote: true,
    edit(body, file) {
      // An editor's text is not a reviewer's check: "published" goes back to needs-verification
      // (a reviewer marks it checked on the review page).
      const fields = unreviewedFields(fieldsOfForm(body));
      const text = answerToMarkdown(fields).text;
      // The form sent back as the published file says it: nothing to save.
      const unchanged = !file.draft && file.published !== undefined && answerToMarkdown(unreviewedFields(fieldsOfText(file.published, http.today()))).text === text;
      return unchanged ? 'unchanged' : { text, form: fields };
    },
    async page(req, res, t, submitted) {
      const ctx = await http.ctxOf(req, res);
      return editorPage(ctx, await editorView(http, t, res, ctx.lang, submitted));
    },
  };
}

/** Everything the editor page of an answer shows. */
async function editorView(http: AdminHttp, { topic, lang }: TopicLang, res: Response, uiLang: string, submitted?: { form?: AnswerFields; refused: ContentIssue[] }): Promise<EditorView> {
  const ws = http.workspace;
  const kb = ws.kb();
  const key = answerKey(topic, lang);
  const [draft, published, marks] = await Promise.all([ws.draft(key), ws.published(key), ws.marks()]);
  const fields = submitted?.form ?? (draft ? fieldsOfText(draft.text, http.today()) : published !== undefined ? fieldsOfText(published, http.today()) : templateFields(kb, topic, http.today()));
  const written = answerToMarkdown(fields);
  const fr = kb.answers.get(topic)?.get('fr');
  const view: EditorView = {
    topic,
    lang,
    title: titleOf(kb, topic, lang),
    topicTitle: titleOf(kb, topic, uiLang),
    fields,
    exists: published !== undefined,
    issues: fieldIssues(ws.check(key, written.text), written.lines),
    preview: http.renderPreview(answerReply(fields, lang)),
    stale: isStale(fr, kb.answers.get(topic)?.get(lang), marks.get(`${topic}:${lang}`)),
    conflict: draft !== undefined && draft.base !== textHash(published),
    organisations: [...kb.organisations.values()].map((o) => ({ id: o.id, name: o.name })),
    topics: TOPIC_IDS.map((id) => ({ id, label: titleOf(kb, id, 'fr') })),
    canPublish: hasRole(http.me(res).role, 'reviewer'),
    smsBudget: http.smsShortFormSegments,
  };
  if (draft) view.draft = draft;
  if (fr && lang !== 'fr') view.fr = fr;
  if (submitted?.refused) view.refused = submitted.refused;
  return view;
}
