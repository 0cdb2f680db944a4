import { describe, expect, it } from 'vitest';
import { isOpen, nextOpening, parseClock, routeCase, type OpeningHours, type Partner } from '../../src/domain/index.js';

const WEEKDAYS_9_17: OpeningHours = { tz: 'Africa/Casablanca', days: { 1: [['09:00', '17:00']], 2: [['09:00', '17:00']], 3: [['09:00', '17:00']], 4: [['09:00', '17:00']], 5: [['09:00', '12:00'], ['14:00', '17:00']] } };
const ALWAYS: OpeningHours = { tz: 'Africa/Casablanca', days: { 0: [['00:00', '24:00']], 1: [['00:00', '24:00']], 2: [['00:00', '24:00']], 3: [['00:00', '24:00']], 4: [['00:00', '24:00']], 5: [['00:00', '24:00']], 6: [['00:00', '24:00']] } };
const NEVER: OpeningHours = { tz: 'Africa/Casablanca', days: {} };

function partner(id: string, over: Partial<Partner> = {}): Partner {
  return { id, orgId: id, topics: [], cities: [], langs: ['fr', 'ar'], hours: WEEKDAYS_9_17, active: true, ...over };
}

// 2026-01-05 is a Monday. Africa/Casablanca is UTC+1 outside Ramadan.
const MON_10_LOCAL = Date.UTC(2026, 0, 5, 9, 0); // 10:00 in Casablanca
const MON_8_LOCAL = Date.UTC(2026, 0, 5, 7, 0); // 08:00
const FRI_13_LOCAL = Date.UTC(2026, 0, 9, 12, 0); // Friday 13:00 (lunch break)
const SAT_11_LOCAL = Date.UTC(2026, 0, 10, 10, 0); // Saturday 11:00

describe('opening hours', () => {
  it.each([
    ['Monday 10:00', MON_10_LOCAL, true],
    ['Monday 08:00', MON_8_LOCAL, false],
    ['Friday lunch break', FRI_13_LOCAL, false],
    ['Saturday (closed weekend)', SAT_11_LOCAL, false],
    ['Monday 17:00 (end is exclusive)', Date.UTC(2026, 0, 5, 16, 0), false],
    ['Monday 16:59', Date.UTC(2026, 0, 5, 15, 59), true],
  ])('%s', (_name, at, open) => {
    expect(isOpen(WEEKDAYS_9_17, at)).toBe(open);
  });

  it.each([
    ['before opening on Monday: Monday 09:00', MON_8_LOCAL, Date.UTC(2026, 0, 5, 8, 0)],
    ['Friday lunch: Friday 14:00', FRI_13_LOCAL, Date.UTC(2026, 0, 9, 13, 0)],
    ['Saturday: Monday 09:00 (over the weekend)', SAT_11_LOCAL, Date.UTC(2026, 0, 12, 8, 0)],
    ['open now: the next opening is tomorrow', MON_10_LOCAL, Date.UTC(2026, 0, 6, 8, 0)],
  ])('next opening %s', (_name, at, next) => {
    expect(nextOpening(WEEKDAYS_9_17, at)).toBe(next);
  });

  it('reads the hours in the partner zone', () => {
    const paris: OpeningHours = { ...WEEKDAYS_9_17, tz: 'Europe/Paris' };
    const newYork: OpeningHours = { ...WEEKDAYS_9_17, tz: 'America/New_York' };
    // Monday 08:30 UTC: 09:30 in Paris (open), 03:30 in New York (closed).
    const at = Date.UTC(2026, 0, 5, 8, 30);
    expect(isOpen(paris, at)).toBe(true);
    expect(isOpen(newYork, at)).toBe(false);
    expect(nextOpening(newYork, at)).toBe(Date.UTC(2026, 0, 5, 14, 0));
  });

  it('follows the zone through a change of offset (Casablanca in Ramadan 2026 is UTC+0)', () => {
    // 2026-02-23 (Monday) falls in Ramadan: Morocco moves to UTC+0, so 09:00 local is 09:00 UTC.
    const at = Date.UTC(2026, 1, 23, 8, 30);
    expect(isOpen(WEEKDAYS_9_17, at)).toBe(false);
    expect(nextOpening(WEEKDAYS_9_17, at)).toBe(Date.UTC(2026, 1, 23, 9, 0));
  });

  it('never opens without hours; an unknown zone falls back to Casablanca', () => {
    expect(nextOpening(NEVER, MON_10_LOCAL)).toBeUndefined();
    expect(isOpen({ ...WEEKDAYS_9_17, tz: 'Mars/Olympus' }, MON_10_LOCAL)).toBe(true);
  });

  it('parses clock times strictly', () => {
    expect(parseClock('09:30')).toBe(570);
    expect(parseClock('24:00')).toBe(1440);
    expect(parseClock('24:30')).toBeUndefined();
    expect(parseClock('9h')).toBeUndefined();
  });
});

describe('routing a case', () => {
  const rabatFr = partner('rabat-fr', { cities: ['rabat'], langs: ['fr'] });
  const national = partner('national', { langs: ['fr', 'en', 'ar', 'es'] });
  const arrestOnly = partner('arrest', { topics: ['police-stop-arrest'], langs: ['fr', 'en', 'ar', 'es'], hours: ALWAYS });
  const oujda = partner('oujda', { cities: ['oujda'], langs: ['fr', 'en', 'ar', 'es'], hours: ALWAYS });
  const inactive = partner('inactive', { active: false, hours: ALWAYS, langs: ['fr', 'en', 'ar', 'es'] });
  const all = [inactive, national, rabatFr, arrestOnly, oujda];

  it.each([
    ['local partner first, open', { topic: 'housing', city: 'rabat', lang: 'fr' as const }, MON_10_LOCAL, 'rabat-fr', true],
    ['a language the local one does not read: the national one', { topic: 'housing', city: 'rabat', lang: 'en' as const }, MON_10_LOCAL, 'national', true],
    ['specialist open at night', { topic: 'police-stop-arrest', city: 'rabat', lang: 'fr' as const }, MON_8_LOCAL, 'arrest', true],
    ['another city partner does not serve Rabat, closed weekend: best match with next opening', { topic: 'housing', city: 'rabat', lang: 'fr' as const }, SAT_11_LOCAL, 'rabat-fr', false],
    ['Oujda partner open on Saturday beats closed national one', { topic: 'housing', city: 'oujda', lang: 'fr' as const }, SAT_11_LOCAL, 'oujda', true],
    ['unknown city: nationwide partners first', { lang: 'fr' as const }, MON_10_LOCAL, 'national', true],
  ])('%s', (_name, need, at, id, open) => {
    const r = routeCase(all, need, at);
    expect(r?.partner.id).toBe(id);
    expect(r?.open).toBe(open);
    if (!open) expect(r?.nextOpen).toBe(Date.UTC(2026, 0, 12, 8, 0));
  });

  it('among equally good closed partners, the one that opens first', () => {
    const monday = partner('monday', { langs: ['fr'] });
    const sunday = partner('sunday', { langs: ['fr'], hours: { tz: 'Africa/Casablanca', days: { 0: [['10:00', '12:00']] } } });
    const r = routeCase([monday, sunday], { lang: 'fr' }, SAT_11_LOCAL);
    expect(r).toEqual({ partner: sunday, open: false, nextOpen: Date.UTC(2026, 0, 11, 9, 0) });
  });

  it('no partner: inactive ones and other topics are never routed to', () => {
    expect(routeCase([inactive, partner('h', { topics: ['housing'] })], { topic: 'health-care', lang: 'fr' }, MON_10_LOCAL)).toBeUndefined();
    expect(routeCase([], { lang: 'fr' }, MON_10_LOCAL)).toBeUndefined();
  });
});
