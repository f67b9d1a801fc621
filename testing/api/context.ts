/**
 * What the mock's route handlers share: the request context they get and small helpers for
 * bodies, paging and errors.
 *
 * @module
 */

import { validationError, vobizError } from "../http.ts";
import type { FieldError } from "../http.ts";
import type { JsonObject, MockConfig, MockState } from "../state.ts";

/**
 * What a handler gets: the authenticated account, decoded path params, query and raw body.
 *
 * @example
 * ```ts
 * import type { RouteContext } from "./context.ts";
 * const handler = (ctx: RouteContext) => new Response(ctx.authId);
 * ```
 */
export interface RouteContext {
  /** The account making the request (its `X-Auth-ID`). */
  authId: string;
  /** Path placeholders, percent-decoded. */
  params: Record<string, string>;
  /** Query string. */
  query: URLSearchParams;
  /** Request headers. */
  headers: Headers;
  /** Raw request body ("" when none). */
  body: string;
  /** `config.now()` when the request arrived. */
  now: number;
  /** Options after defaults. */
  config: MockConfig;
  /** Mutable account state. */
  state: MockState;
}

/**
 * A route handler.
 *
 * @example
 * ```ts
 * import type { Handler } from "./context.ts";
 * const ping: Handler = () => new Response(null, { status: 204 });
 * ```
 */
export type Handler = (ctx: RouteContext) => Response;

/** Largest `per_page`/`limit` the API accepts. */
const MAX_PAGE_SIZE = 100;

/** Milliseconds → ISO 8601 (UTC). */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Sum of numbers. */
export function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** `Infinity` (no limit) shows as `null` in API objects. */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** A field error for a 422 body: `REQUIRED` when absent, else `INVALID_FORMAT`. */
export function field(name: string, message: string, value: unknown): FieldError {
  return { field: name, message, code: value === undefined ? "REQUIRED" : "INVALID_FORMAT", value };
}

/** A 400 `BAD_REQUEST` envelope. */
export function badRequest(message: string, now: number): Response {
  return vobizError("envelope", { status: 400, code: "BAD_REQUEST", message }, now);
}

/** The body as a JSON object, or a 400 answer. */
export function parseBody(ctx: RouteContext): JsonObject | Response {
  try {
    const body: unknown = JSON.parse(ctx.body === "" ? "{}" : ctx.body);
    if (body !== null && typeof body === "object" && !Array.isArray(body)) {
      return body as JsonObject;
    }
  } catch {
    // fall through to the 400 below
  }
  return badRequest("the body must be a JSON object", ctx.now);
}

/** Reads an integer query parameter; `undefined` when absent, `NaN` when not an integer. */
function intParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  return /^\d+$/.test(raw) ? Number(raw) : NaN;
}

/** Reads an integer query parameter within `[min, max]`, recording an error when outside. */
function checkRange(
  query: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
  errors: FieldError[],
): number {
  const value = intParam(query, name) ?? fallback;
  if (!(value >= min && value <= max)) {
    const message = `must be an integer from ${min} to ${max}`;
    errors.push({ field: name, message, code: "OUT_OF_RANGE", value: query.get(name) });
  }
  return value;
}

/** `page` (from 1) and `per_page` (1…100, default 20), or a 422. */
export function pagePerPage(ctx: RouteContext): { page: number; perPage: number } | Response {
  const errors: FieldError[] = [];
  const page = checkRange(ctx.query, "page", 1, 1, Number.MAX_SAFE_INTEGER, errors);
  const perPage = checkRange(ctx.query, "per_page", 20, 1, MAX_PAGE_SIZE, errors);
  return errors.length > 0 ? validationError(errors, ctx.now) : { page, perPage };
}

/** `limit` (1…100, default 20) and `offset` (from 0), or a 422. */
export function limitOffset(ctx: RouteContext): { limit: number; offset: number } | Response {
  const errors: FieldError[] = [];
  const limit = checkRange(ctx.query, "limit", 20, 1, MAX_PAGE_SIZE, errors);
  const offset = checkRange(ctx.query, "offset", 0, 0, Number.MAX_SAFE_INTEGER, errors);
  return errors.length > 0 ? validationError(errors, ctx.now) : { limit, offset };
}
