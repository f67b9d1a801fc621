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
  type Page,
  paginate,
  type PaginationStyle,
} from "../pagination.ts";
import { validateInput } from "../validation.ts";
import { perPage, PublicUrlSchema, safeText } from "../validators.ts";
import type { RequestFn } from "./request_fn.ts";
import { MAX_PAGE_SIZE, type RouteName, routeOf } from "./routes.ts";

/**
 * Calls a route of the table through the client's `request`.
 *
 * @example
 * ```ts
 * await send(request, "trunks.get", { params: { trunk_id: id } });
 * ```
 */
export function send<T>(request: RequestFn, name: RouteName, options: RequestOptions): Promise<T> {
  const { method, path } = routeOf(name);
  return request<T>(method, path, options);
}

/** Builders of the id-and-body methods most resources share; see {@link crudMethods}. */
export interface CrudBuilders {
  /** `get(id, options)`: the route's answer, checked by `schema`. */
  get<T>(
    route: RouteName,
    schema: v.GenericSchema<unknown, T>,
  ): (id: unknown, options?: CallOptions) => Promise<T>;
  /** `create(body, options)`: the body checked by `body` before any request. */
  create<T>(
    route: RouteName,
    body: v.GenericSchema,
    schema: v.GenericSchema<unknown, T>,
  ): (body: unknown, options?: CallOptions) => Promise<T>;
  /** `update(id, body, options)`: id and body checked before any request. */
  update<T>(
    route: RouteName,
    body: v.GenericSchema,
    schema: v.GenericSchema<unknown, T>,
  ): (id: unknown, body: unknown, options?: CallOptions) => Promise<T>;
  /** `delete(id, options)`: answers an {@link Acknowledgement}. */
  delete(route: RouteName): (id: unknown, options?: CallOptions) => Promise<Acknowledgement>;
}

/**
 * The get/create/update/delete methods of a resource whose id is the path parameter `idName`
 * (checked by `idSchema`, named `label` in errors). Bad ids and bodies reject the returned promise
 * (never throw synchronously) and never reach the network.
 *
 * @example
 * ```ts
 * const crud = crudMethods(request, "trunk_id");
 * const get = crud.get("trunks.get", TrunkSchema);
 * const update = crud.update("trunks.update", TrunkUpdateSchema, TrunkSchema);
 * ```
 */
export function crudMethods(
  request: RequestFn,
  idName: string,
  idSchema: v.GenericSchema<unknown, string | number> = IdSchema,
  label: string = idName,
): CrudBuilders {
  const params = (id: unknown) => ({ [idName]: validateInput(idSchema, id, label) });
  return {
    get: (route, schema) => async (id, options) =>
      await send(request, route, { ...options, params: params(id), schema }),
    create: (route, body, schema) => async (input, options) =>
      await send(request, route, { ...options, json: validateInput(body, input), schema }),
    update: (route, body, schema) => async (id, input, options) =>
      await send(request, route, {
        ...options,
        params: params(id),
        json: validateInput(body, input),
        schema,
      }),
    delete: (route) => async (id, options) =>
      await send(request, route, { ...options, params: params(id), schema: AcknowledgementSchema }),
  };
}

/** `list` and `listPage` of one list endpoint. */
export interface Listing<T, B, F> {
  /** Every item of every page (validation errors are thrown by this call, before any request). */
  list(filters?: F, options?: ListOptions): AsyncGenerator<T, void, undefined>;
  /** One page and its metadata. */
  listPage(filters?: F, options?: CallOptions): Promise<Page<T, B>>;
}

/** How a list endpoint pages and what it answers. */
export interface ListingSpec {
  /** The route in the table. */
  route: RouteName;
  /** Its pagination style. */
  style: PaginationStyle;
  /** Schema of the filters (query) the caller may give. */
  filters: v.GenericSchema;
  /** Schema of one page's answer. */
  schema: v.GenericSchema;
  /** Fixed query parameters (e.g. `status=live`). */
  fixed?: SearchParams;
}

/**
 * Builds `list`/`listPage` for a list endpoint. The page size defaults to the endpoint's maximum
 * ({@link MAX_PAGE_SIZE}); a caller's own paging parameters win.
 *
 * @example
 * ```ts
 * const { list, listPage } = listing<Trunk, TrunkList, TrunkFilters>(request, {
 *   route: "trunks.list", style: trunkOffset(), filters: TrunkFiltersSchema, schema: TrunkListSchema,
 * });
 * ```
 */
export function listing<T, B, F>(request: RequestFn, spec: ListingSpec): Listing<T, B, F> {
  const start = (filters: F | undefined): SearchParams => {
    const valid = validateInput(spec.filters, filters ?? {}) as Record<string, unknown>;
    return firstQuery(spec.style, MAX_PAGE_SIZE[spec.route], toSearchParams(valid));
  };
  const loader = (options: CallOptions | undefined) => (query: SearchParams) =>
    send<unknown>(request, spec.route, {
      ...options,
      searchParams: { ...query, ...spec.fixed },
      schema: spec.schema,
    });
  return {
    list(filters, options = {}) {
      const query = start(filters); // throws now: bad filters never reach the network
      const { maxPages, ...callOptions } = options;
      return paginate<T>(spec.style, loader(callOptions), query, maxPages);
    },
    listPage: async (filters, options) =>
      await loadPage<T, B>(spec.style, loader(options), start(filters)),
  };
}

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

/**
 * Validates a path parameter, naming it in the error.
 *
 * @example
 * ```ts
 * param("trunk_id", trunkId); // { trunk_id: "…" }
 * ```
 */
export function idParam(name: string, value: unknown): Record<string, string | number> {
  return { [name]: validateInput(IdSchema, value, name) };
}

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
  return v.looseObject({
    objects: v.array(item),
    meta: maybe(v.looseObject({})),
    api_id: maybe(v.string()),
  });
}
