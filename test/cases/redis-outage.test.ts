/**
 * Redis down during a case, on a redis-server of the test's own (started, killed and restarted;
 * persisted so the cases survive the restart): a user's message into a case is queued on this
 * instance and stored once Redis is back, in order; a case worker's reply fails with a clear
 * error the inbox can show, and nothing reaches the user. Logs carry counts, never text.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CaseStoreUnavailableError } from '../../src/cases/store.js';
import { createRedisCaseStore } from '../../src/cases/redis-store.js';
import { createLogger } from '../../src/logging/logger.js';
import { redisServerSuite, startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { uniquePrefix } from '../helpers/redis.js';
import { WORKER_A, deskOver, openCase } from './support.js';

const runs = redisServerSuite();

describe.skipIf(!runs)('case desk while Redis is down', () => {
  const servers: RedisServerHandle[] = [];
  const shutdowns: Array<() => Promise<void>> = [];

  const setup = async () => {
    const server = await startRedisServer(undefined, { persist: true });
    servers.push(server);
    const store = await createRedisCaseStore({
      topology: { kind: 'standalone', url: server.url },
      prefix: uniquePrefix('cases-outage'),
      commandTimeoutMs: 300,
      connectTimeoutMs: 1000,
      reconnectMaxDelayMs: 100,
      logger: createLogger('silent'),
    });
    const env = await deskOver(store, { pending: { retryMs: 100 } });
    shutdowns.push(() => env.desk.shutdown());
    return { server, ...env };
  };

  afterEach(async () => {
    for (const stop of shutdowns.splice(0)) await stop();
    for (const s of servers.splice(0)) await s.stop();
  });

  it('queues the user messages and stores them, in order, once Redis is back', async () => {
    const { server, desk, log, clock } = await setup();
    const { ref, key } = await openCase(desk);
    await desk.fromUser({ ref, key, text: 'first, before the outage', at: clock.now });
    await server.stop();
    await desk.fromUser({ ref, key, text: 'second, during the outage', at: clock.now + 1 });
    await desk.fromUser({ ref, key, text: 'third, during the outage', at: clock.now + 2 });
    expect(desk.pendingCount()).toBe(2);
    await server.start();
    for (let i = 0; i < 300 && desk.pendingCount() > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(desk.pendingCount()).toBe(0);
    const read = await desk.read(WORKER_A, ref);
    expect(read!.messages.map((m) => m.text)).toEqual(['first, before the outage', 'second, during the outage', 'third, during the outage']);
    expect(read!.summary.lastUserAt).toBe(clock.now + 2);
    const events = log.events();
    expect(events.filter((e) => e.event === 'case.message_queued').map((e) => e.queued)).toEqual([1, 2]);
    expect(events.find((e) => e.event === 'case.pending_flushed')).toMatchObject({ count: 2, left: 0 });
    expect(log.lines.join('\n')).not.toMatch(/during the outage/);
  });

  it('a case worker reply fails with a clear error, and nothing reaches the user', async () => {
    const { server, desk, telegram, log } = await setup();
    const { ref } = await openCase(desk);
    await server.stop();
    const error = await desk.reply(WORKER_A, ref, 'Nous vous rappelons').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(CaseStoreUnavailableError);
    expect((error as Error).message).toMatch(/the reply was not sent/);
    expect(telegram.sent).toEqual([]);
    expect(log.events().find((e) => e.event === 'case.reply_failed')).toMatchObject({ ref, reason: 'store-unavailable' });
    await server.start();
    for (let i = 0; i < 100; i++) {
      const retried = await desk.reply(WORKER_A, ref, 'Nous vous rappelons').catch(() => undefined);
      if (retried) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(telegram.sent.map((s) => s.text)).toEqual(['Org caritas : Nous vous rappelons']);
  });

  it('forget-me during an outage fails loudly rather than pretending, and drops the queued messages', async () => {
    const { server, desk, clock } = await setup();
    const { ref, key } = await openCase(desk);
    await server.stop();
    await desk.fromUser({ ref, key, text: 'queued then forgotten', at: clock.now });
    expect(desk.pendingCount()).toBe(1);
    await expect(desk.forgetUser(key)).rejects.toBeInstanceOf(CaseStoreUnavailableError);
    expect(desk.pendingCount()).toBe(0);
  });
});
