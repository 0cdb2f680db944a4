/**
 * Translators' files: a language exported as rows (topic, field, French source, translation,
 * status), all of it or only what is missing or stale, and a filled file read back into drafts
 * with a preview of what changes and what `content:check` would say.
 */
import { TOPIC_IDS, isTopicId } from '../../domain/index.js';
import type { ContentIssue, KnowledgeBase, Lang, TopicAnswer, TopicId } from '../../domain/index.js';
import { answerKey, answerToMarkdown, unreviewedFields, type AnswerFields } from '../../knowledge/publish.js';
import { fieldsOfText, templateFields } from '../content/answer-form.js';
import { isStale } from '../content/matrix.js';
import type { SourceMark, Workspace } from '../workspace/index.js';

/** The fields a translator translates. */
export const TRANSLATED_FIELDS = ['title', 'sms', 'body'] as const;
export type TranslatedField = (typeof TRANSLATED_FIELDS)[number];

/** Which items an export holds. */
export type ExportScope = 'all' | 'todo';

/** The header row of a translators' file. */
export function headerRow(lang: Lang): string[] {
  return ['topic', 'field', 'source (fr)', `translation (${lang})`, 'status'];
}

/** Rows of a translators' file for `lang` (header first). `todo`: only missing and stale answers. */
export function exportRows(kb: KnowledgeBase, lang: Lang, scope: ExportScope, marks: ReadonlyMap<string, SourceMark>): string[][] {
  const rows = [headerRow(lang)];
  for (const topic of TOPIC_IDS) {
    const fr = kb.answers.get(topic)?.get('fr');
    if (!fr) continue;
    const tr = kb.answers.get(topic)?.get(lang);
    const state = !tr ? 'missing' : isStale(fr, tr, marks.get(`${topic}:${lang}`)) ? 'stale' : tr.status;
    if (scope === 'todo' && state !== 'missing' && state !== 'stale') continue;
    // Texts as written, settings unfilled ({{retention_days}}), so a translation keeps quoting the setting.
    const text = (a: TopicAnswer | undefined, field: TranslatedField): string => (a ? (field === 'title' ? a.title : (a.template?.[field] ?? a[field])) : '');
    for (const field of TRANSLATED_FIELDS) rows.push([topic, field, text(fr, field), text(tr, field), state]);
  }
  return rows;
}

/** One answer an import changes. */
export interface ImportChange {
  topic: TopicId;
  key: string;
  isNew: boolean;
  fields: Array<{ field: TranslatedField; before: string; after: string }>;
  /** The file text the draft will hold. */
  text: string;
  issues: ContentIssue[];
}

/** What an import would do. */
export interface ImportPreview {
  lang: Lang;
  changes: ImportChange[];
  /** Answers whose text the file leaves as it is. */
  unchanged: number;
  /** Rows that could not be used (1-based row numbers of the file). */
  problems: Array<{ row: number; message: string; code: string; params?: Record<string, string> }>;
}

/**
 * Reads translated rows against the current drafts and published answers. A blank translation
 * leaves the field alone. Nothing is saved: `applyImport` does that.
 */
export async function previewImport(
  rows: readonly (readonly string[])[],
  lang: Lang,
  ctx: { kb: KnowledgeBase; workspace: Workspace; today: string },
): Promise<ImportPreview> {
  const problems: ImportPreview['problems'] = [];
  const header = (rows[0] ?? []).map((c) => c.trim().toLowerCase());
  if (header[0] !== 'topic' || header[1] !== 'field') {
    return { lang, changes: [], unchanged: 0, problems: [{ row: 1, message: 'the first row must be the header: topic, field, source (fr), translation, status', code: 'import.header' }] };
  }
  let col = header.findIndex((h) => h.startsWith('translation'));
  if (col < 0) col = 3;
  const headerLang = /^translation\s*\((\w+)\)/.exec(header[col] ?? '')?.[1];
  if (headerLang && headerLang !== lang) {
    return { lang, changes: [], unchanged: 0, problems: [{ row: 1, message: `this file holds the "${headerLang}" translation, not "${lang}"`, code: 'import.otherLang', params: { found: headerLang, lang } }] };
  }
  const byTopic = new Map<TopicId, Map<TranslatedField, string>>();
  rows.slice(1).forEach((r, i) => {
    const rowNo = i + 2;
    const topic = (r[0] ?? '').trim();
    const field = (r[1] ?? '').trim().toLowerCase();
    const text = (r[col] ?? '').replace(/\r\n?/g, '\n').trim();
    if (!isTopicId(topic)) {
      problems.push({ row: rowNo, message: `unknown topic "${topic}"`, code: 'import.unknownTopic', params: { topic } });
      return;
    }
    if (!(TRANSLATED_FIELDS as readonly string[]).includes(field)) {
      problems.push({ row: rowNo, message: `unknown field "${field}" (use ${TRANSLATED_FIELDS.join(', ')})`, code: 'import.unknownField', params: { field, known: TRANSLATED_FIELDS.join(', ') } });
      return;
    }
    if (text === '') return;
    let m = byTopic.get(topic);
    if (!m) byTopic.set(topic, (m = new Map()));
    m.set(field as TranslatedField, text);
  });
  const changes: ImportChange[] = [];
  let unchanged = 0;
  for (const [topic, values] of byTopic) {
    const key = answerKey(topic, lang);
    const base = (await ctx.workspace.draft(key))?.text ?? (await ctx.workspace.published(key));
    const fields: AnswerFields = base !== undefined ? fieldsOfText(base, ctx.today) : templateFields(ctx.kb, topic, ctx.today);
    const diffs: ImportChange['fields'] = [];
    for (const [field, after] of values) {
      const before = fields[field];
      if (before.trim() !== after) diffs.push({ field, before, after });
      fields[field] = after;
    }
    if (diffs.length === 0) {
      unchanged++;
      continue;
    }
    // A new translation is not checked because the French was: a reviewer checks it on the review page.
    const text = answerToMarkdown(unreviewedFields(fields)).text;
    changes.push({ topic, key, isNew: base === undefined, fields: diffs, text, issues: ctx.workspace.check(key, text) });
  }
  return { lang, changes, unchanged, problems };
}

/** Saves the changes of a preview as drafts by `user`; returns how many were saved. */
export async function applyImport(preview: ImportPreview, workspace: Workspace, user: string): Promise<number> {
  for (const c of preview.changes) await workspace.saveDraft(c.key, c.text, user, 'import');
  return preview.changes.length;
}
