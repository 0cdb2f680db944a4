import type { Lang } from './lang.js';
import type { Choice } from './message.js';
import type { OpenCaseState, ReferralState } from './cases.js';

/**
 * What the engine may wait for: the language, feedback on an answer, the confirmation of an
 * erasure, or the confirmation that the user ends their case.
 */
export const AWAITING = ['language', 'feedback', 'forget-confirm', 'case-close'] as const;
export type Awaiting = (typeof AWAITING)[number];

/** Current schema version of `ConversationState`; stores migrate older versions on read. */
export const STATE_VERSION = 1;

/**
 * Everything a later message depends on. It lives in the store, never in process memory,
 * so any instance can serve the next message. It holds no phone number, chat id or message text.
 */
export interface ConversationState {
  v: number;
  /** Language the user reads; undefined until known. */
  lang?: Lang;
  /** True once the user chose the language or it was detected with confidence. */
  langConfirmed: boolean;
  /** Position in the menu tree: [] is home, ['papers'] is a category. */
  menuPath: string[];
  /** The numbered choices last shown, so that "2" maps back to an action. */
  choices: Choice[];
  /** What the engine is waiting for, if anything. */
  awaiting?: Awaiting;
  /** Topic of the last answer (for "related", feedback and talk-to-person). */
  lastTopic?: string;
  /** City the user named or located, for find-help (a city id, never coordinates). */
  city?: string;
  /** Pages of a long reply not yet sent (SMS "MORE"). */
  pendingPages?: string[];
  /** The user sent STOP on a carrier channel: nothing is sent until START. */
  stopped?: boolean;
  /** A referral to a person in progress (consent, then the intake). */
  referral?: ReferralState;
  /** The user's open case: what they write goes to its case worker while `relay` is true. */
  case?: OpenCaseState;
  /** Whether the privacy notice has been shown. */
  noticeShown: boolean;
  turns: number;
  createdAt: number;
  updatedAt: number;
}

/** A fresh state for a user never seen (or forgotten). */
export function newState(now: number): ConversationState {
  return {
    v: STATE_VERSION,
    langConfirmed: false,
    menuPath: [],
    choices: [],
    noticeShown: false,
    turns: 0,
    createdAt: now,
    updatedAt: now,
  };
}
