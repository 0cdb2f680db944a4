/**
 * Drafts: unpublished changes to one file each, kept in the admin store.
 */
import type { Logger } from '../../domain/index.js';
import { parseContentKey } from '../../knowledge/publish.js';
import type { AdminStore } from '../store/port.js';
import { textHash } from './hashes.js';
import type { PublishedContent } from './published.js';
import type { Draft, Workspace } from './types.js';

/** The drafts part of the workspace. */
export type Drafts = Pick<Workspace, 'draft' | 'drafts' | 'saveDraft' | 'discardDraft'>;

/** Drafts in `store`; a new draft remembers the hash of the published text it started from. */
export function createDrafts(store: AdminStore, published: PublishedContent, logger: Logger, now: () => Date): Drafts {
  return {
    draft: (key) => store.get<Draft>('drafts', key),

    async drafts() {
      return (await store.list<Draft>('drafts')).sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
    },

    async saveDraft(key, text, author, origin, note) {
      if (!parseContentKey(key)) throw new Error('not a content key');
      const existing = await store.get<Draft>('drafts', key);
      const base = existing?.base ?? textHash(await published.text(key));
      const draft: Draft = { key, text: text.replace(/\r\n?/g, '\n'), base, author, updatedAt: now().toISOString(), origin };
      if (note?.trim()) draft.note = note.trim().slice(0, 500);
      await store.put('drafts', key, draft);
      logger.info('admin.draft_saved', { kind: parseContentKey(key)!.kind, origin });
      return draft;
    },

    async discardDraft(key) {
      await store.delete('drafts', key);
    },
  };
}
