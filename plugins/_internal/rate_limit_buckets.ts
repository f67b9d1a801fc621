// The two pacing shapes of the rate limiter. Both are plain numbers aged by the timestamps they are
// given (no timers): `wait(now)` says how long until the next start is allowed, `take(now)` records
// one.

/** A pacer: how long until the next start, and recording one. */
export interface Pacer {
  wait(now: number): number;
  take(now: number): void;
}

/** `ratePerSecond` on average with bursts of up to `burst` (a token bucket). */
export function tokenBucket(ratePerSecond: number, burst: number): Pacer {
  if (ratePerSecond === Infinity) return { wait: () => 0, take: () => {} };
  let tokens = burst;
  let last: number | undefined;
  const refill = (now: number) => {
    if (last !== undefined && now > last) {
      tokens = Math.min(burst, tokens + ((now - last) * ratePerSecond) / 1000);
    }
    last = Math.max(last ?? now, now);
  };
  return {
    wait(now) {
      refill(now);
      return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) * 1000) / ratePerSecond);
    },
    take(now) {
      refill(now);
      tokens -= 1;
    },
  };
}

/**
 * At most `limit` starts in any `windowMs` (a sliding log). This is how a CPS limit is counted on
 * the server, so unlike a token bucket it never lets `limit + 1` starts into one second.
 */
export function slidingWindow(limit: number, windowMs: number): Pacer {
  if (limit === Infinity) return { wait: () => 0, take: () => {} };
  const starts: number[] = []; // at most `limit` entries
  return {
    wait(now) {
      const oldest = starts[0];
      return starts.length < limit || oldest === undefined
        ? 0
        : Math.max(0, oldest + windowMs - now);
    },
    take(now) {
      starts.push(now);
      if (starts.length > limit) starts.shift();
    },
  };
}
