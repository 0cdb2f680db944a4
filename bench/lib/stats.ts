/**
 * Summary statistics of latency samples (milliseconds) and number formatting for RESULTS.md.
 */

/** Median, tail percentiles, mean and count of a set of samples. */
export interface Summary {
  n: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** The q-quantile (0..1) of sorted samples, nearest rank. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

/** Summarises samples (copies and sorts them). */
export function summarise(samples: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(samples as ArrayLike<number>).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    n: sorted.length,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    p999: quantile(sorted, 0.999),
    max: sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN,
  };
}

/** A number with `digits` decimals, or "n/a". */
export function fmt(v: number | undefined, digits = 2): string {
  if (v === undefined || !Number.isFinite(v)) return 'n/a';
  return v.toFixed(digits);
}

/** A whole number with thousands separators. */
export function int(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return 'n/a';
  return Math.round(v).toLocaleString('en-US');
}

/** Bytes as MB (10^6) with one decimal. */
export function mb(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return 'n/a';
  return (bytes / 1e6).toFixed(1);
}

/** "met" / "MISSED" for a target check. */
export function verdict(ok: boolean | undefined): string {
  if (ok === undefined) return 'not measured';
  return ok ? 'met' : '**MISSED**';
}
