/**
 * `npm run --silent nlu:classify [-- --train FILE.jsonl]`: reads JSON lines `{"text": ...}` on
 * stdin and writes one JSON line per input:
 * `{"text", "intent", "confidence", "lang", "alternatives": [{"intent", "confidence"}, ...]}`.
 * `intent` is `out-of-scope` whenever Dalil would not answer with a topic or conversational intent.
 * Trains on intents/ unless `--train` names a data set (its train split).
 */
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { OUT_OF_SCOPE } from '../domain/index.js';
import { matcherFromFile, matcherFromIntents, option, type ToolMatcher } from './nlu-common.js';

/** How many alternatives each output line lists. */
export const ALTERNATIVES = 4;

/** Classifies one input line; returns the output line (JSON). */
export function classifyLine(matcher: ToolMatcher, line: string): string {
  let text: unknown;
  try {
    text = (JSON.parse(line) as { text?: unknown }).text;
  } catch (err) {
    return JSON.stringify({ error: `not JSON: ${err instanceof Error ? err.message : String(err)}` });
  }
  if (typeof text !== 'string') return JSON.stringify({ error: 'missing "text" string' });
  const m = matcher.match(text);
  const intent = m.label ?? OUT_OF_SCOPE;
  const alternatives = m.ranked
    .filter((r) => r.label !== intent)
    .slice(0, ALTERNATIVES)
    .map((r) => ({ intent: r.label, confidence: round(r.confidence) }));
  return JSON.stringify({ text, intent, confidence: round(m.confidence), lang: m.language.lang, alternatives });
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/** Runs the tool on streams (for tests). */
export async function runClassify(argv: readonly string[], input: NodeJS.ReadableStream, write: (line: string) => void): Promise<number> {
  const trainFile = option(argv, 'train');
  const matcher = trainFile ? await matcherFromFile(trainFile) : await matcherFromIntents();
  const rl = createInterface({ input, crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    write(classifyLine(matcher, line));
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // A closed pipe (`| head`) ends the tool quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  runClassify(process.argv.slice(2), process.stdin, (l) => process.stdout.write(l + '\n')).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`nlu:classify: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
