/**
 * One benchmark measurement in a fresh process (so that training time is cold and memory is
 * the model's own): `node --expose-gc --import tsx bench/nlu/worker.ts <dalil|nlpjs> <heldout|DATASET>`.
 * Prints one JSON line with accuracy figures, training time, latency and memory.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { PROJECT_ROOT, loadConfig } from '../../src/config/index.js';
import { OUT_OF_SCOPE, isLang } from '../../src/domain/index.js';
import type { Lang } from '../../src/domain/index.js';
import { loadKnowledge, phraseKey } from '../../src/knowledge/index.js';
import { createLabelMatcher, createMatcher, evaluate } from '../../src/nlu/index.js';
import type { EvalItem, LabelledText } from '../../src/nlu/index.js';

const PUBLIC_DIR = process.env['DALIL_PUBLIC_INTENTS'] ?? path.resolve(PROJECT_ROOT, '..', 'shared', 'data', 'public-intents');

interface Row {
  text: string;
  intent: string;
  lang: Lang;
  split?: string;
  /** Held-out batch (1: written before any training phrase existed; 2: the noisy-style batch). */
  batch?: number;
  /** Writing style of a blind held-out message (clean, sms, typos, arabizi, long-story, near-miss ...). */
  style?: string;
  /** Second blind set: the kind of message (single-need, multi-need, forget-me, urgent, nonsense ...). */
  kind?: string;
  /** Second blind set: an emergency in progress (the urgent block must come first). */
  urgent?: boolean;
  /** Second blind set: a request to erase what the user wrote. */
  forget?: boolean;
}

/** Safety figures of the second blind set (Dalil only: NLP.js has no urgency or erasure layer beyond its forget-me intent). */
interface Safety {
  forgetMessages: number;
  /** Forget-me requests that erase or ask to confirm the erasure. */
  forgetRecalled: number;
  /** Of those, erased without asking. */
  forgetErasedDirectly: number;
  /** Other messages that would be erased without asking (the failure that matters most). */
  falseErasures: number;
  /** Other messages that would be asked "erase everything?" (a nuisance, not a loss). */
  falseConfirms: number;
  urgentMessages: number;
  /** Urgent messages that get the urgent block (urgency detected). */
  urgentRecalled: number;
  /** Non-urgent messages that get the urgent block. */
  urgentFalseAlarms: number;
}

interface NlpResult {
  intent: string;
  score: number;
  classifications?: Array<{ intent: string; score: number }>;
}
interface NlpManagerLike {
  addDocument(locale: string, utterance: string, intent: string): void;
  train(): Promise<unknown>;
  process(locale: string | undefined, utterance: string): Promise<NlpResult>;
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const isOos = (label: string): boolean => label === OUT_OF_SCOPE || label === 'oos' || label === 'None';

async function readRows(file: string): Promise<Row[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Row)
    .filter((r) => isLang(r.lang));
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

/** The lowest threshold whose out-of-scope recall on validation reaches 80% (the rule Dalil's classifier uses). */
function thresholdFor(val: ReadonlyArray<{ gold: string; intent: string; score: number }>): number {
  const oos = val.filter((v) => isOos(v.gold));
  if (!oos.length) return 0;
  const candidates = [...new Set(val.map((v) => Math.round(v.score * 100) / 100))].sort((a, b) => a - b);
  for (const th of [0, ...candidates]) {
    const rejected = oos.filter((v) => isOos(v.intent) || v.score < th).length;
    if (rejected / oos.length >= 0.8) return th;
  }
  return 1;
}

/**
 * Messages written for Dalil and never trained on: `heldout` (written alongside the phrase files,
 * in two batches), `blind-test` and `blind-dev` (written by someone who never saw the phrase files
 * or the matcher; dev may be looked at when improving the matcher, test is only measured).
 */
const HELDOUT_FILES: Record<string, string | undefined> = {
  heldout: 'heldout.jsonl',
  'blind-test': 'blind-test.jsonl',
  'blind-dev': 'blind-dev.jsonl',
  'blind3-test': 'blind3-test.jsonl',
  'blind3-dev': 'blind3-dev.jsonl',
  'blind2-test': 'blind2-test.jsonl',
  'blind2-dev': 'blind2-dev.jsonl',
};

async function main(): Promise<void> {
  const [system = 'dalil', dataset = 'heldout'] = process.argv.slice(2);
  const heldoutFile = HELDOUT_FILES[dataset];
  const heldout = heldoutFile !== undefined;
  const config = loadConfig();
  let train: Row[];
  let validation: Row[] = [];
  let test: Row[];
  let excluded = 0;
  let cities: Parameters<typeof createMatcher>[0]['cities'] = [];
  if (heldout) {
    const { kb } = await loadKnowledge({ contentDir: config.contentDir, intentsDir: config.intentsDir, smsShortFormSegments: config.smsShortFormSegments, root: PROJECT_ROOT });
    train = kb.phrases.map((p) => ({ text: p.text, intent: p.intent, lang: p.lang }));
    cities = [...kb.cities.values()];
    // A held-out message that a phrase file happens to contain word for word is not held out: skip it.
    const trained = new Set(train.map((r) => `${r.lang}\u0000${phraseKey(r.text)}`));
    const all = await readRows(path.join(PROJECT_ROOT, 'bench', 'data', heldoutFile));
    test = all.filter((r) => !trained.has(`${r.lang}\u0000${phraseKey(r.text)}`));
    excluded = all.length - test.length;
  } else {
    const rows = await readRows(path.join(PUBLIC_DIR, `${dataset}.jsonl`));
    train = rows.filter((r) => r.split === 'train');
    validation = rows.filter((r) => r.split === 'validation');
    test = rows.filter((r) => r.split === 'test');
  }
  const langs = [...new Set(train.map((r) => r.lang))];

  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.memoryUsage().rss;
  let predict: (text: string, lang: Lang) => Promise<string> | string;
  /** Dalil's safety decisions for one message (urgent block, erase / confirm). */
  let safety: ((text: string) => { urgent: boolean; forget: 'erase' | 'confirm' | undefined }) | undefined;
  const t0 = performance.now();
  let keep: unknown;
  let detect: ((text: string) => Lang) | undefined;
  if (system === 'dalil') {
    if (heldout) {
      const m = createMatcher({ phrases: train.map((r) => ({ text: r.text, intent: r.intent as never, lang: r.lang })), cities });
      keep = m;
      predict = (text) => m.match(text).intent;
      detect = (text) => m.detectLanguage(text).lang;
      safety = (text) => {
        const r = m.match(text);
        const forget = r.intent === 'forget-me' ? (r.forget === 'confirm' ? 'confirm' : 'erase') : r.forget === 'confirm' ? 'confirm' : undefined;
        return { urgent: r.urgency !== undefined, forget };
      };
    } else {
      const toText = (r: Row): LabelledText => ({ text: r.text, label: isOos(r.intent) ? OUT_OF_SCOPE : r.intent, lang: r.lang });
      const m = createLabelMatcher(train.map(toText), {
        oosLabel: OUT_OF_SCOPE,
        training: validation.length ? { calibration: validation.map(toText) } : {},
      });
      keep = m;
      predict = (text) => m.match(text).label ?? OUT_OF_SCOPE;
    }
  } else {
    const require = createRequire(import.meta.url);
    const { NlpManager } = require('node-nlp') as { NlpManager: new (opts: object) => NlpManagerLike };
    const manager = new NlpManager({ languages: langs, nlu: { log: false }, autoSave: false, autoLoad: false, forceNER: false });
    for (const r of train) manager.addDocument(r.lang, r.text, r.intent);
    await manager.train();
    keep = manager;
    let threshold = 0;
    if (validation.some((r) => isOos(r.intent))) {
      const val = [];
      for (const r of validation) {
        const res = await manager.process(r.lang, r.text);
        val.push({ gold: r.intent, intent: res.intent, score: res.score });
      }
      threshold = thresholdFor(val);
    }
    // `nlpjs` guesses each message's language itself, as Dalil must (NLP.js's own guesser, among
    // the trained languages); `nlpjs-gold` is given the gold language (an upper bound).
    const gold = system === 'nlpjs-gold' || langs.length === 1;
    predict = async (text, lang) => {
      const res = gold ? await manager.process(lang, text) : await manager.process(undefined, text);
      return isOos(res.intent) || res.score < threshold ? OUT_OF_SCOPE : res.intent;
    };
  }
  const trainSeconds = (performance.now() - t0) / 1000;
  gc();
  const heapMB = (process.memoryUsage().heapUsed - heap0) / 1e6;
  const rssMB = (process.memoryUsage().rss - rss0) / 1e6;

  const items: Array<EvalItem & { group: string; kind?: string }> = [];
  const errors: string[] = [];
  const second = dataset.startsWith('blind2') || dataset.startsWith('blind3');
  const sf: Safety = { forgetMessages: 0, forgetRecalled: 0, forgetErasedDirectly: 0, falseErasures: 0, falseConfirms: 0, urgentMessages: 0, urgentRecalled: 0, urgentFalseAlarms: 0 };
  for (const r of test) {
    const predicted = await predict(r.text, r.lang);
    const item = {
      lang: r.lang,
      gold: isOos(r.intent) ? OUT_OF_SCOPE : r.intent,
      predicted: isOos(predicted) ? OUT_OF_SCOPE : predicted,
      group: dataset === 'heldout' ? String(r.batch ?? 1) : (r.style ?? 'unknown'),
      ...(r.kind ? { kind: r.kind } : {}),
    };
    items.push(item);
    if (heldout && item.gold !== item.predicted) errors.push(`${r.lang} ${r.style ?? ''} ${item.gold} -> ${item.predicted}: ${r.text}`);
    if (second) {
      // NLP.js erases whenever it says forget-me and has no urgent block.
      const s = safety ? safety(r.text) : { urgent: false, forget: item.predicted === 'forget-me' ? ('erase' as const) : undefined };
      if (r.forget) {
        sf.forgetMessages++;
        if (s.forget) sf.forgetRecalled++;
        if (s.forget === 'erase') sf.forgetErasedDirectly++;
      } else if (s.forget === 'erase') sf.falseErasures++;
      else if (s.forget === 'confirm') sf.falseConfirms++;
      if (r.urgent) {
        sf.urgentMessages++;
        if (s.urgent) sf.urgentRecalled++;
      } else if (s.urgent) sf.urgentFalseAlarms++;
    }
  }
  // Latency: warm, then every test message timed (held-out: 5 passes).
  const passes = heldout ? 5 : 1;
  const times: number[] = [];
  for (let pass = 0; pass < passes; pass++) {
    for (const r of test) {
      const s = performance.now();
      await predict(r.text, r.lang);
      times.push(performance.now() - s);
    }
  }
  times.sort((a, b) => a - b);
  const report = evaluate(items, OUT_OF_SCOPE);
  let language: { accuracy: number; short: number; shortAccuracy: number } | undefined;
  if (detect) {
    const shortRows = test.filter((r) => r.text.trim().split(/\s+/).length <= 3);
    const right = (rows: Row[]): number => rows.filter((r) => detect(r.text) === r.lang).length / Math.max(1, rows.length);
    language = { accuracy: right(test), short: shortRows.length, shortAccuracy: right(shortRows) };
  }
  // Held-out sets are also reported by group: the first set by batch, the blind sets by writing style.
  const groups = heldout ? [...new Set(items.map((i) => i.group))].sort() : [];
  const batches = heldout ? Object.fromEntries(groups.map((g) => [g, evaluate(items.filter((i) => i.group === g), OUT_OF_SCOPE).overall])) : undefined;
  const kindNames = [...new Set(items.flatMap((i) => (i.kind ? [i.kind] : [])))].sort();
  const kinds = kindNames.length ? Object.fromEntries(kindNames.map((k) => [k, evaluate(items.filter((i) => i.kind === k), OUT_OF_SCOPE).overall])) : undefined;
  process.stdout.write(
    JSON.stringify({
      system,
      dataset,
      trainPhrases: train.length,
      testMessages: test.length,
      excluded,
      trainSeconds,
      heapMB,
      rssMB,
      latencyMs: { median: percentile(times, 0.5), p99: percentile(times, 0.99), max: times[times.length - 1] ?? 0 },
      report,
      language,
      batches,
      kinds,
      ...(second ? { safety: sf } : {}),
      errors,
      kept: keep !== undefined,
    }) + '\n',
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`bench worker: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
