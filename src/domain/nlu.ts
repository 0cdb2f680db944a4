import type { Lang } from './lang.js';
import type { IntentId, UrgencyKind } from './taxonomy.js';

/** A language guess with its confidence in [0, 1]. */
export interface LanguageGuess {
  lang: Lang;
  confidence: number;
}

/** One ranked candidate. Confidences are calibrated probabilities in [0, 1]. */
export interface ScoredIntent {
  intent: IntentId;
  confidence: number;
}

/** What the matcher says about one message. */
export interface MatchResult {
  /** Best guess of the message's language. */
  language: LanguageGuess;
  /** Candidates, best first (never includes `out-of-scope`). */
  ranked: ScoredIntent[];
  /**
   * The decision: the best intent, or `out-of-scope` when Dalil should not answer with one.
   */
  intent: IntentId;
  confidence: number;
  /** True when the top candidates are too close to pick one: the engine asks "did you mean". */
  ambiguous: boolean;
  /** Set when the message speaks of an emergency (arrest, violence, trafficking, child alone, medical). */
  urgency?: UrgencyKind;
  /**
   * Set when the message may ask to erase what the user wrote but the matcher is not sure: the
   * engine asks before erasing (whatever `intent` says).
   */
  forget?: 'confirm';
  /** Why an out-of-scope message is out of scope, when a short specific answer fits: a request for a crime, or another country's visas or asylum. */
  refusal?: 'crime' | 'other-country';
  /** A city id of the knowledge base named in the message, if any. */
  city?: string;
}

/** The question matcher the engine uses. Pure: no I/O after construction. */
export interface Matcher {
  match(text: string, hint?: Lang): MatchResult;
  /** Language identification alone (first contact, language switches). */
  detectLanguage(text: string): LanguageGuess;
}
