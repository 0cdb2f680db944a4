/**
 * Interface strings: i18next over `locales/<lang>/translation.json`.
 * The engine never imports this module; `main.ts` hands it the `Translate` function made here.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import i18next from 'i18next';
import { DalilError, LANGS, dirOf, type ContentIssue, type Lang, type Translate } from '../domain/index.js';

export { dirOf };

/** Most translated strings a translator remembers (past it, strings are resolved each time). */
const MAX_MEMO_STRINGS = 20_000;

/** The memo key of a translation, or undefined when a value is not a plain string, number or boolean. */
function memoKey(lang: Lang, key: string, options: Record<string, unknown> | undefined): string | undefined {
  let id = `${lang}\u0000${key}`;
  if (options === undefined) return id;
  for (const name of Object.keys(options).sort()) {
    const v = options[name];
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return undefined;
    id += `\u0000${name}\u0001${typeof v}\u0001${String(v)}`;
  }
  return id;
}

/** The one i18next namespace Dalil uses. */
export const NAMESPACE = 'translation';

/** A locale file as parsed JSON: nested objects whose leaves are strings. */
export type LocaleTree = { [key: string]: string | LocaleTree };

/** Every language's tree, with the path of the file it was read from. */
export type LocaleResources = Record<Lang, { file: string; tree: LocaleTree; source: string }>;

/** A locale file is missing or is not valid JSON. */
export class LocaleError extends DalilError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocaleError';
  }
}

/** Reads `<localesDir>/<lang>/translation.json` for every language. Throws `LocaleError` when one is unreadable. */
export async function loadLocaleResources(localesDir: string): Promise<LocaleResources> {
  const entries = await Promise.all(
    LANGS.map(async (lang) => {
      const file = path.join(localesDir, lang, `${NAMESPACE}.json`);
      let source: string;
      try {
        source = await readFile(file, 'utf8');
      } catch (cause) {
        throw new LocaleError(`cannot read locale file ${file}`, { cause });
      }
      let tree: unknown;
      try {
        tree = JSON.parse(source);
      } catch (cause) {
        throw new LocaleError(`${file} is not valid JSON`, { cause });
      }
      if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) {
        throw new LocaleError(`${file} must hold a JSON object`);
      }
      return [lang, { file, tree: tree as LocaleTree, source }] as const;
    }),
  );
  return Object.fromEntries(entries) as LocaleResources;
}

/**
 * Makes a `Translate` function from already loaded trees. Synchronous: i18next is initialised with
 * in-memory resources and `initAsync: false`. Missing keys fall back to English, then to the key itself.
 */
export function translatorFromResources(resources: Record<Lang, LocaleTree>): Translate {
  const instance = i18next.createInstance();
  void instance.init({
    initAsync: false,
    resources: Object.fromEntries(LANGS.map((lang) => [lang, { [NAMESPACE]: resources[lang] }])),
    supportedLngs: [...LANGS],
    fallbackLng: 'en',
    ns: [NAMESPACE],
    defaultNS: NAMESPACE,
    returnNull: false,
    returnEmptyString: false,
    interpolation: { escapeValue: false },
  });
  const translate = (lang: Lang, key: string, options?: Record<string, unknown>): string => {
    const out: unknown = instance.t(key, { ...options, lng: lang });
    return typeof out === 'string' ? out : key;
  };
  // The same key with the same values gives the same string: each is resolved by i18next once (its
  // lookup, fallback chain and interpolation cost ~8 % of the server's CPU per turn under load,
  // bench/fixes.md). Values come from content (sources, dates, contacts, city names), so the set is
  // small; it is bounded all the same, and a new translator (locale publish) starts empty.
  const memo = new Map<string, string>();
  return (lang, key, options) => {
    const id = memoKey(lang, key, options);
    if (id === undefined) return translate(lang, key, options);
    let text = memo.get(id);
    if (text === undefined) {
      text = translate(lang, key, options);
      if (memo.size < MAX_MEMO_STRINGS) memo.set(id, text);
    }
    return text;
  };
}

/** Loads the locale files of `localesDir` and returns the translator over them. */
export async function createTranslator(localesDir: string): Promise<Translate> {
  const resources = await loadLocaleResources(localesDir);
  return translatorFromResources(
    Object.fromEntries(LANGS.map((lang) => [lang, resources[lang].tree])) as Record<Lang, LocaleTree>,
  );
}

/** Plural categories i18next uses for a language (from `Intl.PluralRules`): ar has six, en two, fr/es three. */
export function pluralCategories(lang: Lang): string[] {
  return new Intl.PluralRules(lang).resolvedOptions().pluralCategories as string[];
}

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;
const VARIABLE = /\{\{\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g;

/** Flattens a tree into dotted keys and their strings. */
export function flattenLocale(tree: LocaleTree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flattenLocale(v, key)) out.set(kk, vv);
  }
  return out;
}

/** Interpolation variables (`{{name}}`) of a string. */
export function variablesOf(text: string): Set<string> {
  return new Set([...text.matchAll(VARIABLE)].map((m) => m[1] as string));
}

/** One base key (plural suffix removed) with its forms and variables, per language. */
interface BaseKey {
  forms: Set<string>;
  variables: Set<string>;
  plural: boolean;
}

function baseKeys(flat: Map<string, string>): Map<string, BaseKey> {
  const out = new Map<string, BaseKey>();
  for (const [key, value] of flat) {
    const m = PLURAL_SUFFIX.exec(key);
    const base = m ? key.slice(0, m.index) : key;
    const entry = out.get(base) ?? { forms: new Set<string>(), variables: new Set<string>(), plural: false };
    if (m) {
      entry.plural = true;
      entry.forms.add(m[1] as string);
    }
    for (const v of variablesOf(value)) entry.variables.add(v);
    out.set(base, entry);
  }
  return out;
}

/** 1-based line of the first line holding `"leaf"` as a key, or 1. */
function lineOf(source: string, key: string): number {
  const leaf = key.split('.').pop() ?? key;
  const idx = source.split('\n').findIndex((l) => l.includes(`"${leaf}"`));
  return idx < 0 ? 1 : idx + 1;
}

/**
 * Checks the four locale files against each other: every key exists in every language, plural keys
 * have every form the language needs (Arabic `_zero` to `_other`, French and Spanish `_many`), and
 * a key uses the same interpolation variables everywhere (`count` may be left out of plural forms
 * such as Arabic "منظمتين"). English is the reference for the key set.
 */
export function checkLocales(resources: LocaleResources): ContentIssue[] {
  const issues: ContentIssue[] = [];
  const keys = Object.fromEntries(LANGS.map((l) => [l, baseKeys(flattenLocale(resources[l].tree))])) as Record<Lang, Map<string, BaseKey>>;
  const reference = keys.en;
  for (const lang of LANGS) {
    const { file, source } = resources[lang];
    const mine = keys[lang];
    for (const [base, ref] of reference) {
      const entry = mine.get(base);
      if (!entry) {
        issues.push({ file, line: 1, severity: 'error', message: `missing key "${base}" (present in en)`, code: 'locale.missingKey', params: { key: base } });
        continue;
      }
      if (ref.plural !== entry.plural) {
        const message = `key "${base}" must ${ref.plural ? '' : 'not '}be plural as in en`;
        issues.push({ file, line: lineOf(source, base), severity: 'error', message, code: 'locale.pluralMismatch', params: { key: base } });
      }
      const drop = (s: Set<string>): string => [...s].filter((v) => !(entry.plural && v === 'count')).sort().join(',');
      if (drop(entry.variables) !== drop(ref.variables)) {
        issues.push({
          file,
          line: lineOf(source, base),
          severity: 'error',
          message: `key "${base}" uses variables {${drop(entry.variables)}} but en uses {${drop(ref.variables)}}`,
          code: 'locale.placeholders',
          params: { key: base, found: drop(entry.variables), expected: drop(ref.variables) },
        });
      }
      if (entry.plural) {
        for (const form of pluralCategories(lang)) {
          if (!entry.forms.has(form)) {
            const message = `plural key "${base}" lacks the form "${base}_${form}" that ${lang} needs`;
            issues.push({ file, line: lineOf(source, base), severity: 'error', message, code: 'locale.pluralForm', params: { key: `${base}_${form}` } });
          }
        }
      }
    }
    for (const base of mine.keys()) {
      if (!reference.has(base)) {
        issues.push({ file, line: lineOf(source, base), severity: 'warning', message: `key "${base}" is not in en (unused?)`, code: 'locale.extraKey', params: { key: base } });
      }
    }
  }
  return issues;
}

/**
 * Loads and checks the locale files, reporting problems (including an unreadable or malformed
 * file) as issues with paths relative to `root`, the way `content:check` prints them.
 */
export async function checkLocaleDir(localesDir: string, root: string): Promise<ContentIssue[]> {
  const rel = (file: string): string => path.relative(root, file) || file;
  try {
    return checkLocales(await loadLocaleResources(localesDir)).map((i) => ({ ...i, file: rel(i.file) }));
  } catch (err) {
    if (!(err instanceof LocaleError)) throw err;
    const match = /(\S+translation\.json)/.exec(err.message);
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    const message = `${err.message.replace(/\S+translation\.json/, 'this file')}${cause}`;
    return [{ file: match?.[1] ? rel(match[1]) : rel(localesDir), line: 1, severity: 'error', message, code: 'locale.unreadable', params: { reason: message } }];
  }
}
