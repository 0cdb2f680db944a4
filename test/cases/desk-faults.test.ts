/**
 * Store failures at each step of the desk, over a memory store that fails on demand: a reply
 * that went out is never reported as unsent (nor sent twice) when the store fails just after; a
 * user's message waits in order until the store answers; a failure that is not an outage is not
 * retried for ever.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryCaseStore } from '../../src/cases/memory-store.js';
import { CaseStoreUnavailableError, type CaseStore } from '../../src/cases/store.js';
import { WORKER_A, deskOver, openCase } from './support.js';

/** A memory store whose named methods throw `CaseStoreUnavailableError` (or `error`) while listed in `down`. */
function flakyStore(error: () => Error = () => new CaseStoreUnavailableError()) {
  const inner = createMemoryCaseStore();
  const down = new Set<keyof CaseStore>();
  const store = new Proxy(inner, {
    get(target, name: keyof CaseStore) {
      const value = target[name];
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (down.has(name)) return Promise.reject(error());
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, down };
}

describe('case desk when the store fails', () => {
  it('a reply that reached the user is returned as sent even if recording it fails, and is not sent twice', async () => {
    const { store, down } = flakyStore();
    const env = await deskOver(store);
    const { ref } = await openCase(env.desk);
    down.add('setDelivery');
    down.add('appendAudit');
    const message = await env.desk.reply(WORKER_A, ref, 'On arrive');
    expect(message!.delivery).toEqual({ state: 'sent', via: 'text' });
    expect(env.telegram.sent).toHaveLength(1);
    const events = env.log.events().map((e) => e.event);
    expect(events).toContain('case.delivery_unrecorded');
    expect(events).toContain('case.reply_unrecorded');
  });

  it('a reply fails with a clear error when the store fails before sending', async () => {
    const { store, down } = flakyStore();
    const env = await deskOver(store);
    const { ref } = await openCase(env.desk);
    down.add('addMessage');
    await expect(env.desk.reply(WORKER_A, ref, 'x')).rejects.toThrow(/the reply was not sent/);
    expect(env.telegram.sent).toEqual([]);
  });

  it('user messages wait in order while the store is down, then are stored once', async () => {
    const { store, down } = flakyStore();
    const env = await deskOver(store, { pending: { retryMs: 60_000 } });
    const { ref, key } = await openCase(env.desk);
    down.add('get');
    await env.desk.fromUser({ ref, key, text: 'un', at: 1 });
    down.delete('get');
    // Behind a waiting message, a new one waits too (order kept), and triggers a retry.
    down.add('addMessage');
    await env.desk.fromUser({ ref, key, text: 'deux', at: 2 });
    expect(env.desk.pendingCount()).toBe(2);
    down.delete('addMessage');
    await env.desk.flushPending();
    expect(env.desk.pendingCount()).toBe(0);
    expect((await env.desk.read(WORKER_A, ref))!.messages.map((m) => m.text)).toEqual(['un', 'deux']);
    await env.desk.flushPending();
    expect((await env.desk.read(WORKER_A, ref))!.messages).toHaveLength(2);
    await env.desk.shutdown();
  });

  it('a failure that is not an outage is thrown to the caller, not queued', async () => {
    const { store, down } = flakyStore(() => new TypeError('bug'));
    const env = await deskOver(store);
    const { ref, key } = await openCase(env.desk);
    down.add('addMessage');
    await expect(env.desk.fromUser({ ref, key, text: 'x', at: 1 })).rejects.toThrow(TypeError);
    expect(env.desk.pendingCount()).toBe(0);
  });
});
