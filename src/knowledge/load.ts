/**
 * Loads `content/` (answers, organisations, cities) and `intents/` into a read-only
 * `KnowledgeBase`, validating everything on the way. Bad content never throws: every problem is
 * a `ContentIssue` with its file and line, and the caller decides (the server refuses to start
 * on errors; `content:check` prints them).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import path from 'node:path';
import { CATEGORIES, INTENT_IDS, LANGS, TOPIC_IDS, isLang, isTopicId, topicsOf } from '../domain/index.js';
import type {
  CategoryId,
  City,
  ContentIssue,
  KnowledgeBase,
  Lang,
  Organisation,
  TopicAnswer,
  TopicId,
} from '../domain/index.js';
import { LANG_NAMES, validateAnswer } from './answer.js';
import type { TextSettings } from './answer.js';
import { urgentCoverageIssues, validateCities, validateOrganisations } from './directory.js';
import type { ReviewRecord } from '../domain/index.js';
import { codeOf, readIntentsDetailed } from './intents.js';
import { codedIssue, didYouMean, sortIssues, suggestion, todayIso } from './issues.js';
import { relativeFile } from './paths.js';

/** Options of `loadKnowledge`. */
export interface LoadKnowledgeOptions {
  /** The `content/` folder (holds `topics/`, `organisations.yaml`, `cities.yaml`). */
  contentDir: string;
  /** The `intents/` folder (holds `<lang>/<intent>.txt`). */
  intentsDir: string;
  /** Segments an SMS short form may use. */
  smsShortFormSegments: number;
  /** Files are named relative to this folder in issues (default: the working directory). */
  root?: string;
  /**
   * Whether every taxonomy topic and intent must exist in every language (default `true`):
   * a missing topic, language version or phrase file is then an error; with `false`, a warning
   * (while the knowledge base is still being written).
   */
  requireAllTopics?: boolean;
  /** Today as YYYY-MM-DD, for dates in the future and stale reviews (default: the current UTC date). */
  today?: string;
  /**
   * Settings answers quote as `{{retention_days}}` ... (from the configuration; default
   * `DEFAULT_TEXT_SETTINGS`, the configuration's own defaults).
   */
  settings?: Partial<TextSettings>;
  /**
   * The SMS footer Dalil adds after a short form in `lang` (`smsFooterText` with the interface
   * strings); when given, the SMS budget of every short form counts it.
   */
  smsFooter?: (answer: ReviewRecord, lang: Lang) => string;
}

/** What `loadKnowledge` returns: the knowledge base and every issue, sorted by file then line. */
export interface LoadKnowledgeResult {
  kb: KnowledgeBase;
  issues: ContentIssue[];
}

async function readText(file: string): Promise<{ text?: string; code?: string }> {
  try {
    return { text: await readFile(file, 'utf8') };
  } catch (err) {
    return { code: codeOf(err) };
  }
}

async function listDir(dir: string): Promise<{ entries?: Dirent[]; code?: string }> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return { entries: entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
  } catch (err) {
    return { code: codeOf(err) };
  }
}

/** A hash of every text loaded, independent of reading order. */
export function versionOf(texts: ReadonlyMap<string, string>): string {
  const h = createHash('sha256');
  for (const name of [...texts.keys()].sort()) {
    h.update(name).update('\u0000').update(texts.get(name)!).update('\u0000');
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * Loads and validates the knowledge base. Never throws on bad content.
 *
 * The result holds every usable answer, drafts included (the engine hides `status: draft`);
 * `categories` lists, per menu category in menu order, the topics that have at least one
 * answer that is not a draft.
 */
export async function loadKnowledge(opts: LoadKnowledgeOptions): Promise<LoadKnowledgeResult> {
  const root = opts.root ?? process.cwd();
  const today = opts.today ?? todayIso();
  const completeness: ContentIssue['severity'] = opts.requireAllTopics === false ? 'warning' : 'error';
  const rel = (p: string): string => relativeFile(root, p);
  const issues: ContentIssue[] = [];
  const texts = new Map<string, string>();

  // Cities first (organisations refer to them), then organisations (answers refer to them).
  const citiesPath = path.join(opts.contentDir, 'cities.yaml');
  const citiesRead = await readText(citiesPath);
  let cities: City[] = [];
  let cityIds: Set<string> | undefined;
  if (citiesRead.text === undefined) {
    issues.push(codedIssue(rel(citiesPath), 1, 'error', `cannot read the cities file (${citiesRead.code})`, { code: 'file.unreadable', params: { reason: citiesRead.code ?? '' } }));
  } else {
    texts.set(rel(citiesPath), citiesRead.text);
    const r = validateCities(citiesRead.text, { file: rel(citiesPath) });
    cities = r.cities;
    issues.push(...r.issues);
    if (r.ids.length > 0) cityIds = new Set(r.ids);
  }

  const orgsPath = path.join(opts.contentDir, 'organisations.yaml');
  const orgsRead = await readText(orgsPath);
  let organisations: Organisation[] = [];
  let organisationIds: Set<string> | undefined;
  if (orgsRead.text === undefined) {
    issues.push(codedIssue(rel(orgsPath), 1, 'error', `cannot read the organisations file (${orgsRead.code})`, { code: 'file.unreadable', params: { reason: orgsRead.code ?? '' } }));
  } else {
    texts.set(rel(orgsPath), orgsRead.text);
    const r = validateOrganisations(orgsRead.text, { file: rel(orgsPath), today, ...(cityIds ? { cityIds } : {}) });
    organisations = r.organisations;
    issues.push(...r.issues);
    if (r.ids.length > 0) organisationIds = new Set(r.ids);
    if (organisations.length > 0) issues.push(...urgentCoverageIssues({ organisations: new Map(organisations.map((o) => [o.id, o])) }, rel(orgsPath)));
  }

  // Answers: content/topics/<topic>/<lang>.md
  const answers = new Map<TopicId, Map<Lang, TopicAnswer>>();
  const present = new Map<TopicId, Set<Lang>>();
  const topicsDir = path.join(opts.contentDir, 'topics');
  const topicDirs = await listDir(topicsDir);
  if (!topicDirs.entries) {
    issues.push(codedIssue(rel(topicsDir), 1, 'error', `cannot read the topics folder (${topicDirs.code})`, { code: 'folder.unreadable', params: { reason: topicDirs.code ?? '' } }));
  }
  // First list every folder, then read every file at once (answers are many small files).
  const topicFolders: Array<{ topic: TopicId; dir: string }> = [];
  for (const entry of topicDirs.entries ?? []) {
    const dir = path.join(topicsDir, entry.name);
    if (entry.name.startsWith('.')) continue;
    if (!entry.isDirectory()) {
      if (!/^readme/i.test(entry.name)) {
        issues.push(codedIssue(rel(dir), 1, 'warning', 'ignored: answers go in a folder named after their topic, e.g. topics/housing/fr.md', { code: 'topics.ignoredFile' }));
      }
      continue;
    }
    if (!isTopicId(entry.name)) {
      issues.push(
        codedIssue(rel(dir), 1, 'error', `the folder "${entry.name}" is not a topic id of the taxonomy (taxonomy.md)${didYouMean(entry.name, TOPIC_IDS)}`, {
          code: 'topics.unknownFolder',
          params: { name: entry.name, ...suggestion(entry.name, TOPIC_IDS) },
        }),
      );
      continue;
    }
    topicFolders.push({ topic: entry.name, dir });
  }
  const listings = await Promise.all(topicFolders.map((t) => listDir(t.dir)));
  const answerFiles: Array<{ topic: TopicId; lang: Lang; filePath: string }> = [];
  topicFolders.forEach(({ topic, dir }, i) => {
    present.set(topic, new Set());
    for (const f of listings[i]!.entries ?? []) {
      const filePath = path.join(dir, f.name);
      if (f.name.startsWith('.')) continue;
      const m = /^(.*)\.md$/i.exec(f.name);
      if (!f.isFile() || !m) {
        issues.push(codedIssue(rel(filePath), 1, 'warning', 'ignored: a topic folder holds only fr.md, en.md, ar.md and es.md', { code: 'topics.ignoredInTopic' }));
        continue;
      }
      const lang = m[1]!;
      if (isLang(lang.toLowerCase()) && f.name !== `${lang.toLowerCase()}.md`) {
        issues.push(codedIssue(rel(filePath), 1, 'error', `rename this file ${lang.toLowerCase()}.md (lowercase)`, { code: 'topics.lowercase', params: { name: `${lang.toLowerCase()}.md` } }));
        continue;
      }
      if (!isLang(lang)) {
        issues.push(
          codedIssue(rel(filePath), 1, 'error', `unknown language "${lang}": answer files are named fr.md, en.md, ar.md or es.md${didYouMean(lang, LANGS)}`, {
            code: 'topics.unknownLanguage',
            params: { name: lang, ...suggestion(lang, LANGS) },
          }),
        );
        continue;
      }
      answerFiles.push({ topic, lang, filePath });
    }
  });
  const reads = await Promise.all(answerFiles.map((a) => readText(a.filePath)));
  answerFiles.forEach(({ topic, lang, filePath }, i) => {
    const read = reads[i]!;
    if (read.text === undefined) {
      issues.push(codedIssue(rel(filePath), 1, 'error', `cannot read the file (${read.code})`, { code: 'file.unreadable', params: { reason: read.code ?? '' } }));
      return;
    }
    texts.set(rel(filePath), read.text);
    present.get(topic)!.add(lang);
    const r = validateAnswer(read.text, {
      file: rel(filePath),
      topic,
      lang,
      smsShortFormSegments: opts.smsShortFormSegments,
      today,
      ...(organisationIds ? { organisationIds } : {}),
      ...(opts.settings ? { settings: opts.settings } : {}),
      ...(opts.smsFooter ? { smsFooter: (a: ReviewRecord) => opts.smsFooter!(a, lang) } : {}),
    });
    issues.push(...r.issues);
    if (r.answer) {
      let byLang = answers.get(topic);
      if (!byLang) answers.set(topic, (byLang = new Map()));
      byLang.set(lang, r.answer);
    }
  });

  // Completeness of answers: every topic in every language.
  for (const topic of TOPIC_IDS) {
    const langs = present.get(topic);
    const dir = path.join(topicsDir, topic);
    if (!langs || langs.size === 0) {
      issues.push(
        codedIssue(rel(dir), 1, completeness, `topic "${topic}" has no answer in any language yet: write ${LANGS.map((l) => `${l}.md`).join(', ')} in this folder`, {
          code: 'topics.noAnswer',
          params: { topic },
        }),
      );
      continue;
    }
    for (const lang of LANGS) {
      if (langs.has(lang)) continue;
      issues.push(
        codedIssue(rel(path.join(dir, `${lang}.md`)), 1, completeness, `the ${LANG_NAMES[lang]} (${lang}) answer of topic "${topic}" is missing: create this file`, {
          code: 'topics.missingLanguage',
          params: { topic, language: lang },
        }),
      );
    }
  }

  // Training phrases and their completeness.
  const intents = await readIntentsDetailed(opts.intentsDir, root);
  issues.push(...intents.issues);
  for (const [name, text] of intents.texts) texts.set(name, text);
  for (const intent of INTENT_IDS) {
    const langs = LANGS.filter((l) => intents.files.has(`${l}/${intent}`));
    if (langs.length === 0) {
      issues.push(
        codedIssue(rel(opts.intentsDir), 1, completeness, `intent "${intent}" has no training phrases in any language yet: write ${LANGS.map((l) => `${l}/${intent}.txt`).join(', ')}`, {
          code: 'phrases.noFile',
          params: { intent },
        }),
      );
      continue;
    }
    for (const lang of LANGS) {
      if (langs.includes(lang)) continue;
      issues.push(
        codedIssue(rel(path.join(opts.intentsDir, lang, `${intent}.txt`)), 1, completeness, `the ${LANG_NAMES[lang]} (${lang}) training phrases of intent "${intent}" are missing: create this file`, {
          code: 'phrases.missingLanguage',
          params: { intent, language: lang },
        }),
      );
    }
  }

  const categories = new Map<CategoryId, readonly TopicId[]>();
  for (const c of CATEGORIES) {
    categories.set(
      c,
      topicsOf(c).filter((t) => [...(answers.get(t)?.values() ?? [])].some((a) => a.status !== 'draft')),
    );
  }

  const kb: KnowledgeBase = {
    answers,
    categories,
    organisations: new Map(organisations.map((o) => [o.id, o])),
    cities: new Map(cities.map((c) => [c.id, c])),
    phrases: intents.phrases,
    version: versionOf(texts),
  };
  return { kb, issues: sortIssues(issues) };
}
