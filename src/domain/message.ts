import type { Lang } from './lang.js';

/** The channels Dalil serves. `cli` is the terminal chat. */
export const CHANNEL_IDS = ['web', 'telegram', 'whatsapp', 'sms', 'botframework', 'cli'] as const;
export type ChannelId = (typeof CHANNEL_IDS)[number];

/** A point on the map (WGS84 degrees). */
export interface GeoPoint {
  lat: number;
  lon: number;
}

/** Non-text content a user may send; Dalil answers it with a polite "please type". */
export type MediaKind = 'voice' | 'audio' | 'image' | 'sticker' | 'video' | 'document' | 'other';

/**
 * What a channel adapter hands the engine: channel-neutral, already verified.
 * The raw platform user id never reaches the engine or the store: adapters pass it to a
 * `ConversationKeyer` and keep only the resulting key.
 */
export interface InboundMessage {
  channel: ChannelId;
  /** Free text typed by the user (may be empty when the message is a button, a location or media). */
  text?: string;
  /** The id of a choice the user pressed (Telegram callback data, WhatsApp button payload, ...). */
  choiceId?: string;
  /** A shared location pin. */
  location?: GeoPoint;
  /** Set when the user sent media instead of text. */
  media?: MediaKind;
  /** The platform's own language hint (Telegram `language_code`, browser language), if any. */
  localeHint?: string;
  /** Milliseconds since the epoch; the engine uses it instead of reading the clock. */
  receivedAt: number;
}

/** A button or a numbered option. `id` is an action understood by the engine (<= 64 bytes). */
export interface Choice {
  id: string;
  label: string;
}

/** A link shown with a reply (a source, an organisation's site). */
export interface Link {
  title: string;
  url: string;
}

/** What kind of reply this is; channels may render kinds differently (urgent first, bold ...). */
export type ReplyKind =
  | 'answer'
  | 'menu'
  | 'urgent'
  | 'notice'
  | 'did-you-mean'
  | 'out-of-scope'
  | 'language-choice'
  | 'feedback'
  | 'error';

/**
 * The small rich reply model every channel renders. `text` is plain text with paragraphs
 * separated by blank lines; `*bold*` is the only markup (channels without it strip it).
 */
export interface Reply {
  kind: ReplyKind;
  text: string;
  /** Choices are numbered 1..n in the order given, on every channel. */
  choices?: Choice[];
  links?: Link[];
  /** Language the text is written in (for direction and SMS encoding). */
  lang: Lang;
  /**
   * The content's short form of this answer (a few lines and its footer), for channels where every
   * character costs and for previews of them. Absent when the reply has no short form.
   */
  short?: string;
  /**
   * Set when `text` leads with the short form: the full answer, which the channel keeps behind
   * MORE in pages fitted to its medium.
   */
  rest?: string;
  /**
   * The choice that opens the full answer ("Full answer"), for channels or previews that lead
   * with `short`; absent when `text` already leads with it (its choices then hold it).
   */
  expand?: Choice;
  /** `text` is a page the channel fitted to its medium on an earlier turn: send it as it is. */
  page?: true;
}

/** What the engine returns for one inbound message. */
export interface TurnResult<S> {
  replies: Reply[];
  /** The new state, or `null` when the user asked to forget everything (delete all their keys). */
  state: S | null;
}
