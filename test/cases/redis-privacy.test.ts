/**
 * What the Redis case store holds, read straight from Redis: no raw user id and no message text
 * in clear in any key or value; forget-me leaves nothing of the user (only the case's metadata,
 * closed as forgotten, unlinked from them); closed cases' keys expire; two instances sharing one
 * Redis see the same cases, the same live events and one outbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseEvent } from '../../src/domain/index.js';
import { createSealer } from '../../src/cases/crypto.js';
import { createRedisCaseStore } from '../../src/cases/redis-store.js';
import { createLogger } from '../../src/logging/logger.js';
import { connectAdmin, deleteByPrefix, globEscape, redisSuite, scanKeys, uniquePrefix, type AdminClient } from '../helpers/redis.js';
import { ADMIN, WORKER_A, deskOver, openCase } from './support.js';

const redis = await redisSuite();

/** Every key under `prefix` with its whole content as text. */
async function dump(admin: AdminClient, prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const key of await scanKeys(admin, `${globEscape(prefix)}*`)) {
    const type = await admin.type(key);
    let value: unknown;
    if (type === 'string') value = await admin.get(key);
    else if (type === 'list') value = await admin.lRange(key, 0, -1);
    else if (type === 'hash') value = await admin.hGetAll(key);
    else if (type === 'set') value = await admin.sMembers(key);
    else if (type === 'zset') value = await admin.zRange(key, 0, -1);
    out.set(key, JSON.stringify(value));
  }
  return out;
}

describe.skipIf(!redis.available)('Redis case store: what it keeps', () => {
  const prefix = uniquePrefix('cases');
  let admin: AdminClient;
  const store = () => createRedisCaseStore({ topology: { kind: 'standalone', url: redis.url }, prefix, commandTimeoutMs: 2000, logger: createLogger('silent') });

  beforeAll(async () => {
    admin = await connectAdmin(redis.url);
  });
  afterAll(async () => {
    if (!admin) return;
    await deleteByPrefix(admin, prefix);
    admin.destroy();
  });

  it('holds no raw user id or message text in clear, and forget-me leaves nothing of the user', async () => {
    const { desk } = await deskOver(await store());
    const phone = '+212677001122';
    const sms = await openCase(desk, { channel: 'sms', callback: true, userId: phone });
    const web = await openCase(desk, { channel: 'web', userId: 'web-client-7f3a', key: sms.key });
    await desk.fromUser({ ref: sms.ref, key: sms.key, text: 'Mon patron garde mon salaire', at: Date.now() });
    await desk.reply(WORKER_A, web.ref, 'Nous appelons l inspection du travail');
    const texts = [phone, '212677001122', 'web-client-7f3a', 'Mon patron', 'inspection du travail'];
    const before = await dump(admin, prefix);
    for (const [key, value] of before) for (const text of texts) expect(`${key} ${value}`).not.toContain(text);
    expect([...before.keys()].some((k) => k.includes(`{${sms.ref}}`))).toBe(true);

    await desk.forgetUser(sms.key);
    const after = await dump(admin, prefix);
    for (const [key, value] of after) {
      expect(key).not.toContain(sms.key);
      expect(value).not.toContain(sms.key);
      for (const text of texts) expect(value).not.toContain(text);
    }
    // Of each case only its metadata remains (closed as forgotten), until the sweep deletes it.
    for (const ref of [sms.ref, web.ref]) {
      expect([...after.keys()].filter((k) => k.includes(`{${ref}}`))).toEqual([`${prefix}case:{${ref}}:s`]);
      expect((await desk.read(ADMIN, ref))!.summary).toMatchObject({ status: 'closed', outcome: 'forgotten' });
    }
    await desk.shutdown();
  });

  it('a closed case keeps a TTL on every key (retention + 1 day) behind the sweep', async () => {
    const { desk } = await deskOver(await createRedisCaseStore({ topology: { kind: 'standalone', url: redis.url }, prefix, commandTimeoutMs: 2000, logger: createLogger('silent'), limits: { closedTtlMs: 31 * 86_400_000 } }));
    const { ref, key } = await openCase(desk);
    await desk.fromUser({ ref, key, text: 'bonjour', at: Date.now() });
    expect(await admin.pTTL(`${prefix}case:{${ref}}:s`)).toBe(-1);
    await desk.close(WORKER_A, ref, 'informed');
    const caseKeys = await scanKeys(admin, `${globEscape(prefix)}case:{${ref}}:*`);
    expect(caseKeys.length).toBeGreaterThanOrEqual(4);
    for (const k of caseKeys) {
      const ttl = await admin.pTTL(k);
      expect(ttl, k).toBeGreaterThan(30 * 86_400_000);
      expect(ttl, k).toBeLessThanOrEqual(31 * 86_400_000);
    }
    await desk.shutdown();
  });

  it('two instances on one Redis share cases, live events and one outbox', async () => {
    const a = await deskOver(await store());
    // The second instance has the same key, as every instance of a deployment does.
    const second = await deskOver(await store(), { sealer: createSealer([a.key]) });
    const seen: CaseEvent[] = [];
    second.desk.subscribe((e) => seen.push(e));
    const { ref, key } = await openCase(a.desk, { channel: 'web' });
    await a.desk.fromUser({ ref, key, text: 'Il y a quelqu un ?', at: Date.now() });
    for (let i = 0; i < 200 && seen.filter((e) => e.ref === ref).length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(seen.filter((e) => e.ref === ref).map((e) => e.kind)).toEqual(['opened', 'message']);
    const read = await second.desk.read(WORKER_A, ref);
    expect(read!.messages.map((m) => m.text)).toEqual(['Il y a quelqu un ?']);
    await second.desk.reply(WORKER_A, ref, 'Oui, je suis là');
    const [fromA, fromB] = await Promise.all([a.desk.takeWebReplies(key), second.desk.takeWebReplies(key)]);
    expect([...fromA, ...fromB].map((r) => r.text)).toEqual(['Org caritas : Oui, je suis là']);
    await a.desk.shutdown();
    await second.desk.shutdown();
  });
});
