/**
 * A delivery is answered once, even a redelivered forget-me, whose own turn deletes the
 * conversation's delivery ids: found by the soak (8 duplicated replies in 100,000 messages, all
 * redelivered DELETEs). The forget-me marker is keyed by the delivery id alone, so nothing that
 * remains after a forget-me leads back to the user.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ConversationStore, TurnHandler } from '../../src/domain/index.js';
import { createMemoryStore } from '../../src/state/memory.js';
import { createRedisStore } from '../../src/state/redis.js';
import { smsCapabilities } from '../../src/channels/shared/capabilities.js';
import { createLogger } from '../../src/logging/logger.js';
import { connectAdmin, deleteByPrefix, globEscape, redisSuite, scanKeys, uniquePrefix } from '../helpers/redis.js';
import { keyer, realCore, service } from './support.js';

const { t } = await realCore();
const redis = await redisSuite();
const prefix = uniquePrefix('idem');
const stores: ConversationStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  if (!redis.available) return;
  const admin = await connectAdmin(redis.url);
  await deleteByPrefix(admin, prefix);
  admin.destroy();
});

const kinds: Array<[string, () => Promise<ConversationStore>]> = [
  ['memory', async () => createMemoryStore({ ttlSeconds: 3600, sweepIntervalMs: 0 })],
];
if (redis.available) {
  kinds.push(['redis', () => createRedisStore({ url: redis.url, prefix, ttlSeconds: 3600, commandTimeoutMs: 500, logger: createLogger('silent') })]);
}

describe.each(kinds)('%s store', (_name, open) => {
  async function setup(): Promise<{ store: ConversationStore; handle: TurnHandler }> {
    const store = await open();
    stores.push(store);
    return { store, handle: await service(store, { limits: { ratePerMinute: 20, smsDailyCap: 30 } }) };
  }
  const sms = (handle: TurnHandler, from: string, text: string, sid: string) =>
    handle({ userId: from, deliveryId: sid, capabilities: smsCapabilities(3), message: { channel: 'sms', text, receivedAt: 1_767_225_600_000 } });

  it('answers a redelivered forget-me once, after and alongside the first delivery', async () => {
    const { store, handle } = await setup();
    const from = `+1500555${Math.floor(Math.random() * 1e4)}`;
    await sms(handle, from, 'bonjour', 'SM-a');
    const first = await sms(handle, from, 'SUPPRIMER', 'SM-b');
    expect(first.replies.map((r) => r.text)).toEqual([t('fr', 'deleted.done')]);
    const again = await sms(handle, from, 'SUPPRIMER', 'SM-b');
    expect(again).toMatchObject({ replies: [], duplicate: true });
    expect(await store.get(keyer.key('sms', from))).toBeUndefined();

    // Two copies at once: exactly one is answered.
    await sms(handle, from, 'bonjour', 'SM-c');
    const pair = await Promise.all([sms(handle, from, 'DELETE', 'SM-d'), sms(handle, from, 'DELETE', 'SM-d')]);
    expect(pair.filter((p) => p.replies.length > 0)).toHaveLength(1);
    // A new forget-me (another delivery id) is answered as usual.
    expect((await sms(handle, from, 'DELETE', 'SM-e')).replies).toHaveLength(1);
  });

  it('erases everything, silently, when a number that sent STOP sends DELETE; nothing left contains the user key', async () => {
    const { store, handle } = await setup();
    const from = '+15005550042';
    await sms(handle, from, 'bonjour', 'SM-x');
    expect((await sms(handle, from, 'STOP', 'SM-y')).replies).toEqual([]);
    expect((await store.get(keyer.key('sms', from)))?.stopped).toBe(true);
    // The carrier forbids any message after STOP: the deletion happens without a confirmation.
    expect((await sms(handle, from, 'امسح', 'SM-z')).replies).toEqual([]);
    expect(await store.get(keyer.key('sms', from))).toBeUndefined();
    if (redis.available && _name === 'redis') {
      const admin = await connectAdmin(redis.url);
      try {
        expect(await scanKeys(admin, `${globEscape(prefix)}*${globEscape(keyer.key('sms', from))}*`)).toEqual([]);
      } finally {
        admin.destroy();
      }
    }
    // The counters went too: the next count starts from one.
    expect(await store.hit(keyer.key('sms', from), 'sms', 60)).toBe(1);
  });

  it('a replayed delivery after "delete my data" stays a duplicate and recreates nothing', async () => {
    const { store, handle } = await setup();
    const from = `+1500556${Math.floor(Math.random() * 1e4)}`;
    expect((await sms(handle, from, 'bonjour', 'SM-r1')).replies.length).toBeGreaterThan(0);
    expect((await sms(handle, from, 'asile', 'SM-r2')).replies.length).toBeGreaterThan(0);
    expect((await sms(handle, from, 'SUPPRIMER', 'SM-r3')).replies).toHaveLength(1);
    for (const sid of ['SM-r1', 'SM-r2']) {
      expect(await sms(handle, from, sid === 'SM-r1' ? 'bonjour' : 'asile', sid)).toMatchObject({ replies: [], duplicate: true });
    }
    expect(await store.get(keyer.key('sms', from))).toBeUndefined();
    if (redis.available && _name === 'redis') {
      const admin = await connectAdmin(redis.url);
      try {
        expect(await scanKeys(admin, `${globEscape(prefix)}*${globEscape(keyer.key('sms', from))}*`)).toEqual([]);
      } finally {
        admin.destroy();
      }
    }
  });
});
