/**
 * Tokenisation that works on every script Dalil meets (Latin, Arabic), plus stop words per language.
 */
import stopwordsData from './data/stopwords.json' with { type: 'json' };
import { normalise, type NormaliseOptions } from './normalise.js';

/** Languages with stop words and stemmers. */
export type NluLang = 'fr' | 'en' | 'ar' | 'es';

const WORD_SPLIT = /[^\p{L}\p{M}\p{N}]+/u;

/**
 * Splits a message into normalised words. Unlike natural's ASCII tokenisers it keeps Arabic
 * words (and their marks) whole. Pass `normalised: true` when the text is already normalised.
 */
export function tokenise(text: string, options: NormaliseOptions & { normalised?: boolean } = {}): string[] {
  const norm = options.normalised ? text : normalise(text, options);
  return norm.split(WORD_SPLIT).filter((w) => w.length > 0);
}

const STOPWORDS: Readonly<Record<NluLang, ReadonlySet<string>>> = (() => {
  const data = stopwordsData as unknown as Record<string, unknown>;
  const read = (lang: NluLang): ReadonlySet<string> => {
    const list = data[lang];
    return new Set(Array.isArray(list) ? list.filter((w): w is string => typeof w === 'string').map((w) => normalise(w, { abbreviations: false })) : []);
  };
  return { fr: read('fr'), en: read('en'), ar: read('ar'), es: read('es') };
})();

/** True when `word` (normalised) is a function word of `lang`. Arabic-script words use the `ar` list whatever `lang` is. */
export function isStopword(word: string, lang: NluLang): boolean {
  if (/[\u0600-\u06FF]/.test(word)) return STOPWORDS.ar.has(word);
  return STOPWORDS[lang].has(word);
}
