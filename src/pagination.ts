/**
 * One pagination abstraction over the nine styles of the Vobiz API (vobiz-api.md §4). A style says
 * what the first page's query is and, from an answer, which items it holds and what the next
 * page's query is; {@link paginate} turns that into an async iterator that fetches a page only when
 * the previous one is used up, so `break` stops the requests, and {@link loadPage} fetches one page.
 *
 * | Style | Query | Answer | More pages when | Used by |
 * |---|---|---|---|---|
 * | A {@link plivoOffset} | `limit`, `offset` | `{ meta{next,total_count}, objects[] }` | `meta.next` set | applications, endpoints, recordings |
 * | B {@link trunkOffset} | `limit`, `offset` | `{ meta{offset,total}, objects[] }` | `offset + n < total` | trunks, credentials, IP ACLs, origination URIs |
 * | C {@link cdrPage} | `page`, `per_page` | `{ data[], pagination{has_next} }` | `pagination.has_next` | CDR list and search |
 * | D {@link itemsPage} | `page`, `per_page` | `{ items[], page, per_page, total }` | full page and `page·per_page < total` | numbers, inventory |
 * | E {@link pageSize} | `page`, `size` | `{ <key>[], total, page, size }` | `page·size < total` | sub-accounts |
 * | F {@link hybridOffset} | `limit`, `offset` | `{ <key>[], page, total_pages }` | `page < total_pages` | transactions |
 * | G {@link limitOnly} | `limit` | `{ data[], count }` | never | recent CDRs |
 * | H {@link cappedList} | — | `{ <key>[] }` or an array | never | live/queued calls, conferences |
 * | I {@link messagingPage} | `page`, `limit` / cursor | `{ items[], has_more, next_cursor? }` | `has_more` or a cursor | WhatsApp messaging |
 *
 * @example
 * ```ts
 * import { cdrPage, paginate } from "vobiz-kit";
 * const load = (query) => vobiz.request("GET", "/Account/{auth_id}/cdr", { searchParams: query });
 * for await (const cdr of paginate(cdrPage(), load, { page: 1, per_page: 100 })) {
 *   if (cdr.duration > 600) break; // no further page is fetched
 * }
 * ```
 *
 * @module
 */
import { VobizResponseValidationError } from "./errors.ts";
import type { CallOptions, SearchParams } from "./options.ts";

/** One page of a list, with its pagination metadata. */
export interface Page<T, B = unknown> {
  /** The items of this page. */
  readonly items: T[];
  /** Whether another page follows. */
  readonly hasMore: boolean;
  /** Items across all pages, when the API reports it. */
  readonly total: number | undefined;
  /**
   * The query of the next page in the API's own parameter names (`page`/`per_page`,
   * `limit`/`offset`, …); `undefined` on the last page. Spread it over the filters to get the
   * next page: `listPage({ ...filters, ...page.next })`.
   */
  readonly next: SearchParams | undefined;
  /** The whole answer, for envelope fields such as `summary`, `meta` or `api_id`. */
  readonly body: B;
}

/** What a style reads from one answer. */
export interface PageInfo {
  /** The items of the page. */
  items: unknown[];
  /** Whether another page follows. */
  hasMore: boolean;
  /** Items across all pages, when reported. */
  total: number | undefined;
  /** The query of the next page, when there is one. */
  next: SearchParams | undefined;
}

/**
 * A pagination style: how to ask for the first page and how to read an answer.
 *
 * @example
 * ```ts
 * import type { PaginationStyle } from "vobiz-kit";
 * const single: PaginationStyle = {
 *   name: "single",
 *   first: () => ({}),
 *   read: (body) => ({ items: body as unknown[], hasMore: false, total: undefined, next: undefined }),
 * };
 * ```
 */
export interface PaginationStyle {
  /** A short name for messages (`"A"` … `"I"` for the built-in styles). */
  readonly name: string;
  /** The paging part of the first page's query, asking for `pageSize` items when given. */
  first(pageSize: number | undefined): SearchParams;
  /** Reads an answer to the page asked for with `query`. */
  read(body: unknown, query: SearchParams): PageInfo;
}

/** Options of a list that pages for you: the per-call options plus a safety cap on pages. */
export interface ListOptions extends CallOptions {
  /**
   * The most pages one iteration fetches (default {@link DEFAULT_MAX_PAGES}). If the API still
   * reports more after that many, the iteration throws `RESPONSE_VALIDATION_ERROR` rather than end
   * silently short: narrow the filters or raise the cap (`Infinity` for none).
   */
  maxPages?: number;
}

/** Default page cap of an iteration: 1000 pages (100 000 items at 100 per page). */
export const DEFAULT_MAX_PAGES = 1000;

/** Fetches the answer for a query (the filters plus the paging parameters). */
export type PageLoader = (query: SearchParams) => Promise<unknown>;

/**
 * The first page's query: the style's paging parameters for `pageSize`, overridden by the filters
 * (so a caller's own `per_page` or `page` wins). `undefined` filters are left out.
 *
 * @example
 * ```ts
 * import { cdrPage, firstQuery } from "vobiz-kit";
 * firstQuery(cdrPage(), 100, { start_date: "2026-11-01", end_date: "2026-11-26" });
 * // { page: 1, per_page: 100, start_date: "2026-11-01", end_date: "2026-11-26" }
 * ```
 */
export function firstQuery(
  style: PaginationStyle,
  pageSize: number | undefined,
  filters: SearchParams = {},
): SearchParams {
  const query: SearchParams = style.first(pageSize);
  for (const [key, value] of Object.entries(filters)) if (value !== undefined) query[key] = value;
  return query;
}

/**
 * Fetches and reads one page.
 *
 * @example
 * ```ts
 * import { itemsPage, loadPage } from "vobiz-kit";
 * const load = (query) => vobiz.request("GET", "/Account/{auth_id}/numbers", { searchParams: query });
 * const page = await loadPage(itemsPage(), load, { page: 1, per_page: 100 });
 * if (page.next) await loadPage(itemsPage(), load, page.next);
 * ```
 */
export async function loadPage<T, B = unknown>(
  style: PaginationStyle,
  load: PageLoader,
  query: SearchParams,
): Promise<Page<T, B>> {
  const body = await load(query);
  const info = style.read(body, query);
  // An empty page ends the list whatever the metadata says: a server that keeps saying "more"
  // without giving any would otherwise be asked forever.
  const hasMore = info.hasMore && info.next !== undefined && info.items.length > 0;
  return {
    items: info.items as T[],
    hasMore,
    total: info.total,
    next: hasMore ? defined({ ...query, ...info.next }) : undefined,
    body: body as B,
  };
}

/**
 * Iterates over every item of every page, fetching the next page only when the current one is
 * used up. `break` (or `return`) stops the iteration and no further page is requested.
 *
 * @example
 * ```ts
 * import { paginate, trunkOffset } from "vobiz-kit";
 * const load = (query) => vobiz.request("GET", "/Account/{auth_id}/trunks", { searchParams: query });
 * for await (const trunk of paginate(trunkOffset(), load, { limit: 100, offset: 0 })) {
 *   console.log(trunk);
 * }
 * ```
 */
export async function* paginate<T>(
  style: PaginationStyle,
  load: PageLoader,
  query: SearchParams,
  maxPages: number = DEFAULT_MAX_PAGES,
): AsyncGenerator<T, void, undefined> {
  let next: SearchParams | undefined = query;
  for (let pages = 0; next !== undefined; pages++) {
    if (pages >= maxPages) {
      throw new VobizResponseValidationError(
        `The list still reports more items after ${maxPages} pages (style ${style.name}); ` +
          "narrow the filters or raise maxPages",
        [],
      );
    }
    const page: Page<T> = await loadPage<T>(style, load, next);
    yield* page.items;
    next = page.next;
  }
}

// Style A: Plivo-like offset paging (applications, endpoints, recordings).
/**
 * Style A: `limit`/`offset`; `{ api_id, meta{limit, offset, next, previous, total_count},
 * objects[] }`; more pages while `meta.next` is set.
 *
 * @example
 * ```ts
 * import { plivoOffset } from "vobiz-kit";
 * plivoOffset().first(100); // { limit: 100, offset: 0 }
 * ```
 */
export function plivoOffset(itemsKey = "objects"): PaginationStyle {
  return {
    name: "A",
    first: (size) => withSize({ offset: 0 }, "limit", size),
    read(body, query) {
      const items = itemsOf(body, itemsKey);
      const meta = field(body, "meta");
      const more = field(meta, "next");
      const offset = numberOf(field(meta, "offset")) ?? numberOf(query["offset"]) ?? 0;
      return {
        items,
        hasMore: more !== undefined && more !== null && more !== "",
        total: numberOf(field(meta, "total_count")),
        next: { offset: offset + items.length },
      };
    },
  };
}

/**
 * Style B: `limit`/`offset`; `{ meta{limit, offset, total}, objects[] }`; more pages while
 * `offset + objects.length < total`. Without a `total` the answer is taken as the whole list.
 *
 * @example
 * ```ts
 * import { trunkOffset } from "vobiz-kit";
 * trunkOffset().first(100); // { limit: 100, offset: 0 }
 * ```
 */
export function trunkOffset(itemsKey = "objects"): PaginationStyle {
  return {
    name: "B",
    first: (size) => withSize({ offset: 0 }, "limit", size),
    read(body, query) {
      const items = itemsOf(body, itemsKey);
      const meta = field(body, "meta");
      const offset = numberOf(field(meta, "offset")) ?? numberOf(query["offset"]) ?? 0;
      const total = numberOf(field(meta, "total"));
      return {
        items,
        hasMore: total !== undefined && offset + items.length < total,
        total,
        next: { offset: offset + items.length },
      };
    },
  };
}

/**
 * Style C: `page`/`per_page`; `{ data[], pagination{page, per_page, total, pages, has_next,
 * has_prev}, count, summary, success }`; more pages while `pagination.has_next`.
 *
 * @example
 * ```ts
 * import { cdrPage } from "vobiz-kit";
 * cdrPage().first(100); // { page: 1, per_page: 100 }
 * ```
 */
export function cdrPage(itemsKey = "data"): PaginationStyle {
  return {
    name: "C",
    first: (size) => withSize({ page: 1 }, "per_page", size),
    read(body, query) {
      const pagination = field(body, "pagination");
      const page = numberOf(field(pagination, "page")) ?? numberOf(query["page"]) ?? 1;
      return {
        items: itemsOf(body, itemsKey),
        hasMore: field(pagination, "has_next") === true,
        total: numberOf(field(pagination, "total")),
        next: { page: page + 1 },
      };
    },
  };
}

/**
 * Style D: `page`/`per_page`; `{ items[], page, per_page, total }`; more pages while the page is
 * full and `page × per_page < total`.
 *
 * @example
 * ```ts
 * import { itemsPage } from "vobiz-kit";
 * itemsPage().first(100); // { page: 1, per_page: 100 }
 * ```
 */
export function itemsPage(itemsKey = "items"): PaginationStyle {
  return {
    name: "D",
    first: (size) => withSize({ page: 1 }, "per_page", size),
    read(body, query) {
      const items = itemsOf(body, itemsKey);
      const page = numberOf(field(body, "page")) ?? numberOf(query["page"]) ?? 1;
      const perPage = numberOf(field(body, "per_page")) ?? numberOf(query["per_page"]);
      const total = numberOf(field(body, "total"));
      const full = perPage === undefined || items.length >= perPage;
      return {
        items,
        hasMore: full && (total === undefined
          ? perPage !== undefined // no total: only a full page suggests more
          : page * (perPage ?? items.length) < total),
        total,
        next: { page: page + 1 },
      };
    },
  };
}

/**
 * Style E: `page`/`size`; `{ <itemsKey>[], total, page, size }`; more pages while
 * `page × size < total`. `sizeParam` names the request's page-size parameter (partner accounts
 * take `per_page` but answer with `size`).
 *
 * @example
 * ```ts
 * import { pageSize } from "vobiz-kit";
 * pageSize("sub_accounts").first(100); // { page: 1, size: 100 }
 * ```
 */
export function pageSize(itemsKey: string, sizeParam = "size"): PaginationStyle {
  return {
    name: "E",
    first: (size) => withSize({ page: 1 }, sizeParam, size),
    read(body, query) {
      const items = itemsOf(body, itemsKey);
      const page = numberOf(field(body, "page")) ?? numberOf(query["page"]) ?? 1;
      const size = numberOf(field(body, "size")) ?? numberOf(query[sizeParam]) ?? items.length;
      const total = numberOf(field(body, "total"));
      return {
        items,
        hasMore: total !== undefined && page * size < total,
        total,
        next: { page: page + 1 },
      };
    },
  };
}

/**
 * Style F: asks with `limit`/`offset`, answers with `{ <itemsKey>[], total, page, per_page,
 * total_pages }`; more pages while `page < total_pages`.
 *
 * @example
 * ```ts
 * import { hybridOffset } from "vobiz-kit";
 * hybridOffset("transactions").first(100); // { limit: 100, offset: 0 }
 * ```
 */
export function hybridOffset(itemsKey: string): PaginationStyle {
  return {
    name: "F",
    first: (size) => withSize({ offset: 0 }, "limit", size),
    read(body, query) {
      const items = itemsOf(body, itemsKey);
      const offset = numberOf(query["offset"]) ?? 0;
      const page = numberOf(field(body, "page"));
      const pages = numberOf(field(body, "total_pages"));
      return {
        items,
        hasMore: page !== undefined && pages !== undefined && page < pages,
        total: numberOf(field(body, "total")),
        next: { offset: offset + items.length },
      };
    },
  };
}

/**
 * Style G: `limit` only; `{ data[], count }`; one page.
 *
 * @example
 * ```ts
 * import { limitOnly } from "vobiz-kit";
 * limitOnly().first(100); // { limit: 100 }
 * ```
 */
export function limitOnly(itemsKey = "data"): PaginationStyle {
  return {
    name: "G",
    first: (size) => withSize({}, "limit", size),
    read: (body) => ({
      items: itemsOf(body, itemsKey),
      hasMore: false,
      total: numberOf(field(body, "count")),
      next: undefined,
    }),
  };
}

/**
 * Style H: no paging; `{ <itemsKey>[] }` (or a bare array); one page.
 *
 * @example
 * ```ts
 * import { cappedList } from "vobiz-kit";
 * cappedList("calls").read({ api_id: "x", calls: ["a"] }, {}).items; // ["a"]
 * ```
 */
export function cappedList(itemsKey: string): PaginationStyle {
  return {
    name: "H",
    first: () => ({}),
    read: (body) => ({
      items: Array.isArray(body) ? body : itemsOf(body, itemsKey),
      hasMore: false,
      total: undefined,
      next: undefined,
    }),
  };
}

/**
 * Style I (messaging): `page`/`limit`; `{ items[], total, page, limit, has_more }`, or a
 * `next_cursor` that is sent back as `cursor`.
 *
 * @example
 * ```ts
 * import { messagingPage } from "vobiz-kit";
 * messagingPage().first(100); // { page: 1, limit: 100 }
 * ```
 */
export function messagingPage(itemsKey = "items", cursorParam = "cursor"): PaginationStyle {
  return {
    name: "I",
    first: (size) => withSize({ page: 1 }, "limit", size),
    read(body, query) {
      const items = itemsOf(body, itemsKey);
      const cursor = field(body, "next_cursor");
      if (typeof cursor === "string" && cursor !== "") {
        return {
          items,
          hasMore: true,
          total: numberOf(field(body, "total")),
          next: { page: undefined, [cursorParam]: cursor },
        };
      }
      const page = numberOf(field(body, "page")) ?? numberOf(query["page"]) ?? 1;
      return {
        items,
        hasMore: field(body, "has_more") === true,
        total: numberOf(field(body, "total")),
        next: { page: page + 1 },
      };
    },
  };
}

function defined(query: SearchParams): SearchParams {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined));
}

function withSize(query: SearchParams, name: string, size: number | undefined): SearchParams {
  if (size !== undefined) query[name] = size;
  return query;
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function itemsOf(body: unknown, key: string): unknown[] {
  const items = field(body, key);
  return Array.isArray(items) ? items : [];
}

// Page numbers and totals as numbers; numeric strings are accepted (some envelopes send them).
function numberOf(value: unknown): number | undefined {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) ? number : undefined;
}
