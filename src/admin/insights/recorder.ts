/**
 * Counting research aggregates without slowing a turn: `recordTurn` and `recordSms` only add to
 * an in-memory batch and return; one write per day record carries the batch to the admin store
 * (with Redis: one MULTI of HINCRBYs and an EXPIRE). While a write is on its way, later turns
 * join the next batch, so a burst costs a few writes, not one per turn. A failed write is logged
 * by its error's name and dropped: counts may be lost, a turn never is.
 */
import { dayOf, type Logger, type SmsSentFacts, type TurnFacts } from '../../domain/index.js';
import type { AdminStore } from '../store/port.js';
import { cellOf, countsOfSms, countsOfTurn, isDay, type Cell } from './counters.js';

/** Options of `createInsightsRecorder`. */
export interface InsightsRecorderOptions {
  store: AdminStore;
  logger: Logger;
  /** Days a day's counters are kept (INSIGHTS_RETENTION_DAYS). */
  retentionDays: number;
  now?: () => number;
  /**
   * Least time between the starts of two writes (default 0: the next batch goes as soon as the
   * previous write is done). Under load a write per Redis round trip is hundreds of MULTIs a
   * second; with a floor the batches grow instead. A quiet server still writes at once, and
   * `flush` does not wait for it.
   */
  minWriteIntervalMs?: number;
}

/** Counts turns and SMS segments, and reads the counters back. */
export interface InsightsRecorder {
  /** Adds a turn's facts to the counters; never throws, never waits. */
  recordTurn(facts: TurnFacts): void;
  /** Adds SMS segments sent; never throws, never waits. */
  recordSms(facts: SmsSentFacts): void;
  /** Resolves once every count recorded so far is written (or failed). */
  flush(): Promise<void>;
  /** The counters of the days from `from` to `to` (inclusive, `YYYY-MM-DD`), within the retention. */
  read(from: string, to: string): Promise<Cell[]>;
  readonly retentionDays: number;
}

/** The days from `from` to `to`, inclusive (at most `max`, the latest kept). */
export function daysBetween(from: string, to: string, max = 1000): string[] {
  const out: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += 86_400_000) out.push(dayOf(t));
  return out.slice(-max);
}

/** Creates the recorder over the admin store. */
export function createInsightsRecorder(opts: InsightsRecorderOptions): InsightsRecorder {
  const { store, logger } = opts;
  const now = opts.now ?? Date.now;
  const retentionDays = Math.max(1, Math.floor(opts.retentionDays));
  const minInterval = Math.max(0, opts.minWriteIntervalMs ?? 0);
  let pending = new Map<string, Map<string, number>>();
  let writing: Promise<void> | undefined;
  /** When the last write started (performance.now), and how to end the wait before the next one. */
  let lastWrite = -Infinity;
  let wake: (() => void) | undefined;
  let flushing = 0;

  /** Waits until `minInterval` has passed since the last write started, or `flush` is called. */
  const spaced = async (): Promise<void> => {
    const wait = lastWrite + minInterval - performance.now();
    if (wait <= 0 || flushing > 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, wait);
      timer.unref();
      function done(): void {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  };

  const add = (day: string, counts: Record<string, number>): void => {
    let batch: Map<string, number> | undefined;
    for (const f in counts) {
      if (!batch) {
        batch = pending.get(day);
        if (!batch) pending.set(day, (batch = new Map()));
      }
      batch.set(f, (batch.get(f) ?? 0) + (counts[f] as number));
    }
    if (batch) writing ??= drain();
  };

  /** Writes batches until none is left; each day's record expires `retentionDays` after its day ends. */
  async function drain(): Promise<void> {
    // Let the turn that recorded finish first.
    await Promise.resolve();
    while (pending.size > 0) {
      if (minInterval > 0) {
        await spaced();
        lastWrite = performance.now();
      }
      const batch = pending;
      pending = new Map();
      for (const [day, counts] of batch) {
        const ttl = Math.ceil((Date.parse(`${day}T00:00:00Z`) + (retentionDays + 1) * 86_400_000 - now()) / 1000);
        if (ttl <= 0) continue;
        try {
          await store.addCounts('insights', day, Object.fromEntries(counts), ttl);
        } catch (err) {
          logger.warn('insights.record_failed', { error: err instanceof Error ? err.name : typeof err });
        }
      }
    }
    writing = undefined;
  }

  const guard = (fn: () => void): void => {
    try {
      fn();
    } catch (err) {
      logger.warn('insights.record_failed', { error: err instanceof Error ? err.name : typeof err });
    }
  };

  return {
    retentionDays,
    recordTurn: (facts) => guard(() => add(facts.day, countsOfTurn(facts))),
    recordSms: (facts) => guard(() => add(facts.day, countsOfSms(facts))),
    async flush() {
      flushing++;
      try {
        wake?.();
        while (writing) await writing;
      } finally {
        flushing--;
      }
    },
    async read(from, to) {
      if (!isDay(from) || !isDay(to)) return [];
      const oldest = dayOf(now() - retentionDays * 86_400_000);
      const days = daysBetween(from < oldest ? oldest : from, to, retentionDays + 1);
      const records = await store.getCounts('insights', days);
      const cells: Cell[] = [];
      records.forEach((rec, i) => {
        for (const [field, n] of Object.entries(rec)) {
          const cell = cellOf(days[i]!, field, n);
          if (cell) cells.push(cell);
        }
      });
      return cells;
    },
  };
}
