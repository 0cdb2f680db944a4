/**
 * The knowledge base this instance runs: which version it has applied, the number of content
 * errors it was loaded with (a publish may not add any), and reloading it, one load at a time,
 * when another instance announces a newer version.
 */
import type { ContentIssue, KnowledgeBase, Logger } from '../../domain/index.js';
import { todayIso, type LoadKnowledgeOptions } from '../../knowledge/index.js';
import { loadKnowledgeWithOverrides } from '../../knowledge/publish.js';
import type { PublishedContent } from './published.js';

/** Options of `createLiveContent`. */
export interface LiveContentOptions {
  kb: KnowledgeBase;
  knowledge: LoadKnowledgeOptions;
  onPublished: (kb: KnowledgeBase) => void | Promise<void>;
  published: PublishedContent;
  logger: Logger;
  now: () => Date;
}

/** The running knowledge base and its version. */
export interface LiveContent {
  kb(): KnowledgeBase;
  /** The version applied here (-1: unknown, the shared store could not be read). */
  version(): number;
  setVersion(version: number): void;
  /** Loads the content with the given overrides instead of the shared ones. */
  load(overrides: ReadonlyMap<string, string | null>): Promise<{ kb: KnowledgeBase; errors: ContentIssue[] }>;
  /** Errors of the content as last loaded (loaded now, with `overrides`, if not known yet). */
  baselineErrors(overrides: ReadonlyMap<string, string | null>): Promise<number>;
  setBaselineErrors(errors: number): void;
  /** Runs `next` and tells `onPublished` (a failure there is logged, never thrown). */
  apply(next: KnowledgeBase, version: number): Promise<void>;
  /** Loads the shared overrides and applies them when `version` is newer than what runs here. */
  reload(version: number): Promise<void>;
  /** Resolves when no reload is running. */
  settled(): Promise<void>;
}

const errorName = (err: unknown): string => (err instanceof Error ? err.name : 'unknown');

/** Starts at `opts.kb`, version 0. */
export function createLiveContent(opts: LiveContentOptions): LiveContent {
  const { logger } = opts;
  let kb = opts.kb;
  let applied = 0;
  let baseline: number | undefined;
  let reloading: Promise<void> = Promise.resolve();

  const load: LiveContent['load'] = async (overrides) => {
    const loaded = await loadKnowledgeWithOverrides({ ...opts.knowledge, today: todayIso(opts.now()) }, overrides);
    return { kb: loaded.kb, errors: loaded.issues.filter((i) => i.severity === 'error') };
  };

  const apply: LiveContent['apply'] = async (next, version) => {
    kb = next;
    applied = Math.max(applied, version);
    try {
      await opts.onPublished(next);
    } catch (err) {
      logger.error('admin.reload_failed', { error: errorName(err) });
    }
  };

  const reloadNow = async (version: number): Promise<void> => {
    if (version <= applied) return;
    const started = performance.now();
    try {
      const { kb: next, errors } = await load(await opts.published.overrides());
      baseline = errors.length;
      if (errors.length > 0) logger.warn('admin.reload_with_errors', { errors: errors.length });
      await apply(next, version);
      logger.info('admin.content_reloaded', { version, ms: Math.round(performance.now() - started) });
    } catch (err) {
      logger.error('admin.reload_failed', { version, error: errorName(err) });
    }
  };

  return {
    kb: () => kb,
    version: () => applied,
    setVersion(version) {
      applied = version;
    },
    load,
    async baselineErrors(overrides) {
      baseline ??= (await load(overrides)).errors.length;
      return baseline;
    },
    setBaselineErrors(errors) {
      baseline = errors;
    },
    apply,
    reload(version) {
      reloading = reloading.then(() => reloadNow(version));
      return reloading;
    },
    settled: () => reloading,
  };
}
