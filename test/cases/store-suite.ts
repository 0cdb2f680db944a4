/**
 * The storage port's contract, run over each store (memory and Redis): atomic updates, messages
 * added once, indexes that follow the cases, bounded audit log and outbox.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseStore, CaseStoreLimits, StoredCase } from '../../src/cases/store.js';
import { newConversationKey, newRef } from './support.js';

export type LimitedStoreFactory = (limits: Partial<CaseStoreLimits>) => Promise<CaseStore>;

const caseOf = (partnerId = 'org-a', openedAt = 1000): Omit<StoredCase, 'v'> => ({
  summary: { ref: newRef(), partnerId, status: 'new', channel: 'web', lang: 'fr', openedAt },
  key: newConversationKey(),
});

export function describeStore(name: string, make: LimitedStoreFactory): void {
  describe(`case store contract: ${name}`, () => {
    let store: CaseStore;
    beforeEach(async () => {
      store = await make({ auditMaxEntries: 5, outboxMax: 3 });
    });
    afterEach(async () => {
      await store.close();
    });

    it('creates once, and indexes by partner and conversation key', async () => {
      const a = caseOf('org-a');
      const b = caseOf('org-b');
      expect(await store.create(a, { address: 'sealed-a' })).toBe(true);
      expect(await store.create(a, { address: 'other' })).toBe(false);
      await store.create(b, {});
      expect((await store.get(a.summary.ref))!.v).toBe(1);
      expect((await store.list('org-a')).map((c) => c.summary.ref)).toEqual([a.summary.ref]);
      expect((await store.list()).length).toBe(2);
      expect(await store.refsOf(a.key!)).toEqual([a.summary.ref]);
      expect(await store.contact(a.summary.ref)).toEqual({ address: 'sealed-a' });
      expect(await store.get('D-NONE')).toBeUndefined();
    });

    it('updates atomically: concurrent changes all land, indexes follow a transfer, a close and a dropped key', async () => {
      const c = caseOf('org-a');
      await store.create(c, {});
      const ref = c.summary.ref;
      await Promise.all(
        Array.from({ length: 8 }, () => store.update(ref, (cur) => ({ ...cur, summary: { ...cur.summary, lastUserAt: (cur.summary.lastUserAt ?? 0) + 1 } }))),
      );
      expect((await store.get(ref))!.summary.lastUserAt).toBe(8);
      expect(await store.update(ref, () => undefined)).toBeUndefined();
      expect(await store.update('D-NONE', (cur) => cur)).toBeUndefined();
      await store.update(ref, (cur) => ({ ...cur, summary: { ...cur.summary, partnerId: 'org-b' } }));
      expect(await store.list('org-a')).toEqual([]);
      expect((await store.list('org-b')).map((x) => x.summary.ref)).toEqual([ref]);
      await store.update(ref, (cur) => ({ summary: { ...cur.summary, status: 'closed', closedAt: 5000 }, v: cur.v }));
      expect(await store.closedBefore(5000)).toEqual([]);
      expect(await store.closedBefore(5001)).toEqual([ref]);
      expect(await store.refsOf(c.key!)).toEqual([]);
      await store.remove(ref);
      expect(await store.get(ref)).toBeUndefined();
      expect(await store.list()).toEqual([]);
      expect(await store.closedBefore(10_000)).toEqual([]);
    });

    it('adds a message once per id, keeps order, records deliveries, erases', async () => {
      const c = caseOf();
      await store.create(c, { address: 'a', callback: 'n' });
      const ref = c.summary.ref;
      await store.addMessage(ref, { id: 'm1', from: 'user', at: 1, sealed: 's1' });
      await store.addMessage(ref, { id: 'm1', from: 'user', at: 1, sealed: 's1' });
      await store.addMessage(ref, { id: 'm2', from: 'worker', at: 2, by: 'amina', sealed: 's2', delivery: { state: 'queued' } });
      expect(await store.setDelivery(ref, 'm2', { state: 'failed', reason: 'blocked' })).toBe(true);
      expect(await store.messages(ref)).toEqual([
        { id: 'm1', from: 'user', at: 1, sealed: 's1' },
        { id: 'm2', from: 'worker', at: 2, by: 'amina', sealed: 's2', delivery: { state: 'failed', reason: 'blocked' } },
      ]);
      await store.addMessage('D-NONE', { id: 'x', from: 'user', at: 1, sealed: 'x' });
      expect(await store.messages('D-NONE')).toEqual([]);
      await store.erase(ref);
      expect(await store.messages(ref)).toEqual([]);
      expect(await store.contact(ref)).toEqual({});
      expect(await store.get(ref)).toBeDefined();
    });

    it('keeps a bounded audit log, newest first, filtered by case and trimmed by age', async () => {
      for (let i = 1; i <= 7; i++) await store.appendAudit({ at: i * 1000, username: 'amina', ref: i % 2 ? 'D-ODD' : 'D-EVEN', action: 'read' });
      const all = await store.audit({ limit: 100 });
      expect(all.map((e) => e.at)).toEqual([7000, 6000, 5000, 4000, 3000]);
      expect((await store.audit({ ref: 'D-EVEN', limit: 100 })).map((e) => e.at)).toEqual([6000, 4000]);
      expect((await store.audit({ limit: 2 })).length).toBe(2);
      expect(await store.trimAudit(5000)).toBe(2);
      expect((await store.audit({ limit: 100 })).map((e) => e.at)).toEqual([7000, 6000, 5000]);
    });

    it('the outbox is bounded, taken once, cleared', async () => {
      const key = newConversationKey();
      const now = Date.now();
      for (let i = 1; i <= 4; i++) await store.pushOutbox(key, { id: `o${i}`, sealed: `s${i}`, at: now + i });
      expect((await store.takeOutbox(key)).map((x) => x.id)).toEqual(['o2', 'o3', 'o4']);
      expect(await store.takeOutbox(key)).toEqual([]);
      await store.pushOutbox(key, { id: 'o5', sealed: 's5', at: now });
      await store.clearOutbox(key);
      expect(await store.takeOutbox(key)).toEqual([]);
    });
  });
}
