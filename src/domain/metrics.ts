/**
 * Facts the parts of Dalil hand to the operator's metrics (`/metrics`): small, fixed vocabularies
 * only. No fact carries a user id, a phone number, a conversation key or a word of a message, so
 * no metric label can.
 */
import type { Lang } from './lang.js';

/** How a turn ended, as operators count it. */
export type TurnOutcome =
  | 'answered'
  | 'did-you-mean'
  | 'out-of-scope'
  | 'urgent'
  | 'handoff'
  | 'menu'
  | 'forgotten'
  | 'rate-limited'
  | 'duplicate'
  | 'failed';

export const TURN_OUTCOMES: readonly TurnOutcome[] = [
  'answered',
  'did-you-mean',
  'out-of-scope',
  'urgent',
  'handoff',
  'menu',
  'forgotten',
  'rate-limited',
  'duplicate',
  'failed',
];

/** One turn, as the conversation service saw it. */
export interface TurnFact {
  /** Channel id (`web`, `telegram`, `whatsapp`, `sms`, `botframework`, `cli`). */
  channel: string;
  lang: Lang;
  outcome: TurnOutcome;
  /** Time inside the service, store round trips included. */
  ms: number;
}

/** How the sends of one turn went, as the delivery pipeline saw them. */
export interface DeliveryFact {
  channel: string;
  /** Messages that went out. */
  sent: number;
  /** Why the rest did not (`retryable` after the retries, `user-blocked`, `fatal`). */
  failure?: 'retryable' | 'user-blocked' | 'fatal';
  /** SMS segments of what went out (carrier channels; 0 elsewhere). */
  smsSegments: number;
}

/** One Redis call of the conversation store: how long it took and whether it worked. */
export interface StoreCallFact {
  ms: number;
  ok: boolean;
}
