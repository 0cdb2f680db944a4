/**
 * Saved matchers: a model read back matches every text exactly as the trained one; a file saved
 * for other phrases, or damaged, is refused with the reason, logged and replaced by training; a
 * publish trains the new model in a worker thread and the new model answers the new phrase.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMatcher, restoreMatcher } from '../../src/nlu/index.js';
import { decodeModel, encodeModel, ModelFileError } from '../../src/nlu/model-file.js';
import { createMatcherStore, matcherKey } from '../../src/nlu/model-store.js';
import { captureLogger } from '../state/support.js';
import { CITIES, PHRASES } from './fixtures.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'dalil-matcher-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const TEXTS = [
  'comment avoir la carte de sejour',
  'kifach ndir la carte de sejour a rabat',
  'how do I claim asylum in casa',
  'bghit n9ad lakarta',
  'كيف أحصل على بطاقة الإقامة في طنجة',
  'hola',
  'asdkj qwpeoi',
  'quiero pedir asilo en tánger',
  'je veux effacer mes données',
  'renew my card please',
];

describe('saved matcher', () => {
  const trained = createMatcher({ phrases: PHRASES, cities: CITIES, cacheSize: 0 });
  const key = matcherKey(PHRASES);

  it('matches every text exactly as the trained matcher, once read back', () => {
    const bytes = encodeModel(trained.snapshot(), key);
    const restored = restoreMatcher(decodeModel(bytes, key), { cities: CITIES, cacheSize: 0 });
    for (const text of TEXTS) {
      for (const hint of [undefined, 'fr', 'ar'] as const) expect(restored.match(text, hint)).toEqual(trained.match(text, hint));
      expect(restored.detectLanguage(text)).toEqual(trained.detectLanguage(text));
    }
  });

  it('refuses a model saved for other phrases, and a damaged one', () => {
    const bytes = encodeModel(trained.snapshot(), key);
    const other = matcherKey([...PHRASES, { text: 'zorblax', intent: 'banking', lang: 'fr' }]);
    expect(other).not.toBe(key);
    expect(() => decodeModel(bytes, other)).toThrow(ModelFileError);
    expect(() => decodeModel(bytes, other)).toThrow(/mismatch/);
    const damaged = Buffer.from(bytes);
    damaged[damaged.length - 5] = (damaged[damaged.length - 5]! + 1) % 256;
    expect(() => decodeModel(damaged, key)).toThrow(/corrupt/);
    expect(() => decodeModel(Buffer.from('not a model'), key)).toThrow(/corrupt/);
  });

  it('keeps match results of repeated texts per matcher, and can keep none', () => {
    const cached = createMatcher({ phrases: PHRASES, cities: CITIES });
    expect(cached.match('hola', 'es')).toBe(cached.match('hola', 'es'));
    expect(cached.match('hola', 'es')).toEqual(trained.match('hola', 'es'));
    expect(trained.match('hola', 'es')).not.toBe(trained.match('hola', 'es'));
  });
});

describe('matcher store', () => {
  it('trains and saves at the first start, loads at the next', async () => {
    const dir = tempDir();
    const log1 = captureLogger();
    const first = createMatcherStore({ dir, logger: log1 });
    const m1 = await first.load({ phrases: PHRASES, cities: CITIES });
    await first.settled();
    expect(log1.count('nlu.model_trained')).toBe(1);
    expect(log1.entries.find((e) => e.event === 'nlu.model_trained')?.fields).toMatchObject({ where: 'worker' });
    expect(readdirSync(dir).filter((f) => f.endsWith('.bin'))).toHaveLength(1);

    const log2 = captureLogger();
    const m2 = await createMatcherStore({ dir, logger: log2 }).load({ phrases: PHRASES, cities: CITIES });
    expect(log2.count('nlu.model_loaded')).toBe(1);
    expect(log2.count('nlu.model_trained')).toBe(0);
    for (const text of TEXTS) expect(m2.match(text)).toEqual(m1.match(text));
  });

  it('ignores a damaged or mismatched saved model with a log line, and trains again', async () => {
    const dir = tempDir();
    const first = createMatcherStore({ dir, logger: captureLogger() });
    await first.load({ phrases: PHRASES });
    await first.settled();
    const [file] = readdirSync(dir).filter((f) => f.endsWith('.bin'));
    const full = path.join(dir, file!);
    const good = readFileSync(full);

    const damaged = Buffer.from(good);
    damaged[damaged.length - 1] = (damaged[damaged.length - 1]! + 1) % 256;
    writeFileSync(full, damaged);
    const log = captureLogger();
    const store = createMatcherStore({ dir, logger: log });
    const m = await store.load({ phrases: PHRASES });
    await store.settled();
    expect(log.entries.find((e) => e.event === 'nlu.model_ignored')?.fields).toMatchObject({ reason: 'corrupt' });
    expect(log.count('nlu.model_trained')).toBe(1);
    expect(m.match('comment avoir la carte de sejour').intent).toBe('residence-permit');
    expect(readFileSync(full).equals(good)).toBe(true);

    // A file under this key's name that was saved for other phrases.
    const otherKey = matcherKey(PHRASES.slice(1));
    writeFileSync(full, encodeModel(createMatcher({ phrases: PHRASES.slice(1) }).snapshot(), otherKey));
    const log2 = captureLogger();
    await createMatcherStore({ dir, logger: log2 }).load({ phrases: PHRASES });
    expect(log2.entries.find((e) => e.event === 'nlu.model_ignored')?.fields).toMatchObject({ reason: 'mismatch' });
    expect(log2.count('nlu.model_trained')).toBe(1);
  });

  it('after a publish, trains in a worker thread and the new model answers the new phrase', async () => {
    const dir = tempDir();
    const log = captureLogger();
    const store = createMatcherStore({ dir, logger: log });
    const before = await store.load({ phrases: PHRASES, cities: CITIES });
    const phrase = 'zorblax quintessa papiers';
    expect(before.match(phrase, 'fr').intent).not.toBe('asylum-register');
    const published = [...PHRASES, { text: phrase, intent: 'asylum-register' as const, lang: 'fr' as const }, { text: 'zorblax quintessa', intent: 'asylum-register' as const, lang: 'fr' as const }];
    const after = await store.next({ phrases: published, cities: CITIES });
    await store.settled();
    expect(after?.match(phrase, 'fr').intent).toBe('asylum-register');
    expect(log.entries.find((e) => e.event === 'nlu.model_trained' && e.fields.where === 'worker'), log.text()).toBeDefined();
    expect(log.count('nlu.worker_failed')).toBe(0);
    // Saved too: the next start loads it.
    const again = captureLogger();
    await createMatcherStore({ dir, logger: again }).load({ phrases: published });
    expect(again.count('nlu.model_loaded')).toBe(1);
  }, 60_000);

  it('when publishes overlap, only the newest model is used', async () => {
    const store = createMatcherStore({ dir: undefined, logger: captureLogger() });
    const older = store.next({ phrases: PHRASES.slice(2) });
    const newer = store.next({ phrases: PHRASES });
    expect(await older).toBeUndefined();
    expect(await newer).toBeDefined();
  }, 60_000);
});
