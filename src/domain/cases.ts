/**
 * A person behind Dalil: the contract between the engine (which asks consent and runs the
 * intake), the conversation service (which opens cases and relays the user's messages), the case
 * desk (which keeps cases encrypted, routes them to a partner organisation and delivers the case
 * worker's replies) and the editors' app (the case workers' inbox).
 *
 * Nothing here holds a raw phone number or chat id in the clear: a case names its user by the
 * conversation key (the keyed hash), and the way back to the user (`CaseAddress`) is kept only
 * encrypted, by the desk, while the case lives.
 */
import type { Lang } from './lang.js';
import type { ChannelId } from './message.js';
import type { ConversationKey } from './key.js';
import type { UrgencyKind } from './taxonomy.js';

/** Days of the week as `Date#getUTCDay` numbers them (0 = Sunday), in the partner's time zone. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** Opening hours: for each weekday, `HH:MM-HH:MM` ranges in local time; a day absent is closed. */
export interface OpeningHours {
  /** IANA time zone (default `Africa/Casablanca`). */
  tz: string;
  days: Partial<Record<Weekday, Array<[string, string]>>>;
}

/**
 * A partner organisation that takes cases: the home of its case workers' accounts. Linked to an
 * entry of `content/organisations.yaml` (`orgId`), whose name the user is told before consenting.
 */
export interface Partner {
  /** Account id: 2-40 lowercase letters, digits and dashes. */
  id: string;
  /** Id of the organisation in `content/organisations.yaml`. */
  orgId: string;
  /** Topic ids it takes; empty: every topic. */
  topics: string[];
  /** City ids it serves; empty: the whole country. */
  cities: string[];
  /** Languages its case workers read and write. */
  langs: Lang[];
  hours: OpeningHours;
  /** Cases are routed to it only while active. */
  active: boolean;
}

/** Where a case is routed, as the engine tells the user before consent. */
export interface Routing {
  partner: Partner;
  /** True when the partner is open at the time of the message. */
  open: boolean;
  /** When closed: the next opening, milliseconds since the epoch. */
  nextOpen?: number;
}

/** The intake's answers; every field may be skipped. */
export interface Intake {
  /** What it is about: a topic id (pre-filled from the conversation's topic). */
  topic?: string;
  /** A city id (from the conversation, a pin or typed). */
  city?: string;
  /** The user says it is safe to contact them on this channel. */
  safeToContact?: boolean;
  /** The user wants a call back: only then is the phone number shared with the organisation. */
  callback?: boolean;
}

/** The referral in progress, kept in the conversation state (no text, no number). */
export interface ReferralState {
  step: 'consent' | 'topic' | 'city' | 'safe' | 'callback';
  partnerId: string;
  intake: Intake;
  urgency?: UrgencyKind;
}

/** An open case, as the conversation state knows it. */
export interface OpenCaseState {
  ref: string;
  partnerId: string;
  /** True while what the user writes goes to the case worker; MENU sets it false (the case stays open). */
  relay: boolean;
  /** The user was told once that their messages reach the case worker (carrier channels acknowledge only the first). */
  acked?: true;
}

/**
 * What a turn asks the conversation service to do with cases, after the state is saved. The
 * engine stays pure: it names the operation, the service does the I/O.
 */
export type CaseOp =
  | { op: 'open'; ref: string; partnerId: string; lang: Lang; intake: Intake; urgency?: UrgencyKind }
  /** The user's message of this turn goes to the case (the service takes the text from the message). */
  | { op: 'relay'; ref: string }
  /** The user ended the case ("stop" in the case). */
  | { op: 'close-by-user'; ref: string };

/** How a case is closed. */
export const CASE_OUTCOMES = ['informed', 'referred', 'accompanied', 'no-answer', 'other', 'user-ended', 'forgotten'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

/** The way back to a user, kept only encrypted by the desk. */
export interface CaseAddress {
  channel: ChannelId;
  /** The platform's user id: Telegram chat id, `whatsapp:+212...` / `+212...`, web client id. */
  userId: string;
  /** Bot Framework: the conversation reference to continue (JSON-serialisable). */
  reference?: unknown;
}

export type CaseStatus = 'new' | 'claimed' | 'closed';

/** One message of a case, decrypted for a case worker. */
export interface CaseMessage {
  id: string;
  from: 'user' | 'worker' | 'system';
  text: string;
  at: number;
  /** Case worker's username for `worker` messages. */
  by?: string;
  /** Delivery to the user of a worker message. */
  delivery?: { state: 'sent' | 'queued' | 'failed'; reason?: string; via?: 'text' | 'template' | 'inbox' };
}

/** A case as the inbox lists it (no message text). */
export interface CaseSummary {
  ref: string;
  partnerId: string;
  status: CaseStatus;
  channel: ChannelId;
  lang: Lang;
  topic?: string;
  city?: string;
  urgency?: UrgencyKind;
  safeToContact?: boolean;
  callback?: boolean;
  claimedBy?: string;
  openedAt: number;
  /** The user's last message not yet answered by a worker, for the waiting time and SLA colour. */
  waitingSince?: number;
  lastUserAt?: number;
  closedAt?: number;
  outcome?: CaseOutcome;
}

/** A live change for inboxes (every instance sharing the store sees it). */
export interface CaseEvent {
  ref: string;
  partnerId: string;
  kind: 'opened' | 'message' | 'claimed' | 'transferred' | 'closed' | 'delivery';
}

/** What the conversation service needs of the case desk. */
export interface CaseIntake {
  /** Opens a case; `address` is encrypted at rest; the phone number is shared only when `intake.callback`. */
  open(input: { ref: string; key: ConversationKey; partnerId: string; lang: Lang; intake: Intake; urgency?: UrgencyKind; address: CaseAddress; at: number }): Promise<void>;
  /** A message the user wrote into the case. */
  fromUser(input: { ref: string; key: ConversationKey; text: string; at: number }): Promise<void>;
  /** The user ended the case. */
  closeByUser(input: { ref: string; key: ConversationKey; at: number }): Promise<void>;
  /** "Delete my data": closes the user's cases and erases their messages and contact details. */
  forgetUser(key: ConversationKey): Promise<void>;
  /** The partners cases can be routed to now (a snapshot the engine reads; refreshed on change). */
  partners(): readonly Partner[];
}

/** Result of delivering a case worker's reply to a user. */
export type ReachResult =
  | { ok: true; via: 'text' | 'template' | 'inbox' }
  | { ok: false; reason: 'window-closed' | 'blocked' | 'failed' | 'no-channel' | 'over-budget' | 'stopped' };

/**
 * A channel's way to send a case worker's message to a user outside a turn: Telegram
 * sendMessage, Twilio REST (SMS, WhatsApp with its 24-hour rule), a Bot Framework proactive
 * message, or the web chat's inbox that the page polls. `lastUserAt` is when the user last wrote.
 */
export interface CaseReacher {
  readonly channel: ChannelId;
  reach(address: CaseAddress, text: string, lang: Lang, lastUserAt: number | undefined): Promise<ReachResult>;
}

/** Who reads or acts on a case in the inbox: a case worker of one partner, or an admin of the Centre (`partnerId` absent). */
export interface CaseActor {
  username: string;
  /** The partner the case worker belongs to; absent for an admin of the Centre, who sees every case. */
  partnerId?: string;
}

/** One line of the audit log: every read of a case by a person, and every action on it. */
export interface AuditEntry {
  at: number;
  username: string;
  ref: string;
  action: 'read' | 'claim' | 'reply' | 'transfer' | 'close' | 'export';
  /** For a transfer: the partner it went to. */
  detail?: string;
}

/**
 * What the case workers' inbox needs of the case desk. A case of another partner is reported as
 * not found (`undefined` / `false`), never as forbidden, so its existence is not given away.
 */
export interface CaseDesk extends CaseIntake {
  list(actor: CaseActor, filter?: { status?: CaseStatus | 'open' }): Promise<CaseSummary[]>;
  /** The case with its messages; writes a `read` audit entry. */
  read(actor: CaseActor, ref: string): Promise<{ summary: CaseSummary; messages: CaseMessage[]; callbackNumber?: string } | undefined>;
  claim(actor: CaseActor, ref: string): Promise<boolean>;
  /** Sends a worker's reply through the user's channel; the message records whether it reached them. */
  reply(actor: CaseActor, ref: string, text: string): Promise<CaseMessage | undefined>;
  /** Moves the case to another partner with a reason; the user is told. */
  transfer(actor: CaseActor, ref: string, toPartnerId: string, reason: string): Promise<boolean>;
  close(actor: CaseActor, ref: string, outcome: CaseOutcome): Promise<boolean>;
  audit(filter?: { ref?: string; limit?: number }): Promise<AuditEntry[]>;
  /** Live changes from every instance; returns the unsubscribe function. */
  subscribe(listener: (event: CaseEvent) => void): () => void;
  /** The web chat's replies waiting for a user (taken: each is returned once). */
  takeWebReplies(key: ConversationKey): Promise<Array<{ id: string; text: string; at: number }>>;
  /** Deletes cases closed more than the retention period ago; resolves how many. */
  sweep(now: number): Promise<number>;
}

/**
 * The partner organisations that take cases, as the admin set them (kept by the editors' app in
 * its store, shared by every instance). `list()` is a snapshot in memory: the engine reads it
 * during a turn without I/O; the registry refreshes it when an admin changes a partner.
 */
export interface PartnerRegistry {
  list(): readonly Partner[];
  get(id: string): Partner | undefined;
}
