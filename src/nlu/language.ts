/**
 * Language identification among fr, en, ar and es (Darija and arabizi count as ar), built for
 * one- to three-word messages: Arabic script decides at once; Latin words are scored with a word
 * model (a lexicon of frequent words and SMS spellings, plus training phrases when given) backed
 * off to a character trigram model; arabizi digits ("3afak", "l7bs") are strong Darija evidence.
 */
import type { Lang, LanguageGuess } from '../domain/index.js';
import wordsData from './data/language-words.json' with { type: 'json' };
import abbreviationsData from './data/abbreviations.json' with { type: 'json' };
import { hasArabicScript, isArabicWord, normalise, mapArabiziDigits } from './normalise.js';

const LANGS: readonly Lang[] = ['fr', 'en', 'ar', 'es'];

/** A text with its language, to train the identifier. */
export interface LanguageSample {
  text: string;
  lang: Lang;
}

/** Identifies the language of a message. */
export interface LanguageIdentifier {
  /** Best language with a confidence in [0, 1]; `hint` (the conversation's language) wins near-ties. */
  detect(text: string, hint?: Lang): LanguageGuess;
  /** The counts it was built from, for {@link restoreLanguageIdentifier}. */
  snapshot(): LanguageIdentifierState;
}

/** A language identifier's counts as data: words and character n-grams, each with one count per language. */
export interface LanguageIdentifierState {
  words: string[];
  /** `words.length` rows of one count per language (fr, en, ar, es). */
  wordCounts: Float64Array;
  wordTotals: Float64Array;
  grams: string[];
  gramCounts: Float64Array;
  gramTotals: Float64Array;
}

/** Rows of a map of per-language counts as one flat array, keys apart. */
function flatten(map: ReadonlyMap<string, Float64Array>): { keys: string[]; rows: Float64Array } {
  const keys = [...map.keys()];
  const rows = new Float64Array(keys.length * LANGS.length);
  keys.forEach((k, i) => rows.set(map.get(k)!, i * LANGS.length));
  return { keys, rows };
}

function unflatten(keys: readonly string[], rows: Float64Array): Map<string, Float64Array> {
  const map = new Map<string, Float64Array>();
  keys.forEach((k, i) => map.set(k, rows.subarray(i * LANGS.length, (i + 1) * LANGS.length)));
  return map;
}

/** The identifier whose counts {@link LanguageIdentifier.snapshot} returned, without counting again. */
export function restoreLanguageIdentifier(s: LanguageIdentifierState): LanguageIdentifier {
  return identifierOf(unflatten(s.words, s.wordCounts), s.wordTotals, { counts: unflatten(s.grams, s.gramCounts), totals: s.gramTotals });
}

interface CharModel {
  counts: Map<string, Float64Array>;
  totals: Float64Array;
}

const LEXICON_WEIGHT = 4;
const SAMPLE_WEIGHT = 1;
const WORD_ALPHA = 0.05;
const CHAR_ALPHA = 0.5;
/** Floor of a token's posterior, so one word never vetoes a language. */
const TOKEN_FLOOR = 0.03;
/**
 * Extra log-score for ar per Darija marker (a word at least 90% Darija, or arabizi digits): Darija
 * speakers mix French words into Darija ("kifach ndir la carte de sejour") far more often than the
 * reverse, so a few unmistakable Darija words outweigh French loanwords.
 */
const DARIJA_MARKER_BONUS = 1.5;

function langIndex(lang: Lang): number {
  return LANGS.indexOf(lang);
}

/** Latin words of a text, lowercased and accent-free, arabizi digits kept, abbreviations not expanded. */
function latinWords(text: string): string[] {
  return normalise(text, { abbreviations: false, arabizi: false })
    .split(' ')
    .filter((w) => w.length > 0 && !isArabicWord(w) && /\p{L}/u.test(w));
}

function charGrams(word: string): string[] {
  const w = `^${word}$`;
  const out: string[] = [];
  for (let n = 1; n <= 3; n++) for (let i = 0; i + n <= w.length; i++) out.push(w.slice(i, i + n));
  return out;
}

/** Arabizi: Latin letters with a digit standing for an Arabic sound, not a number with a unit. */
function looksArabizi(word: string): boolean {
  return /\p{L}/u.test(word) && /[2379]/.test(word) && mapArabiziDigits(word) !== word;
}

/**
 * Builds a language identifier from the built-in lexicon (src/nlu/data/language-words.json and the
 * abbreviation lists) plus optional samples (the training phrases, whose language is known).
 */
export function createLanguageIdentifier(samples: readonly LanguageSample[] = []): LanguageIdentifier {
  const wordCounts = new Map<string, Float64Array>();
  const wordTotals = new Float64Array(LANGS.length);
  const chars: CharModel = { counts: new Map(), totals: new Float64Array(LANGS.length) };

  // Word counts first; character n-grams once per distinct word, weighted by its counts.
  const addWord = (word: string, li: number, weight: number): void => {
    let row = wordCounts.get(word);
    if (!row) wordCounts.set(word, (row = new Float64Array(LANGS.length)));
    row[li] = (row[li] ?? 0) + weight;
    wordTotals[li] = (wordTotals[li] ?? 0) + weight;
  };

  const words = wordsData as unknown as Record<string, unknown>;
  const abbreviations = abbreviationsData as unknown as Record<string, unknown>;
  for (const lang of LANGS) {
    const li = langIndex(lang);
    const list = words[lang];
    if (Array.isArray(list)) {
      for (const entry of list) if (typeof entry === 'string') for (const w of latinWords(entry)) addWord(w, li, LEXICON_WEIGHT);
    }
    const abbr = abbreviations[lang];
    if (abbr && typeof abbr === 'object') {
      for (const key of Object.keys(abbr)) for (const w of latinWords(key)) addWord(w, li, LEXICON_WEIGHT / 2);
    }
  }
  for (const s of samples) {
    const li = langIndex(s.lang);
    if (li < 0) continue;
    for (const w of latinWords(s.text)) addWord(w, li, SAMPLE_WEIGHT);
  }
  for (const [word, row] of wordCounts) {
    for (const g of charGrams(word)) {
      let c = chars.counts.get(g);
      if (!c) chars.counts.set(g, (c = new Float64Array(LANGS.length)));
      for (let i = 0; i < LANGS.length; i++) {
        c[i] = (c[i] ?? 0) + (row[i] ?? 0);
        chars.totals[i] = (chars.totals[i] ?? 0) + (row[i] ?? 0);
      }
    }
  }
  return identifierOf(wordCounts, wordTotals, chars);
}

function identifierOf(wordCounts: Map<string, Float64Array>, wordTotals: Float64Array, chars: CharModel): LanguageIdentifier {
  const vocab = Math.max(1, wordCounts.size);
  const charVocab = Math.max(1, chars.counts.size);

  /** Posterior over languages for one Latin word. */
  const tokenPosterior = (word: string): number[] => {
    if (looksArabizi(word)) return LANGS.map((l) => (l === 'ar' ? 0.9 : 0.1 / 3));
    const row = wordCounts.get(word);
    const logp: number[] = [];
    if (row) {
      for (let i = 0; i < LANGS.length; i++) {
        logp.push(Math.log(((row[i] ?? 0) + WORD_ALPHA) / ((wordTotals[i] ?? 0) + WORD_ALPHA * vocab)));
      }
    } else {
      for (let i = 0; i < LANGS.length; i++) {
        let s = 0;
        for (const g of charGrams(word)) {
          const c = chars.counts.get(g);
          s += Math.log(((c?.[i] ?? 0) + CHAR_ALPHA) / ((chars.totals[i] ?? 0) + CHAR_ALPHA * charVocab));
        }
        // Character evidence is weaker than a known word: temper it.
        logp.push(s * 0.35);
      }
    }
    const max = Math.max(...logp);
    const exp = logp.map((v) => Math.exp(v - max));
    const sum = exp.reduce((a, b) => a + b, 0);
    return exp.map((v) => v / sum);
  };

  return {
    snapshot() {
      const w = flatten(wordCounts);
      const g = flatten(chars.counts);
      return { words: w.keys, wordCounts: w.rows, wordTotals, grams: g.keys, gramCounts: g.rows, gramTotals: chars.totals };
    },
    detect(raw: string, hint?: Lang): LanguageGuess {
      // Markup pasted or typed ("<b>", "</i>") is not language evidence.
      const text = raw.replace(/<\/?[A-Za-z][^<>]{0,30}>/g, ' ');
      const arabicLetters = (text.match(/[\u0600-\u06FF]/g) ?? []).length;
      const latinLetters = (text.match(/[A-Za-z\u00C0-\u024F]/g) ?? []).length;
      // A letter or two ("b", "ok" is two) says nothing about the language: keep the hint, unsure.
      if (arabicLetters === 0 && latinLetters < 3) {
        return { lang: hint ?? 'fr', confidence: 0 };
      }
      if (hasArabicScript(text) && arabicLetters >= latinLetters) {
        const share = arabicLetters / (arabicLetters + latinLetters);
        return { lang: 'ar', confidence: Math.min(0.99, 0.6 + 0.39 * share) };
      }
      const score = new Array<number>(LANGS.length).fill(0);
      const tokens = latinWords(text);
      const ar = langIndex('ar');
      for (const w of tokens) {
        const p = tokenPosterior(w);
        for (let i = 0; i < LANGS.length; i++) score[i] = (score[i] ?? 0) + Math.log(TOKEN_FLOOR + (1 - TOKEN_FLOOR) * (p[i] ?? 0));
        if ((p[ar] ?? 0) >= 0.9) score[ar] = (score[ar] ?? 0) + DARIJA_MARKER_BONUS;
      }
      if (arabicLetters > 0) score[ar] = (score[ar] ?? 0) + Math.log(1 + arabicLetters);
      const max = Math.max(...score);
      const exp = score.map((v) => Math.exp(v - max));
      const sum = exp.reduce((a, b) => a + b, 0);
      const post = exp.map((v) => v / sum);
      let best = 0;
      for (let i = 1; i < LANGS.length; i++) if ((post[i] ?? 0) > (post[best] ?? 0)) best = i;
      if (hint) {
        const hi = langIndex(hint);
        // Short, unclear messages ("ok", "taxi", "visa") keep the conversation's language.
        if (hi >= 0 && hi !== best && (post[hi] ?? 0) >= 0.5 * (post[best] ?? 0)) best = hi;
      }
      return { lang: LANGS[best] ?? 'fr', confidence: post[best] ?? 0 };
    },
  };
}

let defaultIdentifier: LanguageIdentifier | undefined;

/** Language identification with the built-in lexicon only (the matcher's own also learns from its phrases). */
export function detectLanguage(text: string, hint?: Lang): LanguageGuess {
  defaultIdentifier ??= createLanguageIdentifier();
  return defaultIdentifier.detect(text, hint);
}
