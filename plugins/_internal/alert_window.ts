// A sliding time window of two counts (events and the bad ones among them), kept in a fixed number
// of time slices: constant memory at any traffic, aged by timestamps when touched (no timers). The
// window's edge is as precise as one slice (1/30 of the window).

/** Counts of the window. */
export interface WindowTotals {
  total: number;
  bad: number;
}

/** A sliding window. */
export interface SlidingWindow {
  /** Counts `total` events, `bad` of them bad, at time `at`. */
  add(at: number, total: number, bad: number): void;
  /** Counts of the window ending at `at`. */
  totals(at: number): WindowTotals;
}

interface Slice {
  start: number;
  total: number;
  bad: number;
}

const SLICES = 30;

/** A window of `windowMs`. */
export function slidingWindow(windowMs: number): SlidingWindow {
  const width = Math.max(1, windowMs / SLICES);
  let slices: Slice[] = [];
  const prune = (at: number) => {
    slices = slices.filter((slice) => slice.start + width > at - windowMs);
  };
  return {
    add(at, total, bad) {
      prune(at);
      const start = Math.floor(at / width) * width;
      const last = slices[slices.length - 1];
      if (last && last.start === start) {
        last.total += total;
        last.bad += bad;
      } else {
        slices.push({ start, total, bad });
      }
    },
    totals(at) {
      prune(at);
      return slices.reduce(
        (sum, slice) => ({ total: sum.total + slice.total, bad: sum.bad + slice.bad }),
        { total: 0, bad: 0 },
      );
    },
  };
}
