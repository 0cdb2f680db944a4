/**
 * The parsed content kept beside the saved matchers: used only when every content file, the
 * loader's options and today's date are those it was made from, then giving exactly what
 * `loadKnowledge` gives; any change, a damaged file or one saved under another key is ignored
 * (with a log line) and the content loaded from its files.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { knowledgeKey, loadKnowledgeSnapshot } from '../../src/knowledge/index.js';
import { parseSnapshotValue, snapshotValueText } from '../../src/knowledge/snapshot.js';
import { captureLogs } from '../channels/harness.js';
import { answerParts, answerText, makeTree, TODAY, type Tree } from './fixture-tree.js';

let tree: Tree;
let dir: string;

beforeAll(async () => {
  tree = await makeTree();
});
afterAll(async () => {
  await tree.cleanup();
});
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dalil-snapshot-'));
});
afterEach(async () => {
  await tree.reset();
  await rm(dir, { recursive: true, force: true });
});

function load(logs = captureLogs(), extra: { today?: string; dir?: string | undefined } = {}) {
  return loadKnowledgeSnapshot({ contentDir: tree.contentDir, intentsDir: tree.intentsDir, smsShortFormSegments: 2, root: tree.root, today: TODAY, dir, logger: logs.logger, ...extra });
}

async function snapshots(): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.startsWith('content-')).sort();
}

describe('content snapshot', () => {
  it('is written at the first load and then gives exactly what loadKnowledge gives', async () => {
    const first = await load();
    expect(first.fromSnapshot).toBe(false);
    expect(await snapshots()).toHaveLength(1);
    const logs = captureLogs();
    const second = await load(logs);
    expect(second.fromSnapshot).toBe(true);
    expect(logs.entries.map((e) => e.event)).toEqual(['knowledge.snapshot_loaded']);
    const direct = await tree.load();
    expect(isDeepStrictEqual({ kb: second.kb, issues: second.issues }, direct)).toBe(true);
    expect(second.kb.answers.get('residence-permit')?.get('fr')?.title).toBe(direct.kb.answers.get('residence-permit')?.get('fr')?.title);
  });

  it('is never stale: an edited answer is read from its file and saved anew', async () => {
    await load();
    const parts = answerParts('residence-permit', 'fr');
    await tree.write('content/topics/residence-permit/fr.md', answerText({ ...parts, title: 'title: Carte de séjour, renouvellement' }));
    const after = await load();
    expect(after.fromSnapshot).toBe(false);
    expect(after.kb.answers.get('residence-permit')?.get('fr')?.title).toBe('Carte de séjour, renouvellement');
    expect(await snapshots()).toHaveLength(2);
    expect((await load()).fromSnapshot).toBe(true);
  });

  it('is keyed by a new phrase file, a removed file, the date and the options', async () => {
    const base = await knowledgeKey({ contentDir: tree.contentDir, intentsDir: tree.intentsDir, smsShortFormSegments: 2, root: tree.root, today: TODAY });
    const key = (o: { today?: string; smsShortFormSegments?: number } = {}) =>
      knowledgeKey({ contentDir: tree.contentDir, intentsDir: tree.intentsDir, smsShortFormSegments: o.smsShortFormSegments ?? 2, root: tree.root, today: o.today ?? TODAY });
    expect(await key()).toBe(base);
    expect(await key({ today: '2026-11-29' })).not.toBe(base);
    expect(await key({ smsShortFormSegments: 3 })).not.toBe(base);
    await tree.write('intents/fr/greeting.txt', `${await tree.read('intents/fr/greeting.txt')}bonjour la compagnie\n`);
    const withPhrase = await key();
    expect(withPhrase).not.toBe(base);
    await tree.reset();
    expect(await key()).toBe(base);
    await tree.remove('content/topics/residence-permit/es.md');
    expect(await key()).not.toBe(base);
  });

  it('ignores a damaged snapshot with a log line, loads the files and writes it again', async () => {
    await load();
    const [file] = await snapshots();
    const full = path.join(dir, file!);
    const text = await readFile(full, 'utf8');
    await writeFile(full, text.slice(0, Math.floor(text.length / 2)));
    const logs = captureLogs();
    const again = await load(logs);
    expect(again.fromSnapshot).toBe(false);
    expect(logs.entries.find((e) => e.event === 'knowledge.snapshot_ignored')).toMatchObject({ level: 'warn', fields: { reason: 'corrupt' } });
    expect(isDeepStrictEqual({ kb: again.kb, issues: again.issues }, await tree.load())).toBe(true);
    expect(await readFile(full, 'utf8')).toBe(text);
    expect((await load()).fromSnapshot).toBe(true);
  });

  it('ignores a snapshot saved under another key (another content copied in its place)', async () => {
    await load();
    const [old] = await snapshots();
    const parts = answerParts('residence-permit', 'fr');
    await tree.write('content/topics/residence-permit/fr.md', answerText({ ...parts, title: 'title: Titre changé' }));
    const key = await knowledgeKey({ contentDir: tree.contentDir, intentsDir: tree.intentsDir, smsShortFormSegments: 2, root: tree.root, today: TODAY });
    // The old content's snapshot under the new content's name: it must not be believed.
    await writeFile(path.join(dir, `content-${key}.json`), await readFile(path.join(dir, old!), 'utf8'));
    const logs = captureLogs();
    const loaded = await load(logs);
    expect(loaded.fromSnapshot).toBe(false);
    expect(logs.entries.find((e) => e.event === 'knowledge.snapshot_ignored')?.fields).toMatchObject({ reason: 'mismatch' });
    expect(loaded.kb.answers.get('residence-permit')?.get('fr')?.title).toBe('Titre changé');
  });

  it('keeps nothing without a folder, nor for content with errors', async () => {
    const none = await load(captureLogs(), { dir: undefined });
    expect(none.fromSnapshot).toBe(false);
    await tree.write('content/cities.yaml', 'not: [a list');
    const broken = await load();
    expect(broken.issues.some((i) => i.severity === 'error')).toBe(true);
    expect(await snapshots()).toEqual([]);
  });

  it('keeps maps, sets, dates, undefined and non-finite numbers as they were, and refuses class instances', () => {
    const value = { m: new Map<string, unknown>([['a', { x: undefined, d: new Date(Date.UTC(2026, 11, 3)) }], ['b', new Set([1, 2])]]), list: [1, undefined, Number.NaN, -Infinity], none: undefined, nested: { deep: [{ y: undefined }] } };
    expect(isDeepStrictEqual(parseSnapshotValue(snapshotValueText(value)), value)).toBe(true);
    expect(() => snapshotValueText({ r: /x/ })).toThrow();
    expect(() => snapshotValueText({ f: () => 1 })).toThrow();
  });
});
