/**
 * Honest trust marks. "Checked on <date>" means a reviewer checked the facts: the date and the
 * reviewer are written by the reviewer's action in the editors' app, never by hand. Everything
 * else is shown as "not yet checked" in the user's language, on every channel, SMS included.
 * These functions give the texts; the engine and `content:check` call them (see README, "Trust marks").
 */
import { contactNote, organisationName, type ChosenContact } from './directory.js';
import type { AnswerStatus } from './knowledge.js';
import type { Lang } from './lang.js';
import type { Translate } from './turn.js';

/** The review record of an answer, as the loader reads it. */
export interface ReviewRecord {
  status: AnswerStatus;
  /** Date of the review, '' when there was none. */
  reviewed: string;
  reviewedBy?: string;
}

/** True when a reviewer has checked the answer (a date and a reviewer's name are recorded). */
export function isReviewed(answer: ReviewRecord): boolean {
  return answer.reviewed !== '' && answer.reviewedBy !== undefined && answer.reviewedBy !== '';
}

/** `dd/mm/yyyy` for SMS. */
export function smsDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/**
 * The footer Dalil adds after an SMS short form: "Checked <date>. General information, not legal
 * advice." for a reviewed answer, else "Not yet checked. General information, not legal advice."
 * `content:check` and `content:report` count this footer in the SMS budget.
 */
export function smsFooterText(answer: ReviewRecord, lang: Lang, t: Translate): string {
  if (isReviewed(answer)) return t(lang, 'answer.smsFooter', { date: smsDate(answer.reviewed) });
  return t(lang, 'trust.smsFooterNotChecked');
}

/**
 * The trust line of a full answer: "Checked on <date>." for a reviewed answer, else the
 * "not yet checked" line (`formatDate` writes the date in the user's language).
 */
export function answerTrustLine(answer: ReviewRecord, lang: Lang, t: Translate, formatDate: (iso: string) => string = (d) => d): string {
  if (isReviewed(answer)) return t(lang, 'answer.reviewed', { date: formatDate(answer.reviewed) });
  return t(lang, 'trust.answerNotChecked');
}

/**
 * One contact as a line, in the user's language: "Name: value (note) (not yet checked)". The
 * mark is added whenever no reviewer has checked the contact; `withNote` adds the note.
 */
export function contactLine(chosen: ChosenContact, lang: Lang, t: Translate, opts: { withNote?: boolean } = {}): string {
  const name = organisationName(chosen.org, lang);
  const value = chosen.contact.value;
  const note = opts.withNote ? contactNote(chosen.contact, lang) : undefined;
  const head = name.includes(value) ? name : `${name}: ${value}`;
  const mark = chosen.unchecked ? ` (${t(lang, 'trust.notChecked')})` : '';
  return `${head}${note ? ` (${note})` : ''}${mark}`;
}
