// What the idempotency plugin keeps per key: plain JSON (no Response, no promise), so that any
// KeyValueStore can hold it and a Workers isolate never shares I/O objects between requests.
import type { Clock } from "../../src/clock.ts";
import type { KeyValueStore } from "../../src/store.ts";

/** A key whose write is being sent, or whose outcome is not known: never send it blindly again. */
export interface OpenRecord {
  state: "pending" | "unknown";
  /** Method, URL and JSON body of the write: one key may only ever name one request. */
  fingerprint: string;
  at: number;
}

/** A write that took effect: its answer, replayed to later calls with the same key. */
export interface DoneRecord {
  state: "done";
  fingerprint: string;
  at: number;
  status: number;
  contentType: string | null;
  body: string;
  /** The answer was rebuilt from a state check, not received. */
  reconciled: boolean;
}

export type IdempotencyRecord = OpenRecord | DoneRecord;

/** What the plugin needs of a store. */
export type Records = Pick<KeyValueStore, "getItem" | "setItem" | "removeItem">;

/**
 * The default store: this process's memory, at most 10,000 keys (the oldest written go first),
 * each until its TTL. Smaller than `memoryStore()`, which the plugin does not otherwise need.
 */
export function memoryRecords(clock: Pick<Clock, "now">): Records {
  const entries = new Map<string, { value: unknown; until: number }>();
  return {
    getItem: <T>(key: string) => {
      const entry = entries.get(key);
      return Promise.resolve(entry && entry.until > clock.now() ? entry.value as T : null);
    },
    setItem: (key, value, { ttl = 0 } = {}) => {
      entries.delete(key);
      entries.set(key, { value, until: clock.now() + ttl * 1000 });
      if (entries.size > 10_000) entries.delete(entries.keys().next().value!);
      return Promise.resolve();
    },
    removeItem: (key) => Promise.resolve(void entries.delete(key)),
  };
}

export const JSON_TYPE = "application/json";

/** Statuses that must not carry a body. */
const nullBody = [101, 103, 204, 205, 304];

/** A fresh Response for a recorded answer (a new one per caller: a body is read once). */
export function replayResponse(record: DoneRecord): Response {
  const headers = new Headers({ "x-idempotent-replay": "true" });
  if (record.contentType !== null) headers.set("content-type", record.contentType);
  return withBody({ status: record.status, headers }, record.body);
}

/** A response with the given status and headers and an already-read body. */
export function withBody(
  { status, statusText, headers }: { status: number; statusText?: string; headers: Headers },
  body: BodyInit | null,
): Response {
  return new Response(nullBody.includes(status) ? null : body, {
    status,
    ...(statusText === undefined ? {} : { statusText }),
    headers,
  });
}
