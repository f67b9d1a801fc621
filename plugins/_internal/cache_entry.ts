// What the cache stores: plain JSON data (never a Response or a stream), so that any KeyValueStore
// can hold it and a Workers isolate never shares an I/O object between two incoming requests.
import { isRecord } from "../../src/_internal/option_checks.ts";

/** One cached answer. */
export interface CacheEntry {
  /** Format version: entries of another version (an older release in the same Redis) are misses. */
  v: 1;
  status: number;
  /** The headers that matter to a caller (content type and validators). */
  headers: Record<string, string>;
  body: string;
  /** Clock time when it was received: its age decides freshness, whatever the store keeps. */
  storedAt: number;
}

const keptHeaders = ["content-type", "etag", "last-modified"];

/** An entry for an answer whose body was read as `body`. */
export function toEntry(response: Response, body: string, storedAt: number): CacheEntry {
  const headers: Record<string, string> = {};
  for (const name of keptHeaders) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  return { v: 1, status: response.status, headers, body: withoutSecrets(body), storedAt };
}

// Fields of a JSON object body that hold credentials (`GET /auth/me` returns the account's
// `auth_secret`): they are never written to a store, which may be shared (Redis, KV).
function withoutSecrets(body: string): string {
  if (!/"auth_(secret|token)"/.test(body)) return body;
  try {
    const parsed: unknown = JSON.parse(body);
    if (!isRecord(parsed)) return body;
    const { auth_secret: _secret, auth_token: _token, ...rest } = parsed;
    return JSON.stringify(rest);
  } catch {
    return body;
  }
}

/** A new Response for an entry (a new one per caller: a body can be read once). */
export function toResponse(entry: CacheEntry, now: number, state: "hit" | "stale"): Response {
  // 204 and 205 have an empty body, which a Response of theirs must not be given
  return new Response(entry.body || null, {
    status: entry.status,
    // a record, not a Headers to fill: the Response makes its own headers from it once
    headers: {
      ...entry.headers,
      age: String(Math.max(0, Math.floor((now - entry.storedAt) / 1000))),
      "x-vobiz-cache": state,
    },
  });
}

/** The value read from a store, if it is an entry of this version. */
export function asEntry(value: unknown): CacheEntry | undefined {
  const entry = value as Partial<CacheEntry> | null | undefined;
  return entry?.v === 1 && typeof entry.body === "string" && typeof entry.status === "number" &&
      typeof entry.storedAt === "number"
    ? entry as CacheEntry
    : undefined;
}

/** True when `Cache-Control` forbids storing the answer. */
export function isNoStore(response: Response): boolean {
  return /(^|[\s,])no-store($|[\s,;])/i.test(response.headers.get("cache-control") ?? "");
}
