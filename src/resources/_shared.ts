/**
 * What every resource file shares: calling a route of the table, building `list`/`listPage` from a
 * pagination style, turning filters into a query, and small schema helpers. Private to
 * `src/resources/`.
 *
 * @module
 */
import * as v from "valibot";
import type { CallOptions, RequestOptions, SearchParams } from "../options.ts";
import {
  firstQuery,
  type ListOptions,
  loadPage,
  paginate,
  type PaginationStyle,
} from "../pagination.ts";
import { validateInput } from "../validation.ts";
import { perPage, PublicUrlSchema, safeText } from "../validators.ts";
import type { RequestFn } from "./request_fn.ts";

/**
 * A method of the route table (`ROUTES` in `routes.ts`):
 * `[route, answer, input?, how?, then?]`.
 *
 * - `route`: `"METHOD /path"`, optionally with a fixed query (`?status=live`). Each `{name}` of
 *   the path but `{auth_id}` is a leading argument of the method, in order, checked by its rule in
 *   the table's parameter rules (default {@link IdSchema}).
 * - `answer`: the response schema (`0` for none).
 * - `input`: the schema of the argument after the path parameters (a body, or a query with `q`).
 * - `how`: letters — `q` the input is the query, `o` an omitted input is `{}`, `n` a `null` or
 *   omitted input is `{}`, `b` the input is checked before the path parameters, `p` a paid write,
 *   `r` the raw `Response` is answered; or a pagination
 *   style, which makes the entry a list (`name` iterates, `namePage` loads one page).
 * - `then`: turns the checked answer into the method's result.
 *
 * The last argument is always the per-call options.
 */
export type Op = readonly [
  route: string,
  answer: v.GenericSchema | 0,
  input?: v.GenericSchema | 0,
  how?: string | PaginationStyle,
  // deno-lint-ignore no-explicit-any
  then?: (body: any, method: string, path: string) => unknown,
];

/** How a path parameter is checked: its schema, its name in errors, its value when omitted. */
export type ParamRule = readonly [
  schema: v.GenericSchema<unknown, string | number>,
  label?: string | undefined,
  fallback?: string,
];

/** A method built from an {@link Op}. */
// deno-lint-ignore no-explicit-any
export type Method = (...args: any[]) => any;

/**
 * Builds the method(s) of one table entry: `[name, method]` pairs (two for a list). Bad
 * arguments reject the returned promise (lists throw at once) and never reach the network.
 *
 * @example
 * ```ts
 * methods(request, "get", ["GET /Account/{auth_id}/trunks/{trunk_id}", TrunkSchema], {});
 * ```
 */
export function methods(
  request: RequestFn,
  name: string,
  [route, answer, input, how = "", then]: Op,
  rules: Readonly<Record<string, ParamRule>>,
): Array<[string, Method]> {
  const [line = "", fixed] = route.split("?");
  const [method = "", path = ""] = line.split(" ");
  const flags = typeof how === "string" ? how : "";
  const [raw, paid, query, early, emptyObject, nullObject] = [..."rpqbon"].map((flag) =>
    flags.includes(flag)
  );
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).filter((n) => n !== "auth_id");
  // Only the options a method needs are set: plugins see them (`paid`, `searchParams`, …).
  const call = (options: unknown, extra: RequestOptions) => {
    if (answer) extra.schema = answer;
    if (raw) extra.responseType = "response";
    if (paid) extra.paid = true;
    return request(method, path, { ...options as CallOptions, ...extra });
  };
  if (typeof how === "object") {
    const start = (filters: unknown): SearchParams =>
      firstQuery(
        how,
        MAX_PAGE_SIZE,
        toSearchParams(validateInput(input as v.GenericSchema, filters ?? {}) as never),
      );
    const load = (options: unknown) => (query: SearchParams) =>
      call(options, Object.keys(query).length ? { searchParams: { ...query } } : {});
    return [
      [name, (filters?: unknown, options: ListOptions = {}) => {
        const query = start(filters); // throws now: bad filters never reach the network
        const { maxPages, ...callOptions } = options;
        return paginate(how, load(callOptions), query, maxPages);
      }],
      [
        `${name}Page`,
        async (filters?: unknown, options?: CallOptions) =>
          await loadPage(how, load(options), start(filters)),
      ],
    ];
  }
  return [[name, async (...args: unknown[]) => {
    const at = names.length;
    const check = () => {
      let value = args[at];
      if (value === undefined && emptyObject || value == null && nullObject) value = {};
      return validateInput(input as v.GenericSchema, value);
    };
    const checked = early ? check() : undefined;
    const extra: RequestOptions = {};
    if (at > 0) {
      extra.params = Object.fromEntries(names.map((key, i) => {
        const [schema, label = key, fallback] = rules[key] ?? [IdSchema];
        return [key, validateInput(schema, args[i] === undefined ? fallback : args[i], label)];
      }));
    }
    if (input) {
      const valid = checked ?? check();
      if (query) extra.searchParams = toSearchParams(valid as never);
      else extra.json = valid;
    }
    if (fixed) extra.searchParams = Object.fromEntries(new URLSearchParams(fixed));
    const body = await call(args[at + (input ? 1 : 0)], extra);
    return then ? then(body, method, path) : body;
  }]];
}

/**
 * The page size every list asks for unless told otherwise: the largest that every documented
 * endpoint accepts (`per_page`, `limit` or `size`; vobiz-api.md §3.8, §3.9, §3.14, §4).
 */
export const MAX_PAGE_SIZE = 100;

/**
 * Filters as a query: `undefined` left out, arrays joined with commas (the API's list syntax),
 * everything else as is.
 *
 * @example
 * ```ts
 * toSearchParams({ exclude: ["+9180", "+9181"], page: 2, search: undefined });
 * // { exclude: "+9180,+9181", page: 2 }
 * ```
 */
export function toSearchParams(filters: Record<string, unknown>): SearchParams {
  const query: SearchParams = {};
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) query[key] = value.join(",");
    else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      query[key] = value;
    } else query[key] = JSON.stringify(value);
  }
  return query;
}

/**
 * An optional, nullable field of an answer (the API sends `null` and leaves fields out freely).
 *
 * @example
 * ```ts
 * v.looseObject({ description: maybe(v.string()) });
 * ```
 */
export function maybe<T extends v.GenericSchema>(
  schema: T,
): v.OptionalSchema<v.NullableSchema<T, undefined>, undefined> {
  return v.optional(v.nullable(schema));
}

/** A money amount exactly as sent: a number, or a decimal string that stays a string. */
export type Amount = string | number;

/**
 * Schema of {@link Amount}: no conversion either way, so no precision is lost.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { AmountSchema } from "vobiz-kit";
 * const ok = v.safeParse(AmountSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const AmountSchema: v.GenericSchema<Amount> = v.union([v.string(), v.number()]);

const TYPES: Readonly<Record<string, v.GenericSchema>> = {
  s: v.string(),
  n: v.number(),
  b: v.boolean(),
  i: v.union([v.string(), v.number()]),
  m: v.union([v.number(), v.string()]),
  a: AmountSchema,
  o: v.looseObject({}),
  l: v.array(v.looseObject({})),
  x: v.array(v.unknown()),
};

/**
 * An open answer object (unknown fields pass) from a list of its fields, in order: `name` is an
 * optional, nullable string; `name:t` has type `t` — `n` number, `b` boolean, `i` string or number,
 * `m` number or string, `a` {@link Amount}, `o` open object, `l` array of open objects, `x` array,
 * or a key of `types`; `!name` is required and never `null`.
 *
 * @example
 * ```ts
 * const TrunkSchema = answer<Trunk>("!trunk_id name secure:b cps_limit:n");
 * ```
 */
export function answer<T>(
  fields: string,
  types: Readonly<Record<string, v.GenericSchema>> = {},
): v.GenericSchema<unknown, T> {
  return v.looseObject(Object.fromEntries(
    fields.split(" ").map((field) => {
      const [name = "", type = "s"] = field.split(":");
      const schema = types[type] ?? TYPES[type]!;
      return name[0] === "!" ? [name.slice(1), schema] : [name, maybe(schema)];
    }),
  )) as v.GenericSchema as v.GenericSchema<unknown, T>;
}

/** An identifier in a path: a non-empty string (not `.` or `..`) or an integer. */
export const IdSchema: v.GenericSchema<string | number> = v.union([
  v.pipe(
    v.string(),
    v.nonEmpty("must not be empty"),
    v.maxLength(255, "must be at most 255 characters"),
    // "." and ".." would be resolved away by URL parsing and hit another route.
    v.check((id) => id !== "." && id !== "..", "must not be . or .."),
  ),
  v.pipe(v.number(), v.integer("must be an integer"), v.minValue(0, "must not be negative")),
]);

/** `GET` or `POST`, as callback methods take. */
export const HttpMethodSchema: v.GenericSchema<"GET" | "POST"> = v.picklist(["GET", "POST"]);

/** A count or offset: an integer ≥ 0. */
export const CountSchema: v.GenericSchema<number> = v.pipe(
  v.number(),
  v.integer("must be an integer"),
  v.minValue(0, "must not be negative"),
);

/** A required label: 1 to 255 characters of safe text. */
export const NameSchema: v.GenericSchema<string> = v.pipe(
  safeText(255),
  v.nonEmpty("must not be empty"),
);

/** A UUID (any case). */
export const UuidSchema: v.GenericSchema<string> = v.pipe(
  v.string(),
  v.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "must be a UUID"),
);

/** Digits with an optional leading `+`: a whole phone number or a part of one. */
export const NumberPartSchema: v.GenericSchema<string> = v.pipe(
  v.string(),
  v.regex(/^\+?\d{1,15}$/, "must be digits, optionally after a leading +"),
);

/** A sub-account auth ID (`SA_…`). */
export const SubAccountIdSchema: v.GenericSchema<string> = v.pipe(
  v.string(),
  v.regex(/^SA_[A-Za-z0-9]+$/, "must be a sub-account auth ID (SA_…)"),
);

/** A page number: an integer ≥ 1. */
export const PageNumberSchema: v.GenericSchema<number> = v.pipe(
  v.number(),
  v.integer("must be an integer"),
  v.minValue(1, "must be at least 1"),
);

/** An integer in `[min, max]`. */
export function intRange(min: number, max: number): v.GenericSchema<number> {
  return v.pipe(
    v.number(),
    v.integer("must be an integer"),
    v.minValue(min, `must be at least ${min}`),
    v.maxValue(max, `must be at most ${max}`),
  );
}

/** A public `wss://` URL (media streams): the public-URL rules of webhooks, on a WebSocket URL. */
export const PublicWssUrlSchema: v.GenericSchema<string> = v.pipe(
  v.string(),
  v.startsWith("wss://", "must be a wss:// URL"),
  v.check(
    (url) => v.safeParse(PublicUrlSchema, `https://${url.slice("wss://".length)}`).success,
    "URL must be public (no loopback, private, link-local or metadata address) and at most 500 characters",
  ),
);

/**
 * The answer to a write that returns no resource: usually empty (`undefined`, e.g. a 204), at times
 * an acknowledgement such as `{ api_id, message }`.
 */
export type Acknowledgement = { [key: string]: unknown } | undefined;

/**
 * Schema of {@link Acknowledgement}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { AcknowledgementSchema } from "vobiz-kit";
 * const parsed = v.parse(AcknowledgementSchema, await response.json());
 * ```
 */
export const AcknowledgementSchema: v.GenericSchema<unknown, Acknowledgement> = v.optional(
  v.looseObject({}),
);

/** Paging filters of the `limit`/`offset` lists (`limit` at most 100). */
export interface OffsetFilters {
  /** Page size, 1 to 100 (default 100). */
  limit?: number | undefined;
  /** Items to skip. */
  offset?: number | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link OffsetFilters}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { OffsetFiltersSchema } from "vobiz-kit";
 * const ok = v.safeParse(OffsetFiltersSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const OffsetFiltersSchema: v.GenericSchema<OffsetFilters> = v.looseObject({
  limit: v.optional(perPage(100)),
  offset: v.optional(CountSchema),
});

/**
 * A page of the trunk-family lists (style B) and the Plivo-style lists (style A):
 * `{ meta, objects[] }`.
 */
export interface ObjectList<T> {
  objects: T[];
  /** `{ limit, offset, total }` (style B) or `{ limit, offset, next, previous, total_count }` (A). */
  meta?: Record<string, unknown> | null | undefined;
  api_id?: string | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of an {@link ObjectList} of `item`.
 *
 * @example
 * ```ts
 * const TrunkListSchema = objectList(TrunkSchema);
 * ```
 */
export function objectList<T>(
  item: v.GenericSchema<unknown, T>,
): v.GenericSchema<unknown, ObjectList<T>> {
  return answer("!objects:A meta:o api_id", { A: v.array(item) });
}
