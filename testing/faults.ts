/**
 * Scripted faults for the mock Vobiz API: their spec, how a request is matched against them, and
 * the Vobiz error bodies they answer with.
 *
 * @module
 */

/**
 * The four error body shapes Vobiz is known to send (reference §5.1):
 * - `"envelope"`: `{ status: "error", error: { code, message, details }, timestamp, requestId }`
 * - `"plivo"`: `{ api_id, error, message }` (`error` holds the code)
 * - `"simple"`: `{ status: "error", message }`
 * - `"code"`: `{ error, code }` (`error` is the message, `code` the HTTP status)
 *
 * @example
 * ```ts
 * import type { ErrorShape } from "vobiz-kit/testing";
 * const shape: ErrorShape = "plivo";
 * ```
 */
export type ErrorShape = "envelope" | "plivo" | "simple" | "code";

/**
 * One scripted fault. It applies to the next `times` requests whose method and path match.
 *
 * What it does, in this order: a `drop: "before"` fault drops the connection without running the
 * route; a fault with `status` or `body` answers that (the route is not run, so no side effect);
 * otherwise the route runs (side effects happen) and then `drop: "after"` drops the connection,
 * `malformed` truncates the JSON body, `headers`/`retryAfter` are added. `latencyMs` delays the
 * answer (after any side effect) and `slowBodyMs` delays the end of the body.
 *
 * @example
 * ```ts
 * import { createMockVobiz } from "vobiz-kit/testing";
 * const mock = createMockVobiz();
 * // two 503s with Retry-After: 1, then the real answer
 * mock.fault({ path: "/Account/{auth_id}/balance/{currency}", status: 503, retryAfter: 1, times: 2 });
 * ```
 */
export interface FaultSpec {
  /** HTTP method to match (case-insensitive); default: any. */
  method?: string;
  /**
   * The path after `/api/v1`, raw (percent-encoding kept; the decoded form matches too). A string
   * is an exact path or a route template whose `{placeholders}` match one segment each, e.g.
   * `"/Account/{auth_id}/balance/{currency}"`. A RegExp is tested against the raw path.
   */
  path: string | RegExp;
  /** How many matching requests the fault applies to; default 1. `Infinity` for always. */
  times?: number;
  /** Answer with this status and a Vobiz error body; the route is not run. */
  status?: number;
  /** Error code in the body, e.g. `"TOKEN_EXPIRED"`; default derived from `status`. */
  errorCode?: string;
  /** Shape of the error body; default `"envelope"`. */
  errorShape?: ErrorShape;
  /** `Retry-After` header value. */
  retryAfter?: string | number;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** Delay before the response headers are sent. */
  latencyMs?: number;
  /** Send the headers and part of the body, then wait this long before the body completes. */
  slowBodyMs?: number;
  /**
   * Drop the connection without an answer: `"before"` the route runs (no side effect) or `"after"`
   * it ran (the side effect happened). `fetch` rejects with a `TypeError`; a listening server
   * destroys the socket.
   */
  drop?: "before" | "after";
  /** Answer 200 with a truncated JSON body, after the route ran (the side effect happened). */
  malformed?: boolean;
  /** Raw body to answer with (status `status`, default 200); the route is not run. */
  body?: string;
}

/**
 * A fault after {@linkcode compileFault}: its path turned into a matcher, with a count of the
 * matches it has left.
 *
 * @example
 * ```ts
 * import { compileFault, type ActiveFault } from "./faults.ts";
 * const fault: ActiveFault = compileFault({ path: "/auth/me", status: 500 });
 * ```
 */
export interface ActiveFault {
  /** The spec as given. */
  readonly spec: FaultSpec;
  /** Matches left; `Infinity` for always. */
  remaining: number;
  /** Whether the fault applies to a request with this method and path (after `/api/v1`). */
  matches(method: string, path: string): boolean;
}

/**
 * Turns a spec into an {@linkcode ActiveFault}.
 *
 * @example
 * ```ts
 * import { compileFault } from "./faults.ts";
 * const fault = compileFault({ method: "GET", path: "/Account/{auth_id}/cdr" });
 * fault.matches("GET", "/Account/MA_1/cdr"); // true
 * ```
 */
export function compileFault(spec: FaultSpec): ActiveFault {
  const method = spec.method?.toUpperCase();
  const pattern = typeof spec.path === "string" ? templateToRegExp(spec.path) : spec.path;
  return {
    spec,
    remaining: spec.times ?? 1,
    matches(requestMethod: string, path: string): boolean {
      if (method !== undefined && method !== requestMethod.toUpperCase()) return false;
      pattern.lastIndex = 0; // a /g or /y RegExp keeps state between calls
      if (pattern.test(path)) return true;
      const decoded = safeDecode(path);
      pattern.lastIndex = 0;
      return decoded !== path && decoded !== undefined && pattern.test(decoded);
    },
  };
}

/**
 * Finds the first fault (in the order they were added) that applies to a request, and uses up one
 * of its matches. Used-up faults are removed from the list.
 *
 * @example
 * ```ts
 * import { compileFault, takeFault } from "./faults.ts";
 * const faults = [compileFault({ path: "/auth/me", status: 500 })];
 * takeFault(faults, "GET", "/auth/me"); // the fault
 * takeFault(faults, "GET", "/auth/me"); // undefined: it applied once
 * ```
 */
export function takeFault(
  faults: ActiveFault[],
  method: string,
  path: string,
): ActiveFault | undefined {
  const index = faults.findIndex((f) => f.remaining > 0 && f.matches(method, path));
  const fault = faults[index];
  if (fault === undefined) return undefined;
  fault.remaining -= 1;
  if (fault.remaining <= 0) faults.splice(index, 1);
  return fault;
}

/**
 * Turns a route template (`/Account/{auth_id}/cdr`) into an anchored RegExp where each
 * `{placeholder}` matches one non-empty path segment. A string without placeholders matches exactly.
 *
 * @example
 * ```ts
 * import { templateToRegExp } from "./faults.ts";
 * templateToRegExp("/Account/{auth_id}/cdr").test("/Account/MA_1/cdr"); // true
 * ```
 */
export function templateToRegExp(template: string): RegExp {
  const source = template
    .split(/(\{[^}/]+\})/)
    .map((part) => /^\{[^}/]+\}$/.test(part) ? "([^/]+)" : escapeRegExp(part))
    .join("");
  return new RegExp(`^${source}$`);
}

const DEFAULT_CODES: Record<number, string> = {
  400: "BAD_REQUEST",
  401: "INVALID_CREDENTIALS",
  402: "INSUFFICIENT_BALANCE",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  409: "CONFLICT",
  422: "VALIDATION_ERROR",
  429: "RATE_LIMIT_EXCEEDED",
  500: "INTERNAL_ERROR",
  502: "BAD_GATEWAY",
  503: "SERVICE_UNAVAILABLE",
  504: "GATEWAY_TIMEOUT",
};

/**
 * The error code used when a fault gives a status but no `errorCode`.
 *
 * @example
 * ```ts
 * import { defaultErrorCode } from "./faults.ts";
 * defaultErrorCode(429); // "RATE_LIMIT_EXCEEDED"
 * defaultErrorCode(418); // "HTTP_418"
 * ```
 */
export function defaultErrorCode(status: number): string {
  return DEFAULT_CODES[status] ?? `HTTP_${status}`;
}

/** What goes into an error body, whatever its shape. */
export interface ErrorInfo {
  /** HTTP status. */
  status: number;
  /** Vobiz error code (UPPER_SNAKE). */
  code: string;
  /** Human-readable message. */
  message: string;
  /** Extra details (envelope shape only). */
  details?: Record<string, unknown>;
}

/**
 * Builds a Vobiz error body in one of the four known shapes; `now` (ms) dates the envelope.
 *
 * @example
 * ```ts
 * import { errorBody } from "./faults.ts";
 * errorBody("simple", { status: 400, code: "BAD_REQUEST", message: "bad" });
 * // { status: "error", message: "bad" }
 * ```
 */
export function errorBody(
  shape: ErrorShape,
  info: ErrorInfo,
  now: number = Date.now(),
): Record<string, unknown> {
  switch (shape) {
    case "plivo":
      return { api_id: crypto.randomUUID(), error: info.code, message: info.message };
    case "simple":
      return { status: "error", message: info.message };
    case "code":
      return { error: info.message, code: info.status };
    case "envelope":
      return {
        status: "error",
        error: { code: info.code, message: info.message, details: info.details ?? {} },
        timestamp: new Date(now).toISOString(),
        requestId: `req_${crypto.randomUUID().replaceAll("-", "")}`,
      };
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
