// A fixed-bucket latency histogram: the same few hundred bytes whatever the traffic, with p50/p95/p99
// estimated by interpolating inside the bucket that holds the rank (error ≤ one bucket, ≤ 25 %).

const mantissas = [1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5];

/** Upper bounds in ms of the fine buckets: 10 per decade from 1 ms to 100 s, then +Inf. */
export const FINE_BOUNDS_MS: readonly number[] = [
  ...[1, 10, 100, 1_000, 10_000].flatMap((decade) => mantissas.map((m) => m * decade)),
  100_000,
];

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
export function newHistogram(): Histogram {
  return {
    counts: new Array<number>(FINE_BOUNDS_MS.length + 1).fill(0),
    count: 0,
    sum: 0,
    min: Infinity,
    max: -Infinity,
  };
}

/** Records one value in ms. */
export function observe(histogram: Histogram, ms: number): void {
  const value = Number.isFinite(ms) && ms > 0 ? ms : 0;
  const index = bucketOf(value);
  histogram.counts[index] = (histogram.counts[index] ?? 0) + 1;
  histogram.count++;
  histogram.sum += value;
  if (value < histogram.min) histogram.min = value;
  if (value > histogram.max) histogram.max = value;
}

/** The q-quantile (0 < q ≤ 1) in ms, or `null` when empty. */
export function quantile(histogram: Histogram, q: number): number | null {
  if (histogram.count === 0) return null;
  const rank = Math.max(1, Math.ceil(q * histogram.count));
  let before = 0;
  for (let i = 0; i < histogram.counts.length; i++) {
    const inBucket = histogram.counts[i] ?? 0;
    if (before + inBucket >= rank) {
      const lower = Math.max(i === 0 ? 0 : FINE_BOUNDS_MS[i - 1] ?? 0, histogram.min);
      const upper = Math.min(FINE_BOUNDS_MS[i] ?? histogram.max, histogram.max);
      const estimate = lower + (upper - lower) * ((rank - before) / inBucket);
      return Math.round(estimate * 1000) / 1000;
    }
    before += inBucket;
  }
  return histogram.max;
}

/** Cumulative counts at each of `bounds` (ms), which must be fine bounds, for `le` buckets. */
export function cumulative(histogram: Histogram, bounds: readonly number[]): number[] {
  const result: number[] = [];
  let running = 0;
  let next = 0;
  for (const bound of bounds) {
    while (next < FINE_BOUNDS_MS.length && (FINE_BOUNDS_MS[next] ?? Infinity) <= bound) {
      running += histogram.counts[next] ?? 0;
      next++;
    }
    result.push(running);
  }
  return result;
}

// First bucket whose upper bound is ≥ value (binary search).
function bucketOf(value: number): number {
  let low = 0;
  let high = FINE_BOUNDS_MS.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((FINE_BOUNDS_MS[mid] ?? Infinity) >= value) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** The sum of several histograms (all share the same buckets). */
export function merge(histograms: readonly Histogram[]): Histogram {
  const total = newHistogram();
  for (const histogram of histograms) {
    histogram.counts.forEach((count, i) => {
      total.counts[i] = (total.counts[i] ?? 0) + count;
    });
    total.count += histogram.count;
    total.sum += histogram.sum;
    total.min = Math.min(total.min, histogram.min);
    total.max = Math.max(total.max, histogram.max);
  }
  return total;
}
