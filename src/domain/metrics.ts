/**
 * Facts the parts of Dalil hand to the operator's metrics (`/metrics`), besides the conversation
 * service's `TurnFacts` (insights.ts): small, fixed vocabularies only. No fact carries a user id, a phone number, a conversation key or a word of a message, so
 * no metric label can.
 */
import type { Lang } from './lang.js';

/** How the sends of one turn went, as the delivery pipeline saw them. */
export interface DeliveryFact {
  channel: string;
  /** The turn's language (for SMS cost per language on the Insights page). */
  lang: Lang;
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
