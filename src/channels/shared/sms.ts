/**
 * SMS rendering and paging: plain GSM-7-safe text within a segment budget, the rest kept as
 * pages in the conversation state until the user replies MORE (PLUS, المزيد, MAS).
 */
import { smsSegments, toGsmSafe, type ChannelCapabilities, type Reply } from '../../domain/index.js';
import { renderText, stripEmoji, stripMarkup } from './render.js';
import { splitToFit } from './split.js';
import { ADAPTER_STRINGS } from './strings.js';

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

/** The result of paging: what is sent now, and final rendered pages for later MOREs. */
export interface SmsPages {
  now: Reply[];
  later: string[];
}

/**
 * Builds the `TurnRequest.paginate` function of the SMS channel. When the turn's replies fit in
 * `caps.maxLength` segments they are sent as they are; otherwise the text is cut at paragraph
 * boundaries into pages of at most that many segments, each but the last ending with the MORE
 * hint in the reply's language; the first page is sent now, the others are returned as `later`.
 */
export function createSmsPaginator(caps: ChannelCapabilities): (replies: Reply[]) => SmsPages {
  const budget = caps.maxLength;
  return (replies) => {
    const first = replies[0];
    if (first === undefined) return { now: [], later: [] };
    const body = renderSmsBody(replies, caps);
    if (smsSegments(body) <= budget) return { now: replies, later: [] };
    const hint = smsSafe(ADAPTER_STRINGS[first.lang].moreHint);
    const withHint = (page: string): string => `${page}\n${hint}`;
    const pages = splitToFit(body, (page) => smsSegments(withHint(page)) <= budget);
    const texts = pages.map((page, i) => (i < pages.length - 1 ? withHint(page) : page));
    const [head = '', ...rest] = texts;
    return { now: [{ kind: first.kind, lang: first.lang, text: head }], later: rest };
  };
}
