/**
 * The recorder and the report without HTTP: counters on both admin stores (files, and a real
 * Redis when one answers), one write per batch, expiry after the retention, failures that never
 * reach a turn, the median latency from the histogram, and the protection of every count.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createFileAdminStore } from '../../../src/admin/store/file-store.js';
import type { AdminStore } from '../../../src/admin/store/port.js';
import { createRedisAdminStore } from '../../../src/admin/store/redis-store.js';
import { countsOfTurn, latencyBucket } from '../../../src/admin/insights/counters.js';
import { createInsightsRecorder } from '../../../src/admin/insights/recorder.js';
import { buildReport, exportRows, medianOf, protect, weekOf } from '../../../src/admin/insights/report.js';
import type { Logger, TurnFacts } from '../../../src/domain/index.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { tempAdminDataDir } from '../../helpers/admin-data.js';
import { connectAdmin, deleteByPrefix, redisSuite, uniquePrefix } from '../../helpers/redis.js';

const redis = await redisSuite();
const prefix = uniquePrefix('insights');
const NOW = Date.parse('2026-11-30T12:00:00Z');
const opened: AdminStore[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  if (redis.available) {
    const c = await connectAdmin(redis.url);
    await deleteByPrefix(c, prefix);
    c.destroy();
  }
});

const turn = (over: Partial<TurnFacts> = {}): TurnFacts => ({ day: '2026-11-30', channel: 'whatsapp', lang: 'fr', outcome: 'answered', topic: 'housing', latencyMs: 120, ...over });

const impls = [
  { name: 'files', available: true, open: async () => createFileAdminStore({ dataDir: tempAdminDataDir(), sweepIntervalMs: 0 }) },
  { name: 'redis', available: redis.available, open: () => createRedisAdminStore({ url: redis.url, prefix, logger: silentLogger }) },
];

for (const impl of impls) {
  describe.skipIf(!impl.available)(`insights recorder on ${impl.name}`, () => {
    it('adds batches of counters to day records that expire after the retention', async () => {
      const store = await impl.open();
      opened.push(store);
      const rec = createInsightsRecorder({ store, logger: silentLogger, retentionDays: 400, now: () => NOW });
      for (let i = 0; i < 7; i++) rec.recordTurn(turn());
      rec.recordTurn(turn({ day: '2026-11-29', channel: 'sms', lang: 'ar', outcome: 'out-of-scope', topic: undefined, latencyMs: 5000 }));
      rec.recordSms({ day: '2026-11-29', lang: 'ar', segments: 3 });
      await rec.flush();
      const [today, yesterday] = await store.getCounts('insights', ['2026-11-30', '2026-11-29']);
      expect(today).toMatchObject({ 'q|whatsapp|fr|answered': 7, 't|whatsapp|fr|housing|a': 7, 'l|whatsapp|fr|3': 7 });
      expect(yesterday).toEqual({ 'q|sms|ar|out-of-scope': 1, 'l|sms|ar|8': 1, 's|sms|ar|segments': 3 });
      expect(await store.getCounts('insights', ['2026-01-01'])).toEqual([{}]);
      const cells = await rec.read('2026-11-29', '2026-11-30');
      expect(cells.find((c) => c.metric === 's')).toMatchObject({ day: '2026-11-29', channel: 'sms', lang: 'ar', key: 'segments', n: 3 });
      if (impl.name === 'redis') {
        const c = await connectAdmin(redis.url);
        const ttl = await c.ttl(`${prefix}{adm}:insights:2026-11-30`);
        c.destroy();
        // Kept 400 days after the day ends, no longer.
        expect(ttl).toBeGreaterThan(399 * 86_400);
        expect(ttl).toBeLessThanOrEqual(401 * 86_400);
      }
    });
  });
}

describe('insights recorder', () => {
  it('never throws into a turn and logs a failed write by its error name only', async () => {
    const lines: string[] = [];
    const logger: Logger = { debug: () => {}, info: () => {}, error: () => {}, warn: (e, f) => lines.push(JSON.stringify({ e, ...f })) };
    const broken = { addCounts: () => Promise.reject(new TypeError('secret detail +212600000000')) } as unknown as AdminStore;
    const rec = createInsightsRecorder({ store: broken, logger, retentionDays: 400, now: () => NOW });
    expect(() => rec.recordTurn(turn())).not.toThrow();
    await rec.flush();
    expect(lines).toEqual([JSON.stringify({ e: 'insights.record_failed', error: 'TypeError' })]);
  });

  it('coalesces the turns recorded while a write is on its way', async () => {
    const writes: Array<Record<string, number>> = [];
    let release: () => void = () => {};
    const store = {
      addCounts: (_c: string, _id: string, counts: Record<string, number>) => {
        writes.push({ ...counts });
        return new Promise<void>((r) => (release = r));
      },
    } as unknown as AdminStore;
    const rec = createInsightsRecorder({ store, logger: silentLogger, retentionDays: 400, now: () => NOW });
    rec.recordTurn(turn());
    await Promise.resolve();
    await Promise.resolve();
    for (let i = 0; i < 50; i++) rec.recordTurn(turn());
    release();
    await new Promise((r) => setTimeout(r, 0));
    release();
    await rec.flush();
    expect(writes.length).toBe(2);
    expect(writes[1]!['q|whatsapp|fr|answered']).toBe(50);
  });

  it('counts only closed-list values: nothing free-form can become a field', () => {
    expect(countsOfTurn(turn({ topic: 'my landlord Ahmed' }))).toEqual({ 'q|whatsapp|fr|answered': 1, 'l|whatsapp|fr|3': 1 });
    expect(countsOfTurn(turn({ city: 'Rue 12, Hay Nahda' }))).not.toHaveProperty(['c|whatsapp|fr|Rue 12, Hay Nahda']);
    expect(countsOfTurn(turn({ day: '2026-11-30T10:11:12Z' }))).toEqual({});
    expect(countsOfTurn(turn({ channel: 'fax' as TurnFacts['channel'] }))).toEqual({});
  });
});

describe('insights report', () => {
  it('computes the median latency from the histogram and weeks from Mondays', () => {
    expect(latencyBucket(10)).toBe(0);
    expect(latencyBucket(150)).toBe(3);
    expect(latencyBucket(10_000)).toBe(8);
    // 10 turns: 4 under 25 ms, 6 in (100, 200]: the median lies in the latter bucket.
    expect(medianOf([4, 0, 0, 6, 0, 0, 0, 0, 0])).toBe(117);
    expect(medianOf([0, 0, 0, 0, 0, 0, 0, 0, 0])).toBeUndefined();
    expect(weekOf('2026-11-29')).toBe('2026-11-23');
    expect(weekOf('2026-11-30')).toBe('2026-11-30');
  });

  it('hides every count from 1 to the minimum minus one, in the report and the export', () => {
    const cells = [
      { day: '2026-11-30', metric: 'q' as const, channel: 'sms', lang: 'es', key: 'answered', n: 3 },
      { day: '2026-11-30', metric: 'q' as const, channel: 'web', lang: 'fr', key: 'answered', n: 12 },
      { day: '2026-11-30', metric: 'c' as const, channel: 'sms', lang: 'es', key: 'tiznit', n: 1 },
      { day: '2026-11-30', metric: 'l' as const, channel: 'sms', lang: 'es', key: '2', n: 3 },
    ];
    const q = { from: '2026-11-24', to: '2026-11-30' };
    const report = buildReport(cells, q, { minCount: 5, roundTo: 1, smsSegmentPrice: 0 });
    expect(report.byChannel.series.find((s) => s.name === 'sms')?.values.at(-1)).toBeNull();
    expect(report.byChannel.series.find((s) => s.name === 'web')?.values.at(-1)).toBe(12);
    expect(report.cities).toEqual([{ city: 'tiznit', turns: null }]);
    expect(report.medianLatencyMs).toBeUndefined();
    const numbers = JSON.stringify(report).match(/(?<![\d.-])[1-4](?![\d-])/g) ?? [];
    expect(numbers).toEqual([]);
    const rows = exportRows(cells, q, { minCount: 5, roundTo: 1 });
    expect(rows.map((r) => r.count)).toEqual([null, null, null, 12]);
    expect(exportRows(cells, { ...q, channel: 'web' }, { minCount: 5, roundTo: 1 }).map((r) => r.count)).toEqual([12]);
  });

  it('rounds shown counts so that a total minus the cells beside it does not give back a hidden count', () => {
    const day = '2026-11-30';
    const cells = [
      { day, metric: 'q' as const, channel: 'web', lang: 'fr', key: 'answered', n: 12 },
      { day, metric: 'q' as const, channel: 'web', lang: 'en', key: 'answered', n: 3 },
    ];
    const q = { from: day, to: day };
    const exact = { minCount: 5, roundTo: 1 };
    const rounded = { minCount: 5, roundTo: 5 };
    // Exact: the web total (15) minus the French row (12) is the hidden English count, 3.
    const leak = buildReport(cells, q, { ...exact, smsSegmentPrice: 0 }).totals.questions! - exportRows(cells, q, exact).find((r) => r.lang === 'fr')!.count!;
    expect(leak).toBe(3);
    // Rounded to fives: 15 - 10 = 5, which is not the hidden count.
    const report = buildReport(cells, q, { ...rounded, smsSegmentPrice: 0 });
    const rows = exportRows(cells, q, rounded);
    expect(rows.map((r) => [r.lang, r.count])).toEqual([['en', null], ['fr', 10]]);
    expect(report.totals.questions! - rows.find((r) => r.lang === 'fr')!.count!).not.toBe(3);
    expect([1, 4, 5, 7, 8, 12, 13].map((n) => protect(n, rounded))).toEqual([null, null, 5, 5, 10, 10, 15]);
  });
});
