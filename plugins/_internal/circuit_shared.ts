// The circuit state a fleet shares through a KeyValueStore, which has no compare-and-set. The
// latest opening and the latest close of a circuit live under two keys, each written only with its
// own kind of event, and a reader takes whichever happened later (by timestamp, not by write
// order). So a close never overwrites an opening, nor the reverse, whatever the interleaving; two
// openings racing may leave the earlier one stored (`open` skips the write when it reads a later
// one), which still reads as open. Failure streaks are not shared: writes happen on transitions.
import type { KeyValueStore } from "../../src/store.ts";

/** One opening: when it began and when its probe may go. */
export interface Opening {
  readonly openedAt: number;
  readonly openUntil: number;
}

/** What the store says about one circuit (0 / undefined: nothing recorded). */
export interface SharedCircuit {
  readonly opening: Opening | undefined;
  readonly closedAt: number;
}

/** Reads and writes shared circuit records; a failing store reads as `undefined` and writes nothing. */
export interface SharedCircuits {
  read(key: string): Promise<SharedCircuit | undefined>;
  open(key: string, opening: Opening, now: number): Promise<void>;
  close(key: string, at: number): Promise<void>;
}

const isOpening = (value: unknown): value is Opening =>
  typeof value === "object" && value !== null &&
  typeof (value as Opening).openedAt === "number" &&
  typeof (value as Opening).openUntil === "number";

const closedAtOf = (value: unknown): number =>
  typeof value === "object" && value !== null &&
    typeof (value as { closedAt?: unknown }).closedAt === "number"
    ? (value as { closedAt: number }).closedAt
    : 0;

/**
 * Shared records under `prefix`. A close is kept `maxOpenMs` (longer than any opening it can
 * outrank), an opening until its probe may go.
 */
export function sharedCircuits(
  store: KeyValueStore,
  prefix: string,
  maxOpenMs: number,
): SharedCircuits {
  const base = (key: string) => `${prefix}:${encodeURIComponent(key)}`;
  const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
  const readOpening = async (key: string) => {
    const value = await store.getItem(`${base(key)}:open`);
    return isOpening(value) ? value : undefined;
  };
  return {
    async read(key) {
      try {
        const [opening, closed] = await Promise.all([
          readOpening(key),
          store.getItem(`${base(key)}:closed`),
        ]);
        return { opening, closedAt: closedAtOf(closed) };
      } catch {
        return undefined; // the store is down: each instance goes on with its local state
      }
    },
    async open(key, opening, now) {
      try {
        const stored = await readOpening(key);
        if (stored !== undefined && stored.openedAt > opening.openedAt) return; // keep the later
        await store.setItem(`${base(key)}:open`, opening, {
          ttl: seconds(opening.openUntil - now),
        });
      } catch {
        // not shared this time; the local circuit is open all the same
      }
    },
    async close(key, at) {
      try {
        await store.setItem(`${base(key)}:closed`, { closedAt: at }, { ttl: seconds(maxOpenMs) });
      } catch {
        // as above
      }
    },
  };
}
