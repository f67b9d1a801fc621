// Label values with a bounded set of possible values, so that the number of series cannot grow with
// the traffic: never a raw URL, an id or a free-form server string.

const methods = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** `2xx` … `5xx`, or `none` when there was no answer. */
export const statusClass = (status: number | undefined): string =>
  status! >= 100 && status! < 600 ? `${(status! / 100) | 0}xx` : "none";

/** The method, or `OTHER` for anything unusual. */
export function methodLabel(method: string): string {
  const upper = method.toUpperCase();
  return methods.has(upper) ? upper : "OTHER";
}

/**
 * The route template. A route given as a raw path (`client.request("GET", "/Account/MA_1/cdr/9f…")`)
 * has its id-like segments (any digit, `+`, `%`, `@`, `.` or more than 32 characters) replaced with
 * `{id}`, and the query string dropped.
 */
export const routeLabel = (route: string): string =>
  route.replace(/[?#].*/s, "").split("/").map((segment) =>
    segment[0] === "{" || !/[\d+%@.]/.test(segment) && segment.length <= 32 ? segment : "{id}"
  ).join("/");

/** An error code as a label: a letter then letters, digits, `_`, `.` or `-` (≤ 48), else `OTHER`. */
export const codeLabel = (code: string): string =>
  /^[A-Za-z][A-Za-z0-9_.-]{0,47}$/.test(code) ? code : "OTHER";
