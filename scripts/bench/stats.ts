/** Pure statistics for the benchmark: percentiles of samples, and the spread of repeated figures. */

/** Latency percentiles of one series of samples (milliseconds). */
export interface Percentiles {
  medianMs: number;
  p90Ms: number;
  p99Ms: number;
}

/** One figure repeated over runs: the median of the runs, their range, and every run's value. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

/** The value below which a fraction `q` of the samples lie (nearest rank; samples need not be sorted). */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

/** Median, p90 and p99 of a series of latencies. */
export function percentiles(samples: readonly number[]): Percentiles {
  return {
    medianMs: percentile(samples, 0.5),
    p90Ms: percentile(samples, 0.9),
    p99Ms: percentile(samples, 0.99),
  };
}

/** The spread of a figure measured once per run; NaN runs (a figure a run could not measure) are left out. */
export function spread(runs: readonly number[]): Spread {
  const measured = runs.filter((value) => Number.isFinite(value));
  if (measured.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, runs: [...runs] };
  return {
    median: percentile(measured, 0.5),
    min: Math.min(...measured),
    max: Math.max(...measured),
    runs: [...runs],
  };
}

/** `1.23` or `1.15 – 1.88` (the range over runs), with `digits` decimals; `—` when nothing was measured. */
export function formatSpread(value: Spread | undefined, digits = 2): string {
  if (!value || !Number.isFinite(value.median)) return "—";
  const fixed = (n: number) =>
    n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  if (value.runs.length < 2 || value.min === value.max) return fixed(value.median);
  return `${fixed(value.median)} (${fixed(value.min)} – ${fixed(value.max)})`;
}

/** The least-squares slope of `ys` over `xs` (NaN with fewer than two distinct xs). */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  const mean = (values: readonly number[]) => values.slice(0, n).reduce((sum, v) => sum + v, 0) / n;
  const [mx, my] = [mean(xs), mean(ys)];
  let covariance = 0;
  let variance = 0;
  for (let i = 0; i < n; i++) {
    covariance += (xs[i] - mx) * (ys[i] - my);
    variance += (xs[i] - mx) ** 2;
  }
  return variance === 0 ? Number.NaN : covariance / variance;
}
