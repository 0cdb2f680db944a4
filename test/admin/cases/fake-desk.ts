/**
 * A small in-memory case desk for the inbox's tests, behaving as the contract says: a case of
 * another partner is not found, every read writes an audit entry, events go to subscribers.
 */
import type { AuditEntry, CaseActor, CaseDesk, CaseEvent, CaseMessage, CaseSummary, Intake, Lang } from '../../../src/domain/index.js';

interface Stored {
  summary: CaseSummary;
  messages: CaseMessage[];
}

export interface FakeDesk extends CaseDesk {
  /** Opens a case as the engine would, with the user's first message. */
  seed(input: { ref: string; partnerId: string; lang?: Lang; intake?: Intake; urgency?: CaseSummary['urgency']; text?: string; at?: number; channel?: CaseSummary['channel'] }): void;
  /** The next reply fails with this reason. */
  failNext(reason: string): void;
  entries: AuditEntry[];
}

export function createFakeDesk(now: () => number = Date.now): FakeDesk {
  const cases = new Map<string, Stored>();
  const entries: AuditEntry[] = [];
  const listeners = new Set<(e: CaseEvent) => void>();
  let failing: string | undefined;
  let seq = 0;
  const emit = (c: Stored, kind: CaseEvent['kind']): void => {
    for (const l of listeners) l({ ref: c.summary.ref, partnerId: c.summary.partnerId, kind });
  };
  const mine = (actor: CaseActor, ref: string): Stored | undefined => {
    const c = cases.get(ref);
    return c && (actor.partnerId === undefined || c.summary.partnerId === actor.partnerId) ? c : undefined;
  };
  const log = (actor: CaseActor, ref: string, action: AuditEntry['action'], detail?: string): void => {
    entries.push({ at: now(), username: actor.username, ref, action, ...(detail ? { detail } : {}) });
  };
  const open = (c: Stored | undefined): c is Stored => c !== undefined && c.summary.status !== 'closed';
  return {
    entries,
    seed(input) {
      const at = input.at ?? now();
      const c: Stored = {
        summary: { ref: input.ref, partnerId: input.partnerId, status: 'new', channel: input.channel ?? 'web', lang: input.lang ?? 'fr', openedAt: at, waitingSince: at, lastUserAt: at, ...(input.intake?.topic ? { topic: input.intake.topic } : {}), ...(input.intake?.city ? { city: input.intake.city } : {}), ...(input.urgency ? { urgency: input.urgency } : {}) },
        messages: input.text ? [{ id: `m${++seq}`, from: 'user', text: input.text, at }] : [],
      };
      cases.set(input.ref, c);
      emit(c, 'opened');
    },
    failNext(reason) {
      failing = reason;
    },
    async open() {},
    async fromUser({ ref, text, at }) {
      const c = cases.get(ref);
      if (!open(c)) return;
      c.messages.push({ id: `m${++seq}`, from: 'user', text, at });
      c.summary.lastUserAt = at;
      c.summary.waitingSince ??= at;
      emit(c, 'message');
    },
    async closeByUser() {},
    async forgetUser() {},
    partners: () => [],
    async list(actor, filter) {
      return [...cases.values()]
        .filter((c) => actor.partnerId === undefined || c.summary.partnerId === actor.partnerId)
        .filter((c) => !filter?.status || (filter.status === 'open' ? c.summary.status !== 'closed' : c.summary.status === filter.status))
        .map((c) => ({ ...c.summary }));
    },
    async read(actor, ref) {
      const c = mine(actor, ref);
      if (!c) return undefined;
      log(actor, ref, 'read');
      return { summary: { ...c.summary }, messages: c.messages.map((m) => ({ ...m })) };
    },
    async claim(actor, ref) {
      const c = mine(actor, ref);
      if (!open(c)) return false;
      c.summary.status = 'claimed';
      c.summary.claimedBy = actor.username;
      log(actor, ref, 'claim');
      emit(c, 'claimed');
      return true;
    },
    async reply(actor, ref, text) {
      const c = mine(actor, ref);
      if (!open(c)) return undefined;
      const delivery: CaseMessage['delivery'] = failing ? { state: 'failed', reason: failing } : { state: 'sent', via: 'text' };
      failing = undefined;
      const m: CaseMessage = { id: `m${++seq}`, from: 'worker', text, at: now(), by: actor.username, delivery };
      c.messages.push(m);
      delete c.summary.waitingSince;
      log(actor, ref, 'reply');
      emit(c, 'message');
      return m;
    },
    async transfer(actor, ref, to, reason) {
      const c = mine(actor, ref);
      if (!open(c) || !reason) return false;
      c.summary.partnerId = to;
      c.summary.status = 'new';
      delete c.summary.claimedBy;
      log(actor, ref, 'transfer', to);
      emit(c, 'transferred');
      return true;
    },
    async close(actor, ref, outcome) {
      const c = mine(actor, ref);
      if (!open(c)) return false;
      c.summary.status = 'closed';
      c.summary.outcome = outcome;
      c.summary.closedAt = now();
      log(actor, ref, 'close');
      emit(c, 'closed');
      return true;
    },
    async audit(filter) {
      return entries.filter((e) => !filter?.ref || e.ref === filter.ref).slice(-(filter?.limit ?? 1000)).reverse();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async takeWebReplies() {
      return [];
    },
    async sweep() {
      return 0;
    },
  };
}
