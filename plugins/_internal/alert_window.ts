// A sliding time window of two counts (events and the bad ones among them), kept in a ring of time
// slices: constant memory and constant work at any traffic (no allocation but one slice per slice
// period), aged by timestamps when touched (no timers). The window's edge is as precise as one
// slice (1/30 of the window).

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
  // Slot `n % SLOTS` counts slice n (the times from n × width on), until a later slice takes it.
  const slots: (WindowTotals & { slice: number })[] = [];
  return {
    add(at, total, bad) {
      const slice = Math.floor(at / width);
      let slot = slots[slice % SLOTS];
      if (!slot || slot.slice < slice) slots[slice % SLOTS] = slot = { slice, total: 0, bad: 0 };
      if (slot.slice > slice) return; // older than the window (a clock set back)
      slot.total += total;
      slot.bad += bad;
    },
    totals(at) {
      const oldest = Math.floor(at / width) - SLOTS + 1;
      const sums = { total: 0, bad: 0 };
      for (const slot of slots) {
        if (slot && slot.slice >= oldest) {
          sums.total += slot.total;
          sums.bad += slot.bad;
        }
      }
      return sums;
    },
  };
}
