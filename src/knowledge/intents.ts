/**
 * Training phrases: `intents/<lang>/<intent-id>.txt`, one phrase a line. Validation of one file
 * (pure), of phrases shared by two intents (pure), and the directory reader.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { INTENT_IDS, LANGS, isIntentId, isLang, isTopicId } from '../domain/index.js';
import type { ContentIssue, IntentId, Lang, TrainingPhrase } from '../domain/index.js';
import { LANG_NAMES } from './answer.js';
import { codedIssue, didYouMean, issueSink, sortIssues, suggestion } from './issues.js';
import { relativeFile } from './paths.js';

/** Fewer phrases than this is an error for any intent. */
export const MIN_PHRASES = 5;
/** Fewer phrases than this is a warning for a topic. */
export const MIN_TOPIC_PHRASES = 25;

/** A training phrase with where it was read. */
export interface PhraseAt extends TrainingPhrase {
  file: string;
  line: number;
}

/** How phrases are compared for duplicates: Unicode NFC, trimmed, lowercased, spaces collapsed. */
export function phraseKey(text: string): string {
  return text.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * Validates one phrase file: duplicates inside it (warning), too few phrases (error under
 * MIN_PHRASES, warning under MIN_TOPIC_PHRASES for a topic). Pure.
 */
export function validateIntentFile(
  text: string,
  ctx: { file: string; intent: IntentId; lang: Lang },
): { phrases: PhraseAt[]; issues: ContentIssue[] } {
  const issues: ContentIssue[] = [];
  const sink = issueSink(ctx.file, issues);
  const phrases: PhraseAt[] = [];
  const seen = new Map<string, number>();
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = i + 1;
      const phrase = raw.trim();
      if (phrase === '' || phrase.startsWith('#')) return;
      const key = phraseKey(phrase);
      const first = seen.get(key);
      if (first !== undefined) {
        sink.warning(line, `duplicate phrase "${phrase}" (already on line ${first}): remove one`, { code: 'phrase.duplicate', params: { phrase, line: first } });
        return;
      }
      seen.set(key, line);
      phrases.push({ text: phrase, intent: ctx.intent, lang: ctx.lang, file: ctx.file, line });
    });
  const n = phrases.length;
  if (n < MIN_PHRASES) {
    sink.error(1, `only ${n} training phrase${n === 1 ? '' : 's'} for "${ctx.intent}" in ${LANG_NAMES[ctx.lang]}: write at least ${MIN_PHRASES} (${MIN_TOPIC_PHRASES} for a topic)`, {
      code: 'phrases.tooFew',
      params: { n, intent: ctx.intent, language: ctx.lang, min: MIN_PHRASES, topicMin: MIN_TOPIC_PHRASES },
    });
  } else if (isTopicId(ctx.intent) && n < MIN_TOPIC_PHRASES) {
    sink.warning(1, `only ${n} training phrases for topic "${ctx.intent}" in ${LANG_NAMES[ctx.lang]}: write at least ${MIN_TOPIC_PHRASES}, the way people really write`, {
      code: 'phrases.fewForTopic',
      params: { n, intent: ctx.intent, language: ctx.lang, min: MIN_TOPIC_PHRASES },
    });
  }
  return { phrases, issues };
}

/**
 * Reports a phrase that appears under two intents of the same language (an error: the matcher
 * cannot learn both). The issue is placed on the later occurrence and names the earlier one. Pure.
 */
export function checkPhraseCollisions(phrases: readonly PhraseAt[]): ContentIssue[] {
  const issues: ContentIssue[] = [];
  const first = new Map<string, PhraseAt>();
  const ordered = [...phrases].sort((a, b) => (a.file !== b.file ? (a.file < b.file ? -1 : 1) : a.line - b.line));
  for (const p of ordered) {
    const key = `${p.lang}\u0000${phraseKey(p.text)}`;
    const other = first.get(key);
    if (!other) {
      first.set(key, p);
      continue;
    }
    if (other.intent === p.intent) continue;
    issues.push(
      codedIssue(
        p.file,
        p.line,
        'error',
        `the phrase "${p.text}" is under two intents: "${p.intent}" (${p.file}:${p.line}) and "${other.intent}" (${other.file}:${other.line}); keep it under one only`,
        { code: 'phrase.twoIntents', params: { phrase: p.text, intent: p.intent, other: other.intent } },
      ),
    );
  }
  return issues;
}

/** Result of reading `intents/`. */
export interface IntentsReadResult {
  phrases: TrainingPhrase[];
  issues: ContentIssue[];
  /** Which (lang, intent) files exist, as `lang/intent`. */
  files: Set<string>;
  /** Raw texts read, by relative path (for the knowledge base version). */
  texts: Map<string, string>;
}

/** Reads and validates every `intents/<lang>/<intent>.txt`, including the file list and texts. */
export async function readIntentsDetailed(intentsDir: string, root: string = process.cwd()): Promise<IntentsReadResult> {
  const issues: ContentIssue[] = [];
  const all: PhraseAt[] = [];
  const files = new Set<string>();
  const texts = new Map<string, string>();
  const rel = (p: string): string => relativeFile(root, p);
  const toRead: Array<{ lang: Lang; intent: IntentId; filePath: string }> = [];
  let langDirs;
  try {
    langDirs = await readdir(intentsDir, { withFileTypes: true });
  } catch (err) {
    issues.push(codedIssue(rel(intentsDir), 1, 'error', `cannot read the training phrases folder (${codeOf(err)})`, { code: 'folder.unreadable', params: { reason: codeOf(err) } }));
    return { phrases: [], issues, files, texts };
  }
  for (const entry of langDirs.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(intentsDir, entry.name);
    if (!entry.isDirectory()) {
      if (!/^readme/i.test(entry.name) && !entry.name.startsWith('.')) {
        issues.push(codedIssue(rel(full), 1, 'warning', `ignored: phrase files go in a language folder (${LANGS.join(', ')})`, { code: 'phrases.ignoredOutsideLanguage', params: { known: LANGS.join(', ') } }));
      }
      continue;
    }
    if (!isLang(entry.name)) {
      issues.push(
        codedIssue(rel(full), 1, 'error', `unknown language folder "${entry.name}": use one of ${LANGS.join(', ')} (Darija goes in ar)${didYouMean(entry.name, LANGS)}`, {
          code: 'phrases.unknownLanguage',
          params: { name: entry.name, known: LANGS.join(', '), ...suggestion(entry.name, LANGS) },
        }),
      );
      continue;
    }
    const lang = entry.name;
    let names;
    try {
      names = (await readdir(full, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    } catch (err) {
      issues.push(codedIssue(rel(full), 1, 'error', `cannot read the folder (${codeOf(err)})`, { code: 'folder.unreadable', params: { reason: codeOf(err) } }));
      continue;
    }
    for (const f of names) {
      const filePath = path.join(full, f.name);
      if (f.name.startsWith('.')) continue;
      if (!f.isFile() || !f.name.endsWith('.txt')) {
        issues.push(codedIssue(rel(filePath), 1, 'warning', 'ignored: training phrases go in <intent-id>.txt files', { code: 'phrases.ignoredNotTxt' }));
        continue;
      }
      const intent = f.name.slice(0, -'.txt'.length);
      if (!isIntentId(intent)) {
        issues.push(
          codedIssue(rel(filePath), 1, 'error', `unknown intent "${intent}": the file name must be an intent id of taxonomy.md${didYouMean(intent, INTENT_IDS)}`, {
            code: 'phrases.unknownIntent',
            params: { name: intent, ...suggestion(intent, INTENT_IDS) },
          }),
        );
        continue;
      }
      toRead.push({ lang, intent, filePath });
    }
  }
  const reads = await Promise.all(
    toRead.map(({ filePath }) =>
      readFile(filePath, 'utf8').then(
        (text) => ({ text }),
        (err: unknown) => ({ code: codeOf(err) }),
      ),
    ),
  );
  toRead.forEach(({ lang, intent, filePath }, i) => {
    const read = reads[i]!;
    if (!('text' in read)) {
      issues.push(codedIssue(rel(filePath), 1, 'error', `cannot read the file (${read.code})`, { code: 'file.unreadable', params: { reason: read.code } }));
      return;
    }
    texts.set(rel(filePath), read.text);
    files.add(`${lang}/${intent}`);
    const r = validateIntentFile(read.text, { file: rel(filePath), intent, lang });
    all.push(...r.phrases);
    issues.push(...r.issues);
  });
  issues.push(...checkPhraseCollisions(all));
  const phrases = all.map(({ text, intent, lang }) => ({ text, intent, lang }));
  return { phrases, issues, files, texts };
}

/**
 * Reads every `intents/<lang>/<intent>.txt` and validates them. Never throws on bad content:
 * problems come back as issues with file (relative to `root`) and line.
 */
export async function readIntents(intentsDir: string, root: string = process.cwd()): Promise<{ phrases: TrainingPhrase[]; issues: ContentIssue[] }> {
  const { phrases, issues } = await readIntentsDetailed(intentsDir, root);
  return { phrases, issues: sortIssues(issues) };
}

/** The error code of a file-system error, for messages. */
export function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : err instanceof Error ? err.message : 'unknown error';
}
