/**
 * SMS: plain GSM-7-safe text within a segment budget. The SMS adapter's fitter makes one turn's
 * replies fit its budget (Latin text folded to GSM-7 when it can be, long answers cut into pages
 * with the one splitter, a short answer's full form kept behind MORE), and its renderer writes
 * them as message bodies. Counting is in segments (domain/sms.ts).
 */
import {
  gsmFold,
  smsEncoding,
  smsSegments,
  toGsmSafe,
  type ChannelCapabilities,
  type FittedReplies,
  type Lang,
  type Reply,
  type Translate,
} from '../../domain/index.js';
import { renderText, stripEmoji, stripMarkup } from './render.js';
import { splitToFit } from './split.js';

/**
 * Text made fit for SMS: no markup, no emoji, typographic quotes, dashes and special spaces
 * replaced by GSM-7 ones (so French stays GSM-7 when its letters allow), no trailing blanks.
 */
export function smsSafe(text: string): string {
  // French guillemets carry inner (no-break) spaces: « carte » -> "carte", not " carte ".
  const quoted = stripEmoji(stripMarkup(text)).replace(/«[\s\u202F]*/g, '"').replace(/[\s\u202F]*»/g, '"');
  return toGsmSafe(quoted)
    .replace(/ {2,}/g, ' ')
    .replace(/^ +| +$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** All replies of one turn as the body of one SMS (paragraphs separated by a blank line). */
export function renderSmsBody(replies: readonly Reply[], caps: ChannelCapabilities): string {
  return replies
    .map((r) => smsSafe(renderText(r, caps)))
    .filter((t) => t !== '')
    .join('\n\n');
}

/**
 * Pages already worked out (oldest text dropped first); bounded, and keyed by content text only:
 * by the text (the same string each time, whose hash V8 keeps), then by budget, hint and choices.
 */
const PAGES = new Map<string, Map<string, readonly string[]>>();
const MAX_CACHED_PAGINATIONS = 1000;

/** An answer's full form as SMS pages carry it (markup stripped, folded to GSM-7 where it can be), by content text. */
const PAGED_TEXT = new Map<string, string>();

/** `gsmFold(stripMarkup(rest))`, remembered: the same answers are paged again and again. */
function pagedText(rest: string): string {
  let out = PAGED_TEXT.get(rest);
  if (out === undefined) {
    out = gsmFold(stripMarkup(rest));
    if (PAGED_TEXT.size >= MAX_CACHED_PAGINATIONS) PAGED_TEXT.delete(PAGED_TEXT.keys().next().value as string);
    PAGED_TEXT.set(rest, out);
  }
  return out;
}

/** Boundaries a page may end at, widest first, with the separator that joins pieces back. */
const FILL_LEVELS: ReadonlyArray<{ split: RegExp; join: string }> = [
  { split: /\n[ \t]*\n\s*/, join: '\n\n' },
  { split: /[ \t]*\n\s*/, join: '\n' },
  // After sentence punctuation, but not after a list number ("3. Santé") or a number ("art. 6.").
  { split: /(?<=[^\d\s][.!?\u061F\u2026])[ \t]+/, join: ' ' },
];

/** The text as sentences (or lines, or paragraphs), each with the separator that comes before it. */
function pieces(text: string, level = 0): Array<{ sep: string; text: string }> {
  const boundary = FILL_LEVELS[level];
  if (boundary === undefined) return [{ sep: '', text }];
  const out: Array<{ sep: string; text: string }> = [];
  for (const part of text.split(boundary.split).filter((p) => p.trim() !== '')) {
    const inner = pieces(part.trim(), level + 1);
    inner.forEach((piece, i) => out.push({ sep: out.length === 0 ? '' : i === 0 ? boundary.join : piece.sep, text: piece.text }));
  }
  return out;
}

/**
 * Cuts `text` into pages filled as far as they go: a page ends at a sentence, line or paragraph
 * boundary, so a paragraph that does not fit whole starts on the page where there is room for
 * its first sentences (a page is never only a title and a note). `fits(page, index)` says
 * whether a page fits; a sentence too long for any page goes through the one splitter (words).
 */
export function fillPages(text: string, fits: (page: string, index: number) => boolean): string[] {
  const pages: string[] = [];
  let current = '';
  const push = (): void => {
    if (current.trim() !== '') pages.push(current.trim());
    current = '';
  };
  for (const piece of pieces(text.trim())) {
    const candidate = current === '' ? piece.text : `${current}${piece.sep}${piece.text}`;
    if (fits(candidate, pages.length)) {
      current = candidate;
      continue;
    }
    push();
    if (fits(piece.text, pages.length)) {
      current = piece.text;
      continue;
    }
    const words = splitToFit(piece.text, (s) => fits(s, pages.length));
    const last = words.pop() ?? '';
    pages.push(...words);
    current = last;
  }
  push();
  return pages;
}

/**
 * Splits `text` into pages of at most `budget` segments, each leaving room for `hint` (the
 * "Reply MORE" line) and, on the last page, the numbered `choices` when they are short enough
 * to fit at all. Pages are filled as far as they go (`fillPages`). Returns `[text]` when
 * everything fits at once.
 */
export function paginate(text: string, budget: number, hint: string, choices = ''): string[] {
  // Answers come from content, so the same pages are asked for again and again: remember them.
  const key = `${budget}\u0000${hint}\u0000${choices}`;
  const known = PAGES.get(text)?.get(key);
  if (known) return [...known];
  const trimmed = text.trim();
  const withChoices = (s: string): string => (choices ? `${s}\n\n${choices}` : s);
  let pages: string[];
  if (smsSegments(withChoices(trimmed)) <= budget) pages = [trimmed];
  else {
    const reserve = choices && smsSegments(`${hint}\n\n${choices}`) < budget ? `\n\n${choices}` : '';
    pages = fillPages(trimmed, (s) => smsSegments(`${s}\n\n${hint}${reserve}`) <= budget);
  }
  let byText = PAGES.get(text);
  if (!byText) {
    if (PAGES.size >= MAX_CACHED_PAGINATIONS) PAGES.delete(PAGES.keys().next().value as string);
    byText = new Map();
    PAGES.set(text, byText);
  }
  // A text is paged under a few budgets, hints (one per language) and lists at most.
  if (byText.size < 16) byText.set(key, pages);
  return [...pages];
}

/** A reply made SMS-safe (`smsSafe`) and, when the whole SMS (text and numbered choices) can then be GSM-7, folded. */
function plainReply(reply: Reply): Reply {
  const out: Reply = { ...reply, text: smsSafe(reply.text) };
  const labels = (out.choices ?? []).map((c) => c.label);
  if (smsEncoding(gsmFold([out.text, ...labels].join('\n'))) === 'GSM-7') {
    out.text = gsmFold(out.text);
    if (out.choices) out.choices = out.choices.map((c) => ({ ...c, label: gsmFold(c.label) }));
  } else if (out.choices) out.choices = out.choices.map((c) => ({ ...c }));
  return out;
}

/** The SMS text of replies as the renderer writes them (one body, paragraphs apart). */
function bodyOf(replies: readonly Reply[], caps: ChannelCapabilities): string {
  return renderSmsBody(replies, caps);
}

/** `reply` with choices dropped from the end until `fits` holds for it, or undefined when even none fit. */
function fewerChoices(reply: Reply, fits: (candidate: Reply) => boolean): Reply | undefined {
  const candidate: Reply = { ...reply, choices: [...(reply.choices ?? [])] };
  while (!fits(candidate) && (candidate.choices?.length ?? 0) > 0) candidate.choices!.pop();
  if (candidate.choices?.length === 0) delete candidate.choices;
  return fits(candidate) ? candidate : undefined;
}

/**
 * The SMS fitter: ALL replies of a turn (urgent contacts, the privacy notice, a menu, an answer)
 * fitted into ONE message of at most the budget, since separate SMS can arrive in any order.
 * - Everything fits: sent as it is (plain, folded to GSM-7 where the letters allow).
 * - A short answer (its full form in `rest`): shows fewer choices rather than a second page
 *   (typed numbers still work: the state keeps the whole list); its full form waits behind MORE.
 * - Otherwise the urgent contacts stay whole at the top, and everything after them (notice,
 *   menu or help with its numbered list, answer) is cut into pages filled as far as they go: the
 *   first is sent now with the MORE hint, the rest kept. Kept pages end with the hint, but the last.
 * - A page kept on an earlier turn is sent as it is, with its list only when not already on it.
 */
export function createSmsFitter(caps: ChannelCapabilities, t: Translate): (replies: readonly Reply[], lang: Lang) => FittedReplies {
  const budget = Math.max(1, caps.maxLength);
  return (replies, lang) => {
    const hint = gsmFold(t(lang, 'paging.more'));
    const out = replies.map(plainReply);
    const fitsWith = (at: number, candidate: Reply): boolean => smsSegments(bodyOf(out.map((r, i) => (i === at ? candidate : r)), caps)) <= budget;
    const rest = out.find((r) => r.rest !== undefined)?.rest;
    const later = (): string[] => (rest === undefined ? [] : withHints(paginate(pagedText(rest), budget, hint), hint));
    // A page kept on an earlier turn: as it is; its list only when not on it already, and only what fits.
    const pageAt = out.findIndex((r) => r.page);
    const page = out[pageAt];
    if (page) {
      const n = page.choices?.length ?? 0;
      if (n > 0 && page.text.includes(`${n}. ${page.choices![n - 1]!.label}`)) delete page.choices;
      out[pageAt] = fewerChoices(page, (c) => fitsWith(pageAt, c)) ?? { ...page, choices: [] };
      if (out[pageAt]!.choices?.length === 0) delete out[pageAt]!.choices;
      return { replies: out, later: [] };
    }
    if (smsSegments(bodyOf(out, caps)) <= budget) return { replies: out, later: later() };
    // A short answer shows fewer choices rather than a second page.
    const listedAt = out.findLastIndex((r) => (r.choices?.length ?? 0) > 0);
    const listed = out[listedAt];
    if (listed?.rest !== undefined) {
      const fewer = fewerChoices(listed, (c) => fitsWith(listedAt, c));
      if (fewer) {
        out[listedAt] = fewer;
        return { replies: out, later: later() };
      }
    }
    // Page the whole turn after the urgent contacts, which always stay in the first message.
    let head = 0;
    while (out[head]?.kind === 'urgent') head += 1;
    const urgent = out.slice(0, head);
    const top = bodyOf(urgent, caps);
    // A short answer's list (its first choice leads to the full form) waits for the last page,
    // where the MORE dialog shows it again; its full form follows the pages of this turn.
    const flow = bodyOf(out.slice(head).map((r) => (r.rest !== undefined ? { ...r, choices: [] } : r)), caps);
    const first = (s: string): string => [top, s, hint].filter((p) => p !== '').join('\n\n');
    const pages = fillPages(flow, (s, i) => smsSegments(i === 0 ? first(s) : `${s}\n\n${hint}`) <= budget);
    const [now = '', ...kept] = pages;
    const main = out[head] ?? out[out.length - 1]!;
    const replyNow: Reply = { kind: main.kind, lang: main.lang, text: kept.length === 0 && rest === undefined ? now : `${now}\n\n${hint}` };
    const restPages = rest === undefined ? [] : paginate(pagedText(rest), budget, hint);
    return { replies: [...urgent, replyNow], later: withHints([...kept, ...restPages], hint) };
  };
}

/** Kept pages, each ending with the MORE hint but the last. */
function withHints(pages: readonly string[], hint: string): string[] {
  return pages.map((p, i) => (i < pages.length - 1 ? `${p}\n\n${hint}` : p));
}
