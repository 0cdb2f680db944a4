/**
 * The facts about a turn that research aggregates may count (issue: insights). Nothing in them
 * identifies a person: no user key, no text, no time finer than a day. The conversation service
 * hands one `TurnFacts` to its `onTurn` hook at the end of each turn; the SMS channel reports the
 * segments it sent as `SmsSentFacts`.
 */
import type { Lang } from './lang.js';
import type { ChannelId } from './message.js';
import type { UrgencyKind } from './taxonomy.js';

/**
 * What a turn came to:
 * - `answered`: a topic's answer; `directory`: organisations in a city; `handoff`: people to talk to;
 * - `did-you-mean`: Dalil offered topics instead of answering; `out-of-scope`: no topic fits;
 * - `feedback`: the user said whether an answer helped; `other`: menus, language, greetings, erasure;
 * - `failed`: the turn failed (the user got an apology, or silence on SMS).
 */
export const TURN_OUTCOMES = ['answered', 'directory', 'handoff', 'did-you-mean', 'out-of-scope', 'feedback', 'other', 'failed'] as const;
export type TurnOutcome = (typeof TURN_OUTCOMES)[number];

/** Outcomes that answer a question, and those that leave it unanswered. */
export const ANSWERED_OUTCOMES: readonly TurnOutcome[] = ['answered', 'directory', 'handoff'];
export const UNANSWERED_OUTCOMES: readonly TurnOutcome[] = ['did-you-mean', 'out-of-scope', 'failed'];

/** The aggregate-safe facts of one turn. */
export interface TurnFacts {
  /** UTC day of the message, `YYYY-MM-DD`: never a finer time. */
  day: string;
  channel: ChannelId;
  lang: Lang;
  outcome: TurnOutcome;
  /** The topic answered, or the first one offered by "did you mean". */
  topic?: string;
  /** Answered with a confidence below the missed-question threshold. */
  unsure?: true;
  urgency?: UrgencyKind;
  /** City id of the knowledge base, when the conversation named or located one. */
  city?: string;
  /** "Was this helpful?" answered for a topic. */
  feedback?: { topic: string; value: 'yes' | 'no' };
  /** How long the turn took inside Dalil (milliseconds). */
  latencyMs: number;
}

/** SMS segments one turn's replies cost, as the SMS channel sent them. */
export interface SmsSentFacts {
  day: string;
  lang: Lang;
  segments: number;
}

/** The UTC day of a time in milliseconds, `YYYY-MM-DD`. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
