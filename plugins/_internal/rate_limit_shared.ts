// The 429 pause shared through a KeyValueStore: one key per account holding when the pause ends.
// Writes keep the later end they can see; without compare-and-set two racing writes may leave the
// earlier end, which costs a peer at most one more 429. Reads are throttled to one per `syncMs`.
import type { KeyValueStore } from "../../src/store.ts";

/** Reads and writes the shared pause; a failing store reads as `undefined` and writes nothing. */
export interface SharedPause {
  /**
   * When the account's pause ends, if the store says; `undefined` (no promise) when no read is due.
   */
  read(authId: string, now: number): Promise<number | undefined> | undefined;
  /** Records that the account's pause lasts until `until`. */
  write(authId: string, until: number, now: number): Promise<void>;
}

const untilOf = (value: unknown): number | undefined =>
  typeof value === "object" && value !== null &&
    typeof (value as { until?: unknown }).until === "number"
    ? (value as { until: number }).until
    : undefined;

/** A shared pause under `prefix`, read at most every `syncMs` per account. */
export function sharedPause(store: KeyValueStore, prefix: string, syncMs: number): SharedPause {
  const keyOf = (authId: string) => `${prefix}:pause:${encodeURIComponent(authId)}`;
  const readAt = new Map<string, number>(); // per account: a client serves a handful
  const get = async (authId: string) => {
    try {
      return untilOf(await store.getItem(keyOf(authId)));
    } catch {
      return undefined; // the store is down: this instance goes on with its own pause
    }
  };
  return {
    read(authId, now) {
      if (now - (readAt.get(authId) ?? -Infinity) < syncMs) return undefined;
      readAt.set(authId, now);
      return get(authId);
    },
    async write(authId, until, now) {
      if ((await get(authId) ?? 0) >= until) return;
      try {
        await store.setItem(keyOf(authId), { until }, {
          ttl: Math.max(1, Math.ceil((until - now) / 1000)),
        });
      } catch {
        // not shared this time
      }
    },
  };
}
