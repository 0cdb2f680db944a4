/**
 * Shared pieces of the NLU command-line tools (nlu:classify, nlu:export, nlu:eval): reading JSON
 * lines data sets, training a matcher on intents/ or on such a data set.
 */
import { readFile } from 'node:fs/promises';
import { PROJECT_ROOT, loadConfig } from '../config/index.js';
import { OUT_OF_SCOPE, formatIssue, isLang } from '../domain/index.js';
import type { Lang, TrainingPhrase } from '../domain/index.js';
import { readIntents } from '../knowledge/index.js';
import { createLabelMatcher, createMatcher } from '../nlu/index.js';
import type { LabelMatch, LabelMatcherOptions, LabelledText } from '../nlu/index.js';

/** One row of a JSON lines data set: `{"text", "intent", "lang"[, "split"]}`. */
export interface DataRow {
  text: string;
  intent: string;
  lang: Lang;
  split?: string;
}

/** Labels that mean "out of scope" in data sets (`oos` is CLINC150's). */
export function isOosLabel(label: string): boolean {
  return label === OUT_OF_SCOPE || label === 'oos';
}

/** Reads a JSON lines file of rows; malformed lines and unknown languages are reported and skipped. */
export async function readRows(file: string, warn: (msg: string) => void = (m) => process.stderr.write(m + '\n')): Promise<DataRow[]> {
  const text = await readFile(file, 'utf8');
  const rows: DataRow[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (err) {
      warn(`${file}:${i + 1}: not JSON (${err instanceof Error ? err.message : String(err)}): skipped`);
      return;
    }
    const o = v as Partial<Record<keyof DataRow, unknown>>;
    if (typeof o.text !== 'string' || typeof o.intent !== 'string' || !isLang(o.lang)) {
      warn(`${file}:${i + 1}: needs "text", "intent" and "lang" (fr, en, ar or es): skipped`);
      return;
    }
    rows.push({ text: o.text, intent: o.intent, lang: o.lang, ...(typeof o.split === 'string' ? { split: o.split } : {}) });
  });
  return rows;
}

/** Rows of a split; a file without splits is used whole. */
export function splitOf(rows: readonly DataRow[], split: string): DataRow[] {
  return rows.some((r) => r.split !== undefined) ? rows.filter((r) => r.split === split) : [...rows];
}

/** A trained matcher as the tools use it: text in, label (or out-of-scope) out. */
export interface ToolMatcher {
  match(text: string): LabelMatch;
  /** Seconds spent training. */
  trainSeconds: number;
  phrases: number;
}

/** Trains on Dalil's intents/ (the configured folder) with `createMatcher`. */
export async function matcherFromIntents(log: (msg: string) => void = (m) => process.stderr.write(m + '\n')): Promise<ToolMatcher> {
  const config = loadConfig();
  const { phrases, issues } = await readIntents(config.intentsDir, PROJECT_ROOT);
  for (const issue of issues.filter((i) => i.severity === 'error')) log(formatIssue(issue));
  return matcherFromPhrases(phrases);
}

/** Trains Dalil's matcher on given phrases. */
export function matcherFromPhrases(phrases: readonly TrainingPhrase[]): ToolMatcher {
  const t0 = performance.now();
  const m = createMatcher({ phrases });
  const trainSeconds = (performance.now() - t0) / 1000;
  return { match: (text) => m.labelMatcher.match(text), trainSeconds, phrases: phrases.length };
}

/**
 * Trains on a data set file: its `train` split (all rows when it has no splits), calibrated on its
 * `validation` split when there is one. `oos` and `out-of-scope` rows train the out-of-scope class.
 */
export async function matcherFromFile(file: string, options: Partial<LabelMatcherOptions> = {}): Promise<ToolMatcher> {
  const rows = await readRows(file);
  const toText = (r: DataRow): LabelledText => ({ text: r.text, label: isOosLabel(r.intent) ? OUT_OF_SCOPE : r.intent, lang: r.lang });
  const train = splitOf(rows, 'train').map(toText);
  const validation = rows.some((r) => r.split !== undefined) ? rows.filter((r) => r.split === 'validation').map(toText) : [];
  const t0 = performance.now();
  const m = createLabelMatcher(train, {
    ...options,
    oosLabel: OUT_OF_SCOPE,
    training: { ...(validation.length ? { calibration: validation } : {}), ...options.training },
  });
  return { match: (text) => m.match(text), trainSeconds: (performance.now() - t0) / 1000, phrases: train.length };
}

/** Value of `--name VALUE` or `--name=VALUE` in argv. */
export function option(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === `--${name}`) return argv[i + 1];
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
  }
  return undefined;
}

/** Arguments that are neither options nor option values. */
export function positional(argv: readonly string[], valued: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a.startsWith('--')) {
      if (valued.includes(a.slice(2))) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}
