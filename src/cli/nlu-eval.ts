/**
 * `npm run nlu:eval -- FILE.jsonl [--train TRAIN.jsonl] [--json]`: evaluates the matcher on a
 * JSON lines file `{"text", "intent", "lang"[, "split"]}` (its `test` split when it has splits) and
 * reports top-1 accuracy, in-scope accuracy, macro-F1, out-of-scope precision and recall, per
 * language and overall, and the most confused pairs. Trains on intents/ unless `--train` names a
 * data set (its `train` split; calibrated on its `validation` split when present). Intent `oos`
 * or `out-of-scope` marks out-of-scope messages.
 */
import { pathToFileURL } from 'node:url';
import { OUT_OF_SCOPE } from '../domain/index.js';
import { evaluate, formatReport } from '../nlu/index.js';
import type { EvalReport } from '../nlu/index.js';
import { isOosLabel, matcherFromFile, matcherFromIntents, option, positional, readRows, splitOf, type ToolMatcher } from './nlu-common.js';

/** Evaluates `matcher` on the rows of `file` (test split when it has splits). */
export async function evaluateFile(matcher: ToolMatcher, file: string): Promise<EvalReport> {
  const rows = splitOf(await readRows(file), 'test');
  const items = rows.map((r) => ({
    lang: r.lang,
    gold: isOosLabel(r.intent) ? OUT_OF_SCOPE : r.intent,
    predicted: matcher.match(r.text).label ?? OUT_OF_SCOPE,
  }));
  return evaluate(items, OUT_OF_SCOPE);
}

/** Runs the tool; returns the exit code. */
export async function runEval(argv: readonly string[], write: (text: string) => void): Promise<number> {
  const [file] = positional(argv, ['train']);
  if (!file) {
    write('usage: npm run nlu:eval -- FILE.jsonl [--train TRAIN.jsonl] [--json]');
    return 2;
  }
  const trainFile = option(argv, 'train');
  const matcher = trainFile ? await matcherFromFile(trainFile) : await matcherFromIntents();
  const report = await evaluateFile(matcher, file);
  if (argv.includes('--json')) {
    write(JSON.stringify({ file, train: trainFile ?? 'intents/', trainSeconds: matcher.trainSeconds, phrases: matcher.phrases, ...report }, null, 2));
  } else {
    write(formatReport(report, `${file} (trained on ${trainFile ?? 'intents/'}: ${matcher.phrases} phrases in ${matcher.trainSeconds.toFixed(2)} s)`));
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runEval(process.argv.slice(2), (t) => process.stdout.write(t + '\n')).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`nlu:eval: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
