/**
 * A parsed, validated knowledge base saved as JSON beside the matcher's saved model, so that a
 * start with unchanged content skips parsing and validating the YAML and Markdown (~0.25 s of a
 * start). Its key hashes every file and folder name under `content/` and `intents/`, the loader's
 * own code (this folder and domain/), the yaml package's version and every option of
 * `loadKnowledge`, today's date included (reviews go stale by the day). A snapshot is used only
 * when its key matches; a damaged, mismatched or unreadable one is logged, removed and the content
 * loaded from its files (then saved again). A snapshot is written only when it reads back exactly
 * as the knowledge base and issues it was made from.
 */
import { createHash, type Hash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from '../domain/index.js';
import { todayIso } from './issues.js';
import { loadKnowledge, type LoadKnowledgeOptions, type LoadKnowledgeResult } from './load.js';

/** Bumped when the file's layout changes (also part of the key). */
const FORMAT = 1;
/** Snapshots kept in the folder (the newest; a rollback finds its content among them). */
const KEEP = 3;
const FILE = /^content-[0-9a-f]{32}\.json$/;
const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Options of {@link loadKnowledgeSnapshot}: those of `loadKnowledge`, where snapshots live, and a logger. */
export interface KnowledgeSnapshotOptions extends LoadKnowledgeOptions {
  /** Folder of the snapshots; undefined: none kept (the content is always parsed). */
  dir: string | undefined;
  logger: Logger;
}

/** Why a saved snapshot was not used. */
class SnapshotError extends Error {
  constructor(readonly reason: 'corrupt' | 'mismatch') {
    super(`content snapshot ${reason}`);
    this.name = 'SnapshotError';
  }
}

let codeHash: string | undefined;
/** The loader's own code (knowledge/ and domain/) and the yaml package's version, hashed once. */
function loaderCode(): string {
  if (codeHash === undefined) {
    const h = createHash('sha256');
    for (const dir of [HERE, path.join(HERE, '..', 'domain')]) {
      for (const name of readdirSync(dir).sort()) {
        if (!/\.(js|ts|json)$/.test(name) || name.endsWith('.d.ts') || name.endsWith('.map')) continue;
        h.update(`${path.basename(dir)}/${name}\u0000`).update(readFileSync(path.join(dir, name))).update('\u0000');
      }
    }
    let yamlVersion = 'unknown';
    try {
      const pkg = createRequire(import.meta.url).resolve('yaml/package.json');
      yamlVersion = (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version ?? 'unknown';
    } catch {
      // Keyed as unknown: still stable between starts of the same install.
    }
    h.update(`yaml@${yamlVersion}`);
    codeHash = h.digest('hex');
  }
  return codeHash;
}

/**
 * Hashes every name (with its kind) and every file's bytes under `dir`, in a fixed order. Read
 * synchronously: it runs at startup, before anything is served, and ~300 small files read in one
 * go cost a few milliseconds where a round trip through the thread pool per file costs tens.
 */
function hashTree(h: Hash, dir: string, label: string): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    h.update(`${label}\u0000unreadable:${(err as NodeJS.ErrnoException).code ?? 'unknown'}\u0000`);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    let kind = e.isDirectory() ? 'dir' : e.isFile() ? 'file' : 'other';
    if (e.isSymbolicLink()) {
      const s = statSync(full, { throwIfNoEntry: false });
      kind = s?.isDirectory() ? 'dir' : s?.isFile() ? 'file' : 'other';
    }
    h.update(`${label}/${e.name}\u0000${kind}\u0000`);
    if (kind === 'dir') hashTree(h, full, `${label}/${e.name}`);
    else if (kind === 'file') {
      let bytes: Buffer;
      try {
        bytes = readFileSync(full);
      } catch {
        bytes = Buffer.from('\u0000unreadable');
      }
      h.update(`${bytes.length}\u0000`).update(bytes);
    }
  }
}

/** The key of the knowledge base `loadKnowledge(opts)` would return today. */
export async function knowledgeKey(opts: LoadKnowledgeOptions & { today: string }): Promise<string> {
  const h = createHash('sha256');
  const settings = opts.settings ? Object.entries(opts.settings).sort(([a], [b]) => (a < b ? -1 : 1)) : [];
  h.update(JSON.stringify({ format: FORMAT, code: loaderCode(), root: path.resolve(opts.root ?? process.cwd()), contentDir: path.resolve(opts.contentDir), intentsDir: path.resolve(opts.intentsDir), sms: opts.smsShortFormSegments, all: opts.requireAllTopics ?? true, today: opts.today, settings }));
  hashTree(h, opts.contentDir, 'content');
  hashTree(h, opts.intentsDir, 'intents');
  return h.digest('hex').slice(0, 32);
}

// Values JSON cannot hold are written as one-key objects under this tag.
const TAG = '\u0000snapshot';

function encode(this: unknown, _key: string, value: unknown): unknown {
  if (value === undefined) return { [TAG]: 'undefined' };
  if (typeof value === 'number' && !Number.isFinite(value)) return { [TAG]: 'number', v: String(value) };
  if (value instanceof Map) return { [TAG]: 'map', v: [...value] };
  if (value instanceof Set) return { [TAG]: 'set', v: [...value] };
  // Date has toJSON, so the replacer sees its string: tell it apart through the holder.
  const raw = (this as Record<string, unknown>)[_key];
  if (raw instanceof Date) return { [TAG]: 'date', v: raw.getTime() };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) throw new TypeError('not a plain object');
  }
  if (typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol') throw new TypeError(`cannot keep a ${typeof value}`);
  return value;
}

/** Stands for a tagged `undefined` while parsing (a reviver returning undefined would delete the property). */
const UNDEFINED = Symbol('undefined');

function decode(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !(TAG in value)) return value;
  const { [TAG]: kind, v } = value as { [TAG]: string; v?: unknown };
  switch (kind) {
    case 'undefined':
      return UNDEFINED;
    case 'number':
      return Number(v);
    case 'map':
      return new Map(v as Array<[unknown, unknown]>);
    case 'set':
      return new Set(v as unknown[]);
    case 'date':
      return new Date(v as number);
    default:
      throw new SnapshotError('corrupt');
  }
}

/** Puts `undefined` back where the parse left the stand-in (objects, arrays, maps and sets). */
function restoreUndefined(value: unknown): unknown {
  if (value === UNDEFINED) return undefined;
  if (value instanceof Map) {
    for (const [k, v] of value) if (v === UNDEFINED || (typeof v === 'object' && v !== null)) value.set(k, restoreUndefined(v));
  } else if (value instanceof Set) {
    if (value.has(UNDEFINED)) {
      const items = [...value].map(restoreUndefined);
      value.clear();
      for (const x of items) value.add(x);
    }
  } else if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) if (o[k] === UNDEFINED || (typeof o[k] === 'object' && o[k] !== null)) o[k] = restoreUndefined(o[k]);
  }
  return value;
}

/** Parses a snapshot's text, tagged values restored. */
export function parseSnapshotValue(text: string): unknown {
  let sawUndefined = false;
  const parsed = JSON.parse(text, (key, value: unknown) => {
    const out = decode(key, value);
    if (out === UNDEFINED) sawUndefined = true;
    return out;
  }) as unknown;
  return sawUndefined ? restoreUndefined(parsed) : parsed;
}

/** The text of `value` with Maps, Sets, Dates, undefined and non-finite numbers tagged; throws on anything else JSON cannot keep. */
export function snapshotValueText(value: unknown): string {
  return JSON.stringify(value, encode);
}

interface SnapshotFile {
  format: number;
  key: string;
  result: LoadKnowledgeResult;
}

/** Reads the snapshot of `key`; undefined when there is none, throws `SnapshotError` when it cannot be used. */
async function readSnapshot(file: string, key: string): Promise<LoadKnowledgeResult | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  let parsed: SnapshotFile;
  try {
    parsed = parseSnapshotValue(text) as SnapshotFile;
  } catch {
    throw new SnapshotError('corrupt');
  }
  if (typeof parsed !== 'object' || parsed === null || parsed.format !== FORMAT || parsed.key !== key) throw new SnapshotError('mismatch');
  const r = parsed.result;
  if (typeof r !== 'object' || r === null || !Array.isArray(r.issues) || typeof r.kb !== 'object' || r.kb === null || !(r.kb.answers instanceof Map) || !(r.kb.organisations instanceof Map) || !(r.kb.cities instanceof Map) || !(r.kb.categories instanceof Map) || !Array.isArray(r.kb.phrases) || typeof r.kb.version !== 'string') {
    throw new SnapshotError('corrupt');
  }
  return r;
}

/** The text of the snapshot of `result`, or undefined when it would not read back exactly the same. */
function snapshotText(key: string, result: LoadKnowledgeResult): string | undefined {
  let text: string;
  try {
    text = snapshotValueText({ format: FORMAT, key, result } satisfies SnapshotFile);
  } catch {
    return undefined;
  }
  const back = (parseSnapshotValue(text) as SnapshotFile).result;
  return isDeepStrictEqual(back, result) ? text : undefined;
}

/** Removes all but the newest KEEP snapshots (`keep` is never removed). */
async function prune(dir: string, keep: string): Promise<void> {
  const files = (await readdir(dir)).filter((f) => FILE.test(f)).map((f) => path.join(dir, f));
  if (files.length <= KEEP) return;
  const dated = await Promise.all(files.map(async (f) => ({ f, t: (await stat(f)).mtimeMs })));
  dated.sort((a, b) => b.t - a.t);
  for (const { f } of dated.slice(KEEP)) if (f !== keep) await rm(f, { force: true });
}

/**
 * `loadKnowledge(opts)`, from the saved snapshot when its key matches (the same knowledge base and
 * issues), otherwise from the files, then saved for the next start. Options with an `smsFooter`
 * (a function, which no key can hold) always load from the files.
 */
export async function loadKnowledgeSnapshot(opts: KnowledgeSnapshotOptions): Promise<LoadKnowledgeResult & { fromSnapshot: boolean }> {
  const { dir, logger, ...loadOpts } = opts;
  const today = opts.today ?? todayIso();
  if (!dir || opts.smsFooter) return { ...(await loadKnowledge({ ...loadOpts, today })), fromSnapshot: false };
  const started = performance.now();
  const key = await knowledgeKey({ ...loadOpts, today });
  const file = path.join(dir, `content-${key}.json`);
  try {
    const saved = await readSnapshot(file, key);
    if (saved) {
      logger.info('knowledge.snapshot_loaded', { ms: Math.round(performance.now() - started), version: saved.kb.version });
      return { ...saved, fromSnapshot: true };
    }
  } catch (err) {
    logger.warn('knowledge.snapshot_ignored', { reason: err instanceof SnapshotError ? err.reason : 'corrupt', hint: 'the content is loaded from its files' });
    await rm(file, { force: true }).catch(() => undefined);
  }
  const result = await loadKnowledge({ ...loadOpts, today });
  // Content with errors never starts Dalil: not worth keeping.
  if (!result.issues.some((i) => i.severity === 'error')) await save(dir, file, key, result, logger);
  return { ...result, fromSnapshot: false };
}

async function save(dir: string, file: string, key: string, result: LoadKnowledgeResult, logger: Logger): Promise<void> {
  const text = snapshotText(key, result);
  if (text === undefined) {
    logger.warn('knowledge.snapshot_not_saved', { reason: 'not serialisable' });
    return;
  }
  try {
    await mkdir(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, text);
    await rename(tmp, file);
    await prune(dir, file);
  } catch (err) {
    logger.warn('knowledge.snapshot_not_saved', { reason: err instanceof Error ? err.name : 'unknown' });
  }
}
