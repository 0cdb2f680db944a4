/**
 * Cross-language concepts (data/concepts.json): words of every language and script that mean the
 * same thing for Dalil share a feature, so what is learnt from French phrases helps Darija ones.
 */
import conceptData from './data/concepts.json' with { type: 'json' };
import { normalise } from './normalise.js';
import { arabicLightStem } from './stem.js';

const exact = new Map<string, string[]>();
const prefixes = new Map<string, string[]>();
let longestPrefix = 0;

{
  const data = conceptData as unknown as { concepts: Record<string, string[]> };
  for (const [concept, entries] of Object.entries(data.concepts)) {
    for (const entry of entries) {
      const star = entry.endsWith('*');
      const word = normalise(star ? entry.slice(0, -1) : entry, { abbreviations: false });
      if (!word || word.includes(' ')) continue;
      const map = star ? prefixes : exact;
      const list = map.get(word) ?? [];
      if (!list.includes(concept)) list.push(concept);
      map.set(word, list);
      if (star) longestPrefix = Math.max(longestPrefix, word.length);
    }
  }
}

const AR_PREFIXES = ['وال', 'فال', 'بال', 'كال', 'لل', 'ال', 'و', 'ف', 'ب', 'ل'];

/** Concept ids of a normalised word (empty when it names none). */
export function conceptsOf(word: string): string[] {
  const found = new Set<string>();
  const tryExact = (w: string): void => {
    for (const c of exact.get(w) ?? []) found.add(c);
  };
  tryExact(word);
  if (/[\u0600-\u06FF]/.test(word)) {
    for (const p of AR_PREFIXES) if (word.startsWith(p) && word.length - p.length >= 2) tryExact(word.slice(p.length));
    tryExact(arabicLightStem(word));
  }
  for (let n = Math.min(word.length, longestPrefix); n >= 2; n--) {
    for (const c of prefixes.get(word.slice(0, n)) ?? []) found.add(c);
  }
  return [...found];
}
