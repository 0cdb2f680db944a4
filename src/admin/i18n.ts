/**
 * The admin's own interface strings (French, English, Arabic; Arabic right-to-left) and how a
 * request's language is chosen: the user's choice (cookie), else the browser's, else French.
 */
import type { Lang } from '../domain/index.js';
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

/** A translate function for one language: `{name}` placeholders are replaced by `vars`. */
export function translator(lang: UiLang): (key: MessageKey, vars?: Record<string, string | number>) => string {
  const table = STRINGS[lang];
  return (key, vars) => {
    const s = table[key] ?? en[key] ?? key;
    return vars ? s.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : s;
  };
}

/** The interface language: the cookie's when valid, else the first supported one of Accept-Language, else French. */
export function pickUiLang(cookie: string | undefined, acceptLanguage: string | undefined): UiLang {
  if (isUiLang(cookie)) return cookie;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const base = part.trim().split(/[-_;]/)[0]?.toLowerCase();
    if (isUiLang(base)) return base;
  }
  return 'fr';
}
