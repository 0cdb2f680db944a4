/**
 * Limits hold through a Redis outage (issue: with Redis down there was no rate limit and no SMS
 * cap: 40 SMS from one number got 80 message bodies), menus keep working through a short one,
 * and a global SMS segment budget stops rotating numbers from running up the bill.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationStore, TurnHandler } from '../../src/domain/index.js';
import { createRedisStore, type RedisConversationStore } from '../../src/state/redis.js';
import { createMemoryStore } from '../../src/state/memory.js';
import { createOutageFallback } from '../../src/state/redis/outage-fallback.js';
import { smsCapabilities, CAPABILITIES } from '../../src/channels/shared/capabilities.js';
import { uniquePrefix } from '../helpers/redis.js';
import { redisServerSuite, startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { realCore, recordingLogger, service } from '../hardening/support.js';
import { captureLogger, testKey } from './support.js';

const runs = redisServerSuite();
const stores: ConversationStore[] = [];
const servers: RedisServerHandle[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  for (const s of servers.splice(0)) await s.stop();
});

const sms = (handle: TurnHandler, from: string, text: string, sid: string) =>
  handle({ userId: from, deliveryId: sid, capabilities: smsCapabilities(3), message: { channel: 'sms', text, receivedAt: Date.now() } });

describe('outage fallback (memory of one instance)', () => {
  it('forgets a conversation at once, drops the oldest beyond its bound, and expires', () => {
    let now = 0;
    const f = createOutageFallback({ dedupeTtlMs: 1000, logger: captureLogger(), now: () => now, recentMs: 1000, maxRecent: 2 });
    const [a, b, c] = [testKey('a'), testKey('b'), testKey('c')];
    const state = { v: 1, lang: 'fr', updatedAt: 0 } as never;
    f.remember(a, state);
    f.remember(b, state);
    f.remember(c, state);
    expect(f.size()).toBe(2);
    expect(f.recall(a)).toBeUndefined();
    expect(f.recall(b)).toBeDefined();
    f.forget(b);
    expect(f.recall(b)).toBeUndefined();
    now = 1001;
    expect(f.recall(c)).toBeUndefined();
  });
});

describe.skipIf(!runs)('with Redis down', () => {
  const open = async (url: string): Promise<RedisConversationStore> => {
    const store = await createRedisStore({ url, prefix: uniquePrefix('outlim'), ttlSeconds: 3600, commandTimeoutMs: 200, reconnectMaxDelayMs: 200, connectTimeoutMs: 1000, logger: captureLogger() });
    stores.push(store);
    return store;
  };

  it('keeps the rate limit and the SMS cap per instance: 40 SMS from one number get at most the cap', async () => {
    const redis = await startRedisServer();
    servers.push(redis);
    const store = await open(redis.url);
    const handle = await service(store, { limits: { ratePerMinute: 20, smsDailyCap: 30 } });
    await redis.stop();
    let answered = 0;
    for (let i = 0; i < 40; i++) if ((await sms(handle, '+15005550077', 'asile', `SM-out-${i}`)).replies.length > 0) answered += 1;
    // 20 answers and one notice, then silence.
    expect(answered).toBe(21);
    const silent = await sms(handle, '+15005550077', 'asile', 'SM-out-last');
    expect(silent.replies).toEqual([]);
    // A redelivery is still recognised.
    expect((await sms(handle, '+15005550077', 'asile', 'SM-out-0')).duplicate).toBe(true);
  }, 30_000);

  it('keeps the menu context through a short outage', async () => {
    const redis = await startRedisServer();
    servers.push(redis);
    const store = await open(redis.url);
    const handle = await service(store);
    const web = (text: string) => handle({ userId: 'menu-user', capabilities: CAPABILITIES.web, message: { channel: 'web', text, receivedAt: Date.now() } });
    const first = await web('bonjour');
    const picked = await web(first.replies.some((r) => r.choices?.some((c) => c.id === 'lang:fr')) ? '1' : 'menu');
    expect(picked.lang).toBe('fr');
    const before = await web('menu');
    await redis.stop();
    const during = await web('menu');
    // The same language and menu, not the language picker again.
    expect(during.lang).toBe('fr');
    expect(during.replies.map((r) => r.text)).toEqual(before.replies.map((r) => r.text));
    expect(store.metrics().degradedTransactions).toBeGreaterThan(0);
    // Forget-me during the outage also forgets this instance's memory.
    await web('SUPPRIMER');
    const after = await web('menu');
    expect(after.replies.map((r) => r.text)).not.toEqual(before.replies.map((r) => r.text));
  }, 30_000);
});

describe('global SMS segment budget', () => {
  it('rotating numbers cannot exceed the hour budget; an alert is logged at 80 %, exhaustion once', async () => {
    const store = createMemoryStore({ ttlSeconds: 3600, sweepIntervalMs: 0 });
    stores.push(store);
    const logs = recordingLogger();
    const handle = await service(store, { limits: { ratePerMinute: 20, smsDailyCap: 30, smsSegmentsPerHour: 20, smsSegmentsPerDay: 1000 }, logger: logs.logger });
    let sent = 0;
    for (let i = 0; i < 30; i++) {
      const out = await sms(handle, `+1500555${String(1000 + i)}`, 'bonjour', `SM-b-${i}`);
      sent += out.replies.reduce((n, r) => n + Math.ceil(r.text.length / 153), 0);
    }
    expect(sent).toBeLessThanOrEqual(20 + 3);
    expect(logs.count('sms.budget_alert')).toBe(1);
    expect(logs.count('sms.budget_exhausted')).toBe(1);
    expect(logs.events.find((e) => e.event === 'sms.budget_alert')).toMatchObject({ window: 'hour', limit: 20 });
    // The web is not an SMS channel: unaffected.
    const web = await handle({ userId: 'w1', capabilities: CAPABILITIES.web, message: { channel: 'web', text: 'bonjour', receivedAt: Date.now() } });
    expect(web.replies.length).toBeGreaterThan(0);
  });

  it('the web has a per-instance turn rate, whatever user ids the client makes up', async () => {
    const store = createMemoryStore({ ttlSeconds: 3600, sweepIntervalMs: 0 });
    stores.push(store);
    const logs = recordingLogger();
    const handle = await service(store, { limits: { ratePerMinute: 20, webTurnsPerMinute: 10 }, logger: logs.logger });
    const texts: string[] = [];
    for (let i = 0; i < 15; i++) {
      const out = await handle({ userId: `made-up-${i}`, capabilities: CAPABILITIES.web, message: { channel: 'web', text: 'bonjour', receivedAt: Date.now() } });
      texts.push(out.replies[0]!.text);
    }
    const { t } = await realCore();
    expect(texts.slice(10).every((x) => x === t('fr', 'limits.rateLimited'))).toBe(true);
    expect(texts.slice(0, 10).some((x) => x === t('fr', 'limits.rateLimited'))).toBe(false);
    expect(logs.count('turn.web_busy')).toBe(1);
  });
});
