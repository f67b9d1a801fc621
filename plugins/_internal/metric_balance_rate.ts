// Balance consumption per hour from balance readings over time: the drop between the oldest and the
// newest reading of the window, scaled to an hour. A reading above the previous one is a top-up and
// starts a new series, so recharges never show as negative spend.

interface Reading {
  readonly at: number;
  readonly balance: number;
}

/** The readings of one currency. */
export interface BalanceTrend {
  /** Adds a reading taken at `at` (ms). */
  record(at: number, balance: number): void;
  /** Spend per hour over the window, or `null` before two readings at different times. */
  perHour(): number | null;
}

/**
 * Keeps the readings of the last `windowMs` (but always the previous one, so that readings further
 * apart than the window still give a rate), at most `maxReadings` of them.
 */
export function balanceTrend(windowMs: number, maxReadings = 120): BalanceTrend {
  let readings: Reading[] = [];
  return {
    record(at, balance) {
      const last = readings[readings.length - 1];
      if (last && balance > last.balance) readings = [];
      readings.push({ at, balance });
      while (
        readings.length > maxReadings ||
        (readings.length > 2 && (readings[0]?.at ?? at) < at - windowMs)
      ) {
        readings.shift();
      }
    },
    perHour() {
      const first = readings[0];
      const last = readings[readings.length - 1];
      if (!first || !last || last.at <= first.at) return null;
      return ((first.balance - last.balance) / (last.at - first.at)) * 3_600_000;
    },
  };
}
