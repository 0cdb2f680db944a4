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

/** `{n, plural, one {# answer} other {# answers}}`: the form for `n` by the language's plural rules. */
const PLURAL = /\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other) \{[^{}]*\})+)\s*\}/g;
const PLURAL_FORM = /(=\d+|zero|one|two|few|many|other) \{([^{}]*)\}/g;

/** Fills `{name}` placeholders and `{name, plural, ...}` choices of `s` with `vars`. */
export function format(lang: UiLang, s: string, vars: Record<string, string | number>): string {
  const rules = new Intl.PluralRules(lang);
  const plural = s.replace(PLURAL, (m, name: string, forms: string) => {
    if (!(name in vars)) return m;
    const n = Number(vars[name]);
    const found = new Map([...forms.matchAll(PLURAL_FORM)].map((f) => [f[1]!, f[2]!]));
    const form = found.get(`=${n}`) ?? found.get(rules.select(n)) ?? found.get('other') ?? '';
    return form.replace(/#/g, String(vars[name]));
  });
  return plural.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
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
 * A content issue in the interface language: its code's sentence when the locales have it (with
 * field names translated), else the checker's English message.
 */
export function issueText(t: (key: MessageKey, vars?: Record<string, string | number>) => string, issue: Pick<ContentIssue, 'message' | 'code' | 'params'>): string {
  const key = `issue.${issue.code ?? ''}`;
  if (!issue.code || !isMessageKey(key)) return issue.message;
  // Values (a number, a word) isolated, so "(0537 54 00 00)" keeps its order in a right-to-left sentence.
  const params = Object.fromEntries(Object.entries(issue.params ?? {}).map(([k, v]) => [k, typeof v === 'string' ? `\u2068${v}\u2069` : v]));
  if (typeof issue.params?.field === 'string' && isMessageKey(`field.${issue.params.field}`)) params.field = t(`field.${issue.params.field}` as MessageKey);
  return t(key, params);
}

/**
 * The interface language: the one the user chose (cookie), else French, the Centre's working
 * language. The browser's language is not followed: a shared office computer set to English would
 * otherwise greet a French-speaking team in English, and switching is one click at the top.
 */
export function pickUiLang(cookie: string | undefined): UiLang {
  return isUiLang(cookie) ? cookie : 'fr';
}
