/**
 * Finds a Moroccan city named in a message, for find-help: exact spellings (names, aliases of the
 * knowledge base, local spellings of data/city-aliases.json), Arabic and Darija prefixes
 * ("فالرباط", "fcasa"), and small typos ("Rbat", "Marakech", "Casablnca") on words that are not
 * ordinary words of the training phrases ("danger" is never Tanger).
 */
import type { City, Lang } from '../domain/index.js';
import cityData from './data/city-aliases.json' with { type: 'json' };
import { normalise } from './normalise.js';
import { editDistance } from './phonetic.js';

/** Finds city ids in messages. */
export interface CityExtractor {
  /** The id of the first city named in `text`, if any. `lang` is the message's language. */
  extract(text: string, lang?: Lang): string | undefined;
}

interface Spelling {
  id: string;
  words: string[];
  /** Languages in which this spelling is an ordinary word. */
  ambiguousIn: readonly string[];
}

const AR_PREFIXES = ['وال', 'فال', 'بال', 'لل', 'و', 'ف', 'ب', 'ل'];
const LATIN_PREFIXES = ['fl', 'f', 'l', 'b'];

/** Options of {@link createCityExtractor}. */
export interface CityExtractorOptions {
  /** Normalised words that are ordinary vocabulary: never fuzzy-matched to a city. */
  knownWords?: ReadonlySet<string>;
}

function spellingWords(s: string): string[] {
  return normalise(s, { abbreviations: false, arabizi: false }).split(' ').filter(Boolean);
}

/** Builds an extractor over `cities` (from content/cities.yaml) plus the built-in local spellings. */
export function createCityExtractor(cities: readonly City[], options: CityExtractorOptions = {}): CityExtractor {
  const data = cityData as unknown as { aliases: Record<string, string[]>; ambiguous: Record<string, string[]> };
  const ambiguous = new Map(Object.entries(data.ambiguous).map(([k, v]) => [normalise(k, { abbreviations: false }), v]));
  const byFirst = new Map<string, Spelling[]>();
  const singles: Spelling[] = [];
  const seen = new Set<string>();
  for (const city of cities) {
    const local = Object.hasOwn(data.aliases, city.id) ? data.aliases[city.id] : undefined;
    const all = [...Object.values(city.names), ...city.aliases, ...(local ?? [])];
    for (const s of all) {
      const words = spellingWords(s);
      const key = words.join(' ');
      if (!words.length || seen.has(key)) continue;
      seen.add(key);
      const sp: Spelling = { id: city.id, words, ambiguousIn: ambiguous.get(key) ?? [] };
      const first = words[0] ?? '';
      byFirst.set(first, [...(byFirst.get(first) ?? []), sp]);
      if (words.length === 1) singles.push(sp);
    }
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.words.length - a.words.length);
  const known = options.knownWords ?? new Set<string>();

  /** Spellings starting at word `i` (exact, then with a prefix removed). */
  const exactAt = (words: readonly string[], i: number): Spelling | undefined => {
    const w = words[i] ?? '';
    const candidates: string[] = [w];
    const arabic = /[\u0600-\u06FF]/.test(w);
    for (const p of arabic ? AR_PREFIXES : LATIN_PREFIXES) {
      if (w.startsWith(p) && w.length - p.length >= (arabic ? 3 : 4)) {
        candidates.push(w.slice(p.length));
        if (arabic && p.length === 1 && !w.slice(1).startsWith('ال')) candidates.push('ال' + w.slice(1));
      }
    }
    for (const c of candidates) {
      for (const sp of byFirst.get(c) ?? []) {
        if (sp.words.every((sw, k) => k === 0 || words[i + k] === sw)) return sp;
      }
    }
    return undefined;
  };

  const fuzzyAt = (w: string): Spelling | undefined => {
    if (w.length < 4 || known.has(w) || /\d/.test(w)) return undefined;
    let best: Spelling | undefined;
    let bestD = Infinity;
    for (const sp of singles) {
      const s = sp.words[0] ?? '';
      if (s.length < 4 || s[0] !== w[0] || sp.ambiguousIn.length > 0) continue;
      const max = s.length >= 8 ? 2 : 1;
      const d = editDistance(w, s, max);
      if (d <= max && d < bestD) {
        bestD = d;
        best = sp;
      }
    }
    return best;
  };

  return {
    extract(text: string, lang?: Lang): string | undefined {
      const words = spellingWords(text);
      if (!words.length) return undefined;
      const original = text.split(/[\s,.;:!?¿¡()"]+/).filter(Boolean);
      const allowAmbiguous = (sp: Spelling, i: number): boolean => {
        if (!lang || !sp.ambiguousIn.includes(lang) || words.length <= 2) return true;
        // Written like a name: an accent the plain word lacks ("Salé"), or a capital inside the sentence.
        const raw = original.find((o) => normalise(o, { abbreviations: false, arabizi: false }) === sp.words[0]) ?? '';
        const accented = raw.normalize('NFD') !== raw.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
        const capitalInside = i > 0 && /^\p{Lu}/u.test(raw);
        return accented || capitalInside;
      };
      for (let i = 0; i < words.length; i++) {
        const sp = exactAt(words, i);
        if (sp && allowAmbiguous(sp, i)) return sp.id;
      }
      for (const w of words) {
        const sp = fuzzyAt(w);
        if (sp) return sp.id;
      }
      return undefined;
    },
  };
}

const extractors = new WeakMap<readonly City[], CityExtractor>();

/** Convenience: the first city of `cities` named in `text` (the index is cached per array). */
export function extractCity(text: string, cities: readonly City[], lang?: Lang): string | undefined {
  let ex = extractors.get(cities);
  if (!ex) extractors.set(cities, (ex = createCityExtractor(cities)));
  return ex.extract(text, lang);
}
