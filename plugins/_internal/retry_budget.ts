// The retry budget of the AWS SDKs' "standard" retry mode: retries draw tokens from a bucket that
// successes refill, so a failing dependency sees a bounded fraction of extra load (capacity / cost
// retries, then none until calls succeed again) instead of a retry storm. No time-based refill:
// only successes refill it, so it needs no timer.

/** A token bucket shared by every call of one retry plugin. */
export interface RetryBudget {
  /** Takes `cost` tokens if there are that many; false (and nothing taken) otherwise. */
  take(cost: number): boolean;
  /** Gives `amount` tokens back, up to the capacity. */
  give(amount: number): void;
  /** Tokens left. */
  readonly tokens: number;
  /** Most tokens the bucket holds. */
  readonly capacity: number;
}

/** A full bucket of `capacity` tokens (`Infinity` for no budget). */
export function retryBudget(capacity: number): RetryBudget {
  let tokens = capacity;
  return {
    take(cost) {
      if (tokens < cost) return false;
      tokens -= cost;
      return true;
    },
    give(amount) {
      tokens = Math.min(capacity, tokens + amount);
    },
    get tokens() {
      return tokens;
    },
    capacity,
  };
}
