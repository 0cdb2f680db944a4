/**
 * Types of the dialog engine's API: what `handleTurn` needs and what it returns besides replies.
 */
import type {
  CaseOp,
  Partner,
  ChannelCapabilities,
  TurnOutcome,
  UrgencyKind,
  Choice,
  ConversationState,
  KnowledgeBase,
  Lang,
  Matcher,
  Translate,
  Reply,
  TurnResult,
} from '../domain/index.js';

/** Everything `handleTurn` reads besides the message and the state. */
export interface EngineDeps {
  kb: KnowledgeBase;
  matcher: Matcher;
  t: Translate;
  capabilities: ChannelCapabilities;
  /** Language used before the user's is known (no usable hint, nothing detected). */
  defaultLang: Lang;
  /** Messages longer than this are cut before matching (default 1000). */
  maxMessageChars?: number;
  /** Days the state lives after the last message, as the privacy notice says (default 30). */
  retentionDays?: number;
  /** Days an unanswered question is kept, unlinked from the user, as the privacy notice says (default 30). */
  missedRetentionDays?: number;
  /**
   * Partner organisations a case can be routed to (a snapshot: the engine reads it without I/O).
   * Absent or empty: "talk to a person" lists organisations and numbers, as before cases existed.
   */
  partners?: readonly Partner[];
  /** The reference a case opened in this turn gets (made at random by the service before the turn). */
  caseRef?: string;
  /** Days a case is kept after it closes, as the consent says (CASE_RETENTION_DAYS, default 30). */
  caseRetentionDays?: number;
}

/** A user said whether an answer helped. Carries no user id: the service logs it as is. */
export interface FeedbackEvent {
  name: 'feedback.received';
  topic: string;
  value: 'yes' | 'no';
}

/** Facts about a turn the service logs (`turn.handled`, `feedback.received`). */
export type EngineEvent = FeedbackEvent;

/** What the turn was understood as, for logs and metrics (never the text). */
export interface TurnMeta {
  /** An intent id, `cmd:<name>`, `choice`, `number`, `location`, `media`, `did-you-mean` ... */
  intent: string;
  /** The matcher's confidence when free text was matched. */
  confidence?: number;
  /** The user's language after the turn. */
  lang: Lang;
  /** The matcher's best candidates when free text was matched (for missed-question review). */
  candidates?: ReadonlyArray<{ intent: string; confidence: number }>;
  /** What the turn came to, for research aggregates. */
  outcome?: TurnOutcome;
  /** The topic answered, or the first one "did you mean" offered. */
  topic?: string;
  /** The message was urgent: the emergency contacts of this kind went first. */
  urgency?: UrgencyKind;
}

/** `handleTurn`'s result: replies and the new state (`null`: forget the user), plus events and meta. */
export interface EngineTurnResult extends TurnResult<ConversationState> {
  events: EngineEvent[];
  meta: TurnMeta;
  /** What the service does with cases once the state is saved (open, relay the message, close). */
  caseOps?: CaseOp[];
}

/**
 * What one dialog step yields: its replies and the state fields it changes. Steps are pure: the
 * turn applies `state` to its working copy before the next step runs.
 */
export interface Step {
  replies: Reply[];
  /** Fields of the conversation state this step sets (an `undefined` value clears the field). */
  state?: Partial<ConversationState>;
  /** Choices the user keeps when no reply of the turn shows any (after feedback: related topics). */
  keepChoices?: Choice[];
  /** The user asked to be forgotten: no state is kept. */
  forget?: true;
  /** This step sent a page kept behind MORE: the pages after it stay. */
  pagesKept?: true;
  /** Facts for the service to log (feedback). */
  events?: EngineEvent[];
  /** Case operations for the service (see `EngineTurnResult.caseOps`). */
  caseOps?: CaseOp[];
}
