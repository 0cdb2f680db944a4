import type { Lang } from './lang.js';
import type { TopicId, IntentId, CategoryId } from './taxonomy.js';
import type { GeoPoint } from './message.js';

/** Editorial status of an answer. `draft` answers are never shown to users. */
export const ANSWER_STATUSES = ['published', 'needs-verification', 'draft'] as const;
export type AnswerStatus = (typeof ANSWER_STATUSES)[number];

/**
 * Longest short label of an answer (code points): the WhatsApp quick-reply button title limit,
 * which also keeps it within a list-picker item (24). Channels that show longer labels (Telegram
 * buttons, numbered lists) show the same short label.
 * https://www.twilio.com/docs/content/twilio-quick-reply
 */
export const CHOICE_LABEL_MAX = 20;

/** A source an answer rests on: a title plus a URL or a legal reference. */
export interface Source {
  title: string;
  url?: string;
  /** A legal reference such as "Law 02-03, art. 23". */
  ref?: string;
}

/** One topic in one language, as loaded from `content/topics/<topic>/<lang>.md`. */
export interface TopicAnswer {
  topic: TopicId;
  lang: Lang;
  title: string;
  /**
   * The short label of menu items, buttons and list items that lead to this answer (at most
   * `CHOICE_LABEL_MAX` characters); the title stands in when there is none.
   */
  label?: string;
  /** The short form for SMS (within its segment budget). */
  sms: string;
  /** The full form (Markdown-light: paragraphs, `- ` lists, `*bold*`). */
  body: string;
  sources: Source[];
  /**
   * ISO date (YYYY-MM-DD) when a reviewer last checked the facts against the sources, recorded by
   * the reviewer's action in the editors' app together with `reviewedBy`; '' when no reviewer has
   * checked this answer yet (then it is "not yet checked": see `src/knowledge/trust.ts`).
   */
  reviewed: string;
  /** The reviewer (editors' app user name) who checked it on `reviewed`; absent when not checked. */
  reviewedBy?: string;
  status: AnswerStatus;
  related: TopicId[];
  organisations: string[];
  /** Path relative to the project root, for messages. */
  file: string;
  /**
   * The texts as written, with their settings placeholders (`{{retention_days}}` ...), when
   * `sms` and `body` had settings written in. Editors and translators edit these, never the
   * filled-in texts (or the configured number would end up written into the file).
   */
  template?: { sms: string; body: string };
}

/** A way to reach an organisation. Only contacts given by a source are listed. */
export interface Contact {
  kind: 'phone' | 'whatsapp' | 'email' | 'web' | 'address';
  value: string;
  /** Note in English (kept for callers that show one language); `notes` has every language. */
  note?: string;
  /** The note per language ("Mon-Fri 09:00-15:00", "Protection hotline"), when there is one. */
  notes?: Record<Lang, string>;
  /** The public page the value was taken from (https://...). */
  source?: string;
  /**
   * True when the source is weak (an old page, a third-party copy, a directory): the contact is
   * shown only with the "not yet checked" mark, and not at all where a better contact serves.
   */
  weak?: boolean;
  /** ISO date a reviewer checked this contact (by calling it, or on the organisation's own site). */
  checked?: string;
  /** The reviewer who checked it. */
  checkedBy?: string;
  /** Urgency kinds this contact is the one to show for (e.g. a protection hotline for an arrest). */
  urgency?: string[];
}

/** An entry of `content/organisations.yaml`. */
export interface Organisation {
  id: string;
  /** The name in French or as the organisation writes it; `names` has every language. */
  name: string;
  /** The name per language (Arabic script for Arabic), when translated. */
  names?: Record<Lang, string>;
  /** What it does, per language. */
  description: Record<Lang, string>;
  /** City ids of `content/cities.yaml`; empty means national. */
  cities: string[];
  contacts: Contact[];
  /** Languages it works in (ISO codes, free list). */
  languages: string[];
  /** Topics it helps with (used by find-help and talk-to-person). */
  topics: TopicId[];
  /**
   * ISO date a reviewer last checked its details (recorded with `verifiedBy` by the reviewer's
   * action); '' when nobody has checked them yet.
   */
  verified: string;
  /** The reviewer who checked it. */
  verifiedBy?: string;
  /** True for emergency services (police 19, ambulance 15, child line 2511 ...). */
  emergency?: boolean;
  /**
   * True for the police and the gendarmerie: never shown for an arrest or a detention, and shown
   * with what an undocumented person risks wherever an answer mentions them.
   */
  police?: boolean;
  /** Kinds of urgency it is shown first for. */
  urgency?: string[];
}

/** A Moroccan city with its spellings, for find-help. */
export interface City {
  id: string;
  names: Record<Lang, string>;
  /** Other spellings users write: Casa, Dar Bida, Tanja, Wajda, فاس ... */
  aliases: string[];
  location: GeoPoint;
}

/** One training phrase of `intents/<lang>/<intent>.txt`. */
export interface TrainingPhrase {
  text: string;
  intent: IntentId;
  lang: Lang;
}

/** The read-only knowledge base the engine answers from. */
export interface KnowledgeBase {
  /** Answers by topic then language. A missing entry means no answer in that language. */
  answers: ReadonlyMap<TopicId, ReadonlyMap<Lang, TopicAnswer>>;
  categories: ReadonlyMap<CategoryId, readonly TopicId[]>;
  organisations: ReadonlyMap<string, Organisation>;
  cities: ReadonlyMap<string, City>;
  phrases: readonly TrainingPhrase[];
  /** A hash of everything loaded, to tell versions apart. */
  version: string;
}
