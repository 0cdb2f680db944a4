/**
 * Where trained matchers are kept between runs, and training off the main thread. The one part of
 * src/nlu/ that does I/O: a saved model (model-file.ts) is loaded when its key (the phrases, the
 * matcher's code and settings) matches; otherwise the matcher is trained and saved for the next
 * start. After a publish, training runs in a worker thread so the running model keeps answering;
 * when publishes overlap, only the newest one's model is used.
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { City, Logger, TrainingPhrase } from '../domain/index.js';
import { createMatcher, restoreMatcher, DEFAULT_AUGMENT_SHARE, type DalilMatcher } from './matcher.js';
import { decodeModel, encodeModel, modelKey, ModelFileError } from './model-file.js';

/** Saved models kept in the folder (the newest; a rollback finds its model among them). */
const KEEP = 4;
const FILE = /^matcher-[0-9a-f]{32}\.bin$/;
const HERE = path.dirname(fileURLToPath(import.meta.url));
/** `.ts` under tsx and vitest, `.js` once built. */
const EXT = path.extname(fileURLToPath(import.meta.url)) || '.js';

/** What the matcher is trained on. */
export interface MatcherInput {
  phrases: readonly TrainingPhrase[];
  cities?: readonly City[];
}

/** Options of {@link createMatcherStore}. */
export interface MatcherStoreOptions {
  /** Folder of the saved models; undefined: none saved, always trained. */
  dir: string | undefined;
  logger: Logger;
  /** Match results kept per matcher (0: none). */
  cacheSize?: number;
}

/** Gives the matcher for some phrases: loaded when saved, trained otherwise. */
export interface MatcherStore {
  /** At start: the saved model if it matches, otherwise trained in a worker thread, read back from its bytes and saved. */
  load(input: MatcherInput): Promise<DalilMatcher>;
  /**
   * After a publish: the saved model if it matches, otherwise trained in a worker thread while the
   * current matcher serves. Resolves undefined when a newer call started meanwhile (its model wins).
   */
  next(input: MatcherInput): Promise<DalilMatcher | undefined>;
  /** Resolves when the models being written are on disk. */
  settled(): Promise<void>;
}

let codeFiles: Map<string, Buffer> | undefined;
/** The matcher's own code and data files (a change to them is a new model key). */
function matcherCode(): Map<string, Buffer> {
  if (!codeFiles) {
    codeFiles = new Map();
    for (const dir of ['.', 'data']) {
      for (const name of readdirSync(path.join(HERE, dir)).sort()) {
        if (/\.(js|ts|json)$/.test(name) && !name.endsWith('.d.ts')) codeFiles.set(`${dir}/${name}`, readFileSync(path.join(HERE, dir, name)));
      }
    }
  }
  return codeFiles;
}

/** The key of the model of `phrases`. */
export function matcherKey(phrases: readonly TrainingPhrase[]): string {
  return modelKey(phrases, { augmentShare: DEFAULT_AUGMENT_SHARE }, matcherCode());
}

/** Trains in a worker thread; resolves with the model's bytes. */
function trainInWorker(phrases: readonly TrainingPhrase[], key: string): Promise<Buffer> {
  const file = path.join(HERE, `train-worker${EXT}`);
  return new Promise((resolve, reject) => {
    const workerData = { phrases: phrases.map((p) => ({ text: p.text, intent: p.intent, lang: p.lang })), key };
    // Built, the worker is plain JavaScript; from the TypeScript sources (tsx, tests) tsx loads it.
    const worker =
      EXT === '.ts'
        ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); })`, { eval: true, workerData })
        : new Worker(file, { workerData });
    worker.once('message', (bytes: Uint8Array) => resolve(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`training worker exited (${code})`)));
  });
}

/** Opens the store of saved models in `opts.dir`. */
export function createMatcherStore(opts: MatcherStoreOptions): MatcherStore {
  const { dir, logger } = opts;
  const cacheSize = opts.cacheSize;
  let generation = 0;
  let writing: Promise<void> = Promise.resolve();
  const fileOf = (key: string): string => path.join(dir ?? '.', `matcher-${key}.bin`);
  const restore = (bytes: Buffer, key: string, input: MatcherInput): DalilMatcher =>
    restoreMatcher(decodeModel(bytes, key), { ...(input.cities ? { cities: input.cities } : {}), ...(cacheSize !== undefined ? { cacheSize } : {}) });

  /** The saved model of `key`, or undefined (a damaged or mismatched file is logged and removed). */
  const readSaved = async (key: string, input: MatcherInput): Promise<DalilMatcher | undefined> => {
    if (!dir) return undefined;
    let bytes: Buffer;
    try {
      bytes = await readFile(fileOf(key));
    } catch {
      return undefined;
    }
    try {
      return restore(bytes, key, input);
    } catch (err) {
      const reason = err instanceof ModelFileError ? err.reason : 'corrupt';
      logger.warn('nlu.model_ignored', { reason, hint: 'the matcher is trained again' });
      await rm(fileOf(key), { force: true }).catch(() => undefined);
      return undefined;
    }
  };

  /** Saves `bytes` (written aside, then renamed: never read half-written) and keeps the newest few. */
  const save = (key: string, bytes: Buffer): void => {
    if (!dir) return;
    writing = writing.then(async () => {
      try {
        await mkdir(dir, { recursive: true });
        const tmp = `${fileOf(key)}.${process.pid}.tmp`;
        await writeFile(tmp, bytes);
        await rename(tmp, fileOf(key));
        await prune(dir, fileOf(key));
      } catch (err) {
        logger.warn('nlu.model_not_saved', { error: err instanceof Error ? err.name : 'unknown' });
      }
    });
  };

  const trainHere = (key: string, input: MatcherInput): DalilMatcher => {
    const started = performance.now();
    const matcher = createMatcher({ phrases: input.phrases, ...(input.cities ? { cities: input.cities } : {}), ...(cacheSize !== undefined ? { cacheSize } : {}) });
    logger.info('nlu.model_trained', { ms: Math.round(performance.now() - started), phrases: input.phrases.length, where: 'main' });
    if (dir) save(key, encodeModel(matcher.snapshot(), key));
    return matcher;
  };

  /**
   * Trains in a worker thread and serves the model read back from its bytes, as a later start
   * would: training's garbage and the trained objects stay out of the serving heap (a first start
   * that trained here peaked ~30 MB higher under load). Without a worker, trains here.
   */
  const trainAside = async (key: string, input: MatcherInput): Promise<DalilMatcher> => {
    const started = performance.now();
    try {
      const bytes = await trainInWorker(input.phrases, key);
      const matcher = restore(bytes, key, input);
      save(key, bytes);
      logger.info('nlu.model_trained', { ms: Math.round(performance.now() - started), phrases: input.phrases.length, where: 'worker' });
      return matcher;
    } catch (err) {
      // No worker (or it failed): train here, blocking this instance for as long.
      logger.warn('nlu.worker_failed', { error: err instanceof Error ? err.name : 'unknown' });
      return trainHere(key, input);
    }
  };

  return {
    async load(input) {
      const started = performance.now();
      const key = matcherKey(input.phrases);
      const saved = await readSaved(key, input);
      if (saved) {
        logger.info('nlu.model_loaded', { ms: Math.round(performance.now() - started), phrases: input.phrases.length });
        return saved;
      }
      return trainAside(key, input);
    },
    async next(input) {
      const mine = ++generation;
      const key = matcherKey(input.phrases);
      const saved = await readSaved(key, input);
      if (saved) return mine === generation ? saved : undefined;
      const matcher = await trainAside(key, input);
      return mine === generation ? matcher : undefined;
    },
    settled: () => writing,
  };
}

/** Removes all but the newest KEEP saved models (`keep` is never removed). */
async function prune(dir: string, keep: string): Promise<void> {
  const files = (await readdir(dir)).filter((f) => FILE.test(f)).map((f) => path.join(dir, f));
  if (files.length <= KEEP) return;
  const dated = await Promise.all(files.map(async (f) => ({ f, t: (await stat(f)).mtimeMs })));
  dated.sort((a, b) => b.t - a.t);
  for (const { f } of dated.slice(KEEP)) if (f !== keep) await rm(f, { force: true });
}
