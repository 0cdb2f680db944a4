/**
 * The admin's own interface strings (French, English, Arabic; Arabic right-to-left) and how a
 * request's language is chosen: the user's choice (cookie), else French.
 */
import type { ContentIssue, Lang } from '../domain/index.js';
import { ar } from './locales/ar.js';
import { en, type MessageKey } from './locales/en.js';
import { fr } from './locales/fr.js';

/** Languages of the admin interface. */
export const UI_LANGS = ['fr', 'en', 'ar'] as const;
export type UiLang = (typeof UI_LANGS)[number];

/** Each language's name in itself. */
export const UI_LANG_NAMES: Record<UiLang, string> = { fr: 'Français', en: 'English', ar: 'العربية' };

/** Languages' names as shown in the admin (each in itself, so any editor finds theirs). */
export const CONTENT_LANG_NAMES: Record<Lang, string> = { fr: 'Français', en: 'English', ar: 'العربية', es: 'Español' };

const STRINGS: Record<UiLang, Record<MessageKey, string>> = { fr, en, ar };

export function isUiLang(v: unknown): v is UiLang {
  return typeof v === 'string' && (UI_LANGS as readonly string[]).includes(v);
}

/** The start of a plural choice: `{n, plural, ` (its forms follow, up to the matching brace). */
const PLURAL_START = /\{(\w+), plural,/g;
/** One form of a plural choice: `one {# answer}`. */
const PLURAL_FORM = /(=\d+|zero|one|two|few|many|other) \{([^{}]*)\}/g;

/**
 * Fills `{name}` placeholders and `{n, plural, one {# answer} other {# answers}}` choices of `s`
 * with `vars` (the form for `n` by the language's plural rules, `=0` before them).
 */
export function format(lang: UiLang, s: string, vars: Record<string, string | number>): string {
  const rules = new Intl.PluralRules(lang);
  let out = '';
  let from = 0;
  for (const m of s.matchAll(PLURAL_START)) {
    if (m.index < from) continue;
    // The choice ends at the brace that closes `{n, plural, ...` (forms hold one level of braces).
    let depth = 0;
    let end = m.index;
    for (; end < s.length; end += 1) {
      if (s[end] === '{') depth += 1;
      else if (s[end] === '}' && --depth === 0) break;
    }
    const name = m[1]!;
    out += s.slice(from, m.index);
    from = end + 1;
    if (!(name in vars)) {
      out += s.slice(m.index, from);
      continue;
    }
    const n = Number(vars[name]);
    const forms = new Map([...s.slice(m.index + m[0].length, end).matchAll(PLURAL_FORM)].map((f) => [f[1]!, f[2]!]));
    out += (forms.get(`=${n}`) ?? forms.get(rules.select(n)) ?? forms.get('other') ?? '').replace(/#/g, String(vars[name]));
  }
  out += s.slice(from);
  return out.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** A translate function for one language: `{name}` placeholders (and plural choices) are filled from `vars`. */
export function translator(lang: UiLang): (key: MessageKey, vars?: Record<string, string | number>) => string {
  const table = STRINGS[lang];
  return (key, vars) => format(lang, table[key] ?? en[key] ?? key, vars ?? {});
}

/** Whether `key` is one of the admin's strings (for keys built from data, such as issue codes). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/**
 * A content issue in the interface language: its code's sentence (`issue.<code>`), with field
 * names and languages translated and, when the checker found a close known name, "did you mean"
 * after it. An issue without a code (none is made so; a test checks it) keeps the checker's English.
 * `isolate` wraps each text value in Unicode isolates, so that "(0537 54 00 00)" or a file name
 * keeps its order in a right-to-left sentence (web pages; a terminal shows them as they are).
 */
export function issueText(
  t: (key: MessageKey, vars?: Record<string, string | number>) => string,
  issue: Pick<ContentIssue, 'message' | 'code' | 'params'>,
  options: { isolate?: boolean } = {},
): string {
  const key = `issue.${issue.code ?? ''}`;
  if (!issue.code || !isMessageKey(key)) return issue.message;
  const isolate = options.isolate ?? true;
  const wrap = (v: string): string => (isolate ? `\u2068${v}\u2069` : v);
  const params = Object.fromEntries(Object.entries(issue.params ?? {}).map(([k, v]) => [k, typeof v === 'string' ? wrap(v) : v]));
  const field = issue.params?.field;
  if (typeof field === 'string' && isMessageKey(`field.${field}`)) params.field = t(`field.${field}` as MessageKey);
  const kind = issue.params?.kind;
  if (typeof kind === 'string' && isMessageKey(`directory.kind.${kind}`)) params.kind = t(`directory.kind.${kind}` as MessageKey);
  const language = issue.params?.language;
  if (typeof language === 'string' && isMessageKey(`language.${language}`)) params.language = t(`language.${language}` as MessageKey);
  const hint = typeof issue.params?.suggestion === 'string' ? ` ${t('hint.didYouMean', { suggestion: wrap(issue.params.suggestion) })}` : '';
  return t(key, params) + hint;
}

/**
 * The interface language: the one the user chose (cookie), else French, the Centre's working
 * language. The browser's language is not followed: a shared office computer set to English would
 * otherwise greet a French-speaking team in English, and switching is one click at the top.
 */
export function pickUiLang(cookie: string | undefined): UiLang {
  return isUiLang(cookie) ? cookie : 'fr';
}
