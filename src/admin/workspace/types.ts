/**
 * The workspace's records and its API: drafts, published versions, source marks of translations.
 */
import type { ContentIssue, KnowledgeBase, Logger } from '../../domain/index.js';
import type { LoadKnowledgeOptions } from '../../knowledge/index.js';
import type { AdminStore } from '../store/port.js';

/** An unpublished change to one file. */
export interface Draft {
  key: string;
  /** The whole new file text. */
  text: string;
  /** Hash of the published text the draft started from ('' when there was no file). */
  base: string;
  author: string;
  updatedAt: string;
  origin: 'editor' | 'import' | 'missed';
  note?: string;
}

/** One file changed by a version. `null` means the file did not exist. */
export interface HistoryChange {
  key: string;
  before: string | null;
  after: string | null;
}

/** One published version. */
export interface HistoryEntry {
  seq: number;
  at: string;
  user: string;
  action: 'publish' | 'rollback';
  note?: string;
  /** For a rollback: the version undone. */
  rollbackOf?: number;
  changes: HistoryChange[];
}

/** The French answer a translation was last published against (to tell stale translations). */
export interface SourceMark {
  /** `<topic>:<lang>` of the translation. */
  id: string;
  frHash: string;
  frReviewed: string;
}

/** What a publish or rollback gives. */
export type PublishResult =
  | { ok: true; entry: HistoryEntry }
  | { ok: false; reason: 'invalid'; issues: ContentIssue[] }
  | { ok: false; reason: 'nothing' };

/** An override shared through Redis: the text of a file, or `null` for a deleted file. */
export interface OverrideRecord {
  key: string;
  text: string | null;
}

/** Options of `createWorkspace`. */
export interface WorkspaceOptions {
  store: AdminStore;
  /** Where content lives and how it is checked (as `buildCore` loads it). */
  knowledge: LoadKnowledgeOptions;
  /** The knowledge base the server started with. */
  kb: KnowledgeBase;
  /** Called with the new knowledge base after each publish (here or on another instance). */
  onPublished: (kb: KnowledgeBase) => void | Promise<void>;
  logger: Logger;
  now?: () => Date;
  /** With a shared store: how often to check for a missed announcement (default 30 s; 0: never). */
  pollSeconds?: number;
}

/** The workspace API the admin routes use. */
export interface Workspace {
  kb(): KnowledgeBase;
  /** Content version: the number of the last version published (0 before any). */
  version(): number;
  start(): Promise<void>;
  /** The published text of a file (`undefined` when there is none). */
  published(key: string): Promise<string | undefined>;
  draft(key: string): Promise<Draft | undefined>;
  drafts(): Promise<Draft[]>;
  saveDraft(key: string, text: string, author: string, origin: Draft['origin'], note?: string): Promise<Draft>;
  discardDraft(key: string): Promise<void>;
  /** The issues `content:check` would report on this one file (plus phrase collisions). */
  check(key: string, text: string): ContentIssue[];
  publish(keys: readonly string[], user: string, note?: string): Promise<PublishResult>;
  rollback(seq: number, user: string): Promise<PublishResult>;
  history(): Promise<HistoryEntry[]>;
  marks(): Promise<Map<string, SourceMark>>;
  close(): Promise<void>;
}
