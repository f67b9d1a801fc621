// A sliding time window of two counts (events and the bad ones among them), kept in a ring of time
// slices: constant memory at any traffic, O(1) per event (running sums; slices that fall out of the
// window are cleared as time moves on, each once), aged by timestamps when touched (no timers). The
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

// 30 slices of the window, plus the one it starts in.
const SLOTS = 31;

/** A window of `windowMs`. */
export function slidingWindow(windowMs: number): SlidingWindow {
  const width = Math.max(1, windowMs / (SLOTS - 1));
  const totals = new Array<number>(SLOTS).fill(0);
  const bads = new Array<number>(SLOTS).fill(0);
  const sums: WindowTotals = { total: 0, bad: 0 };
  let newest = -Infinity; // index of the newest slice seen
  // Moves the window to `at`: clears the slots of slices that left it. Returns the slot of `at`, or
  // -1 when `at` is older than the window (a clock set back).
  const advance = (at: number): number => {
    const slice = Math.floor(at / width);
    for (let s = Math.max(newest + 1, slice - SLOTS + 1); s <= slice; s++) {
      const slot = s % SLOTS;
      sums.total -= totals[slot]!;
      sums.bad -= bads[slot]!;
      totals[slot] = bads[slot] = 0;
    }
    newest = Math.max(newest, slice);
    return slice > newest - SLOTS ? slice % SLOTS : -1;
  };
  return {
    add(at, total, bad) {
      const slot = advance(at);
      if (slot < 0) return;
      totals[slot]! += total;
      bads[slot]! += bad;
      sums.total += total;
      sums.bad += bad;
    },
    totals(at) {
      advance(at);
      return { ...sums };
    },
  };
}
