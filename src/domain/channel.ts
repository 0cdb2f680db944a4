import type { Lang } from './lang.js';
import type { ChannelId, Reply } from './message.js';

/**
 * What a channel can show and which rules bind it, declared as data. The README renders these as
 * a table. The engine reads only the medium-neutral fields (buttons, location, feedback, compact,
 * carrier, rateLimited); how replies are cut to `maxLength` is the channel adapter's job.
 */
export interface ChannelCapabilities {
  channel: ChannelId;
  /** Maximum length of one outgoing message, in `lengthUnit`. */
  maxLength: number;
  /** `segments` for SMS (GSM-7 153 / UCS-2 67 characters each), `chars` otherwise. */
  lengthUnit: 'chars' | 'segments';
  /** How choices are shown. */
  buttons: 'inline' | 'numbered' | 'none';
  /** Maximum number of buttons when `buttons` is `inline`. */
  maxButtons?: number;
  /** Whether bold/italic markup renders. */
  markup: 'html' | 'whatsapp' | 'markdown' | 'none';
  media: boolean;
  location: boolean;
  emoji: boolean;
  /** Whether asking "was this useful" is cheap enough to do after each answer. */
  cheapFeedback: boolean;
  /**
   * Every character costs the user or the service: answers lead with their short form (the rest
   * behind MORE), dates are numeric, a directory entry takes one line.
   */
  compact: boolean;
  /**
   * A carrier's rules apply: its STOP and START keywords, silence after STOP until START, a daily
   * cap of replies, and silence when a turn fails (the conversation's STOP may be unknown then).
   */
  carrier: boolean;
  /** Whether the per-user rate limit applies (every channel but the local terminal chat). */
  rateLimited: boolean;
}

/** A turn's replies fitted to a medium: what is sent now, and final pages kept for MORE. */
export interface FittedReplies {
  replies: Reply[];
  /** Pages, each already fitted and ending with its MORE hint but the last; empty when all fits. */
  later: string[];
}

/** Fits the replies of one turn, in the user's language `lang`, to a channel's medium (segments, pages behind MORE). Pure. */
export type ReplyFitter = (replies: readonly Reply[], lang: Lang) => FittedReplies;

/**
 * One channel as the rest of Dalil sees it: its id, what it can show, where it is mounted and,
 * when its medium needs it, how it fits replies. The SDK-specific parts (parse, render, send)
 * stay inside the channel's folder and meet in the shared delivery pipeline.
 */
export interface ChannelAdapter<Router = unknown> {
  readonly id: ChannelId;
  readonly capabilities: ChannelCapabilities;
  /** The HTTP mount: a name for logs and /healthz, a path, and a router (express's, for every channel today). */
  readonly mount: { name: string; path: string; router: Router };
  /** Absent: replies are sent as the engine wrote them (split only by the renderer). */
  readonly fit?: ReplyFitter;
}
