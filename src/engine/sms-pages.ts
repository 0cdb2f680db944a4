/**
 * Paging of long SMS replies: the first page goes out now with "Reply MORE for the rest", the
 * others wait in the conversation state (`pendingPages`). Counting is in segments (domain/sms.ts).
 */
import { smsSegments } from '../domain/index.js';

const LEVELS: ReadonlyArray<{ split: RegExp; join: string }> = [
  { split: /\n[ \t]*\n\s*/, join: '\n\n' },
  { split: /[ \t]*\n\s*/, join: '\n' },
  { split: /(?<=[.!?\u061F])[ \t]+/, join: ' ' },
  { split: /[ \t]+/, join: ' ' },
];

function hardCut(text: string, fits: (s: string) => boolean): string[] {
  const out: string[] = [];
  let current = '';
  for (const ch of text) {
    if (current !== '' && !fits(current + ch)) {
      out.push(current);
      current = ch;
    } else current += ch;
  }
  if (current !== '') out.push(current);
  return out;
}

function pack(text: string, level: number, fits: (s: string) => boolean): string[] {
  if (fits(text)) return [text];
  const boundary = LEVELS[level];
  if (!boundary) return hardCut(text, fits);
  const out: string[] = [];
  let current = '';
  for (const part of text.split(boundary.split).filter((p) => p.trim() !== '')) {
    if (!fits(part)) {
      if (current !== '') out.push(current);
      current = '';
      out.push(...pack(part, level + 1, fits));
      continue;
    }
    const candidate = current === '' ? part : current + boundary.join + part;
    if (fits(candidate)) current = candidate;
    else {
      out.push(current);
      current = part;
    }
  }
  if (current !== '') out.push(current);
  return out;
}

/** Choices as an SMS channel shows them ("1. Papers"), to keep room for them on a page. */
export function numberedText(labels: readonly string[]): string {
  return labels.map((l, i) => `${i + 1}. ${l}`).join('\n');
}

/**
 * Splits `text` into pages of at most `budget` segments, each leaving room for `hint` (the
 * "Reply MORE" line) and, when they are short enough to fit at all, the numbered `choices`.
 * Cuts at paragraphs, then lines, sentences, words. Returns `[text]` when everything fits at once.
 */
export function paginate(text: string, budget: number, hint: string, choices = ''): string[] {
  // Answers come from content, so the same pages are asked for again and again: remember them.
  const key = `${budget}\u0000${hint}\u0000${choices}\u0000${text}`;
  const known = PAGES.get(key);
  if (known) return [...known];
  const pages = paginateUncached(text, budget, hint, choices);
  if (PAGES.size >= MAX_CACHED_PAGINATIONS) PAGES.delete(PAGES.keys().next().value as string);
  PAGES.set(key, pages);
  return [...pages];
}

/** Pages already worked out (oldest dropped first); bounded, and keyed by content text only. */
const PAGES = new Map<string, readonly string[]>();
const MAX_CACHED_PAGINATIONS = 1000;

function paginateUncached(text: string, budget: number, hint: string, choices: string): string[] {
  const trimmed = text.trim();
  const withChoices = (s: string): string => (choices ? `${s}\n\n${choices}` : s);
  if (smsSegments(withChoices(trimmed)) <= budget) return [trimmed];
  const reserve = choices && smsSegments(`${hint}\n\n${choices}`) < budget ? `\n\n${choices}` : '';
  const fits = (s: string): boolean => smsSegments(`${s}\n\n${hint}${reserve}`) <= budget;
  return pack(trimmed, 0, fits).map((p) => p.trim()).filter((p) => p !== '');
}
