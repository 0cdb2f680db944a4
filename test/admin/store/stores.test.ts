/**
 * The admin store port, run against both implementations: files (the embedded default) and a
 * real Redis (REDIS_URL, default the local one; skipped with one loud line when none answers,
 * except on CI). Records, lifetimes, counters, locks, and announcements between instances.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileAdminStore } from '../../../src/admin/store/file-store.js';
import type { AdminStore } from '../../../src/admin/store/port.js';
import { createRedisAdminStore } from '../../../src/admin/store/redis-store.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { connectAdmin, deleteByPrefix, globEscape, redisSuite, scanKeys, uniquePrefix } from '../../helpers/redis.js';

const redis = await redisSuite();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Impl {
  name: string;
  available: boolean;
  /** Opens a store; a second call with the same `shared` value opens another instance on the same data. */
  open(clock?: { now: number }): Promise<AdminStore>;
  cleanup(): Promise<void>;
}

const dirs: string[] = [];
const fileImpl: Impl = {
  name: 'files',
  available: true,
  async open(clock) {
    const dir = dirs[0] ?? mkdtempSync(path.join(tmpdir(), 'dalil-admin-store-'));
    if (!dirs.includes(dir)) dirs.push(dir);
    return createFileAdminStore({ dataDir: dir, sweepIntervalMs: 0, ...(clock ? { now: () => clock.now } : {}) });
  },
  async cleanup() {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  },
};
const prefix = uniquePrefix('admin');
const redisImpl: Impl = {
  name: 'redis',
  available: redis.available,
  open: () => createRedisAdminStore({ url: redis.url, prefix, logger: silentLogger }),
  async cleanup() {
    if (!redis.available) return;
    const c = await connectAdmin(redis.url);
    await deleteByPrefix(c, prefix);
    c.destroy();
  },
};

for (const impl of [fileImpl, redisImpl]) {
  describe.skipIf(!impl.available)(`admin store: ${impl.name}`, () => {
    const open: AdminStore[] = [];
    const make = async (clock?: { now: number }): Promise<AdminStore> => {
      const s = await impl.open(clock);
      open.push(s);
      return s;
    };
    afterAll(async () => {
      await Promise.all(open.map((s) => s.close()));
      await impl.cleanup();
    });

    it('keeps records by collection and id, lists and deletes them', async () => {
      const s = await make();
      await s.put('drafts', 'content/topics/housing/fr.md', { key: 'content/topics/housing/fr.md', text: 'a' });
      await s.put('drafts', 'intents/ar/banking.txt', { key: 'intents/ar/banking.txt', text: 'ب' });
      await s.put('users', 'content/topics/housing/fr.md', { other: true });
      expect(await s.get('drafts', 'content/topics/housing/fr.md')).toEqual({ key: 'content/topics/housing/fr.md', text: 'a' });
      expect((await s.list<{ key: string }>('drafts')).map((d) => d.key).sort()).toEqual(['content/topics/housing/fr.md', 'intents/ar/banking.txt']);
      await s.delete('drafts', 'intents/ar/banking.txt');
      expect(await s.get('drafts', 'intents/ar/banking.txt')).toBeUndefined();
      expect(await s.list('drafts')).toHaveLength(1);
      const other = await make();
      expect(await other.get('users', 'content/topics/housing/fr.md')).toEqual({ other: true });
    });

    it('forgets records with a lifetime once it is over, and counts within a window', async () => {
      if (impl.name === 'files') {
        const clock = { now: Date.now() };
        const s = await make(clock);
        await s.put('missed', 'q1', { id: 'q1' }, 60);
        await s.put('missed', 'q2', { id: 'q2' });
        expect(await s.incr('limits', 'k', 60)).toBe(1);
        expect(await s.incr('limits', 'k', 60)).toBe(2);
        clock.now += 61_000;
        expect(await s.get('missed', 'q1')).toBeUndefined();
        expect((await s.list<{ id: string }>('missed')).map((q) => q.id)).toEqual(['q2']);
        expect(await s.incr('limits', 'k', 60)).toBe(1);
      } else {
        const s = await make();
        await s.put('missed', 'q1', { id: 'q1' }, 1);
        await s.put('missed', 'q2', { id: 'q2' });
        expect(await s.incr('limits', 'k', 1)).toBe(1);
        expect(await s.incr('limits', 'k', 1)).toBe(2);
        const c = await connectAdmin(redis.url);
        const ttl = await c.ttl(`${prefix}{adm}:missed:q1`);
        expect(ttl).toBeGreaterThan(0);
        await sleep(1300);
        expect(await c.exists(`${prefix}{adm}:missed:q1`)).toBe(0);
        c.destroy();
        expect((await s.list<{ id: string }>('missed')).map((q) => q.id)).toEqual(['q2']);
        expect(await s.incr('limits', 'k', 1)).toBe(1);
      }
    });

    it('runs locked sections one at a time', async () => {
      const a = await make();
      const b = impl.name === 'redis' ? await make() : a;
      const trace: string[] = [];
      const section = (s: AdminStore, name: string) =>
        s.withLock('publish', async () => {
          trace.push(`${name}+`);
          await sleep(50);
          trace.push(`${name}-`);
        });
      await Promise.all([section(a, 'a'), section(b, 'b'), section(a, 'c')]);
      for (let i = 0; i < trace.length; i += 2) expect(trace[i]!.slice(0, 1)).toBe(trace[i + 1]!.slice(0, 1));
    });

    if (impl.name === 'redis') {
      it('announces a published version to the other instances, keys under the prefix', async () => {
        const a = await make();
        const b = await make();
        const heard: number[] = [];
        await b.onAnnounce((v) => heard.push(v));
        await a.announce(7);
        for (let i = 0; i < 50 && heard.length === 0; i++) await sleep(20);
        expect(heard).toEqual([7]);
        const c = await connectAdmin(redis.url);
        const keys = await scanKeys(c, `${globEscape(prefix)}*`);
        c.destroy();
        expect(keys.length).toBeGreaterThan(0);
        for (const k of keys) expect(k.startsWith(`${prefix}{adm}:`)).toBe(true);
      });
    } else {
      it('keeps files readable by their owner only', async () => {
        const s = await make();
        await s.put('users', 'ana', { username: 'ana' });
        const dir = path.join(dirs[0]!, 'users');
        for (const f of readdirSync(dir)) expect(statSync(path.join(dir, f)).mode & 0o077).toBe(0);
        expect(statSync(dirs[0]!).mode & 0o077).toBe(0);
      });
    }
  });
}

describe('admin store: Redis unreachable', () => {
  it('does not stop the server from starting: calls fail until Redis answers', async () => {
    const { captureLogger } = await import('../support.js');
    const logger = captureLogger();
    const started = Date.now();
    const s = await createRedisAdminStore({ url: 'redis://127.0.0.1:1', prefix: 'dalil-test:', logger, commandTimeoutMs: 200 });
    expect(Date.now() - started).toBeLessThan(3000);
    await expect(s.get('users', 'ana')).rejects.toThrow();
    expect(logger.lines.some((l) => l.includes('admin.redis.not_connected'))).toBe(true);
    await s.close();
  });
});
