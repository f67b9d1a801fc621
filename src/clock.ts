/**
 * The one source of time for the client and its plugins (DESIGN.md §4), so tests control it.
 *
 * @example
 * ```ts
 * import { createClient, type Clock } from "vobiz-kit";
 * let now = 0;
 * const clock: Clock = { now: () => now, sleep: async (ms) => { now += ms; } };
 * const vobiz = createClient({ clock });
 * ```
 *
 * @module
 */

/** Time source: current time and a cancellable wait. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds; rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The real clock: `Date.now()` and `setTimeout`.
 *
 * @example
 * ```ts
 * import { systemClock } from "vobiz-kit";
 * await systemClock.sleep(10);
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};
