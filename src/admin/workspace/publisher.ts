/**
 * Publishing and rollback: under the store's `publish` lock, the whole knowledge base is loaded
 * with the changes and validated; only then are the files (or shared overrides) written, the
 * version recorded in the history, the new content applied and announced to other instances.
 */
import type { ContentIssue, KnowledgeBase, Logger } from '../../domain/index.js';
import type { AdminStore } from '../store/port.js';
import { historyId } from './hashes.js';
import type { LiveContent } from './live.js';
import { updateMarks } from './marks.js';
import type { PublishedContent } from './published.js';
import type { Draft, HistoryChange, HistoryEntry, PublishResult, Workspace } from './types.js';

/** What the publisher works with. */
export interface PublisherDeps {
  store: AdminStore;
  published: PublishedContent;
  live: LiveContent;
  logger: Logger;
  now: () => Date;
}

type VersionInfo = Pick<HistoryEntry, 'action' | 'note' | 'rollbackOf'>;

const errorName = (err: unknown): string => (err instanceof Error ? err.name : 'unknown');

/** The publish and rollback part of the workspace. */
export function createPublisher(deps: PublisherDeps): Pick<Workspace, 'publish' | 'rollback' | 'history'> {
  const { store } = deps;
  return {
    publish: (keys, user, note) => store.withLock('publish', () => publishDrafts(deps, keys, user, note)),
    rollback: (seq, user) => store.withLock('publish', () => rollBack(deps, seq, user)),
    async history() {
      return (await store.list<HistoryEntry>('history')).sort((a, b) => b.seq - a.seq);
    },
  };
}

/** Publishes the drafts of `keys`; drafts that change nothing are dropped. */
async function publishDrafts(deps: PublisherDeps, keys: readonly string[], user: string, note?: string): Promise<PublishResult> {
  const { store } = deps;
  const found = (await Promise.all(keys.map((k) => store.get<Draft>('drafts', k)))).filter((d): d is Draft => d !== undefined);
  const changes: HistoryChange[] = [];
  for (const d of found) {
    const before = (await deps.published.text(d.key)) ?? null;
    if (before !== d.text) changes.push({ key: d.key, before, after: d.text });
  }
  if (changes.length === 0) {
    for (const d of found) await store.delete('drafts', d.key);
    return { ok: false, reason: 'nothing' };
  }
  const notes = [note, ...found.map((d) => d.note)].filter((n): n is string => !!n?.trim());
  const result = await commit(deps, changes, user, { action: 'publish', note: notes.length ? [...new Set(notes)].join(' / ') : undefined });
  if (result.ok) for (const d of found) await store.delete('drafts', d.key);
  return result;
}

/** Publishes, as a new version, the files of version `seq` as they were before it. */
async function rollBack(deps: PublisherDeps, seq: number, user: string): Promise<PublishResult> {
  const target = await deps.store.get<HistoryEntry>('history', historyId(seq));
  if (!target) return { ok: false, reason: 'nothing' };
  const changes: HistoryChange[] = [];
  for (const c of target.changes) {
    const current = (await deps.published.text(c.key)) ?? null;
    if (current !== c.before) changes.push({ key: c.key, before: current, after: c.before });
  }
  if (changes.length === 0) return { ok: false, reason: 'nothing' };
  return commit(deps, changes, user, { action: 'rollback', rollbackOf: seq });
}

/**
 * The content with `changes` applied (and when loading it started, for the publish log), or the
 * issues that refuse it: errors in the changed files, or more errors than before.
 */
async function validate(deps: PublisherDeps, changes: readonly HistoryChange[]): Promise<{ kb: KnowledgeBase; errors: number; started: number } | { issues: ContentIssue[] }> {
  const current = await deps.published.overrides();
  const baseline = await deps.live.baselineErrors(current);
  const candidate = new Map(current);
  for (const c of changes) candidate.set(c.key, c.after);
  const started = performance.now();
  const { kb, errors } = await deps.live.load(candidate);
  const changed = new Set(changes.map((c) => c.key));
  const own = errors.filter((i) => changed.has(i.file));
  if (own.length > 0 || errors.length > baseline) {
    deps.logger.info('admin.publish_refused', { errors: errors.length, files: changes.length });
    return { issues: own.length > 0 ? own : errors };
  }
  return { kb, errors: errors.length, started };
}

/** Records version `seq` in the history. */
async function recordVersion(deps: PublisherDeps, seq: number, changes: HistoryChange[], user: string, info: VersionInfo): Promise<HistoryEntry> {
  const entry: HistoryEntry = { seq, at: deps.now().toISOString(), user, ...info, changes };
  if (entry.note === undefined) delete entry.note;
  if (entry.rollbackOf === undefined) delete entry.rollbackOf;
  await deps.store.put('history', historyId(seq), entry);
  return entry;
}

/** Validates the whole knowledge base with `changes`, then writes them and records the version. */
async function commit(deps: PublisherDeps, changes: HistoryChange[], user: string, info: VersionInfo): Promise<PublishResult> {
  const { store, live, logger } = deps;
  const valid = await validate(deps, changes);
  if ('issues' in valid) return { ok: false, reason: 'invalid', issues: valid.issues };
  await deps.published.write(changes);
  const seq = await store.incr('meta', 'version');
  const entry = await recordVersion(deps, seq, changes, user, info);
  await updateMarks(store, changes, live.kb(), valid.kb);
  live.setBaselineErrors(valid.errors);
  await live.apply(valid.kb, seq);
  await store.announce(seq).catch((err: unknown) => {
    logger.warn('admin.announce_failed', { error: errorName(err) });
  });
  logger.info('admin.published', { version: seq, files: changes.length, action: info.action, ms: Math.round(performance.now() - valid.started) });
  return { ok: true, entry };
}
