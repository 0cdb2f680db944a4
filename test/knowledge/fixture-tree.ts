/**
 * Builds a complete, valid knowledge base tree (every topic in every language, every intent
 * with enough phrases) in a temporary folder. Each checker test breaks one thing, asserts the
 * exact file and line reported, and the tree is reset.
 */
import { mkdtemp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { INTENT_IDS, LANGS, TOPIC_IDS } from '../../src/domain/index.js';
import { loadKnowledge } from '../../src/knowledge/index.js';
import type { LoadKnowledgeOptions, LoadKnowledgeResult } from '../../src/knowledge/index.js';

/** The date every fixture is checked against. */
export const TODAY = '2026-11-28';

export const CITIES_YAML = `- id: rabat
  names: { fr: Rabat, en: Rabat, ar: الرباط, es: Rabat }
  aliases: [Rbat, الرباط]
  location: { lat: 34.0209, lon: -6.8416 }
- id: oujda
  names: { fr: Oujda, en: Oujda, ar: وجدة, es: Uchda }
  aliases: [Wajda, وجدة]
  location: { lat: 34.6814, lon: -1.9086 }
`;

export const ORGANISATIONS_YAML = `- id: gadem
  name: GADEM
  description: { fr: Association, en: Association, ar: جمعية, es: Asociación }
  cities: [rabat]
  contacts:
    - kind: phone
      value: "+212 537 770 332"
      source: https://gadem-asso.org/qui-sommes-nous/
      checked: 2026-11-28
      checked_by: amina
  languages: [fr]
  topics: [residence-permit]
  verified: 2026-11-28
  verified_by: amina
  urgency: [arrest]
- id: police
  name: Police (19)
  description: { fr: Police, en: Police, ar: الشرطة, es: Policía }
  cities: []
  contacts:
    - kind: phone
      value: "19"
      source: https://www.challenge.ma/maroc-ces-numeros-quil-faut-avoir-en-cas-durgence-243599/
      checked: 2026-11-28
      checked_by: amina
  languages: []
  topics: [emergency-numbers]
  emergency: true
  police: true
  urgency: [violence]
- id: helpline
  name: Helpline
  description: { fr: Ligne, en: Line, ar: خط, es: Línea }
  cities: []
  contacts:
    - kind: phone
      value: "2511"
      source: https://www.onde.ma/fr/onde/protection
      checked: 2026-11-28
      checked_by: amina
  languages: []
  topics: [emergency-numbers]
  emergency: true
  urgency: [trafficking, child-alone, medical]
`;

/** Parts of an answer file; `answerText` writes them in this order. */
export interface AnswerParts {
  title: string;
  status: string;
  reviewed: string;
  sources: string;
  related: string;
  organisations: string;
  sms: string;
  /** The reviewer who checked it (a reviewed answer needs one); after \`sms\` so the lines above keep their numbers. */
  reviewer: string;
  /** The short label of menus and buttons; last, so the lines above keep their numbers. */
  label: string;
  body: string;
}

/** A valid answer for `topic` in `lang`, published by reviewer "amina". Line 1 is `---`, title is line 2, status 3, reviewed 4. */
export function answerParts(topic: string, lang: string): AnswerParts {
  return {
    title: `title: ${topic} (${lang})`,
    status: 'status: published',
    reviewed: `reviewed: ${TODAY}`,
    sources: 'sources:\n  - title: Loi 02-03\n    ref: Loi 02-03, art. 16\n  - title: UNHCR help\n    url: https://help.unhcr.org/morocco/',
    related: topic === 'find-help' ? 'related: [emergency-numbers]' : 'related: [find-help]',
    organisations: 'organisations: [gadem]',
    sms: lang === 'ar' ? 'sms: جواب قصير. أرسل 1 للمزيد' : `sms: Short answer about ${topic}. Reply 1 for more.`,
    reviewer: 'reviewed_by: amina',
    label: lang === 'ar' ? 'label: موضوع قصير' : `label: ${topic.slice(0, 20)}`,
    body: `The full answer about ${topic}.\n\n- a step\n- another step`,
  };
}

/** The text of an answer file made of `parts` (a part set to '' is left out). */
export function answerText(parts: AnswerParts): string {
  const { body, ...fields } = parts;
  const front = Object.values(fields).filter((v) => v !== '');
  return ['---', ...front, '---', body, ''].join('\n');
}

/** 25 distinct phrases for an intent in a language. */
export function phrasesFor(intent: string, lang: string, n = 25): string[] {
  return Array.from({ length: n }, (_, i) => `${lang} ${intent} question number ${i + 1}`);
}

export interface Tree {
  root: string;
  contentDir: string;
  intentsDir: string;
  /** Writes a file, path relative to the tree root (undone by `reset`). */
  write(rel: string, text: string): Promise<void>;
  read(rel: string): Promise<string>;
  /** Removes a file or folder (undone by `reset`). */
  remove(rel: string): Promise<void>;
  /** Puts back every file written or removed since the last reset. */
  reset(): Promise<void>;
  load(opts?: Partial<LoadKnowledgeOptions>): Promise<LoadKnowledgeResult>;
  cleanup(): Promise<void>;
}

async function writeIn(root: string, rel: string, text: string): Promise<void> {
  const full = path.join(root, rel);
  await mkdir(path.dirname(full), { recursive: true });
  await writeFile(full, text, 'utf8');
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

async function filesUnder(root: string, rel: string): Promise<string[]> {
  const full = path.join(root, rel);
  const st = await stat(full).catch(() => undefined);
  if (!st) return [];
  if (!st.isDirectory()) return [rel];
  const out: string[] = [];
  for (const name of await readdir(full)) out.push(...(await filesUnder(root, path.join(rel, name))));
  return out;
}

/**
 * Creates a complete valid tree in a fresh temporary folder. Tests share one tree: each breaks
 * something with `write`/`remove` and `reset` (in afterEach) restores it.
 */
export async function makeTree(): Promise<Tree> {
  const root = await mkdtemp(path.join(tmpdir(), 'dalil-kb-'));
  const files: Array<[string, string]> = [
    ['content/cities.yaml', CITIES_YAML],
    ['content/organisations.yaml', ORGANISATIONS_YAML],
  ];
  for (const topic of TOPIC_IDS) {
    for (const lang of LANGS) files.push([`content/topics/${topic}/${lang}.md`, answerText(answerParts(topic, lang))]);
  }
  for (const intent of INTENT_IDS) {
    for (const lang of LANGS) files.push([`intents/${lang}/${intent}.txt`, `# ${intent}\n${phrasesFor(intent, lang).join('\n')}\n`]);
  }
  await Promise.all(files.map(([rel, text]) => writeIn(root, rel, text)));

  const contentDir = path.join(root, 'content');
  const intentsDir = path.join(root, 'intents');
  /** Original content of each touched file (null: it did not exist). */
  const originals = new Map<string, string | null>();
  const createdDirs = new Set<string>();
  const remember = async (rel: string): Promise<void> => {
    if (originals.has(rel)) return;
    originals.set(rel, await readFile(path.join(root, rel), 'utf8').catch(() => null));
  };
  return {
    root,
    contentDir,
    intentsDir,
    async write(rel, text) {
      await remember(rel);
      const parts = path.dirname(rel).split(/[\\/]/);
      for (let i = 1; i <= parts.length; i++) {
        const dir = parts.slice(0, i).join('/');
        if (!(await exists(path.join(root, dir)))) {
          createdDirs.add(dir);
          break;
        }
      }
      await writeIn(root, rel, text);
    },
    read: (rel) => readFile(path.join(root, rel), 'utf8'),
    async remove(rel) {
      for (const f of await filesUnder(root, rel)) await remember(f);
      await rm(path.join(root, rel), { recursive: true, force: true });
    },
    async reset() {
      for (const dir of createdDirs) await rm(path.join(root, dir), { recursive: true, force: true });
      for (const [rel, text] of originals) {
        if (text === null) await rm(path.join(root, rel), { force: true });
        else await writeIn(root, rel, text);
      }
      createdDirs.clear();
      originals.clear();
    },
    load: (opts = {}) => loadKnowledge({ contentDir, intentsDir, smsShortFormSegments: 2, root, today: TODAY, ...opts }),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
