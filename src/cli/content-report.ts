/**
 * `npm run content:report`: a topic x language overview for editors: the status of each answer,
 * its SMS short form (segments and encoding) and how many days ago its facts were checked.
 * `npm run content:report -- --json` prints the same as a JSON array of
 * `{topic, lang, status, smsSegments, smsEncoding, reviewedDaysAgo}` (missing answers have
 * status "missing" and null figures; `reviewedDaysAgo` is null for an answer no reviewer has
 * checked). The SMS figures count the footer Dalil adds after the short form. `--today=YYYY-MM-DD` counts days from that date.
 */
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT, loadConfig } from '../config/index.js';
import { LANGS, TOPIC_IDS } from '../domain/index.js';
import { createTranslator } from '../i18n/index.js';
import { contentReport, loadKnowledge, smsFooterText, todayIso } from '../knowledge/index.js';
import type { ContentReportRow } from '../knowledge/index.js';
import { textSettingsOf, todayOption } from './content-check.js';

const STATUS_CODES: Record<ContentReportRow['status'], string> = {
  published: 'OK',
  'needs-verification': 'NV',
  draft: 'DR',
  missing: '--',
};

/** One cell of the matrix, e.g. `NV 2G 14d` (needs verification, 2 GSM-7 segments, reviewed 14 days ago). */
export function formatCell(row: ContentReportRow): string {
  if (row.status === 'missing') return '--';
  const sms = row.smsSegments === null ? '' : ` ${row.smsSegments}${row.smsEncoding === 'UCS-2' ? 'U' : 'G'}`;
  const days = row.reviewedDaysAgo === null ? ' unchecked' : ` ${row.reviewedDaysAgo}d`;
  return `${STATUS_CODES[row.status]}${sms}${days}`;
}

/** The matrix as text lines: a header, one line per topic, totals and a legend. */
export function formatMatrix(rows: readonly ContentReportRow[]): string[] {
  const width = Math.max(...TOPIC_IDS.map((t) => t.length)) + 2;
  const cellWidth = 17;
  const pad = (s: string, n: number): string => s + ' '.repeat(Math.max(1, n - s.length));
  const lines = [pad('topic', width) + LANGS.map((l) => pad(l, cellWidth)).join('').trimEnd()];
  for (const topic of TOPIC_IDS) {
    const cells = LANGS.map((lang) => {
      const row = rows.find((r) => r.topic === topic && r.lang === lang);
      return pad(row ? formatCell(row) : '--', cellWidth);
    });
    lines.push((pad(topic, width) + cells.join('')).trimEnd());
  }
  const totals = LANGS.map((lang) => {
    const mine = rows.filter((r) => r.lang === lang);
    const ok = mine.filter((r) => r.status === 'published').length;
    const written = mine.filter((r) => r.status !== 'missing').length;
    return pad(`${ok}/${written}/${mine.length}`, cellWidth);
  });
  lines.push((pad('published/written/all', width) + totals.join('')).trimEnd());
  lines.push('');
  lines.push('OK published, NV needs verification, DR draft (hidden from users), -- missing.');
  lines.push('2G = SMS short form with the footer Dalil adds, in 2 GSM-7 segments; 1U = 1 UCS-2 segment.');
  lines.push('14d = a reviewer checked the facts 14 days ago; unchecked = no reviewer has checked them yet.');
  return lines;
}

async function main(argv: readonly string[]): Promise<number> {
  const unknown = argv.filter((a) => a !== '--json' && !a.startsWith('--today='));
  if (unknown.length > 0) {
    process.stderr.write(`content:report: unknown option ${unknown.join(' ')} (options: --json, --today=YYYY-MM-DD)\n`);
    return 2;
  }
  const todayArg = todayOption(argv);
  if (todayArg === null) {
    process.stderr.write('content:report: --today must be a date written YYYY-MM-DD\n');
    return 2;
  }
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`content:report: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const today = todayArg ?? todayIso();
  const t = await createTranslator(config.localesDir);
  const smsFooter = (a: Parameters<typeof smsFooterText>[0], lang: Parameters<typeof smsFooterText>[1]): string => smsFooterText(a, lang, t);
  const { kb, issues } = await loadKnowledge({
    contentDir: config.contentDir,
    intentsDir: config.intentsDir,
    smsShortFormSegments: config.smsShortFormSegments,
    root: PROJECT_ROOT,
    requireAllTopics: false,
    today,
    settings: textSettingsOf(config),
    smsFooter,
  });
  const rows = contentReport(kb, today, smsFooter);
  if (argv.includes('--json')) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  } else {
    process.stdout.write(formatMatrix(rows).join('\n') + '\n');
  }
  const errors = issues.filter((i) => i.severity === 'error').length;
  if (errors > 0) {
    process.stderr.write(`content:report: the content has ${errors} error${errors === 1 ? '' : 's'}: run npm run content:check\n`);
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`content:report failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
