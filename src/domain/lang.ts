/** The languages Dalil answers in. Darija (Arabic script or arabizi) counts as `ar`. */
export const LANGS = ['fr', 'en', 'ar', 'es'] as const;
export type Lang = (typeof LANGS)[number];

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** Text direction of a language. */
export function dirOf(lang: Lang): 'rtl' | 'ltr' {
  return lang === 'ar' ? 'rtl' : 'ltr';
}

/** The supported language of a platform locale hint ("fr-FR", "ar", "es_MA"), if any. */
export function langOfLocale(hint: string | undefined): Lang | undefined {
  const base = hint?.trim().toLowerCase().split(/[-_]/)[0];
  return isLang(base) ? base : undefined;
}
