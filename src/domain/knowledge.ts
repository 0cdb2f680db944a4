import type { Lang } from './lang.js';
import type { TopicId, IntentId, CategoryId } from './taxonomy.js';
import type { GeoPoint } from './message.js';

/** Editorial status of an answer. `draft` answers are never shown to users. */
export const ANSWER_STATUSES = ['published', 'needs-verification', 'draft'] as const;
export type AnswerStatus = (typeof ANSWER_STATUSES)[number];

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
  /** The short form for SMS (within its segment budget). */
  sms: string;
  /** The full form (Markdown-light: paragraphs, `- ` lists, `*bold*`). */
  body: string;
  sources: Source[];
  /** ISO date (YYYY-MM-DD) when a person last checked the facts. */
  reviewed: string;
  status: AnswerStatus;
  related: TopicId[];
  organisations: string[];
  /** Path relative to the project root, for messages. */
  file: string;
}

/** A way to reach an organisation. Only contacts given by a source are listed. */
export interface Contact {
  kind: 'phone' | 'whatsapp' | 'email' | 'web' | 'address';
  value: string;
  /** Free-text note ("Mon-Fri 09:00-15:00"), optional. */
  note?: string;
}

/** An entry of `content/organisations.yaml`. */
export interface Organisation {
  id: string;
  name: string;
  /** What it does, per language. */
  description: Record<Lang, string>;
  /** City ids of `content/cities.yaml`; empty means national. */
  cities: string[];
  contacts: Contact[];
  /** Languages it works in (ISO codes, free list). */
  languages: string[];
  /** Topics it helps with (used by find-help and talk-to-person). */
  topics: TopicId[];
  /** ISO date its details were last verified. */
  verified: string;
  /** True for emergency services (police 19, ambulance 15, child line 2511 ...). */
  emergency?: boolean;
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
