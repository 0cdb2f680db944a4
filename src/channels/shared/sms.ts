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
import { numberedChoices, renderText, stripEmoji, stripMarkup } from './render.js';
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

/** Pages already worked out (oldest dropped first); bounded, and keyed by content text only. */
const PAGES = new Map<string, readonly string[]>();
const MAX_CACHED_PAGINATIONS = 1000;

/**
 * Splits `text` into pages of at most `budget` segments, each leaving room for `hint` (the
 * "Reply MORE" line) and, when they are short enough to fit at all, the numbered `choices`.
 * Cuts with the one splitter (paragraphs, then lines, sentences, words). Returns `[text]` when
 * everything fits at once.
 */
export function paginate(text: string, budget: number, hint: string, choices = ''): string[] {
  // Answers come from content, so the same pages are asked for again and again: remember them.
  const key = `${budget}\u0000${hint}\u0000${choices}\u0000${text}`;
  const known = PAGES.get(key);
  if (known) return [...known];
  const trimmed = text.trim();
  const withChoices = (s: string): string => (choices ? `${s}\n\n${choices}` : s);
  let pages: string[];
  if (smsSegments(withChoices(trimmed)) <= budget) pages = [trimmed];
  else {
    const reserve = choices && smsSegments(`${hint}\n\n${choices}`) < budget ? `\n\n${choices}` : '';
    pages = splitToFit(trimmed, (s) => smsSegments(`${s}\n\n${hint}${reserve}`) <= budget);
  }
  if (PAGES.size >= MAX_CACHED_PAGINATIONS) PAGES.delete(PAGES.keys().next().value as string);
  PAGES.set(key, pages);
  return [...pages];
}

/** A reply made plain and, when the whole SMS (text and numbered choices) can then be GSM-7, folded. */
function plainReply(reply: Reply): Reply {
  const out: Reply = { ...reply, text: stripMarkup(reply.text) };
  const labels = (out.choices ?? []).map((c) => c.label);
  if (smsEncoding(gsmFold([out.text, ...labels].join('\n'))) === 'GSM-7') {
    out.text = gsmFold(out.text);
    if (out.choices) out.choices = out.choices.map((c) => ({ ...c, label: gsmFold(c.label) }));
  } else if (out.choices) out.choices = out.choices.map((c) => ({ ...c }));
  return out;
}

/**
 * The SMS fitter: every reply plain and folded; an answer longer than the budget cut into pages
 * (the first sent now with the MORE hint, the rest kept); a short answer keeps its full form
 * behind MORE and shows fewer choices rather than a second page (typed numbers still work: the
 * state keeps the whole list). Kept pages end with the hint, but the last.
 */
export function createSmsFitter(caps: ChannelCapabilities, t: Translate): (replies: readonly Reply[], lang: Lang) => FittedReplies {
  const budget = Math.max(1, caps.maxLength);
  return (replies, lang) => {
    const hint = gsmFold(t(lang, 'paging.more'));
    const pending: string[] = [];
    const out = replies.map(plainReply);
    for (const reply of out) {
      if (reply.page || reply.kind !== 'answer' || pending.length > 0) continue;
      const numbered = (): string => numberedChoices(reply.choices);
      if (reply.rest !== undefined) {
        while (reply.choices && reply.choices.length > 0 && smsSegments(`${reply.text}\n\n${numbered()}`) > budget) reply.choices.pop();
        if (reply.choices?.length === 0) delete reply.choices;
        continue;
      }
      const pages = paginate(reply.text, budget, hint, numbered());
      if (pages.length > 1) {
        reply.text = `${pages[0]}\n\n${hint}`;
        delete reply.choices;
        pending.push(...pages.slice(1));
      }
    }
    const rest = out.find((r) => r.rest !== undefined)?.rest;
    if (pending.length === 0 && rest !== undefined) pending.push(...paginate(gsmFold(stripMarkup(rest)), budget, hint));
    const later = pending.map((p, i) => (i < pending.length - 1 ? `${p}\n\n${hint}` : p));
    return { replies: out, later };
  };
}
