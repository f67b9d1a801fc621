// A controllable Clock for tests: time moves only when the test calls advance().
import type { Clock } from "../../mod.ts";

export interface FakeClock extends Clock {
  /** Moves time forward, resolving every sleep that falls due, in order. */
  advance(ms: number): Promise<void>;
  /** Sleeps not yet due. */
  readonly pending: number;
}

export function fakeClock(start = Date.UTC(2026, 10, 26)): FakeClock {
  let now = start;
  let timers: { at: number; resolve: () => void }[] = [];
  return {
    now: () => now,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const timer = { at: now + Math.max(0, ms), resolve };
        timers.push(timer);
        signal?.addEventListener("abort", () => {
          timers = timers.filter((t) => t !== timer);
          reject(signal.reason);
        }, { once: true });
      });
    },
    async advance(ms) {
      const target = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = Math.max(now, due.at);
        due.resolve();
        // let the woken code run before the next timer fires
        for (let i = 0; i < 10; i++) await Promise.resolve();
      }
      now = target;
    },
    get pending() {
      return timers.length;
    },
  };
}
