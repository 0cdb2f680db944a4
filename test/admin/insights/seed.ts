/**
 * A month of made-up turns for the Insights tests and screenshots: deterministic (a seeded
 * generator), varied across channels, languages, topics, outcomes, cities and urgencies, with a
 * few deliberately rare cells (a small town, a rare urgency) that must show as "<5".
 */
import type { Admin } from '../../../src/admin/index.js';
import { dayOf, type ChannelId, type Lang, type TurnFacts, type TurnOutcome, type UrgencyKind } from '../../../src/domain/index.js';

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rnd: () => number, weighted: ReadonlyArray<readonly [T, number]>): T {
  const total = weighted.reduce((s, [, w]) => s + w, 0);
  let x = rnd() * total;
  for (const [v, w] of weighted) if ((x -= w) < 0) return v;
  return weighted[weighted.length - 1]![0];
}

const CHANNELS: ReadonlyArray<readonly [ChannelId, number]> = [['whatsapp', 40], ['web', 25], ['telegram', 15], ['sms', 15], ['botframework', 5]];
const LANGS: ReadonlyArray<readonly [Lang, number]> = [['fr', 40], ['ar', 35], ['en', 15], ['es', 10]];
const TOPICS: ReadonlyArray<readonly [string, number]> = [
  ['residence-permit', 30], ['asylum-register', 18], ['health-care', 16], ['housing', 14], ['labour-rights', 12],
  ['school-enrolment', 9], ['banking', 7], ['irregular-stay', 7], ['police-stop-arrest', 5], ['voluntary-return', 4], ['birth-registration', 3],
];
const OUTCOMES: ReadonlyArray<readonly [TurnOutcome, number]> = [['answered', 70], ['did-you-mean', 9], ['out-of-scope', 9], ['directory', 5], ['handoff', 2], ['other', 5]];
const CITIES: ReadonlyArray<readonly [string, number]> = [['casablanca', 30], ['rabat', 24], ['tanger', 16], ['oujda', 12], ['fes', 7], ['marrakech', 6], ['nador', 5], ['agadir', 3]];
const URGENCIES: ReadonlyArray<readonly [UrgencyKind, number]> = [['arrest', 5], ['medical', 4], ['violence', 3]];

/** Records `days` days of turns ending on the day of `now`; returns what was recorded. */
export async function seedInsights(admin: Admin, now: number, days = 30): Promise<{ turns: number }> {
  const rnd = random(22);
  let turns = 0;
  for (let d = days - 1; d >= 0; d--) {
    const day = dayOf(now - d * 86_400_000);
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    const volume = 60 + Math.round(rnd() * 40) + (weekday === 1 ? 25 : 0) - (weekday === 0 ? 25 : 0) + Math.round((days - d) * 1.2);
    for (let i = 0; i < volume; i++) {
      const channel = pick(rnd, CHANNELS);
      const lang = pick(rnd, LANGS);
      const outcome = pick(rnd, OUTCOMES);
      const facts: TurnFacts = { day, channel, lang, outcome, latencyMs: Math.round(30 + rnd() * rnd() * 600) };
      if (outcome === 'answered' || outcome === 'did-you-mean') facts.topic = pick(rnd, TOPICS);
      if (outcome === 'answered' && rnd() < 0.06) facts.unsure = true;
      if (rnd() < 0.45) facts.city = pick(rnd, CITIES);
      if (rnd() < 0.03) facts.urgency = pick(rnd, URGENCIES);
      admin.recordTurn(facts);
      turns++;
      if (outcome === 'answered' && rnd() < 0.25) {
        admin.recordTurn({ day, channel, lang, outcome: 'feedback', feedback: { topic: facts.topic!, value: rnd() < (facts.topic === 'banking' ? 0.3 : 0.75) ? 'yes' : 'no' }, latencyMs: 20 });
        turns++;
      }
      if (channel === 'sms') admin.recordSms({ day, lang, segments: outcome === 'answered' ? 2 + Math.round(rnd()) : 1 });
    }
  }
  // Rare cells: two messages from a small town, one trafficking case.
  const today = dayOf(now);
  admin.recordTurn({ day: today, channel: 'sms', lang: 'es', outcome: 'directory', city: 'tiznit', latencyMs: 80 });
  admin.recordTurn({ day: today, channel: 'sms', lang: 'es', outcome: 'answered', topic: 'housing', city: 'tiznit', latencyMs: 90 });
  admin.recordTurn({ day: today, channel: 'web', lang: 'fr', outcome: 'answered', topic: 'police-stop-arrest', urgency: 'trafficking', latencyMs: 70 });
  await admin.insights.flush();
  return { turns: turns + 3 };
}
