/**
 * Review dates as users read them, with no clock or time zone read (dates are UTC calendar days).
 */
import type { Lang } from '../domain/index.js';

const DATE_LOCALES: Record<Lang, string> = { fr: 'fr-MA', en: 'en-GB', ar: 'ar-MA', es: 'es-ES' };

/** One formatter per language: building an `Intl.DateTimeFormat` costs far more than using one. */
const DATE_FORMATS = new Map<Lang, Intl.DateTimeFormat>();
/** Formatted review dates (content has few distinct ones; bounded anyway). */
const LONG_DATES = new Map<string, string>();
const MAX_LONG_DATES = 2000;

/** "2026-11-28" as "28 November 2026" in the user's language. */
export function longDate(iso: string, lang: Lang): string {
  const cacheKey = `${lang}|${iso}`;
  const cached = LONG_DATES.get(cacheKey);
  if (cached !== undefined) return cached;
  const d = new Date(`${iso}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso) || Number.isNaN(d.getTime())) return iso;
  let format = DATE_FORMATS.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(DATE_LOCALES[lang], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    DATE_FORMATS.set(lang, format);
  }
  const text = format.format(d);
  if (LONG_DATES.size < MAX_LONG_DATES) LONG_DATES.set(cacheKey, text);
  return text;
}

/** "2026-11-28" as "28/11/2026" (compact channels: short, and plain digits). */
export function shortDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** One formatter per language, zone and length, for opening times. */
const TIME_FORMATS = new Map<string, Intl.DateTimeFormat>();

/**
 * When a partner opens, in its zone and the user's language: "Monday 12 January at 09:00", or
 * on compact channels "Mon 09:00".
 */
export function openingTime(at: number, tz: string, lang: Lang, compact: boolean): string {
  const key = `${lang}|${tz}|${compact ? 1 : 0}`;
  let format = TIME_FORMATS.get(key);
  if (!format) {
    const fields: Intl.DateTimeFormatOptions = compact ? { weekday: 'short' } : { weekday: 'long', day: 'numeric', month: 'long' };
    format = new Intl.DateTimeFormat(DATE_LOCALES[lang], { ...fields, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: tz });
    TIME_FORMATS.set(key, format);
  }
  return format.format(new Date(at));
}
