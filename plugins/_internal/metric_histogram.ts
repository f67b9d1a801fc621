// A fixed-bucket latency histogram: the same few hundred bytes whatever the traffic, with p50/p95/p99
// estimated by interpolating inside the bucket that holds the rank (error ≤ one bucket, ≤ 25 %).

/** Upper bounds in ms of the fine buckets: 10 per decade from 1 ms to 100 s, then +Inf. */
export const FINE_BOUNDS_MS: readonly number[] = [1, 10, 100, 1_000, 10_000].flatMap((decade) =>
  [1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5].map((m) => m * decade)
).concat(100_000);

/** The usual 5 ms … 60 s ladder exported to Prometheus and OpenTelemetry (a subset of the above). */
export const EXPORT_BOUNDS_MS: readonly number[] = [
  5,
  10,
  25,
  50,
  100,
  250,
  500,
  1_000,
  2_500,
  5_000,
  10_000,
  30_000,
  60_000,
];

/** Counts per fine bucket (the last one is +Inf), with the exact count, sum, min and max. */
export interface Histogram {
  readonly counts: number[];
  count: number;
  sum: number;
  min: number;
  max: number;
}

/** An empty histogram. */
export const newHistogram = (): Histogram => ({
  counts: FINE_BOUNDS_MS.map(() => 0).concat(0),
  count: 0,
  sum: 0,
  min: Infinity,
  max: 0,
});

/** Records one value in ms. */
export function observe(histogram: Histogram, ms: number): void {
  const value = ms > 0 && ms < Infinity ? ms : 0;
  const bucket = FINE_BOUNDS_MS.findIndex((bound) => bound >= value);
  histogram.counts[bucket < 0 ? FINE_BOUNDS_MS.length : bucket]!++;
  histogram.count++;
  histogram.sum += value;
  histogram.min = Math.min(histogram.min, value);
  histogram.max = Math.max(histogram.max, value);
}

/** The q-quantile (0 < q ≤ 1) in ms, or `null` when empty. */
export function quantile(histogram: Histogram, q: number): number | null {
  const { counts, count, min, max } = histogram;
  if (count === 0) return null;
  const rank = Math.max(1, Math.ceil(q * count));
  let before = 0;
  let i = 0;
  while (before + counts[i]! < rank) before += counts[i++]!;
  const lower = Math.max(FINE_BOUNDS_MS[i - 1] ?? 0, min);
  const upper = Math.min(FINE_BOUNDS_MS[i] ?? max, max);
  return Math.round((lower + (upper - lower) * ((rank - before) / counts[i]!)) * 1000) / 1000;
}

/** How many values are ≤ `bound` ms, which must be a fine bound (a Prometheus `le` bucket). */
export const countUpTo = (histogram: Histogram, bound: number): number =>
  histogram.counts.reduce((sum, n, i) => (FINE_BOUNDS_MS[i]! <= bound ? sum + n : sum), 0);
