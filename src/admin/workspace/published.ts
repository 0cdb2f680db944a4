/**
 * Where published content lives: the content files on the embedded default; with a shared store,
 * overrides in the store (one record per changed file) over the files the instances shipped with.
 */
import { parseContentKey, readContentFile, writeContentFile } from '../../knowledge/publish.js';
import type { AdminStore } from '../store/port.js';
import type { HistoryChange, OverrideRecord } from './types.js';

/** Reads and writes published content. */
export interface PublishedContent {
  /** The published text of a file (`undefined` when there is none). */
  text(key: string): Promise<string | undefined>;
  /** The shared overrides by key (`null`: file deleted); empty without a shared store. */
  overrides(): Promise<Map<string, string | null>>;
  /** Writes the `after` side of each change. */
  write(changes: readonly HistoryChange[]): Promise<void>;
  /** Drops overrides equal to the files on disk (once committed and deployed); returns how many remain. */
  dropDeployed(): Promise<number>;
}

/** Published content of `dirs` (and of the store's overrides when it is shared). */
export function createPublishedContent(store: AdminStore, dirs: { contentDir: string; intentsDir: string }): PublishedContent {
  return {
    async text(key) {
      if (!parseContentKey(key)) throw new Error('not a content key');
      if (store.shared) {
        const o = await store.get<OverrideRecord>('overrides', key);
        if (o) return o.text ?? undefined;
      }
      return readContentFile(key, dirs);
    },

    async overrides() {
      if (!store.shared) return new Map();
      const records = await store.list<OverrideRecord>('overrides');
      return new Map(records.filter((r) => parseContentKey(r.key)).map((r) => [r.key, r.text]));
    },

    async write(changes) {
      if (store.shared) {
        for (const c of changes) await store.put<OverrideRecord>('overrides', c.key, { key: c.key, text: c.after });
      } else {
        for (const c of changes) await writeContentFile(c.key, c.after, dirs);
      }
    },

    async dropDeployed() {
      let live = 0;
      for (const r of await store.list<OverrideRecord>('overrides')) {
        if (!parseContentKey(r.key)) continue;
        const disk = await readContentFile(r.key, dirs);
        if ((disk ?? null) === r.text) await store.delete('overrides', r.key);
        else live++;
      }
      return live;
    },
  };
}
