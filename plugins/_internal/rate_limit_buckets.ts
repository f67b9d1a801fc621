// The two pacing shapes of the rate limiter. Both are plain numbers aged by the timestamps they are
// given (no timers): `wait(now)` says how long until the next start is allowed, `take(now)` records
// one.

/** A pacer: how long until the next start, and recording one. */
export interface Pacer {
  wait(now: number): number;
  /** Records a start; the returned function, if any, is called with the time its answer arrived. */
  take(now: number): ((answeredAt: number) => void) | void;
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
 *
 * The server counts a call when it arrives, not when we send it, and arrivals bunch up (a new
 * connection's first request is slower than the next). So a start stays counted "as of now" while
 * it is in flight, and is dated by its answer once that arrives: the window can then never hold
 * more than `limit` arrivals, whatever the network did in between.
 */
export function slidingWindow(limit: number, windowMs: number): Pacer {
  if (limit === Infinity) return { wait: () => 0, take: () => {} };
  const starts: { at: number; inFlight: boolean }[] = []; // at most `limit` entries
  const endOf = (start: { at: number; inFlight: boolean }, now: number) =>
    (start.inFlight ? now : start.at) + windowMs;
  const soonestEnd = (now: number) => Math.min(...starts.map((start) => endOf(start, now)));
  return {
    wait(now) {
      return starts.length < limit ? 0 : Math.max(0, soonestEnd(now) - now);
    },
    take(now) {
      if (starts.length >= limit) {
        // drop the entry whose window ends first: it no longer limits anything
        const end = soonestEnd(now);
        starts.splice(starts.findIndex((start) => endOf(start, now) === end), 1);
      }
      const start = { at: now, inFlight: true };
      starts.push(start);
      return (answeredAt) => {
        start.inFlight = false;
        start.at = Math.max(start.at, answeredAt);
      };
    },
  };
}
