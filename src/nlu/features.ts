/**
 * Turns a message into sparse features for the classifier: words, stems, phonetic skeletons,
 * word pairs and character n-grams of the normalised words (typo tolerance). Feature keys carry a
 * one-letter namespace so that groups never collide; a `FeatureSpace` interns them as integers
 * and caches the features of each word, so that training and matching hash few strings.
 */
import { normalise } from './normalise.js';
import { isStopword, type NluLang } from './tokenise.js';
import { stem } from './stem.js';
import { arabicToLatin, consonantSkeleton } from './phonetic.js';

const ARABIC_WORD = /^[\u0600-\u06FF]+$/;
import { conceptsOf } from './concepts.js';

/** Weights and sizes of the feature groups. */
export interface FeatureOptions {
  /** Smallest and largest character n-gram (on `<word>` with boundary marks). */
  charMin: number;
  charMax: number;
  wordWeight: number;
  stemWeight: number;
  charWeight: number;
  skeletonWeight: number;
  bigramWeight: number;
  /** Weight of the cross-language concept a word names (data/concepts.json). */
  conceptWeight: number;
  /** Character n-grams of stop words too. */
  stopwordChars: boolean;
  /** Give Arabic-script words the consonant skeleton of their arabizi spelling. */
  crossScriptSkeleton: boolean;
}

/** Defaults chosen by measurement on the Dalil phrases and the public sets (see bench/RESULTS.md). */
export const DEFAULT_FEATURE_OPTIONS: Readonly<FeatureOptions> = {
  charMin: 3,
  charMax: 4,
  wordWeight: 1,
  stemWeight: 1,
  charWeight: 0.5,
  skeletonWeight: 0.5,
  bigramWeight: 0.5,
  conceptWeight: 1,
  stopwordChars: true,
  crossScriptSkeleton: true,
};

/** Words of a message after normalisation for `lang` (abbreviations of that language expanded). */
export function messageWords(text: string, lang: NluLang): string[] {
  const norm = normalise(text, { lang });
  return norm ? norm.split(' ') : [];
}

/** The feature keys of one word with their weights (word pairs excluded). */
export function wordFeatureKeys(word: string, lang: NluLang, opt: FeatureOptions): { stop: boolean; keys: string[]; weights: number[] } {
  const keys: string[] = [];
  const weights: number[] = [];
  const add = (key: string, w: number): void => {
    if (w > 0) {
      keys.push(key);
      weights.push(w);
    }
  };
  const stop = isStopword(word, lang);
  if (!stop) {
    add('w' + word, opt.wordWeight);
    const s = stem(word, lang);
    add('s' + s, s !== word ? opt.stemWeight : opt.stemWeight * 0.5);
    if (word.length >= 4 && /^[a-z]+$/.test(word)) {
      const k = consonantSkeleton(word);
      if (k.length >= 3) add('k' + k, opt.skeletonWeight);
      // Arabizi: also the skeleton without the article and affixes ("lkarta" -> "karta"), as Arabic script gets.
      if (opt.crossScriptSkeleton && lang === 'ar' && s !== word && s.length >= 3) {
        const ks = consonantSkeleton(s);
        if (ks.length >= 3 && ks !== k) add('k' + ks, opt.skeletonWeight);
      }
    } else if (opt.crossScriptSkeleton && word.length >= 3 && ARABIC_WORD.test(word)) {
      // The same skeleton from the word's arabizi spelling: Arabic script and arabizi share it.
      const k = consonantSkeleton(arabicToLatin(s));
      if (k.length >= 3) add('k' + k, opt.skeletonWeight);
    }
    if (opt.conceptWeight > 0) for (const c of conceptsOf(word)) add('x' + c, opt.conceptWeight);
  }
  if ((!stop || opt.stopwordChars) && opt.charWeight > 0 && !/^\d+$/.test(word)) {
    const padded = '<' + word + '>';
    for (let n = opt.charMin; n <= opt.charMax; n++) {
      if (padded.length < n) break;
      for (let i = 0; i + n <= padded.length; i++) add('c' + padded.slice(i, i + n), opt.charWeight);
    }
  }
  return { stop, keys, weights };
}

interface WordEntry {
  stop: boolean;
  ids: Int32Array;
  weights: Float32Array;
}

/**
 * Interns feature keys as integers and caches each training word's features. While open
 * (training) unknown keys get new ids; once frozen, unknown keys are dropped and words not seen in
 * training are not cached, so that user messages never grow it or stay in memory.
 */
export class FeatureSpace {
  readonly options: FeatureOptions;
  private readonly ids = new Map<string, number>();
  /** Per id: 1 for a character n-gram, 0 otherwise. */
  private readonly charFlags: number[] = [];
  private readonly cache = new Map<string, WordEntry>();
  private frozen = false;
  /** Of a restored space: the words (lang + word) a trained one had cached, cached again when first seen. */
  private cacheable: ReadonlySet<string> | undefined;

  constructor(options: FeatureOptions) {
    this.options = options;
  }

  /**
   * A frozen space whose features are `keys` (id = index), as {@link snapshot} wrote them: it
   * encodes every text as the trained space did, once its ids are the trained columns.
   */
  static restore(options: FeatureOptions, keys: readonly string[], cacheKeys: readonly string[]): FeatureSpace {
    const space = new FeatureSpace(options);
    keys.forEach((k, i) => {
      space.ids.set(k, i);
      space.charFlags.push(k.startsWith('c') ? 1 : 0);
    });
    space.frozen = true;
    space.cacheable = new Set(cacheKeys);
    return space;
  }

  /**
   * The keys kept by `columnOf` (a feature id -> its column, or -1 when pruned), by column, and
   * the cached words: what {@link restore} needs.
   */
  snapshot(columnOf: (id: number) => number, columns: number): { keys: string[]; cacheKeys: string[] } {
    const keys = new Array<string>(columns).fill('');
    for (const [key, id] of this.ids) {
      const col = columnOf(id);
      if (col >= 0) keys[col] = key;
    }
    return { keys, cacheKeys: [...(this.cacheable ?? this.cache.keys())] };
  }

  /** Number of interned features. */
  get size(): number {
    return this.ids.size;
  }

  /** Stops interning new keys. */
  freeze(): void {
    this.frozen = true;
  }

  private idOf(key: string): number {
    const id = this.ids.get(key);
    if (id !== undefined) return id;
    if (this.frozen) return -1;
    const next = this.ids.size;
    this.ids.set(key, next);
    this.charFlags.push(key.startsWith('c') ? 1 : 0);
    return next;
  }

  /** True when `id` is a character n-gram (the only features `minDf` prunes). */
  isCharGram(id: number): boolean {
    return this.charFlags[id] === 1;
  }

  private word(word: string, lang: NluLang): WordEntry {
    const cacheKey = lang + word;
    const hit = this.cache.get(cacheKey);
    if (hit) return hit;
    const f = wordFeatureKeys(word, lang, this.options);
    const ids: number[] = [];
    const weights: number[] = [];
    f.keys.forEach((k, i) => {
      const id = this.idOf(k);
      if (id >= 0) {
        ids.push(id);
        weights.push(f.weights[i] ?? 0);
      }
    });
    const entry = { stop: f.stop, ids: Int32Array.from(ids), weights: Float32Array.from(weights) };
    if (!this.frozen || this.cacheable?.has(cacheKey)) this.cache.set(cacheKey, entry);
    return entry;
  }

  /**
   * Appends the feature ids and weights of normalised words to `ids`/`weights` (an id may repeat:
   * callers sum). Word pairs of consecutive content words are included.
   */
  encode(words: readonly string[], lang: NluLang, ids: number[], weights: number[]): void {
    const opt = this.options;
    let prev: string | undefined;
    for (const w of words) {
      const e = this.word(w, lang);
      for (let i = 0; i < e.ids.length; i++) {
        ids.push(e.ids[i]!);
        weights.push(e.weights[i]!);
      }
      if (!e.stop) {
        if (prev !== undefined && opt.bigramWeight > 0) {
          const id = this.idOf('b' + prev + '_' + w);
          if (id >= 0) {
            ids.push(id);
            weights.push(opt.bigramWeight);
          }
        }
        prev = w;
      }
    }
  }
}
