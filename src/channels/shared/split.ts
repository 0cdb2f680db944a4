/**
 * The one text splitter every adapter uses for messages over its channel's limit.
 * It cuts at the widest boundary that fits: paragraphs, then lines, then sentences, then words,
 * and only for a single word longer than the limit, between grapheme clusters. It never cuts
 * inside a word, a UTF-16 surrogate pair or an emoji sequence, and never counts bytes.
 */
import { smsSegments } from '../../domain/index.js';

/** How a limit is counted: UTF-16 code units (`chars`) or SMS segments (`segments`). */
export type LengthUnit = 'chars' | 'segments';

/** Length of `text` in `unit`: UTF-16 code units, or the SMS segments it is sent as. */
export function measure(text: string, unit: LengthUnit): number {
  return unit === 'segments' ? smsSegments(text) : text.length;
}

/** Boundaries from widest to narrowest, each with the separator that joins its pieces back. */
const LEVELS: ReadonlyArray<{ split: RegExp; join: string }> = [
  { split: /\n[ \t]*\n\s*/, join: '\n\n' },
  { split: /[ \t]*\n\s*/, join: '\n' },
  // After sentence punctuation (Latin, Arabic question mark, ellipsis) followed by a space.
  { split: /(?<=[.!?\u061F\u2026])[ \t]+/, join: ' ' },
  { split: /[ \t]+/, join: ' ' },
];

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Splits one over-long word between grapheme clusters (a cluster alone is always kept whole). */
function splitGraphemes(word: string, fits: (s: string) => boolean): string[] {
  const out: string[] = [];
  let current = '';
  for (const { segment } of graphemes.segment(word)) {
    const candidate = current + segment;
    if (current !== '' && !fits(candidate)) {
      out.push(current);
      current = segment;
    } else {
      current = candidate;
    }
  }
  if (current !== '') out.push(current);
  return out;
}

function splitAt(text: string, level: number, fits: (s: string) => boolean): string[] {
  const boundary = LEVELS[level];
  if (boundary === undefined) return splitGraphemes(text, fits);
  const parts = text.split(boundary.split).filter((p) => p.trim() !== '');
  const out: string[] = [];
  let current = '';
  for (const part of parts) {
    if (!fits(part)) {
      if (current !== '') out.push(current);
      current = '';
      out.push(...splitAt(part, level + 1, fits));
      continue;
    }
    const candidate = current === '' ? part : current + boundary.join + part;
    if (fits(candidate)) {
      current = candidate;
    } else {
      out.push(current);
      current = part;
    }
  }
  if (current !== '') out.push(current);
  return out;
}

/**
 * Splits `text` into trimmed pieces for which `fits` holds (a piece that cannot fit even as a
 * single grapheme is returned alone). Returns `[]` for blank text.
 */
export function splitToFit(text: string, fits: (piece: string) => boolean): string[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (fits(trimmed)) return [trimmed];
  return splitAt(trimmed, 0, fits).map((p) => p.trim()).filter((p) => p !== '');
}

/**
 * Splits `text` into pieces of at most `max` `unit`s, paragraph-aware (see the module comment).
 * For `segments`, each piece is sent as at most `max` SMS segments in its own encoding.
 */
export function splitText(text: string, max: number, unit: LengthUnit): string[] {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`splitText: max must be a positive integer (got ${max})`);
  return splitToFit(text, (piece) => measure(piece, unit) <= max);
}
