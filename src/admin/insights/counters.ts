/**
 * The research counters: what a turn adds to its day's record, and how the fields are named.
 *
 * One record per UTC day in the `insights` collection (a Redis hash, or a JSON file), whose
 * fields are `<metric>|<channel>|<lang>|<key>` counters:
 *   q|ch|lang|<outcome>            turns by outcome (answered, did-you-mean, out-of-scope ...)
 *   t|ch|lang|<topic>|a            answers of a topic        t|..|u  unanswered (offered first by
 *                                  "did you mean", or answered unsure)
 *   t|ch|lang|<topic>|y / n        "was this helpful?" yes / no
 *   u|ch|lang|<urgency kind>       urgent messages
 *   c|ch|lang|<city id>            turns of conversations in a known city
 *   s|sms|lang|segments            SMS segments sent
 *   l|ch|lang|<bucket>             turn latency histogram (bucket index of LATENCY_BUCKETS_MS)
 * Every part is checked against a closed list (channels, languages, outcomes, topics, urgency
 * kinds) or a city id's shape, so no free text can ever become a field.
 */
import { CHANNEL_IDS, isLang, isTopicId, TURN_OUTCOMES, URGENCY_KINDS, type SmsSentFacts, type TurnFacts } from '../../domain/index.js';

/** Upper bounds (ms) of the latency buckets; the last bucket is everything slower. */
export const LATENCY_BUCKETS_MS = [25, 50, 100, 200, 400, 800, 1600, 3200] as const;

/** Metrics of the counters (the first part of a field). */
export const METRICS = { q: 'turns', t: 'topic', u: 'urgent', c: 'city', s: 'sms', l: 'latency' } as const;
export type Metric = keyof typeof METRICS;

const CITY_ID = /^[a-z][a-z0-9-]{0,39}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const isChannel = (v: unknown): v is TurnFacts['channel'] => typeof v === 'string' && (CHANNEL_IDS as readonly string[]).includes(v);
const isOutcome = (v: unknown): boolean => typeof v === 'string' && (TURN_OUTCOMES as readonly string[]).includes(v);
const isUrgency = (v: unknown): boolean => typeof v === 'string' && (URGENCY_KINDS as readonly string[]).includes(v);

/** Whether `day` is a `YYYY-MM-DD` day. */
export function isDay(day: unknown): day is string {
  return typeof day === 'string' && DAY.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00Z`));
}

/** The bucket index of a latency. */
export function latencyBucket(ms: number): number {
  const i = LATENCY_BUCKETS_MS.findIndex((b) => ms <= b);
  return i === -1 ? LATENCY_BUCKETS_MS.length : i;
}

/** The counters one turn adds (empty when its facts are not of the closed lists). */
export function countsOfTurn(f: TurnFacts): Record<string, number> {
  if (!isDay(f.day) || !isChannel(f.channel) || !isLang(f.lang) || !isOutcome(f.outcome)) return {};
  const base = `${f.channel}|${f.lang}`;
  const out: Record<string, number> = { [`q|${base}|${f.outcome}`]: 1 };
  if (Number.isFinite(f.latencyMs)) out[`l|${base}|${latencyBucket(Math.max(0, f.latencyMs))}`] = 1;
  if (f.topic && isTopicId(f.topic)) {
    if (f.outcome === 'answered' && !f.unsure) out[`t|${base}|${f.topic}|a`] = 1;
    else if (f.outcome === 'did-you-mean' || (f.outcome === 'answered' && f.unsure)) out[`t|${base}|${f.topic}|u`] = 1;
  }
  if (f.feedback && isTopicId(f.feedback.topic) && (f.feedback.value === 'yes' || f.feedback.value === 'no')) {
    out[`t|${base}|${f.feedback.topic}|${f.feedback.value === 'yes' ? 'y' : 'n'}`] = 1;
  }
  if (f.urgency && isUrgency(f.urgency)) out[`u|${base}|${f.urgency}`] = 1;
  if (f.city && CITY_ID.test(f.city)) out[`c|${base}|${f.city}`] = 1;
  return out;
}

/** The counters of SMS segments sent. */
export function countsOfSms(f: SmsSentFacts): Record<string, number> {
  if (!isDay(f.day) || !isLang(f.lang) || !Number.isInteger(f.segments) || f.segments <= 0) return {};
  return { [`s|sms|${f.lang}|segments`]: f.segments };
}

/** One counter of a day, its field split into parts. */
export interface Cell {
  day: string;
  metric: Metric;
  channel: string;
  lang: string;
  /** The outcome, topic, urgency kind, city id, `segments` or latency bucket. */
  key: string;
  /** For topics: `a` answered, `u` unanswered, `y` / `n` helpful or not. */
  sub?: string;
  n: number;
}

/** A stored field back into a cell (undefined for a field this version does not know). */
export function cellOf(day: string, field: string, n: number): Cell | undefined {
  const [metric, channel, lang, key, sub] = field.split('|');
  if (!metric || !(metric in METRICS) || !channel || !lang || !key || !(n > 0)) return undefined;
  return { day, metric: metric as Metric, channel, lang, key, ...(sub ? { sub } : {}), n };
}
