/**
 * Publishing content from the admin: the content files named by logical keys
 * (`content/topics/<topic>/<lang>.md`, `intents/<lang>/<intent>.txt`), an answer written back as
 * Markdown with front matter, atomic writes, and loading the knowledge base with published
 * overrides laid over the files on disk (how instances sharing Redis see the same content).
 * Validation is not repeated here: callers run `validateAnswer`, `validateIntentFile` and
 * `loadKnowledge` on the result.
 */
import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { yaml } from './yaml-lib.js';
import { isIntentId, isLang, isTopicId } from '../domain/index.js';
import type { AnswerStatus, IntentId, Lang, Source, TopicId } from '../domain/index.js';
import { loadKnowledge } from './load.js';
import type { LoadKnowledgeOptions, LoadKnowledgeResult } from './load.js';

/** Where a publishable file lives: an answer or a training phrase file. */
export type ContentRef = { kind: 'answer'; topic: TopicId; lang: Lang } | { kind: 'phrases'; lang: Lang; intent: IntentId } | { kind: 'directory' };

/** The key of the organisations directory (`content/organisations.yaml`). */
export const DIRECTORY_KEY = 'content/organisations.yaml';

/** The folders content keys resolve against. */
export interface ContentDirs {
  contentDir: string;
  intentsDir: string;
}

/** Logical key of an answer file: `content/topics/<topic>/<lang>.md`. */
export function answerKey(topic: TopicId, lang: Lang): string {
  return `content/topics/${topic}/${lang}.md`;
}

/** Logical key of a training phrase file: `intents/<lang>/<intent>.txt`. */
export function phrasesKey(lang: Lang, intent: IntentId): string {
  return `intents/${lang}/${intent}.txt`;
}

/** Parses a logical key; `undefined` for anything that is not exactly a known topic/intent and language. */
export function parseContentKey(key: string): ContentRef | undefined {
  if (key === DIRECTORY_KEY) return { kind: 'directory' };
  let m = /^content\/topics\/([a-z0-9-]+)\/([a-z]{2})\.md$/.exec(key);
  if (m && isTopicId(m[1]!) && isLang(m[2])) return { kind: 'answer', topic: m[1], lang: m[2] };
  m = /^intents\/([a-z]{2})\/([a-z0-9-]+)\.txt$/.exec(key);
  if (m && isLang(m[1]) && isIntentId(m[2]!)) return { kind: 'phrases', lang: m[1], intent: m[2] };
  return undefined;
}

/** The absolute path of a logical key. Throws on a key that `parseContentKey` refuses (no path escapes). */
export function contentKeyPath(key: string, dirs: ContentDirs): string {
  const ref = parseContentKey(key);
  if (!ref) throw new Error(`not a content key: ${JSON.stringify(key)}`);
  if (ref.kind === 'directory') return path.join(dirs.contentDir, 'organisations.yaml');
  return ref.kind === 'answer'
    ? path.join(dirs.contentDir, 'topics', ref.topic, `${ref.lang}.md`)
    : path.join(dirs.intentsDir, ref.lang, `${ref.intent}.txt`);
}

/** Reads the file of a key; `undefined` when it does not exist. */
export async function readContentFile(key: string, dirs: ContentDirs): Promise<string | undefined> {
  try {
    return await readFile(contentKeyPath(key, dirs), 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Writes `text` to `file` atomically: a temporary file in the same folder, then a rename, so a
 * reader (or a crash) never sees half a file. Creates the folder when needed.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, text, { encoding: 'utf8', flag: 'wx' });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** Writes (text) or deletes (`null`) the file of a key, atomically. */
export async function writeContentFile(key: string, text: string | null, dirs: ContentDirs): Promise<void> {
  const file = contentKeyPath(key, dirs);
  if (text === null) await rm(file, { force: true });
  else await writeFileAtomic(file, text);
}

/** The fields of an answer as the editor edits them (the body is the full answer). */
export interface AnswerFields {
  title: string;
  /** The short label of menus and buttons (absent or '' for none: the title is shown). */
  label?: string;
  status: AnswerStatus;
  /**
   * Date of the reviewer's check; written to the file only with the reviewer's name, which only
   * `reviewedAnswerToMarkdown` (a reviewer's action) provides. Otherwise the answer is written
   * without a checked date: it is "not yet checked".
   */
  reviewed: string;
  sources: Source[];
  related: string[];
  organisations: string[];
  sms: string;
  body: string;
}

/** Lines (1-based, inclusive) of the file that hold one field, to place validation messages. */
export interface FieldLines {
  field: keyof AnswerFields;
  from: number;
  to: number;
}

const PLAIN_ID = /^[a-z0-9][a-z0-9-]*$/;

function yamlField(key: string, value: unknown): string {
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' && PLAIN_ID.test(v))) {
    return `${key}: [${(value as string[]).join(', ')}]\n`;
  }
  return yaml().stringify({ [key]: value }, { lineWidth: 0 });
}

/**
 * The file of an answer a reviewer has just checked: status published, today's date and the
 * reviewer's user name (reviewed, reviewed_by). The editors' app calls this on the reviewer's
 * "checked and publish" action, and only then; the history entry of that publish records the
 * same user.
 */
export function reviewedAnswerToMarkdown(fields: AnswerFields, reviewer: string, today: string): { text: string; lines: FieldLines[] } {
  if (reviewer.trim() === '') throw new Error('a reviewed answer needs the reviewer\'s user name');
  return answerToMarkdown({ ...fields, status: 'published', reviewed: today }, { reviewedBy: reviewer.trim() });
}

/**
 * The fields of an answer written by an editor (not a reviewer's check): a published status goes
 * back to needs-verification, since no reviewer has checked the new text.
 */
export function unreviewedFields(fields: AnswerFields): AnswerFields {
  return { ...fields, status: fields.status === 'published' ? 'needs-verification' : fields.status };
}

/**
 * Writes an answer as the Markdown file the loader reads (front matter, then the body), and says
 * which lines hold which field. Empty optional values are left out; text is quoted by the YAML
 * library wherever YAML needs it, so any text round-trips.
 */
export function answerToMarkdown(fields: AnswerFields, review?: { reviewedBy: string }): { text: string; lines: FieldLines[] } {
  const lines: FieldLines[] = [];
  let out = '---\n';
  let line = 2;
  const add = (field: keyof AnswerFields, chunk: string): void => {
    const n = chunk.split('\n').length - 1;
    lines.push({ field, from: line, to: line + n - 1 });
    out += chunk;
    line += n;
  };
  add('title', yamlField('title', fields.title));
  const label = fields.label?.trim() ?? '';
  if (label !== '') add('label', yamlField('label', label));
  add('status', yamlField('status', fields.status));
  // A checked date is written only with the reviewer who checked (see reviewedAnswerToMarkdown).
  if (review?.reviewedBy && fields.reviewed) {
    add('reviewed', yamlField('reviewed', fields.reviewed) + yamlField('reviewed_by', review.reviewedBy));
  }
  const sources = fields.sources.map((s) => {
    const o: Record<string, string> = { title: s.title };
    if (s.ref) o.ref = s.ref;
    if (s.url) o.url = s.url;
    return o;
  });
  add('sources', yamlField('sources', sources));
  if (fields.related.length > 0) add('related', yamlField('related', fields.related));
  if (fields.organisations.length > 0) add('organisations', yamlField('organisations', fields.organisations));
  add('sms', yamlField('sms', fields.sms));
  out += '---\n';
  line += 1;
  const body = fields.body.replace(/\r\n?/g, '\n').trim();
  lines.push({ field: 'body', from: line, to: line + Math.max(0, body.split('\n').length - 1) });
  out += body + '\n';
  return { text: out, lines };
}

/**
 * Loads the knowledge base with `overrides` (logical key -> file text, or `null` for a deleted
 * file) laid over the files of `opts.contentDir` and `opts.intentsDir`. Without overrides this is
 * `loadKnowledge(opts)`. With some, both folders are copied to a temporary folder first (files are
 * then named `content/...` and `intents/...` in issues), and the copy is removed afterwards.
 */
export async function loadKnowledgeWithOverrides(
  opts: LoadKnowledgeOptions,
  overrides: ReadonlyMap<string, string | null>,
): Promise<LoadKnowledgeResult> {
  if (overrides.size === 0) return loadKnowledge(opts);
  for (const key of overrides.keys()) {
    if (!parseContentKey(key)) throw new Error(`not a content key: ${JSON.stringify(key)}`);
  }
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'dalil-overlay-'));
  try {
    const dirs: ContentDirs = { contentDir: path.join(tmp, 'content'), intentsDir: path.join(tmp, 'intents') };
    await Promise.all([
      cp(opts.contentDir, dirs.contentDir, { recursive: true }),
      cp(opts.intentsDir, dirs.intentsDir, { recursive: true }),
    ]);
    await Promise.all([...overrides].map(([key, text]) => writeContentFile(key, text, dirs)));
    return await loadKnowledge({ ...opts, ...dirs, root: tmp });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
