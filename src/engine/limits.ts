/**
 * Limits the conversation service enforces around the engine: what an inbound message may carry
 * into matching, how many choices a reply may show, and which messages are always served even
 * when a user is over the rate limit or the SMS cap (forget-me, and the carrier's STOP / START).
 */
import type { InboundMessage, Reply } from '../domain/index.js';
import { parseCommand, parseOptOut } from './commands.js';
import { truncate } from './text.js';

/** Most choices one reply may show (Telegram's and the web's button limit). */
export const MAX_CHOICES = 12;
/** Longest choice id kept (ids the engine makes are at most 64 bytes; longer ones are stale anyway). */
export const MAX_CHOICE_ID_CHARS = 128;
/** Longest platform locale hint kept ("fr-FR", "es-419": BCP 47 tags of interest are short). */
export const MAX_LOCALE_HINT_CHARS = 35;
/** Length of the rate-limit window. */
export const RATE_WINDOW_SECONDS = 60;
/** Length of the SMS-cap window. */
export const SMS_CAP_WINDOW_SECONDS = 86_400;

/** Per-user limits of the conversation service (0 or absent: no limit). */
export interface TurnLimits {
  /** Messages a user may send in a minute; the next gets one notice, later ones silence until the minute ends. */
  ratePerMinute?: number;
  /** SMS replies a user may get in a day; the next turn gets one notice, later ones silence until the day ends. */
  smsDailyCap?: number;
  /** SMS segments every user together may be sent in an hour (all instances); past it, silence until the hour ends. */
  smsSegmentsPerHour?: number;
  /** SMS segments every user together may be sent in a day (UTC; all instances). */
  smsSegmentsPerDay?: number;
  /** Web chat turns this instance serves in a minute, all users together (the web's user ids are the client's choice). */
  webTurnsPerMinute?: number;
}

/** Share of a global SMS budget at which an alert is logged. */
export const SMS_BUDGET_ALERT_SHARE = 0.8;

/**
 * The message as the engine may see it: text cut to `maxChars` (never rejected: a long story
 * with one question inside still gets matched on its beginning), choice id and locale hint bounded.
 */
export function boundMessage(message: InboundMessage, maxChars: number): InboundMessage {
  const out: InboundMessage = { ...message };
  if (out.text !== undefined && out.text.length > maxChars) out.text = truncate(out.text, maxChars);
  if (out.choiceId !== undefined && out.choiceId.length > MAX_CHOICE_ID_CHARS) out.choiceId = truncate(out.choiceId, MAX_CHOICE_ID_CHARS);
  if (out.localeHint !== undefined && out.localeHint.length > MAX_LOCALE_HINT_CHARS) out.localeHint = out.localeHint.slice(0, MAX_LOCALE_HINT_CHARS);
  return out;
}

/** Whether a message is the forget-me command: its keyword in any language (DELETE, SUPPRIMER, امسح, /delete ...) or its button. */
export function isForgetMe(message: InboundMessage): boolean {
  if (message.choiceId === 'cmd:delete') return true;
  const text = message.text?.trim();
  return text !== undefined && text !== '' && text.length <= 40 && parseCommand(text) === 'delete';
}

/**
 * Messages served whatever the limits: forget-me (DELETE, SUPPRIMER, امسح, /delete ... or its
 * button) so that a user can always erase their data, and on carrier channels (`carrier`) the
 * keywords STOP and START, whose effect the law and the carriers require.
 */
export function alwaysServed(message: InboundMessage, carrier: boolean): boolean {
  if (isForgetMe(message)) return true;
  const text = message.text?.trim();
  if (!carrier || !text || text.length > 40) return false;
  return parseOptOut(text) !== undefined;
}

/** The replies with at most `MAX_CHOICES` choices each; `capped` counts the replies that were cut. */
export function capChoices(replies: readonly Reply[]): { replies: Reply[]; capped: number } {
  let capped = 0;
  const out = replies.map((r) => {
    if (!r.choices || r.choices.length <= MAX_CHOICES) return r;
    capped += 1;
    return { ...r, choices: r.choices.slice(0, MAX_CHOICES) };
  });
  return { replies: out, capped };
}
