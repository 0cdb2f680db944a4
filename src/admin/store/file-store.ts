/**
 * The file implementation of `AdminStore` (the embedded default, one instance): one JSON file per
 * record under `<dataDir>/<collection>/`, written atomically, readable by the owner only.
 * Expired records are skipped on read and swept once an hour (and on `list`).
 */
import { chmod, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../knowledge/publish.js';
import { ADMIN_COLLECTIONS, checkId, createLocalMutex, type AdminCollection, type AdminStore } from './port.js';

interface Envelope<T> {
  v: T;
  /** Expiry, milliseconds since the epoch; null for none. */
  exp: number | null;
}

/** Options of `createFileAdminStore`. */
export interface FileAdminStoreOptions {
  dataDir: string;
  /** Clock (tests move it forward). */
  now?: () => number;
  /** How often expired records are removed (default one hour; 0: never, for tests). */
  sweepIntervalMs?: number;
}

const nameOf = (id: string): string => `${Buffer.from(id, 'utf8').toString('base64url')}.json`;

/** Reading and writing envelopes (a value and its expiry) in the files of `root`. */
function envelopeFiles(root: string, now: () => number) {
  const read = async <T>(file: string): Promise<Envelope<T> | undefined> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return undefined;
      throw err;
    }
    const env = JSON.parse(text) as Envelope<T>;
    if (env.exp !== null && env.exp <= now()) {
      await rm(file, { force: true });
      return undefined;
    }
    return env;
  };
  return {
    read,
    async write<T>(file: string, value: T, ttlSeconds?: number): Promise<void> {
      const env: Envelope<T> = { v: value, exp: ttlSeconds ? now() + ttlSeconds * 1000 : null };
      await writeFileAtomic(file, JSON.stringify(env));
      await chmod(file, 0o600);
    },
    /** The live values of a collection (expired records are removed on the way). */
    async list<T>(c: AdminCollection): Promise<T[]> {
      const dir = path.join(root, c);
      const names = (await readdir(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
      const out: T[] = [];
      for (const n of names) {
        try {
          const env = await read<T>(path.join(dir, n));
          if (env) out.push(env.v);
        } catch {
          // a record being replaced right now, or damaged: skipped
        }
      }
      return out;
    },
  };
}

/** Opens (creating when needed) a file admin store. */
export async function createFileAdminStore(opts: FileAdminStoreOptions): Promise<AdminStore> {
  const now = opts.now ?? Date.now;
  const root = path.resolve(opts.dataDir);
  await mkdir(root, { recursive: true, mode: 0o700 });
  await Promise.all(ADMIN_COLLECTIONS.map((c) => mkdir(path.join(root, c), { recursive: true, mode: 0o700 })));
  const fileOf = (c: AdminCollection, id: string): string => {
    checkId(id);
    return path.join(root, c, nameOf(id));
  };
  const mutex = createLocalMutex();
  const signalListeners: Array<(name: string) => void> = [];
  const files = envelopeFiles(root, now);

  const sweep = async (): Promise<void> => {
    for (const c of ['sessions', 'missed', 'erasure', 'imports', 'limits', 'devices', 'insights'] as const) await files.list(c).catch(() => undefined);
  };
  const interval = opts.sweepIntervalMs ?? 3_600_000;
  const timer = interval > 0 ? setInterval(() => void sweep(), interval) : undefined;
  timer?.unref();

  return {
    shared: false,
    async get<T>(c: AdminCollection, id: string) {
      return (await files.read<T>(fileOf(c, id)))?.v;
    },
    async put<T>(c: AdminCollection, id: string, value: T, ttlSeconds?: number) {
      await files.write(fileOf(c, id), value, ttlSeconds);
    },
    async delete(c, id) {
      await rm(fileOf(c, id), { force: true });
    },
    list: (c) => files.list(c),
    incr(c, id, ttlSeconds) {
      const file = fileOf(c, id);
      return mutex(`incr:${c}`, async () => {
        const env = await files.read<number>(file);
        const n = (env?.v ?? 0) + 1;
        const exp = env ? env.exp : ttlSeconds ? now() + ttlSeconds * 1000 : null;
        await writeFileAtomic(file, JSON.stringify({ v: n, exp } satisfies Envelope<number>));
        return n;
      });
    },
    addCounts(c, id, counts, ttlSeconds) {
      const file = fileOf(c, id);
      return mutex(`counts:${c}`, async () => {
        const env = await files.read<Record<string, number>>(file);
        const v: Record<string, number> = { ...env?.v };
        for (const [field, n] of Object.entries(counts)) v[field] = (v[field] ?? 0) + n;
        const exp = ttlSeconds ? now() + ttlSeconds * 1000 : (env?.exp ?? null);
        await writeFileAtomic(file, JSON.stringify({ v, exp } satisfies Envelope<Record<string, number>>));
        await chmod(file, 0o600);
      });
    },
    async getCounts(c, ids) {
      return Promise.all(ids.map(async (id) => ({ ...(await files.read<Record<string, number>>(fileOf(c, id)).catch(() => undefined))?.v })));
    },
    withLock: (name, fn) => mutex(`lock:${name}`, fn),
    async announce() {
      // one instance: nobody to tell
    },
    async onAnnounce() {
      // one instance: nothing to hear
    },
    async signal(name) {
      // one instance: only this one's listeners hear it
      for (const l of signalListeners) l(name);
    },
    async onSignal(listener) {
      signalListeners.push(listener);
    },
    async close() {
      if (timer) clearInterval(timer);
    },
  };
}
