/**
 * The editors' workspace: drafts, validation by the rules of `content:check`, publishing (to the
 * content files on the embedded default, to overrides shared through Redis otherwise), the version
 * history with rollback, and reloading the knowledge base on every instance after a publish.
 */
import { createHash } from 'node:crypto';
import { LANGS } from '../domain/index.js';
import type { ContentIssue, KnowledgeBase, Logger, TopicAnswer, TopicId } from '../domain/index.js';
import { checkPhraseCollisions, todayIso, validateAnswer, validateIntentFile } from '../knowledge/index.js';
import type { LoadKnowledgeOptions, PhraseAt } from '../knowledge/index.js';
import {
  answerKey,
  loadKnowledgeWithOverrides,
  parseContentKey,
  phrasesKey,
  readContentFile,
  writeContentFile,
} from '../knowledge/publish.js';
import type { AdminStore } from './store/port.js';

/** An unpublished change to one file. */
export interface Draft {
  key: string;
  /** The whole new file text. */
  text: string;
  /** Hash of the published text the draft started from ('' when there was no file). */
  base: string;
  author: string;
  updatedAt: string;
  origin: 'editor' | 'import' | 'missed';
  note?: string;
}

/** One file changed by a version. `null` means the file did not exist. */
export interface HistoryChange {
  key: string;
  before: string | null;
  after: string | null;
}

/** One published version. */
export interface HistoryEntry {
  seq: number;
  at: string;
  user: string;
  action: 'publish' | 'rollback';
  note?: string;
  /** For a rollback: the version undone. */
  rollbackOf?: number;
  changes: HistoryChange[];
}

/** The French answer a translation was last published against (to tell stale translations). */
export interface SourceMark {
  /** `<topic>:<lang>` of the translation. */
  id: string;
  frHash: string;
  frReviewed: string;
}

/** What a publish or rollback gives. */
export type PublishResult =
  | { ok: true; entry: HistoryEntry }
  | { ok: false; reason: 'invalid'; issues: ContentIssue[] }
  | { ok: false; reason: 'nothing' };

/** An override shared through Redis: the text of a file, or `null` for a deleted file. */
interface OverrideRecord {
  key: string;
  text: string | null;
}

/** Options of `createWorkspace`. */
export interface WorkspaceOptions {
  store: AdminStore;
  /** Where content lives and how it is checked (as `buildCore` loads it). */
  knowledge: LoadKnowledgeOptions;
  /** The knowledge base the server started with. */
  kb: KnowledgeBase;
  /** Called with the new knowledge base after each publish (here or on another instance). */
  onPublished: (kb: KnowledgeBase) => void | Promise<void>;
  logger: Logger;
  now?: () => Date;
  /** With a shared store: how often to check for a missed announcement (default 30 s; 0: never). */
  pollSeconds?: number;
}

/** The workspace API the admin routes use. */
export interface Workspace {
  kb(): KnowledgeBase;
  /** Content version: the number of the last version published (0 before any). */
  version(): number;
  start(): Promise<void>;
  /** The published text of a file (`undefined` when there is none). */
  published(key: string): Promise<string | undefined>;
  draft(key: string): Promise<Draft | undefined>;
  drafts(): Promise<Draft[]>;
  saveDraft(key: string, text: string, author: string, origin: Draft['origin'], note?: string): Promise<Draft>;
  discardDraft(key: string): Promise<void>;
  /** The issues `content:check` would report on this one file (plus phrase collisions). */
  check(key: string, text: string): ContentIssue[];
  publish(keys: readonly string[], user: string, note?: string): Promise<PublishResult>;
  rollback(seq: number, user: string): Promise<PublishResult>;
  history(): Promise<HistoryEntry[]>;
  entry(seq: number): Promise<HistoryEntry | undefined>;
  marks(): Promise<Map<string, SourceMark>>;
  close(): Promise<void>;
}

/** Hash of a file text (drafts remember what they started from). */
export function textHash(text: string | undefined | null): string {
  return text === undefined || text === null ? '' : createHash('sha256').update(text).digest('base64url').slice(0, 16);
}

/** Hash of what a translation translates: title, body, short form and sources. */
export function answerHash(a: TopicAnswer): string {
  return createHash('sha256')
    .update(JSON.stringify([a.title, a.body, a.sms, a.sources]))
    .digest('base64url')
    .slice(0, 16);
}

const markId = (topic: TopicId, lang: string): string => `${topic}:${lang}`;
const historyId = (seq: number): string => String(seq).padStart(10, '0');

/** Creates the workspace (call `start()` before serving). */
export function createWorkspace(opts: WorkspaceOptions): Workspace {
  const { store, logger } = opts;
  const now = opts.now ?? (() => new Date());
  const dirs = { contentDir: opts.knowledge.contentDir, intentsDir: opts.knowledge.intentsDir };
  let kb = opts.kb;
  let applied = 0;
  /** Errors of the content as last loaded by the workspace (undefined until first needed). */
  let baselineErrors: number | undefined;
  let poll: NodeJS.Timeout | undefined;
  let reloading: Promise<void> = Promise.resolve();

  const loadOpts = (): LoadKnowledgeOptions => ({ ...opts.knowledge, today: todayIso(now()) });

  const overrides = async (): Promise<Map<string, string | null>> => {
    if (!store.shared) return new Map();
    const records = await store.list<OverrideRecord>('overrides');
    return new Map(records.filter((r) => parseContentKey(r.key)).map((r) => [r.key, r.text]));
  };

  const published = async (key: string): Promise<string | undefined> => {
    if (!parseContentKey(key)) throw new Error('not a content key');
    if (store.shared) {
      const o = await store.get<OverrideRecord>('overrides', key);
      if (o) return o.text ?? undefined;
    }
    return readContentFile(key, dirs);
  };

  const apply = async (next: KnowledgeBase, version: number): Promise<void> => {
    kb = next;
    applied = Math.max(applied, version);
    try {
      await opts.onPublished(next);
    } catch (err) {
      logger.error('admin.reload_failed', { error: err instanceof Error ? err.name : 'unknown' });
    }
  };

  /** Loads the shared overrides and applies them when `version` is newer than what runs here. */
  const reload = (version: number): Promise<void> => {
    reloading = reloading.then(async () => {
      if (version <= applied) return;
      const started = performance.now();
      try {
        const { kb: next, issues } = await loadKnowledgeWithOverrides(loadOpts(), await overrides());
        const errors = issues.filter((i) => i.severity === 'error').length;
        baselineErrors = errors;
        if (errors > 0) logger.warn('admin.reload_with_errors', { errors });
        await apply(next, version);
        logger.info('admin.content_reloaded', { version, ms: Math.round(performance.now() - started) });
      } catch (err) {
        logger.error('admin.reload_failed', { version, error: err instanceof Error ? err.name : 'unknown' });
      }
    });
    return reloading;
  };

  const check = (key: string, text: string): ContentIssue[] => {
    const ref = parseContentKey(key);
    if (!ref) throw new Error('not a content key');
    if (ref.kind === 'answer') {
      return validateAnswer(text, {
        file: key,
        topic: ref.topic,
        lang: ref.lang,
        smsShortFormSegments: opts.knowledge.smsShortFormSegments,
        today: todayIso(now()),
        organisationIds: new Set(kb.organisations.keys()),
      }).issues;
    }
    const own = validateIntentFile(text, { file: key, intent: ref.intent, lang: ref.lang });
    const counters = new Map<string, number>();
    const others: PhraseAt[] = kb.phrases
      .filter((p) => p.lang === ref.lang && p.intent !== ref.intent)
      .map((p) => {
        const file = phrasesKey(p.lang, p.intent);
        const line = (counters.get(file) ?? 0) + 1;
        counters.set(file, line);
        return { ...p, file, line };
      });
    // A collision is placed on whichever file sorts later; report the ones that involve this file here.
    const at = new RegExp(`\\(${key.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:(\\d+)\\)`);
    const collisions = checkPhraseCollisions([...own.phrases, ...others]).flatMap((i) => {
      if (i.file === key) return [i];
      const m = at.exec(i.message);
      return m ? [{ ...i, file: key, line: Number(m[1]) }] : [];
    });
    return [...own.issues, ...collisions].sort((a, b) => a.line - b.line);
  };

  const updateMarks = async (changes: readonly HistoryChange[], before: KnowledgeBase, after: KnowledgeBase): Promise<void> => {
    for (const c of changes) {
      const ref = parseContentKey(c.key);
      if (!ref || ref.kind !== 'answer') continue;
      if (ref.lang !== 'fr') {
        const fr = after.answers.get(ref.topic)?.get('fr');
        const id = markId(ref.topic, ref.lang);
        if (fr) await store.put<SourceMark>('marks', id, { id, frHash: answerHash(fr), frReviewed: fr.reviewed });
        continue;
      }
      // French changed: translations never marked were in step with the previous French text.
      const old = before.answers.get(ref.topic)?.get('fr');
      if (!old) continue;
      for (const lang of LANGS) {
        if (lang === 'fr' || !before.answers.get(ref.topic)?.has(lang)) continue;
        const id = markId(ref.topic, lang);
        if (!(await store.get<SourceMark>('marks', id))) {
          await store.put<SourceMark>('marks', id, { id, frHash: answerHash(old), frReviewed: old.reviewed });
        }
      }
    }
  };

  /** Validates the whole knowledge base with `changes`, then writes them and records the version. */
  const commit = async (changes: HistoryChange[], user: string, extra: Pick<HistoryEntry, 'action' | 'note' | 'rollbackOf'>): Promise<PublishResult> => {
    const current = await overrides();
    if (baselineErrors === undefined) {
      const base = await loadKnowledgeWithOverrides(loadOpts(), current);
      baselineErrors = base.issues.filter((i) => i.severity === 'error').length;
    }
    const candidate = new Map(current);
    for (const c of changes) candidate.set(c.key, c.after);
    const started = performance.now();
    const { kb: next, issues } = await loadKnowledgeWithOverrides(loadOpts(), candidate);
    const errors = issues.filter((i) => i.severity === 'error');
    const changed = new Set(changes.map((c) => c.key));
    const own = errors.filter((i) => changed.has(i.file));
    if (own.length > 0 || errors.length > baselineErrors) {
      logger.info('admin.publish_refused', { errors: errors.length, files: changes.length });
      return { ok: false, reason: 'invalid', issues: own.length > 0 ? own : errors };
    }
    if (store.shared) {
      for (const c of changes) await store.put<OverrideRecord>('overrides', c.key, { key: c.key, text: c.after });
    } else {
      for (const c of changes) await writeContentFile(c.key, c.after, dirs);
    }
    const seq = await store.incr('meta', 'version');
    const entry: HistoryEntry = { seq, at: now().toISOString(), user, ...extra, changes };
    if (entry.note === undefined) delete entry.note;
    if (entry.rollbackOf === undefined) delete entry.rollbackOf;
    await store.put('history', historyId(seq), entry);
    const before = kb;
    await updateMarks(changes, before, next);
    baselineErrors = errors.length;
    await apply(next, seq);
    await store.announce(seq).catch((err: unknown) => {
      logger.warn('admin.announce_failed', { error: err instanceof Error ? err.name : 'unknown' });
    });
    logger.info('admin.published', { version: seq, files: changes.length, action: extra.action, ms: Math.round(performance.now() - started) });
    return { ok: true, entry };
  };

  const drafts = async (): Promise<Draft[]> =>
    (await store.list<Draft>('drafts')).sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));

  return {
    kb: () => kb,
    version: () => applied,

    async start() {
      try {
        applied = (await store.get<number>('meta', 'version')) ?? 0;
      } catch (err) {
        // The shared store is down: serve the files for now; the poll applies what was published.
        logger.error('admin.start_degraded', { error: err instanceof Error ? err.name : 'unknown' });
        applied = -1;
      }
      if (store.shared && applied >= 0) {
        // Overrides equal to the files on disk (once committed and deployed) are dropped.
        const records = await store.list<OverrideRecord>('overrides');
        let live = 0;
        for (const r of records) {
          if (!parseContentKey(r.key)) continue;
          const disk = await readContentFile(r.key, dirs);
          if ((disk ?? null) === r.text) await store.delete('overrides', r.key);
          else live++;
        }
        if (live > 0) {
          const target = applied;
          applied = -1;
          await reload(Math.max(0, target));
        }
      }
      if (store.shared) {
        await store.onAnnounce((v) => void reload(v));
        const every = (opts.pollSeconds ?? 30) * 1000;
        if (every > 0) {
          poll = setInterval(() => {
            store.get<number>('meta', 'version').then(
              (v) => (v !== undefined && v > applied ? reload(v) : applied < 0 ? reload(0) : undefined),
              () => undefined,
            );
          }, every);
          poll.unref();
        }
      }
    },

    published,
    draft: (key) => store.get<Draft>('drafts', key),
    drafts,

    async saveDraft(key, text, author, origin, note) {
      if (!parseContentKey(key)) throw new Error('not a content key');
      const existing = await store.get<Draft>('drafts', key);
      const base = existing?.base ?? textHash(await published(key));
      const draft: Draft = { key, text: text.replace(/\r\n?/g, '\n'), base, author, updatedAt: now().toISOString(), origin };
      if (note?.trim()) draft.note = note.trim().slice(0, 500);
      await store.put('drafts', key, draft);
      logger.info('admin.draft_saved', { kind: parseContentKey(key)!.kind, origin });
      return draft;
    },

    async discardDraft(key) {
      await store.delete('drafts', key);
    },

    check,

    publish(keys, user, note) {
      return store.withLock('publish', async () => {
        const found = (await Promise.all(keys.map((k) => store.get<Draft>('drafts', k)))).filter((d): d is Draft => d !== undefined);
        const changes: HistoryChange[] = [];
        for (const d of found) {
          const before = (await published(d.key)) ?? null;
          if (before !== d.text) changes.push({ key: d.key, before, after: d.text });
        }
        if (changes.length === 0) {
          for (const d of found) await store.delete('drafts', d.key);
          return { ok: false, reason: 'nothing' } as const;
        }
        const notes = [note, ...found.map((d) => d.note)].filter((n): n is string => !!n?.trim());
        const result = await commit(changes, user, { action: 'publish', note: notes.length ? [...new Set(notes)].join(' / ') : undefined });
        if (result.ok) for (const d of found) await store.delete('drafts', d.key);
        return result;
      });
    },

    rollback(seq, user) {
      return store.withLock('publish', async () => {
        const target = await store.get<HistoryEntry>('history', historyId(seq));
        if (!target) return { ok: false, reason: 'nothing' } as const;
        const changes: HistoryChange[] = [];
        for (const c of target.changes) {
          const current = (await published(c.key)) ?? null;
          if (current !== c.before) changes.push({ key: c.key, before: current, after: c.before });
        }
        if (changes.length === 0) return { ok: false, reason: 'nothing' } as const;
        return commit(changes, user, { action: 'rollback', rollbackOf: seq });
      });
    },

    async history() {
      return (await store.list<HistoryEntry>('history')).sort((a, b) => b.seq - a.seq);
    },
    entry: (seq) => store.get<HistoryEntry>('history', historyId(seq)),

    async marks() {
      return new Map((await store.list<SourceMark>('marks')).map((m) => [m.id, m]));
    },

    async close() {
      if (poll) clearInterval(poll);
      await reloading;
    },
  };
}

export { answerKey, phrasesKey };
