// Reads `Retry-After` (delta-seconds or an HTTP date) into milliseconds. ky parses this header for
// its own retry delays but does not export the parser, and errors and the rate limiter need the
// value too, so this is the one small copy.

/** Milliseconds to wait, or undefined when the header is absent or unreadable. */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
