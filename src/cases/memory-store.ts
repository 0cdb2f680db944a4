/**
 * The case store in memory: the embedded default (one instance, nothing survives a restart).
 * Live events go through an EventEmitter; the indexes are computed from the cases themselves.
 */
import { EventEmitter } from 'node:events';
import type { AuditEntry, CaseEvent, ConversationKey } from '../domain/index.js';
import { DEFAULT_STORE_LIMITS, type CaseStore, type CaseStoreLimits, type OutboxItem, type SealedContact, type StoredCase, type StoredMessage } from './store.js';

const clone = <T>(value: T): T => structuredClone(value);

interface MemoryData {
  cases: Map<string, StoredCase>;
  messages: Map<string, StoredMessage[]>;
  contacts: Map<string, SealedContact>;
}

/** Cases, their messages and contact details. */
function casesOf({ cases, messages, contacts }: MemoryData): Omit<CaseStore, 'kind' | 'appendAudit' | 'audit' | 'trimAudit' | 'pushOutbox' | 'takeOutbox' | 'clearOutbox' | 'publish' | 'subscribe' | 'onRecovered' | 'close'> {
  return {
    async create(c, contact) {
      if (cases.has(c.summary.ref)) return false;
      cases.set(c.summary.ref, clone({ ...c, v: 1 }));
      messages.set(c.summary.ref, []);
      contacts.set(c.summary.ref, { ...contact });
      return true;
    },
    async get(ref) {
      const c = cases.get(ref);
      return c ? clone(c) : undefined;
    },
    async list(partnerId) {
      return [...cases.values()].filter((c) => partnerId === undefined || c.summary.partnerId === partnerId).map(clone);
    },
    async refsOf(key) {
      return [...cases.values()].filter((c) => c.key === key).map((c) => c.summary.ref);
    },
    async update(ref, change) {
      const current = cases.get(ref);
      if (!current) return undefined;
      const next = change(clone(current));
      if (!next) return undefined;
      const stored = { ...clone(next), v: current.v + 1 };
      cases.set(ref, stored);
      return clone(stored);
    },
    async addMessage(ref, message) {
      const list = messages.get(ref);
      // Once per id: a message retried after an outage is not added twice.
      if (!cases.has(ref) || !list || list.some((m) => m.id === message.id)) return;
      list.push(clone(message));
    },
    async messages(ref) {
      return clone(messages.get(ref) ?? []);
    },
    async setDelivery(ref, id, delivery) {
      const m = messages.get(ref)?.find((x) => x.id === id);
      if (!m) return false;
      m.delivery = { ...delivery };
      return true;
    },
    async contact(ref) {
      return { ...(contacts.get(ref) ?? {}) };
    },
    async erase(ref) {
      if (messages.has(ref)) messages.set(ref, []);
      contacts.delete(ref);
    },
    async remove(ref) {
      cases.delete(ref);
      messages.delete(ref);
      contacts.delete(ref);
    },
    async closedBefore(before) {
      return [...cases.values()].filter((c) => c.summary.status === 'closed' && (c.summary.closedAt ?? 0) < before).map((c) => c.summary.ref);
    },
  };
}

/** The audit log (newest last in memory) and the web chat's outboxes. */
function sidesOf(limits: CaseStoreLimits, now: () => number): Pick<CaseStore, 'appendAudit' | 'audit' | 'trimAudit' | 'pushOutbox' | 'takeOutbox' | 'clearOutbox'> {
  const { auditMaxEntries, outboxMax, outboxTtlMs } = limits;
  const outboxes = new Map<ConversationKey, OutboxItem[]>();
  let auditLog: AuditEntry[] = [];
  return {
    async appendAudit(entry) {
      auditLog.push({ ...entry });
      if (auditLog.length > auditMaxEntries) auditLog = auditLog.slice(auditLog.length - auditMaxEntries);
    },
    async audit({ ref, limit }) {
      const out: AuditEntry[] = [];
      for (let i = auditLog.length - 1; i >= 0 && out.length < limit; i--) {
        if (ref === undefined || auditLog[i]!.ref === ref) out.push({ ...auditLog[i]! });
      }
      return out;
    },
    async trimAudit(before) {
      const kept = auditLog.filter((e) => e.at >= before);
      const dropped = auditLog.length - kept.length;
      auditLog = kept;
      return dropped;
    },
    async pushOutbox(key, item) {
      const fresh = (outboxes.get(key) ?? []).filter((x) => x.at > now() - outboxTtlMs);
      fresh.push({ ...item });
      outboxes.set(key, fresh.slice(-outboxMax));
    },
    async takeOutbox(key) {
      const items = outboxes.get(key) ?? [];
      outboxes.delete(key);
      return items.filter((x) => x.at > now() - outboxTtlMs);
    },
    async clearOutbox(key) {
      outboxes.delete(key);
    },
  };
}

/** Creates an empty memory case store. */
export function createMemoryCaseStore(limits: Partial<CaseStoreLimits> = {}, now: () => number = Date.now): CaseStore {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  return {
    kind: 'memory',
    ...casesOf({ cases: new Map(), messages: new Map(), contacts: new Map() }),
    ...sidesOf({ ...DEFAULT_STORE_LIMITS, ...limits }, now),
    async publish(event: CaseEvent) {
      events.emit('event', { ...event });
    },
    subscribe(listener) {
      const safe = (event: CaseEvent): void => {
        try {
          listener(event);
        } catch {
          // A subscriber's failure is its own; the others still hear the event.
        }
      };
      events.on('event', safe);
      return () => void events.off('event', safe);
    },
    onRecovered() {
      // Memory is never unavailable.
    },
    async close() {
      events.removeAllListeners();
    },
  };
}
