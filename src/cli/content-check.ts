/**
 * `npm run content:check`: validates `content/` and `intents/` and prints every problem as
 * `file:line: severity: message`, sorted by file then line, then a one-line summary.
 * Exits 1 when there is any error (warnings are allowed), 0 otherwise.
 *
 * Options: `--allow-missing` (a topic, language version or phrase file not written yet is a
 * warning instead of an error, while the knowledge base is being written), `--quiet` (print
 * errors only; the summary still counts warnings), `--today=YYYY-MM-DD` (check dates against
 * this day instead of the clock, for reproducible runs), `--lang=en|fr|ar` (the language of the
 * messages, default English: the sentences of the editors' app, from the same admin locales).
 */
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT, loadConfig } from '../config/index.js';
import type { ContentIssue } from '../domain/index.js';
import { issueText, isUiLang, translator, type UiLang } from '../admin/i18n.js';
import { isIsoDate, loadKnowledge, smsFooterText, sortIssues, textSettingsOf } from '../knowledge/index.js';
import type { LoadKnowledgeOptions } from '../knowledge/index.js';
import { checkLocaleDir, createTranslator } from '../i18n/index.js';

export { textSettingsOf };

/** Runs the check with explicit options; writes lines with `write` and returns the exit code. */
export async function contentCheck(
  opts: LoadKnowledgeOptions & { localesDir?: string },
  write: (line: string) => void = (l) => process.stdout.write(l + '\n'),
  flags: { quiet?: boolean; lang?: UiLang } = {},
): Promise<number> {
  const t = translator(flags.lang ?? 'en');
  const line = (issue: ContentIssue): string => `${issue.file}:${issue.line}: ${t(issue.severity === 'error' ? 'check.error' : 'check.warning')}: ${issueText(t, issue, { isolate: false })}`;
  let smsFooter = opts.smsFooter;
  if (!smsFooter && opts.localesDir) {
    // The SMS budget counts the footer Dalil adds, in each language's own words.
    try {
      const t = await createTranslator(opts.localesDir);
      smsFooter = (a, lang) => smsFooterText(a, lang, t);
    } catch {
      // An unreadable locale is reported by checkLocaleDir below.
    }
  }
  const { kb, issues } = await loadKnowledge({ ...opts, ...(smsFooter ? { smsFooter } : {}) });
  if (opts.localesDir) issues.push(...(await checkLocaleDir(opts.localesDir, opts.root ?? PROJECT_ROOT)));
  const sorted = sortIssues(issues);
  const errors = sorted.filter((i) => i.severity === 'error').length;
  const warnings = sorted.length - errors;
  for (const issue of sorted) {
    if (flags.quiet && issue.severity !== 'error') continue;
    write(line(issue));
  }
  let answers = 0;
  for (const byLang of kb.answers.values()) answers += byLang.size;
  const counts = { errors, warnings, answers, phrases: kb.phrases.length, organisations: kb.organisations.size, cities: kb.cities.size, version: kb.version };
  write(`content:check: ${t('check.summary', counts)}`);
  return errors > 0 ? 1 : 0;
}

/** The value of `--today=YYYY-MM-DD`: undefined when absent, null when malformed. */
export function todayOption(argv: readonly string[]): string | undefined | null {
  const arg = argv.find((a) => a.startsWith('--today='));
  if (arg === undefined) return undefined;
  const value = arg.slice('--today='.length);
  return isIsoDate(value) ? value : null;
}

async function main(argv: readonly string[]): Promise<number> {
  const known = ['--allow-missing', '--quiet'];
  const unknown = argv.filter((a) => !known.includes(a) && !a.startsWith('--today=') && !a.startsWith('--lang='));
  if (unknown.length > 0) {
    process.stderr.write(`content:check: unknown option ${unknown.join(' ')} (options: ${known.join(', ')}, --today=YYYY-MM-DD, --lang=en|fr|ar)\n`);
    return 2;
  }
  const langArg = argv.find((a) => a.startsWith('--lang='))?.slice('--lang='.length) ?? 'en';
  if (!isUiLang(langArg)) {
    process.stderr.write('content:check: --lang must be en, fr or ar\n');
    return 2;
  }
  const today = todayOption(argv);
  if (today === null) {
    process.stderr.write('content:check: --today must be a date written YYYY-MM-DD\n');
    return 2;
  }
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`content:check: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  return contentCheck(
    {
      contentDir: config.contentDir,
      intentsDir: config.intentsDir,
      localesDir: config.localesDir,
      smsShortFormSegments: config.smsShortFormSegments,
      settings: textSettingsOf(config),
      root: PROJECT_ROOT,
      requireAllTopics: !argv.includes('--allow-missing'),
      ...(today ? { today } : {}),
    },
    undefined,
    { quiet: argv.includes('--quiet'), lang: langArg },
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`content:check failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
