import type { Lang } from './lang.js';
import type { InboundMessage, Reply } from './message.js';
import type { ChannelCapabilities } from './channel.js';

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
   * Optional paging for channels that pay per segment (SMS): splits the rendered replies into
   * what is sent now and pages kept in the conversation state until the user asks for MORE.
   * Each page is final rendered text for the channel.
   */
  paginate?: (replies: Reply[]) => { now: Reply[]; later: string[] };
}

/** What processing a message yields for the adapter to render and send. */
export interface TurnResponse {
  replies: Reply[];
  /** True when this delivery was already handled: send nothing. */
  duplicate: boolean;
  /** The user's language after the turn (for adapter-level strings such as "please type"). */
  lang: Lang;
}

/**
 * The one function channel adapters call. Implemented by the engine's conversation service;
 * adapters receive it from `main.ts`, so they never import the engine.
 */
export type TurnHandler = (request: TurnRequest) => Promise<TurnResponse>;
