/**
 * Text normalisation per script: case, accents, Arabic diacritics, tatweel and letter variants,
 * arabizi digits, repeated letters, punctuation and emoji, SMS abbreviations (from a data file).
 * Pure functions; the result is lowercase words separated by single spaces.
 */
import abbreviationsData from './data/abbreviations.json' with { type: 'json' };

/** Languages the normaliser knows abbreviations for. */
export type AbbreviationLang = 'fr' | 'en' | 'ar' | 'es';

/** A Map, not an object: user words such as "constructor" must not hit Object.prototype. */
type AbbreviationTable = ReadonlyMap<string, string>;

function table(value: unknown): AbbreviationTable {
  const out = new Map<string, string>();
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v === 'string') out.set(foldLatin(k.toLowerCase()), v);
    }
  }
  return out;
}

const ARABIC_DIACRITICS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED]/g;
const TATWEEL = /\u0640/g;
const ARABIC_LETTER_MAP: Readonly<Record<string, string>> = {
  'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ٲ': 'ا', 'ٳ': 'ا',
  'ى': 'ي', 'ی': 'ي', 'ې': 'ي', 'ئ': 'ي',
  'ة': 'ه', 'ۀ': 'ه', 'ہ': 'ه', 'ھ': 'ه',
  'ؤ': 'و', 'ء': '',
  'ک': 'ك', 'ڪ': 'ك', 'گ': 'ك', 'ڭ': 'ك',
  'ڤ': 'ف', 'ڥ': 'ف', 'پ': 'ب', 'چ': 'ج', 'ژ': 'ز',
  '٠': '0', '١': '1', '٢': '2', '٣': '3', '٤': '4', '٥': '5', '٦': '6', '٧': '7', '٨': '8', '٩': '9',
  '۰': '0', '۱': '1', '۲': '2', '۳': '3', '۴': '4', '۵': '5', '۶': '6', '۷': '7', '۸': '8', '۹': '9',
};
const ARABIC_VARIANTS = new RegExp(`[${Object.keys(ARABIC_LETTER_MAP).join('')}]`, 'g');

/** Arabizi digits standing for Arabic sounds (3 = ع, 7 = ح, 9 = ق ...), mapped to Latin letters. */
const ARABIZI_DIGITS: Readonly<Record<string, string>> = {
  '2': 'a', '3': 'a', '5': 'kh', '6': 't', '7': 'h', '8': 'gh', '9': 'q',
};

/** A number followed by a unit or an ordinal suffix ("48h", "2eme", "100dh", "15ans"): not arabizi. */
const NUMBER_WITH_UNIT = /^\d+(h|hr|hrs|er|ere|re|eme|em|e|nd|st|rd|th|dh|dhs|mad|an|ans|km|kg|j|mn|min|mois|x|k|am|pm|s|o|a|º|ª)$/;

const ABBREVIATIONS = abbreviationsData as unknown as Record<string, unknown>;
const COMMON = table(ABBREVIATIONS['common']);
const PER_LANG: Readonly<Record<AbbreviationLang, AbbreviationTable>> = {
  fr: table(ABBREVIATIONS['fr']),
  en: table(ABBREVIATIONS['en']),
  ar: table(ABBREVIATIONS['ar']),
  es: table(ABBREVIATIONS['es']),
};

/** Removes Latin accents (é -> e, ñ -> n, ç -> c) and folds ligatures; leaves other scripts alone. */
export function foldLatin(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .normalize('NFC');
}

/** Arabic-script normalisation: diacritics and tatweel removed, alef/hamza/yaa/taa-marbuta variants unified. */
export function normaliseArabicLetters(text: string): string {
  return text
    .replace(ARABIC_DIACRITICS, '')
    .replace(TATWEEL, '')
    .replace(ARABIC_VARIANTS, (c) => ARABIC_LETTER_MAP[c] ?? c);
}

/** Collapses runs of three or more identical letters to one ("merciii" -> "merci", "شكراااا" -> "شكرا"). */
export function collapseRepeats(word: string): string {
  // Fast path: most words have no run of three; the regular expression is comparatively slow.
  let run = false;
  for (let i = 2; i < word.length; i++) {
    if (word.charCodeAt(i) === word.charCodeAt(i - 1) && word.charCodeAt(i) === word.charCodeAt(i - 2)) {
      run = true;
      break;
    }
  }
  return run ? word.replace(/(\p{L})\1{2,}/gu, '$1') : word;
}

/**
 * Maps arabizi digits inside a word that mixes letters and digits ("3afak" -> "aafak",
 * "l7bs" -> "lhbs", "lwra9" -> "lwraq"). Plain numbers and numbers with a unit ("48h", "2eme") stay.
 */
export function mapArabiziDigits(word: string): string {
  if (!/\d/.test(word) || !/\p{L}/u.test(word)) return word;
  if (NUMBER_WITH_UNIT.test(word)) return word;
  if (/\d{2,}/.test(word)) return word;
  return word.replace(/[2356789]/g, (d) => ARABIZI_DIGITS[d] ?? d);
}

/** Characters kept inside a raw token while looking up abbreviations ("a+", "2m1", "@+"). */
const TRIM_EDGES = /^[^\p{L}\p{N}@+]+|[^\p{L}\p{N}+]+$/gu;
const SPLIT_NON_WORD = /[^\p{L}\p{M}\p{N}]+/u;

/** Options of {@link normalise}. */
export interface NormaliseOptions {
  /** Language whose abbreviation list applies on top of the common one. */
  lang?: AbbreviationLang | undefined;
  /** Expand SMS abbreviations (default true). */
  abbreviations?: boolean;
  /** Map arabizi digits to letters (default true). Language identification keeps them. */
  arabizi?: boolean;
}

/**
 * Normalises a message for matching: NFKC, lowercase, Latin accents removed, Arabic letters
 * unified, emoji and punctuation removed, SMS abbreviations expanded, arabizi digits mapped,
 * letter runs collapsed. Returns words separated by single spaces ("" for an empty message).
 */
export function normalise(text: string, options: NormaliseOptions = {}): string {
  const expand = options.abbreviations !== false;
  const arabizi = options.arabizi !== false;
  const langTable = options.lang ? PER_LANG[options.lang] : undefined;
  // Plain ASCII (most Latin-script messages) needs no Unicode folding.
  const base = !/[^\u0020-\u007e]/.test(text)
    ? text.toLowerCase()
    : foldLatin(normaliseArabicLetters(text.normalize('NFKC').toLowerCase()))
        .replace(/[’‘`´ʼ]/g, "'")
        .replace(/[،؛؟]/g, ' ');
  const out: string[] = [];
  for (const raw of base.split(/\s+/)) {
    if (!raw) continue;
    const trimmed = raw.replace(TRIM_EDGES, '');
    if (!trimmed) continue;
    if (expand) {
      const key = collapseRepeats(trimmed);
      const hit = langTable?.get(key) ?? COMMON.get(key) ?? langTable?.get(trimmed) ?? COMMON.get(trimmed);
      if (hit !== undefined) {
        for (const w of hit.split(SPLIT_NON_WORD)) if (w) out.push(finishWord(w, arabizi));
        continue;
      }
    }
    for (const w of trimmed.split(SPLIT_NON_WORD)) {
      if (!w) continue;
      const word = finishWord(w, arabizi);
      if (word) out.push(word);
    }
  }
  return out.join(' ');
}

function finishWord(w: string, arabizi: boolean): string {
  let word = w;
  if (arabizi) word = mapArabiziDigits(word);
  // Marks left after accent folding (e.g. by NFKC on Arabic presentation forms) carry no meaning here.
  return collapseRepeats(word).replace(/\p{M}+/gu, '');
}

/** True when the text holds at least one Arabic-script letter. */
export function hasArabicScript(text: string): boolean {
  return /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/.test(text);
}

/** True for a word written in Arabic script. */
export function isArabicWord(word: string): boolean {
  return /^[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]+$/.test(word);
}
