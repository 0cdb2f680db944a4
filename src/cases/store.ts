/**
 * The case desk's storage port, with two implementations: memory (`memory-store.ts`, the
 * embedded default) and Redis (`redis-store.ts`). The desk seals every text before it reaches a
 * store: a store holds case summaries (metadata, no text), sealed messages, the sealed address and
 * callback number, the indexes (per partner, per conversation key, closed cases), the audit log,
 * the web chat's outbox, and carries live events to every instance.
 */
import { DalilError } from '../domain/index.js';
import type { AuditEntry, CaseEvent, CaseMessage, CaseSummary, ConversationKey } from '../domain/index.js';

/** The store cannot be reached (Redis down or stalled); nothing was written. */
export class CaseStoreUnavailableError extends DalilError {
  constructor(message = 'the case store is unavailable (Redis does not answer)', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CaseStoreUnavailableError';
  }
}

/** A case as stored: its summary and, until the user is forgotten, their conversation key. */
export interface StoredCase {
  summary: CaseSummary;
  /** The user's conversation key (a keyed hash); removed by forget-me. */
  key?: ConversationKey;
  /** Version for compare-and-set, kept by the store. */
  v: number;
}

/** A case message as stored: its text sealed. */
export interface StoredMessage extends Omit<CaseMessage, 'text'> {
  sealed: string;
}

/** A web chat reply waiting for the user's page, its text sealed. */
export interface OutboxItem {
  id: string;
  sealed: string;
  at: number;
}

/** The sealed ways back to a user. */
export interface SealedContact {
  /** `CaseAddress` as JSON, sealed. */
  address?: string;
  /** The phone number, sealed; only when the user asked for a call back. */
  callback?: string;
}

/** Limits a store applies. */
export interface CaseStoreLimits {
  /** Lifetime of a closed case's keys (a second guard behind the sweep; Redis only). */
  closedTtlMs: number;
  /** Most audit lines kept (the oldest go first). */
  auditMaxEntries: number;
  /** Most replies waiting in one web chat outbox (the oldest go first), and how long they wait. */
  outboxMax: number;
  outboxTtlMs: number;
}

export const DEFAULT_STORE_LIMITS: CaseStoreLimits = {
  closedTtlMs: 31 * 86_400_000,
  auditMaxEntries: 50_000,
  outboxMax: 100,
  outboxTtlMs: 7 * 86_400_000,
};

/** The storage port of the case desk. Every method may throw `CaseStoreUnavailableError`. */
export interface CaseStore {
  readonly kind: 'memory' | 'redis';
  /** Creates a case with its sealed contact; false (and nothing changed) when the reference exists. */
  create(c: Omit<StoredCase, 'v'>, contact: SealedContact): Promise<boolean>;
  get(ref: string): Promise<StoredCase | undefined>;
  /** Cases of one partner, or every case. */
  list(partnerId?: string): Promise<StoredCase[]>;
  /** References of the cases of a conversation key. */
  refsOf(key: ConversationKey): Promise<string[]>;
  /**
   * Changes a case atomically: `change` sees the current case and returns the next one, or
   * `undefined` to leave it. Resolves the stored case, or `undefined` when absent or left unchanged.
   * Indexes follow (partner, closed, key); a closed case's keys get the closed TTL.
   */
  update(ref: string, change: (current: StoredCase) => StoredCase | undefined): Promise<StoredCase | undefined>;
  addMessage(ref: string, message: StoredMessage): Promise<void>;
  messages(ref: string): Promise<StoredMessage[]>;
  /** Records the delivery of a message; false when the message is gone. */
  setDelivery(ref: string, id: string, delivery: NonNullable<CaseMessage['delivery']>): Promise<boolean>;
  contact(ref: string): Promise<SealedContact>;
  /** Erases a case's messages and contact (forget-me); the summary stays. */
  erase(ref: string): Promise<void>;
  /** Deletes a case entirely (retention). */
  remove(ref: string): Promise<void>;
  /** References of cases closed before `before` (ms). */
  closedBefore(before: number): Promise<string[]>;
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  audit(filter: { ref?: string; limit: number }): Promise<AuditEntry[]>;
  /** Drops audit lines older than `before`; resolves how many. */
  trimAudit(before: number): Promise<number>;
  pushOutbox(key: ConversationKey, item: OutboxItem): Promise<void>;
  /** Takes (removes and returns) every waiting reply, oldest first. */
  takeOutbox(key: ConversationKey): Promise<OutboxItem[]>;
  clearOutbox(key: ConversationKey): Promise<void>;
  /** Sends an event to every instance's subscribers (this one included). */
  publish(event: CaseEvent): Promise<void>;
  subscribe(listener: (event: CaseEvent) => void): () => void;
  /** Runs `listener` each time the store becomes reachable again after an outage. */
  onRecovered(listener: () => void): void;
  close(): Promise<void>;
}

/** A case reference as the engine makes it: letters, digits and dashes (it becomes part of key names). */
export const REF_PATTERN = /^[A-Za-z0-9-]{3,40}$/;
/** A conversation key: a base64url hash. */
export const KEY_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** What changes in the indexes between two versions of a case. */
export function indexChanges(before: StoredCase, after: StoredCase): { partnerMoved: boolean; closed: boolean; keyDropped: boolean } {
  return {
    partnerMoved: before.summary.partnerId !== after.summary.partnerId,
    closed: after.summary.status === 'closed' && before.summary.status !== 'closed',
    keyDropped: before.key !== undefined && after.key === undefined,
  };
}
