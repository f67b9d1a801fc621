/**
 * What the mock's route handlers share: the request context they get and small helpers for
 * bodies, paging and errors.
 *
 * @module
 */

import { json, validationError, vobizError } from "../http.ts";
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
export const MAX_PAGE_SIZE = 100;

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
export function checkRange(
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

/**
 * Takes `amount` INR from the shared balance, with a ledger entry and a `debits` effect.
 *
 * @example
 * ```ts
 * import { debit } from "./context.ts";
 * declare const ctx: import("./context.ts").RouteContext;
 * debit(ctx.state, ctx.authId, 100, "number purchase +918000000001", "+918000000001", "number_purchase", ctx.now);
 * ```
 */
export function debit(
  state: MockState,
  account: string,
  amount: number,
  reason: string,
  reference: string,
  referenceType: string,
  now: number,
): void {
  const balance = Math.round(((state.balances.get("INR") ?? 0) - amount) * 100_000) / 100_000;
  state.balances.set("INR", balance);
  state.effects.debits.push({ amount, reason, at: now });
  const at = iso(now);
  state.transactions.push({
    id: state.transactions.length + 1,
    account_id: account,
    balance_id: 1,
    type: "debit",
    amount,
    currency: "INR",
    description: reason,
    reference,
    reference_type: referenceType,
    status: "completed",
    balance_after: balance,
    processed_at: at,
    created_at: at,
    updated_at: at,
  });
}

/**
 * A style B page: `{ meta{limit, offset, total}, objects[] }` (trunks, credentials, IP ACLs,
 * origination URIs), or a 422 for bad `limit`/`offset`.
 *
 * @example
 * ```ts
 * import { offsetPage } from "./context.ts";
 * declare const ctx: import("./context.ts").RouteContext;
 * offsetPage(ctx, []);
 * ```
 */
export function offsetPage(ctx: RouteContext, all: JsonObject[]): Response {
  const paging = limitOffset(ctx);
  if (paging instanceof Response) return paging;
  return json(200, {
    meta: { limit: paging.limit, offset: paging.offset, total: all.length },
    objects: all.slice(paging.offset, paging.offset + paging.limit),
  });
}

/**
 * A style A page: `{ api_id, meta{limit, offset, next, previous, total_count}, objects[] }`
 * (applications, endpoints, recordings), or a 422 for bad `limit`/`offset`.
 *
 * @example
 * ```ts
 * import { plivoPage } from "./context.ts";
 * declare const ctx: import("./context.ts").RouteContext;
 * plivoPage(ctx, "/api/v1/Account/MA_1/Application/", []);
 * ```
 */
export function plivoPage(ctx: RouteContext, base: string, all: JsonObject[]): Response {
  const paging = limitOffset(ctx);
  if (paging instanceof Response) return paging;
  const { limit, offset } = paging;
  const link = (at: number) => `${base}?limit=${limit}&offset=${at}`;
  return json(200, {
    api_id: crypto.randomUUID(),
    meta: {
      limit,
      offset,
      total_count: all.length,
      next: offset + limit < all.length ? link(offset + limit) : null,
      previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
    },
    objects: all.slice(offset, offset + limit),
  });
}

/**
 * A 404 in the Plivo shape (`{ api_id, error }`), as the Plivo-style routes answer.
 *
 * @example
 * ```ts
 * import { notFound } from "./context.ts";
 * notFound("application not found", Date.now());
 * ```
 */
export function notFound(message: string, now: number): Response {
  return vobizError("plivo", { status: 404, code: "NOT_FOUND", message }, now);
}

/**
 * A JSON object without the mock's own bookkeeping keys (`account`, …).
 *
 * @example
 * ```ts
 * import { publicView } from "./context.ts";
 * publicView({ account: "MA_1", app_id: "1" }, ["account"]); // { app_id: "1" }
 * ```
 */
export function publicView(object: JsonObject, hidden: string[] = ["account"]): JsonObject {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !hidden.includes(key)));
}

/** A 204 with no body. */
export function noContent(): Response {
  return new Response(null, { status: 204 });
}
