/**
 * Small pure text helpers of the engine: comparing command words, reading typed numbers and
 * cutting long messages.
 */

/**
 * Folds a message for exact-word comparison: lowercase, Latin accents and Arabic vowel marks
 * removed, Arabic letter variants unified (أ إ آ -> ا, ى -> ي, ة -> ه), tatweel dropped,
 * a Telegram `@botname` suffix removed, surrounding punctuation and spaces trimmed.
 */
export function foldWord(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u0623\u0625\u0622\u0671]/g, '\u0627')
    .replace(/\u0649/g, '\u064A')
    .replace(/\u0629/g, '\u0647')
    .replace(/\u0640/g, '')
    .replace(/^(\/\w+)@\w+/, '$1')
    .replace(/^[\s.,;:!?¡¿"'«»()\u061F\u060C]+|[\s.,;:!?¡¿"'«»()\u061F\u060C]+$/g, '')
    .replace(/\s+/g, ' ');
}

/** Arabic-Indic (٠-٩) and Eastern Arabic-Indic (۰-۹) digits as ASCII digits. */
export function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String((d.codePointAt(0) as number) & 0xf));
}

/** The number a message is made of ("2", " 3. ", "٣", "#4"), or undefined. */
export function parseNumber(text: string): number | undefined {
  const m = /^\s*#?\s*(\d{1,3})\s*[.)]?\s*$/.exec(asciiDigits(text));
  return m ? Number(m[1]) : undefined;
}

/** Number of words of a message (letters or digits separated by anything else). */
export function wordCount(text: string): number {
  return text.split(/[^\p{L}\p{M}\p{N}]+/u).filter((w) => w.length > 0).length;
}

/** Cuts `text` to at most `max` UTF-16 units without splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut;
}
