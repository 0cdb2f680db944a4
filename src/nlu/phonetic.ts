/**
 * Phonetic keys for Latin-script words, shared by French, English, Spanish and arabizi spellings,
 * so that "regularisasion" ~ "regularisation", "refujie" ~ "refugie", "politik" ~ "politique",
 * "karta" ~ "carte", "chno" ~ "shno" ~ "xno".
 */

/**
 * A phonetic spelling of a normalised Latin word (the word itself for other scripts), in one pass:
 * sch/sh/ch -> x, ph -> f, th -> t, kh -> k, gh -> g, qu/ck/q -> k, tion -> sion, c before e/i/y -> s,
 * other c -> k, gu before e/i/y -> g, dj -> j, g before e/i/y -> j, z -> s, y -> i, ou/oo/w -> u,
 * h dropped, doubled letters merged, then a final e and a final s dropped.
 */
export function phoneticKey(word: string): string {
  if (!/^[a-z]+$/.test(word)) return word;
  let out = '';
  const n = word.length;
  const soft = (c: string | undefined): boolean => c === 'e' || c === 'i' || c === 'y';
  for (let i = 0; i < n; i++) {
    const c = word[i];
    const d = word[i + 1];
    let emit: string;
    if (c === 's' && d === 'c' && word[i + 2] === 'h') {
      emit = 'x';
      i += 2;
    } else if ((c === 's' || c === 'c') && d === 'h') {
      emit = 'x';
      i++;
    } else if (d === 'h' && (c === 'p' || c === 't' || c === 'k' || c === 'g')) {
      emit = c === 'p' ? 'f' : c;
      i++;
    } else if (c === 'q') {
      emit = 'k';
      if (d === 'u') i++;
    } else if (c === 'c' && d === 'k') {
      emit = 'k';
      i++;
    } else if (c === 't' && d === 'i' && word[i + 2] === 'o' && word[i + 3] === 'n') {
      emit = 's';
    } else if (c === 'c') {
      emit = soft(d) ? 's' : 'k';
    } else if (c === 'g' && d === 'u' && soft(word[i + 2])) {
      emit = 'g';
      i++;
    } else if (c === 'd' && d === 'j') {
      emit = 'j';
      i++;
    } else if (c === 'g') {
      emit = soft(d) ? 'j' : 'g';
    } else if (c === 'z') {
      emit = 's';
    } else if (c === 'y') {
      emit = 'i';
    } else if ((c === 'o' && (d === 'u' || d === 'o')) || c === 'w') {
      emit = 'u';
      if (c === 'o') i++;
    } else if (c === 'h') {
      emit = '';
    } else {
      emit = c ?? '';
    }
    if (emit && out[out.length - 1] !== emit) out += emit;
  }
  if (out.endsWith('e')) out = out.slice(0, -1);
  if (out.endsWith('s')) out = out.slice(0, -1);
  return out;
}

/**
 * Latin letters for the Arabic letters of a normalised word, as arabizi writes them (ع as "a" like
 * the digit 3, ح as "h" like 7, ق as "q" like 9), so that a word in Arabic script and its arabizi
 * spelling share a consonant skeleton: "كارطه" ~ "karta", "بوليس" ~ "bolis", "حبس" ~ "l7bs".
 * Letters with no Latin counterpart (hamza) are dropped.
 */
const ARABIC_TO_LATIN: Readonly<Record<string, string>> = {
  'ا': 'a', 'ب': 'b', 'ت': 't', 'ث': 't', 'ج': 'j', 'ح': 'h', 'خ': 'kh', 'د': 'd', 'ذ': 'd', 'ر': 'r',
  'ز': 'z', 'س': 's', 'ش': 'ch', 'ص': 's', 'ض': 'd', 'ط': 't', 'ظ': 'd', 'ع': 'a', 'غ': 'gh', 'ف': 'f',
  'ق': 'q', 'ك': 'k', 'ل': 'l', 'م': 'm', 'ن': 'n', 'ه': 'h', 'و': 'w', 'ي': 'y', 'ى': 'y', 'ة': 'a',
  'گ': 'g', 'ڭ': 'g', 'ڤ': 'v', 'پ': 'p',
};

/** An Arabic-script word in arabizi letters (see ARABIC_TO_LATIN); other characters are dropped. */
export function arabicToLatin(word: string): string {
  let out = '';
  for (const c of word) out += ARABIC_TO_LATIN[c] ?? '';
  return out;
}

/** The consonant skeleton of a phonetic key: first letter plus consonants ("regularisation" -> "rglrsn"). */
export function consonantSkeleton(word: string): string {
  const key = phoneticKey(word);
  if (!/^[a-z]+$/.test(key) || key.length === 0) return key;
  return key[0] + key.slice(1).replace(/[aeiou]/g, '');
}

/** Levenshtein distance with an early exit above `max` (returns max + 1 then). */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] ?? max + 1;
}
