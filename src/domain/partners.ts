/**
 * Partner organisations' opening hours and the routing of a case to one of them (pure: the time
 * is given, never read). Hours are local to the partner's IANA time zone (default
 * Africa/Casablanca, whose offset changes during Ramadan: the zone data knows it, a fixed offset
 * would not).
 */
import type { Lang } from './lang.js';
import type { OpeningHours, Partner, Routing, Weekday } from './cases.js';
import { organisationName } from './directory.js';
import type { Organisation } from './knowledge.js';

/** The zone of hours that do not name one. */
export const DEFAULT_PARTNER_TZ = 'Africa/Casablanca';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Days looked ahead for the next opening (a week and a day: every weekday once, today's remainder too). */
const LOOKAHEAD_DAYS = 8;

/** One formatter per zone (building one costs far more than using it). */
const FORMATS = new Map<string, Intl.DateTimeFormat>();

function formatOf(tz: string): Intl.DateTimeFormat {
  let f = FORMATS.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    FORMATS.set(tz, f);
  }
  return f;
}

/** A zone Intl knows, else the default (a typo in an admin's setting must not break routing). */
export function validZone(tz: string | undefined): string {
  if (!tz) return DEFAULT_PARTNER_TZ;
  try {
    formatOf(tz);
    return tz;
  } catch {
    return DEFAULT_PARTNER_TZ;
  }
}

const WEEKDAYS: Record<string, Weekday> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The local calendar fields of an instant in a zone. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  weekday: Weekday;
  /** Minutes since local midnight. */
  minutes: number;
}

/** The local date, weekday and time of `at` in `tz`. */
export function localTime(at: number, tz: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatOf(validZone(tz)).formatToParts(new Date(at))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS[parts.weekday ?? 'Sun'] ?? 0,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** The zone's offset from UTC at `at`, in milliseconds (local minus UTC). */
function offsetAt(at: number, tz: string): number {
  const l = localTime(at, tz);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, Math.floor(l.minutes / 60), l.minutes % 60);
  return asUtc - Math.floor(at / MINUTE) * MINUTE;
}

/** The instant of a local date and time in a zone (the first one, across an offset change). */
function zonedInstant(year: number, month: number, day: number, minutes: number, tz: string): number {
  const asUtc = Date.UTC(year, month - 1, day, 0, minutes);
  const first = asUtc - offsetAt(asUtc, tz);
  const second = asUtc - offsetAt(first, tz);
  return Math.min(first, second);
}

/** "09:30" as 570 minutes; "24:00" as 1440; undefined when malformed. */
export function parseClock(hhmm: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 24 || min > 59 || (h === 24 && min > 0)) return undefined;
  return h * 60 + min;
}

/** A day's ranges as minutes, malformed and empty ones left out. */
function rangesOf(hours: OpeningHours, weekday: Weekday): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [from, to] of hours.days[weekday] ?? []) {
    const a = parseClock(from);
    const b = parseClock(to);
    if (a !== undefined && b !== undefined && b > a) out.push([a, b]);
  }
  return out;
}

/** Whether the hours are open at `at`. */
export function isOpen(hours: OpeningHours, at: number): boolean {
  const l = localTime(at, validZone(hours.tz));
  return rangesOf(hours, l.weekday).some(([a, b]) => l.minutes >= a && l.minutes < b);
}

/** The next opening after `at` (milliseconds), or undefined when the hours never open. */
export function nextOpening(hours: OpeningHours, at: number): number | undefined {
  const tz = validZone(hours.tz);
  let best: number | undefined;
  for (let k = 0; k <= LOOKAHEAD_DAYS && best === undefined; k++) {
    // The local date k days ahead.
    const l = localTime(at + k * DAY, tz);
    for (const [from] of rangesOf(hours, l.weekday)) {
      const start = zonedInstant(l.year, l.month, l.day, from, tz);
      if (start > at && (best === undefined || start < best)) best = start;
    }
  }
  return best;
}

/** What a case is routed by: its topic, city and language (topic and city may be unknown). */
export interface RoutingNeed {
  topic?: string;
  city?: string;
  lang: Lang;
}

/** Whether a partner may take the case at all: active, takes the topic, serves the city (or the whole country). */
function eligible(p: Partner, need: RoutingNeed): boolean {
  if (!p.active) return false;
  if (need.topic && p.topics.length > 0 && !p.topics.includes(need.topic)) return false;
  if (need.city && p.cities.length > 0 && !p.cities.includes(need.city)) return false;
  return true;
}

/**
 * Picks one partner for a case at `at`, or undefined when none may take it. Among the active
 * partners that take the topic (or every topic) and serve the city (or the whole country), it
 * prefers, in order: one that reads the user's language, one open now, one of the city (before
 * nationwide ones; when the city is unknown, nationwide ones first), then the earliest next
 * opening, then the order given. A closed partner comes with its next opening.
 */
export function routeCase(partners: readonly Partner[], need: RoutingNeed, at: number): Routing | undefined {
  const scored = partners
    .map((partner, index) => ({ partner, index }))
    .filter(({ partner }) => eligible(partner, need))
    .map(({ partner, index }) => {
      const open = isOpen(partner.hours, at);
      const local = need.city !== undefined && partner.cities.includes(need.city);
      const cityRank = need.city ? (local ? 0 : 1) : partner.cities.length === 0 ? 0 : 1;
      return { partner, open, rank: [partner.langs.includes(need.lang) ? 0 : 1, open ? 0 : 1, cityRank], index };
    })
    .sort((a, b) => compareRanks(a.rank, b.rank) || a.index - b.index);
  const best = scored[0];
  if (!best) return undefined;
  if (best.open) return { partner: best.partner, open: true };
  // Among equally good closed partners, the one that opens first (computed only for them: it costs).
  const tied = scored.filter((s) => compareRanks(s.rank, best.rank) === 0).map((s) => ({ partner: s.partner, next: nextOpening(s.partner.hours, at) }));
  const soonest = tied.reduce((a, b) => ((b.next ?? Infinity) < (a.next ?? Infinity) ? b : a));
  return { partner: soonest.partner, open: false, ...(soonest.next !== undefined ? { nextOpen: soonest.next } : {}) };
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The name of the organisation behind a partner, in `lang`: from the directory when it has the
 * partner's organisation, else the organisation's id, else the partner's id.
 */
export function partnerOrgName(partners: readonly Partner[], organisations: ReadonlyMap<string, Organisation>, partnerId: string, lang: Lang): string {
  const partner = partners.find((p) => p.id === partnerId);
  const org = partner ? organisations.get(partner.orgId) : undefined;
  return org ? organisationName(org, lang) : (partner?.orgId ?? partnerId);
}
