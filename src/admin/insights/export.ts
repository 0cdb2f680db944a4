/**
 * The researchers' exports: CSV and JSON of the protected day-by-day counters, and the README
 * that describes their fields. A small count is written "<N>", never as its number.
 */
import { LATENCY_BUCKETS_MS } from './counters.js';
import type { ExportRow, InsightsQuery } from './report.js';

const COLUMNS = ['day', 'metric', 'channel', 'lang', 'key', 'detail', 'count'] as const;

const cell = (v: string): string => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** A count as exported. */
const countOf = (row: ExportRow, minCount: number): string | number => (row.count === null ? `<${minCount}` : row.count);

/** The CSV export (RFC 4180, UTF-8, a header line). */
export function toCsv(rows: readonly ExportRow[], minCount: number): string {
  const lines = [COLUMNS.join(',')];
  for (const r of rows) lines.push([r.day, r.metric, r.channel, r.lang, r.key, r.detail, String(countOf(r, minCount))].map(cell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** The JSON export. */
export function toJson(rows: readonly ExportRow[], q: InsightsQuery, minCount: number): string {
  return JSON.stringify(
    {
      source: 'Dalil insights',
      from: q.from,
      to: q.to,
      ...(q.channel ? { channel: q.channel } : {}),
      ...(q.lang ? { lang: q.lang } : {}),
      minCount,
      rows: rows.map((r) => ({ ...r, count: countOf(r, minCount) })),
    },
    null,
    1,
  );
}

/** The README of the exports' fields. */
export function exportReadme(minCount: number, roundTo: number, retentionDays: number): string {
  const rounding =
    roundTo > 1
      ? `Every other count is rounded to the nearest multiple of ${roundTo} (never below ${minCount}): the page
shows sums of the rows, and exact sums beside exact rows would let anyone subtract their way back to a
hidden count. Sums of rounded rows are therefore approximate.`
      : 'Other counts are exact. Do not add up rows to rebuild a hidden count.';
  return `# Dalil insights: the exported fields

Dalil counts what people ask, per UTC day, and keeps nothing else: no phone number, chat id,
user key, message text, or time finer than a day. Counters are kept ${retentionDays} days.

**Small counts.** A count from 1 to ${minCount - 1} is written \`<${minCount}\`, never as its number,
so no row can single out a person (in a small town, on a rare channel, in a rare language).
A count of 0 is not written at all: a missing row means nothing was counted.
${rounding}

One row is one counter of one day (CSV: one line; JSON: one object of \`rows\`):

| field | meaning |
|---|---|
| \`day\` | UTC day, \`YYYY-MM-DD\` |
| \`metric\` | what is counted (below) |
| \`channel\` | \`web\`, \`telegram\`, \`whatsapp\`, \`sms\`, \`botframework\` (Teams), \`cli\` |
| \`lang\` | language Dalil answered in: \`fr\`, \`en\`, \`ar\`, \`es\` |
| \`key\` | depends on the metric (below) |
| \`detail\` | for \`topic\` only (below) |
| \`count\` | how many${roundTo > 1 ? ` (rounded to ${roundTo})` : ''}, or \`<${minCount}\` |

| metric | key | counts |
|---|---|---|
| \`turns\` | outcome: \`answered\` (a topic's answer), \`directory\` (organisations in a city), \`handoff\` (people to talk to), \`did-you-mean\` (topics offered instead of an answer), \`out-of-scope\` (no topic fits), \`failed\` (Dalil failed), \`feedback\` (an answer to "was this helpful?"), \`other\` (menus, language, greetings, erasure) | messages handled. Questions are the first six outcomes; answered = answered + directory + handoff |
| \`topic\` | topic id (as in \`content/topics/\`) | detail \`answered\`: answers given; \`unanswered\`: offered first by "did you mean", or answered with low confidence; \`helpful_yes\` / \`helpful_no\`: "was this helpful?" |
| \`urgent\` | \`arrest\`, \`violence\`, \`trafficking\`, \`child-alone\`, \`medical\` | urgent messages (emergency contacts sent first) |
| \`city\` | city id (as in \`content/cities.yaml\`) | messages of conversations that named or shared this city |
| \`sms_segments\` | \`segments\` | SMS segments sent (channel \`sms\`): what the operator bills |
| \`latency_bucket\` | ${LATENCY_BUCKETS_MS.map((b) => `\`<=${b}ms\``).join(', ')}, \`>${LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1]}ms\` | messages by how long Dalil took to answer |
`;
}
