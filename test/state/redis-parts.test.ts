/**
 * Parts of the Redis store that need no Redis: the outage state (what is logged, and when) and the
 * queue of forget-me deletions waiting for Redis to come back.
 */
import { ErrorReply } from 'redis';
import { describe, expect, it } from 'vitest';
import type { ConversationKey } from '../../src/domain/index.js';
import { createOutageTracker, RedisTimeoutError } from '../../src/state/redis/connection.js';
import { createDeleteQueue } from '../../src/state/redis/delete-queue.js';
import { captureLogger } from './support.js';

describe('Redis outage state', () => {
  const setup = () => {
    const logger = captureLogger();
    let t = 1_000_000;
    const tracker = createOutageTracker(logger, () => t);
    return { logger, tracker, advance: (ms: number) => (t += ms) };
  };

  it('logs an outage once however many calls fail, and its end with its length, then tells the listeners', () => {
    const { logger, tracker, advance } = setup();
    const recovered: number[] = [];
    tracker.onRecovered(() => recovered.push(tracker.outages()));
    expect(tracker.isUp()).toBe(true);
    tracker.markUp(); // no outage: nothing to report
    tracker.noteFailure(new RedisTimeoutError(200));
    tracker.markDown('disconnected');
    tracker.noteFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }));
    expect(tracker.isUp()).toBe(false);
    advance(1500);
    tracker.markUp();
    tracker.markUp();
    expect(logger.entries.map((e) => [e.event, e.fields])).toEqual([
      ['state.redis.unavailable', { reason: 'RedisTimeoutError' }],
      ['state.redis.recovered', { downMs: 1500 }],
    ]);
    expect(recovered).toEqual([1]);
    // A second outage is counted and logged again, with the code of what failed, never its message.
    tracker.noteFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }));
    expect(tracker.outages()).toBe(2);
    expect(logger.entries.at(-1)).toMatchObject({ event: 'state.redis.unavailable', fields: { reason: 'ECONNREFUSED' } });
  });

  it('treats an error reply as Redis refusing, not as an outage, and logs it at most once a minute by its code only', () => {
    const { logger, tracker, advance } = setup();
    const oom = new ErrorReply("OOM command not allowed when used memory > 'maxmemory'.");
    tracker.noteFailure(oom);
    advance(30_000);
    tracker.noteFailure(oom);
    expect(tracker.isUp()).toBe(true);
    expect(tracker.outages()).toBe(0);
    advance(30_001);
    tracker.noteFailure(new ErrorReply('READONLY You can not write against a read only replica.'));
    expect(logger.entries).toEqual([
      { level: 'warn', event: 'state.redis.command_failed', fields: { reason: 'OOM' } },
      { level: 'warn', event: 'state.redis.command_failed', fields: { reason: 'READONLY' } },
    ]);
  });

  it('reports no outage once closed', () => {
    const { logger, tracker } = setup();
    tracker.close();
    tracker.markDown('disconnected');
    expect(tracker.isUp()).toBe(true);
    expect(logger.entries).toEqual([]);
  });
});

describe('Redis delete queue', () => {
  const key = (n: number) => `k${n}` as ConversationKey;
  /** A `remove` that fails while `down` is set, and records what it deleted. */
  const fakeRedis = () => {
    const deleted: ConversationKey[] = [];
    const redis = {
      down: false,
      calls: 0,
      deleted,
      remove: async (k: ConversationKey) => {
        redis.calls++;
        await Promise.resolve();
        if (redis.down) throw new RedisTimeoutError(200);
        deleted.push(k);
      },
    };
    return redis;
  };

  it('deletes at once when it can, queues when it cannot, and never throws', async () => {
    const redis = fakeRedis();
    const logger = captureLogger();
    const queue = createDeleteQueue(redis.remove, logger);
    await queue.forget(key(1));
    expect(redis.deleted).toEqual([key(1)]);
    expect(queue.size()).toBe(0);
    redis.down = true;
    await expect(queue.forget(key(2))).resolves.toBeUndefined();
    expect(queue.size()).toBe(1);
    expect(logger.entries).toEqual([{ level: 'warn', event: 'state.redis.delete_deferred', fields: { pending: 1 } }]);
  });

  it('applies a queued deletion before the conversation is used again, and reports when it still cannot', async () => {
    const redis = fakeRedis();
    const queue = createDeleteQueue(redis.remove, captureLogger());
    expect(await queue.settle(key(1))).toBe(true); // nothing queued: no round trip
    expect(redis.calls).toBe(0);
    queue.defer(key(1));
    redis.down = true;
    expect(await queue.settle(key(1))).toBe(false);
    expect(queue.size()).toBe(1);
    redis.down = false;
    expect(await queue.settle(key(1))).toBe(true);
    expect(redis.deleted).toEqual([key(1)]);
    expect(queue.size()).toBe(0);
  });

  it('flushes in order, stops at the first failure and resumes on the next flush; one flush at a time', async () => {
    const redis = fakeRedis();
    const logger = captureLogger();
    const queue = createDeleteQueue(redis.remove, logger);
    for (const n of [1, 2, 3]) queue.defer(key(n));
    redis.down = true;
    await queue.flush();
    expect(redis.calls).toBe(1); // gave up at the first failure
    expect(queue.size()).toBe(3);
    redis.down = false;
    await Promise.all([queue.flush(), queue.flush()]);
    expect(redis.deleted).toEqual([key(1), key(2), key(3)]);
    expect(redis.calls).toBe(4);
    expect(logger.count('state.redis.deletes_applied')).toBe(1);
  });

  it('drops deletions beyond its bound, with an error in the log', async () => {
    const logger = captureLogger();
    const queue = createDeleteQueue(async () => undefined, logger, 2);
    for (const n of [1, 2, 3]) queue.defer(key(n));
    expect(queue.size()).toBe(2);
    expect(logger.entries.at(-1)).toEqual({ level: 'error', event: 'state.redis.delete_dropped', fields: { pending: 2 } });
  });
});
