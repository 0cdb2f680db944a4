/**
 * `npm run --silent nlu:export`: writes the training phrases of intents/ as JSON lines
 * `{"text", "intent", "lang"}` (errors in the phrase files go to stderr).
 */
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT, loadConfig } from '../config/index.js';
import { formatIssue } from '../domain/index.js';
import { readIntents } from '../knowledge/index.js';

/** Writes every phrase of `intentsDir` as a JSON line; returns the exit code (1 on phrase-file errors). */
export async function runExport(intentsDir: string, write: (line: string) => void, warn: (line: string) => void): Promise<number> {
  const { phrases, issues } = await readIntents(intentsDir, PROJECT_ROOT);
  const errors = issues.filter((i) => i.severity === 'error');
  for (const issue of errors) warn(formatIssue(issue));
  for (const p of phrases) write(JSON.stringify({ text: p.text, intent: p.intent, lang: p.lang }));
  return errors.length ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // A closed pipe (`| head`) ends the tool quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  runExport(
    loadConfig().intentsDir,
    (l) => process.stdout.write(l + '\n'),
    (l) => process.stderr.write(l + '\n'),
  ).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      process.stderr.write(`nlu:export: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
