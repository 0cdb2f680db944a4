import type { Lang } from './lang.js';
import type { InboundMessage, Reply } from './message.js';
import type { ChannelCapabilities, ReplyFitter } from './channel.js';

/** Looks up an interface string of `locales/` (i18next); engine code receives it as a dependency. */
export type Translate = (lang: Lang, key: string, options?: Record<string, unknown>) => string;

/** One inbound message as a channel adapter hands it over for processing. */
export interface TurnRequest {
  /** Raw platform user id: hashed into a key at once, never stored or logged. */
  userId: string;
  /** Platform delivery id (MessageSid, update_id, activity id, client id) for idempotency. */
  deliveryId?: string;
  message: InboundMessage;
  capabilities: ChannelCapabilities;
  /**
   * The channel's fitter, for media that page long replies (SMS): run inside the turn's state
   * transaction, so the pages it keeps behind MORE are saved with the turn.
   */
  fit?: ReplyFitter;
  /**
   * How to reach the user again outside a turn, when the user id is not enough (Bot Framework:
   * the conversation reference). Kept only encrypted, by the case desk, while a case lives.
   */
  address?: unknown;
}

/** What processing a message yields for the adapter to render and send. */
export interface TurnResponse {
  replies: Reply[];
  /** True when this delivery was already handled: send nothing. */
  duplicate: boolean;
  /** The user's language after the turn (for adapter-level strings such as "please type"). */
  lang: Lang;
  /** The user has a case open with a partner organisation (the web page then polls for its replies). */
  caseOpen?: boolean;
}

/**
 * The one function channel adapters call. Implemented by the engine's conversation service;
 * adapters receive it from `main.ts`, so they never import the engine. It never rejects: a
 * failure inside becomes a short apology in the user's language (none on carrier channels).
 */
export type TurnHandler = (request: TurnRequest) => Promise<TurnResponse>;
