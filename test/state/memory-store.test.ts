import { describe, expect, it } from 'vitest';
import { newState } from '../../src/domain/index.js';
import { createMemoryStore } from '../../src/state/memory.js';
import { captureLogger, nextTurn, sleep, testKey } from './support.js';

describe('memory store', () => {
  const clock = () => {
    let t = 1_000_000;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  it('serialises concurrent turns of one conversation', async () => {
    const store = createMemoryStore({ ttlSeconds: 60, sweepIntervalMs: 0 });
    const key = testKey('race');
    await Promise.all(
      Array.from({ length: 50 }, () =>
        store.transact(key, async (s) => {
          await sleep(Math.random() * 2);
          return { state: nextTurn(s), result: null };
        }),
      ),
    );
    expect((await store.get(key))?.turns).toBe(50);
    await store.close();
  });

  it('remembers a delivery id for the dedupe TTL (default 24 h), not the state TTL', async () => {
    const c = clock();
    const store = createMemoryStore({ ttlSeconds: 30 * 86_400, now: c.now, sweepIntervalMs: 0 });
    const key = testKey('dedupe');
    expect(await store.markDelivery(key, 'u-1')).toBe(true);
    expect(await store.markDelivery(key, 'u-1')).toBe(false);
    expect(await store.markDelivery(testKey('other'), 'u-1')).toBe(true);
    c.advance(86_400 * 1000 - 1);
    expect(await store.markDelivery(key, 'u-1')).toBe(false);
    c.advance(1);
    expect(await store.markDelivery(key, 'u-1')).toBe(true);

    const short = createMemoryStore({ ttlSeconds: 60, dedupeTtlSeconds: 10, now: c.now, sweepIntervalMs: 0 });
    expect(await short.markDelivery(key, 'u-2')).toBe(true);
    c.advance(10_000);
    expect(await short.markDelivery(key, 'u-2')).toBe(true);
  });

  it('expires state ttlSeconds after the last turn', async () => {
    const c = clock();
    const store = createMemoryStore({ ttlSeconds: 60, now: c.now, sweepIntervalMs: 0 });
    const key = testKey('ttl');
    await store.transact(key, (s) => ({ state: nextTurn(s), result: null }));
    c.advance(59_000);
    await store.transact(key, (s) => ({ state: nextTurn(s), result: null }));
    c.advance(59_000);
    expect((await store.get(key))?.turns).toBe(2);
    c.advance(1_000);
    expect(await store.get(key)).toBeUndefined();
    expect(store.size()).toBe(0);
  });

  it('forgets the state and the delivery ids of a conversation, on delete and on a null state', async () => {
    const store = createMemoryStore({ ttlSeconds: 60, sweepIntervalMs: 0 });
    const a = testKey('a');
    const b = testKey('b');
    for (const k of [a, b]) {
      await store.transact(k, (s) => ({ state: nextTurn(s), result: null }));
      await store.markDelivery(k, 'd-1');
    }
    await store.delete(a);
    expect(await store.get(a)).toBeUndefined();
    expect(await store.markDelivery(a, 'd-1')).toBe(true);
    expect(await store.markDelivery(b, 'd-1')).toBe(false);

    await store.transact(b, () => ({ state: null, result: null }));
    expect(await store.get(b)).toBeUndefined();
    expect(await store.markDelivery(b, 'd-1')).toBe(true);
  });

  it('hands out copies validated like Redis state: no shared objects, unknown fields stripped', async () => {
    const logger = captureLogger();
    const store = createMemoryStore({ ttlSeconds: 60, sweepIntervalMs: 0, logger });
    const key = testKey('copy');
    const written = { ...newState(1), menuPath: ['papers'], extra: 'not in the schema' };
    await store.transact(key, () => ({ state: written, result: null }));
    written.menuPath.push('mutated');
    const read = await store.get(key);
    expect(read?.menuPath).toEqual(['papers']);
    expect(read).not.toHaveProperty('extra');
    read?.menuPath.push('again');
    expect((await store.get(key))?.menuPath).toEqual(['papers']);
  });
});
