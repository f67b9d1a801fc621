// How long a 429 asks every caller to pause: the `Retry-After` header, else the `retryAfter` that
// Vobiz puts in the error body's details (vobiz-api.md §5.1), else undefined (the caller backs off).
import { retryAfterMs } from "../../src/_internal/retry_after.ts";

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Milliseconds to pause, when the answer says. Reads the body only without the header, through
 * `json()`, which an afterResponse handler shares with the other handlers and the caller.
 */
export async function pauseOf(response: Response, now: number): Promise<number | undefined> {
  const fromHeader = retryAfterMs(response.headers, now);
  if (fromHeader !== undefined) return fromHeader;
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return undefined;
  }
  const error = isObject(body) && isObject(body["error"]) ? body["error"] : undefined;
  const details = isObject(error?.["details"])
    ? error["details"] as Json
    : isObject(body) && isObject(body["details"])
    ? body["details"]
    : undefined;
  const raw = details?.["retryAfter"] ?? (isObject(body) ? body["retryAfter"] : undefined);
  const seconds = typeof raw === "number"
    ? raw
    : typeof raw === "string" && raw.trim() !== ""
    ? Number(raw)
    : NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
}
