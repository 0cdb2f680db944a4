/**
 * From the stored counters to what the page and the exports show: filtered by period, channel
 * and language, summed per day or week, and protected. Protection happens here, once: every
 * count from 1 to `minCount - 1` becomes `null` (shown "<5"), so no view or export built on a
 * `Report` or `ExportRow` can show a small number that could single out a person. Every other
 * count is rounded to the nearest multiple of `roundTo` (default 5): the page sums the cells the
 * export lists one by one, and without rounding a total minus the cells shown beside it would
 * give back a hidden small count exactly.
 */
import { ANSWERED_OUTCOMES, CHANNEL_IDS, LANGS, UNANSWERED_OUTCOMES, URGENCY_KINDS, dayOf } from '../../domain/index.js';
import { LATENCY_BUCKETS_MS, type Cell } from './counters.js';
import { daysBetween } from './recorder.js';

/** A protected count: a number (0, or at least the minimum), or `null` for a small count. */
export type Shown = number | null;

/** Which counters a report covers. */
export interface InsightsQuery {
  from: string;
  to: string;
  channel?: string;
  lang?: string;
}

/** Protection and cost settings. */
export interface ReportSettings {
  /** Counts below this (and above 0) are never shown (INSIGHTS_MIN_COUNT, default 5). */
  minCount: number;
  /** Shown counts are rounded to a multiple of this (INSIGHTS_ROUND_TO, default 5; 1: exact). */
  roundTo: number;
  /** Price of one SMS segment (INSIGHTS_SMS_SEGMENT_PRICE; 0: no cost shown). */
  smsSegmentPrice: number;
}

/** Values over time, one series per name (a channel, a language, an urgency kind). */
export interface TimeSeries {
  /** First day of each period (a day, or the Monday of a week). */
  periods: string[];
  series: Array<{ name: string; values: Shown[]; total: Shown }>;
}

/** What the insights page shows. */
export interface Report {
  query: InsightsQuery;
  minCount: number;
  /** `day` for periods up to 62 days, else `week`. */
  step: 'day' | 'week';
  totals: { questions: Shown; answered: Shown; unanswered: Shown; helpfulYes: Shown; helpfulNo: Shown; smsSegments: Shown };
  /** Median turn latency from the latency histogram (undefined with fewer turns than the minimum). */
  medianLatencyMs?: number;
  byChannel: TimeSeries;
  byLang: TimeSeries;
  topTopics: Array<{ topic: string; answered: Shown; trend: Shown[] }>;
  problemTopics: Array<{ topic: string; unanswered: Shown; helpfulNo: Shown; helpfulYes: Shown }>;
  cities: Array<{ city: string; turns: Shown }>;
  sms: Array<{ period: string; segments: Shown; cost: number | null }>;
  smsCost: number | null;
  urgentByWeek: TimeSeries;
}

/** How counts are protected: hidden under `minCount`, else rounded to a multiple of `roundTo`. */
export interface Protection {
  minCount: number;
  roundTo: number;
}

/** A count as it may be shown: 0, `null` (hidden), or rounded, never below the minimum. */
export function protect(n: number, p: Protection): Shown {
  if (n <= 0) return 0;
  if (n < p.minCount) return null;
  const step = Math.max(1, Math.floor(p.roundTo));
  return Math.max(p.minCount, Math.round(n / step) * step);
}

/** The Monday of a day's ISO week. */
export function weekOf(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  const weekday = (new Date(t).getUTCDay() + 6) % 7;
  return dayOf(t - weekday * 86_400_000);
}

const QUESTION_OUTCOMES = new Set<string>([...ANSWERED_OUTCOMES, ...UNANSWERED_OUTCOMES]);

/** The cells a query covers (period, channel, language). */
export function selectCells(cells: readonly Cell[], q: InsightsQuery): Cell[] {
  return cells.filter((c) => c.day >= q.from && c.day <= q.to && (!q.channel || c.channel === q.channel) && (!q.lang || c.lang === q.lang));
}

const sum = (cells: readonly Cell[], pred: (c: Cell) => boolean): number => cells.reduce((n, c) => (pred(c) ? n + c.n : n), 0);

/** The median of a latency histogram (linear inside its bucket). */
export function medianOf(histogram: readonly number[]): number | undefined {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  const half = total / 2;
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    const n = histogram[i] ?? 0;
    if (n > 0 && seen + n >= half) {
      const lo = i === 0 ? 0 : LATENCY_BUCKETS_MS[i - 1]!;
      const hi = LATENCY_BUCKETS_MS[i] ?? lo * 2;
      return Math.round(lo + ((half - seen) / n) * (hi - lo));
    }
    seen += n;
  }
  return undefined;
}

/** Sums a metric per period and per name, protected. */
function timeSeries(cells: readonly Cell[], periods: string[], periodOf: (day: string) => string, names: readonly string[], nameOf: (c: Cell) => string | undefined, pr: Protection): TimeSeries {
  const index = new Map(periods.map((p, i) => [p, i]));
  const raw = new Map<string, number[]>(names.map((n) => [n, periods.map(() => 0)]));
  for (const c of cells) {
    const name = nameOf(c);
    const i = index.get(periodOf(c.day));
    const row = name === undefined ? undefined : raw.get(name);
    if (row && i !== undefined) row[i]! += c.n;
  }
  return {
    periods,
    series: [...raw]
      .map(([name, values]) => ({ name, values: values.map((v) => protect(v, pr)), total: protect(values.reduce((a, b) => a + b, 0), pr), raw: values.reduce((a, b) => a + b, 0) }))
      .filter((s) => s.raw > 0)
      .map(({ raw: _raw, ...s }) => s),
  };
}

/** Per-topic sums of a topic sub-counter (`a`, `u`, `y`, `n`). */
function topicSums(cells: readonly Cell[], sub: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of cells) if (c.metric === 't' && c.sub === sub) out.set(c.key, (out.get(c.key) ?? 0) + c.n);
  return out;
}

/** Builds the protected report of a query. */
export function buildReport(all: readonly Cell[], q: InsightsQuery, settings: ReportSettings): Report {
  const min = Math.max(1, settings.minCount);
  const pr: Protection = { minCount: min, roundTo: settings.roundTo };
  const cells = selectCells(all, q);
  const days = daysBetween(q.from, q.to);
  const step: Report['step'] = days.length > 62 ? 'week' : 'day';
  const periodOf = step === 'day' ? (d: string) => d : weekOf;
  const periods = [...new Set(days.map(periodOf))];
  const questions = cells.filter((c) => c.metric === 'q' && QUESTION_OUTCOMES.has(c.key));

  const byChannel = timeSeries(questions, periods, periodOf, CHANNEL_IDS, (c) => c.channel, pr);
  const byLang = timeSeries(questions, periods, periodOf, LANGS, (c) => c.lang, pr);
  const answered = topicSums(cells, 'a');
  const topicCells = cells.filter((c) => c.metric === 't' && c.sub === 'a');
  const top = [...answered].sort((a, b) => b[1] - a[1]).slice(0, 10);
  // Trends by week beyond two weeks: a topic's daily counts are mostly too small to show.
  const trendOf = days.length > 14 ? weekOf : periodOf;
  const trendPeriods = [...new Set(days.map(trendOf))];
  const topTopics = top.map(([topic, n]) => ({
    topic,
    answered: protect(n, pr),
    trend: timeSeries(topicCells.filter((c) => c.key === topic), trendPeriods, trendOf, [topic], () => topic, pr).series[0]?.values ?? [],
  }));
  const unanswered = topicSums(cells, 'u');
  const yes = topicSums(cells, 'y');
  const no = topicSums(cells, 'n');
  const problemTopics = [...new Set([...unanswered.keys(), ...no.keys()])]
    .map((topic) => ({ topic, score: (unanswered.get(topic) ?? 0) + (no.get(topic) ?? 0) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, 10)
    .map(({ topic }) => ({
      topic,
      unanswered: protect(unanswered.get(topic) ?? 0, pr),
      helpfulNo: protect(no.get(topic) ?? 0, pr),
      helpfulYes: protect(yes.get(topic) ?? 0, pr),
    }));
  const cityTotals = new Map<string, number>();
  for (const c of cells) if (c.metric === 'c') cityTotals.set(c.key, (cityTotals.get(c.key) ?? 0) + c.n);
  const cities = [...cityTotals].sort((a, b) => b[1] - a[1]).map(([city, n]) => ({ city, turns: protect(n, pr) }));

  const smsRaw = new Map<string, number>(periods.map((p) => [p, 0]));
  for (const c of cells) if (c.metric === 's') smsRaw.set(periodOf(c.day), (smsRaw.get(periodOf(c.day)) ?? 0) + c.n);
  const price = settings.smsSegmentPrice > 0 ? settings.smsSegmentPrice : 0;
  const sms = [...smsRaw].map(([period, n]) => {
    const segments = protect(n, pr);
    return { period, segments, cost: price && segments !== null ? Math.round(segments * price * 100) / 100 : null };
  });
  const smsSegments = sum(cells, (c) => c.metric === 's');

  const weeks = [...new Set(days.map(weekOf))];
  const urgentByWeek = timeSeries(cells.filter((c) => c.metric === 'u'), weeks, weekOf, URGENCY_KINDS, (c) => c.key, pr);

  const histogram = LATENCY_BUCKETS_MS.map(() => 0).concat(0);
  for (const c of cells) if (c.metric === 'l') histogram[Number(c.key)] = (histogram[Number(c.key)] ?? 0) + c.n;
  const latencyTurns = histogram.reduce((a, b) => a + b, 0);
  const median = latencyTurns >= min ? medianOf(histogram) : undefined;
  const shownSms = protect(smsSegments, pr);

  return {
    query: q,
    minCount: min,
    step,
    totals: {
      questions: protect(questions.reduce((n, c) => n + c.n, 0), pr),
      answered: protect(sum(questions, (c) => (ANSWERED_OUTCOMES as readonly string[]).includes(c.key)), pr),
      unanswered: protect(sum(questions, (c) => (UNANSWERED_OUTCOMES as readonly string[]).includes(c.key)), pr),
      helpfulYes: protect(sum(cells, (c) => c.metric === 't' && c.sub === 'y'), pr),
      helpfulNo: protect(sum(cells, (c) => c.metric === 't' && c.sub === 'n'), pr),
      smsSegments: shownSms,
    },
    ...(median !== undefined ? { medianLatencyMs: median } : {}),
    byChannel,
    byLang,
    topTopics,
    problemTopics,
    cities,
    sms,
    smsCost: price && shownSms !== null ? Math.round(shownSms * price * 100) / 100 : null,
    urgentByWeek,
  };
}

/** One exported counter: a day's cell, its count protected. */
export interface ExportRow {
  day: string;
  metric: string;
  channel: string;
  lang: string;
  key: string;
  detail: string;
  count: Shown;
}

/** Export names of the metrics and topic sub-counters (see the export README). */
const METRIC_NAMES: Record<string, string> = { q: 'turns', t: 'topic', u: 'urgent', c: 'city', s: 'sms_segments', l: 'latency_bucket' };
const TOPIC_DETAILS: Record<string, string> = { a: 'answered', u: 'unanswered', y: 'helpful_yes', n: 'helpful_no' };

/** The label of a latency bucket: `<=25ms`, ..., `>3200ms`. */
export function latencyLabel(bucket: number): string {
  const hi = LATENCY_BUCKETS_MS[bucket];
  return hi !== undefined ? `<=${hi}ms` : `>${LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1]}ms`;
}

/** The export rows of a query, day by day, protected. */
export function exportRows(all: readonly Cell[], q: InsightsQuery, pr: Protection): ExportRow[] {
  return selectCells(all, q)
    .map((c) => ({
      day: c.day,
      metric: METRIC_NAMES[c.metric] ?? c.metric,
      channel: c.channel,
      lang: c.lang,
      key: c.metric === 'l' ? latencyLabel(Number(c.key)) : c.key,
      detail: c.metric === 't' ? (TOPIC_DETAILS[c.sub ?? ''] ?? '') : '',
      count: protect(c.n, pr),
    }))
    .sort((a, b) => a.day.localeCompare(b.day) || a.metric.localeCompare(b.metric) || a.channel.localeCompare(b.channel) || a.lang.localeCompare(b.lang) || a.key.localeCompare(b.key) || a.detail.localeCompare(b.detail));
}
