/**
 * Stemming: natural's Porter stemmers for French, English and Spanish (imported module by module,
 * never the package root), and light stemmers of our own for Arabic script and arabizi, which
 * natural lacks. Stems only add features: a wrong cut costs little.
 */
import porterEn from 'natural/lib/natural/stemmers/porter_stemmer.js';
import porterFr from 'natural/lib/natural/stemmers/porter_stemmer_fr.js';
import porterEs from 'natural/lib/natural/stemmers/porter_stemmer_es.js';
import type { NluLang } from './tokenise.js';

const AR_PREFIXES = ['وال', 'بال', 'كال', 'فال', 'لل', 'ال'];
const AR_VERB_PREFIXES = ['كان', 'كات', 'كا', 'كي', 'كن', 'كت', 'غا', 'تا'];
const AR_SUFFIXES = ['وني', 'ونا', 'تيني', 'تني', 'ها', 'ان', 'ات', 'ون', 'ين', 'يه', 'هم', 'كم', 'نا', 'ني', 'ه', 'ي', 'و', 'ك'];

/**
 * Arabic light stemmer (after normalisation: ة -> ه, alef variants -> ا) in the spirit of Light10,
 * extended for Darija: articles and conjunctions (وال بال فال لل ال و), the present markers
 * (كا كي كن كت), the negation ما...ش, then common suffixes. Keeps at least three letters.
 */
export function arabicLightStem(word: string): string {
  let w = word;
  if (w.length >= 5 && w.startsWith('ما') && w.endsWith('ش')) w = w.slice(2, -1);
  else if (w.length >= 4 && w.endsWith('ش') && w.startsWith('م')) w = w.slice(1, -1);
  for (const p of AR_PREFIXES) {
    if (w.startsWith(p) && w.length - p.length >= 2) {
      w = w.slice(p.length);
      break;
    }
  }
  if (w.length >= 4 && (w.startsWith('و') || w.startsWith('ف'))) w = w.slice(1);
  if (w.length >= 5) {
    for (const p of AR_VERB_PREFIXES) {
      if (w.startsWith(p) && w.length - p.length >= 3) {
        w = w.slice(p.length);
        break;
      }
    }
  }
  for (let round = 0; round < 2; round++) {
    let cut = false;
    for (const s of AR_SUFFIXES) {
      if (w.endsWith(s) && w.length - s.length >= 3) {
        w = w.slice(0, -s.length);
        cut = true;
        break;
      }
    }
    if (!cut) break;
  }
  return w;
}

const AZ_PREFIXES = ['fel', 'fl', 'bl', 'el', 'l', 'f'];
const AZ_VERB_PREFIXES = ['kan', 'kat', 'kay', 'ka', 'ki', 'tan', 'tat', 'tay', 'ghan', 'ghat', 'ghay'];
const AZ_SUFFIXES = ['ouni', 'ouna', 'oni', 'uni', 'liya', 'lia', 'kom', 'hom', 'tini', 'ni', 'ha', 'na', 'ek'];
const VOWEL = /[aeiou]/;

/**
 * Light stemmer for Darija written in Latin letters after normalisation (arabizi digits mapped):
 * "lwraq" -> "wraq", "fzanqa" -> "zanqa", "chedouni" -> "ched", "kaydrbni" -> "drb", "machi" kept.
 */
export function arabiziLightStem(word: string): string {
  let w = word;
  if (w.length >= 6 && w.startsWith('ma') && (w.endsWith('ch') || w.endsWith('sh'))) w = w.slice(2, -2);
  for (const p of AZ_PREFIXES) {
    const rest = w.slice(p.length);
    if (w.startsWith(p) && rest.length >= 3 && !VOWEL.test(rest[0] ?? 'a')) {
      w = rest;
      break;
    }
  }
  if (w.length >= 6) {
    for (const p of AZ_VERB_PREFIXES) {
      if (w.startsWith(p) && w.length - p.length >= 3) {
        w = w.slice(p.length);
        break;
      }
    }
  }
  for (const s of AZ_SUFFIXES) {
    if (w.endsWith(s) && w.length - s.length >= 3) {
      w = w.slice(0, -s.length);
      break;
    }
  }
  return w;
}

/**
 * Stems a normalised word for a language: Arabic script always gets the Arabic light stemmer;
 * Latin words get natural's Porter stemmer of `lang` (fr, en, es) or the arabizi stemmer (ar).
 */
export function stem(word: string, lang: NluLang): string {
  if (/[\u0600-\u06FF]/.test(word)) return arabicLightStem(word);
  if (/\d/.test(word) || word.length < 3) return word;
  if (lang === 'fr') return porterFr.stem(word);
  if (lang === 'en') return porterEn.stem(word);
  if (lang === 'es') return porterEs.stem(word);
  return arabiziLightStem(word);
}
