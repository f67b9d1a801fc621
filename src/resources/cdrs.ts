/**
 * `client.cdrs`: call detail records. A date range is fetched as **one** ranged query
 * (`start_date` + `end_date`, given together) paged at 100 per request, never day by day.
 * `export` streams the CSV the API produces.
 *
 * @example
 * ```ts
 * let cost = 0;
 * for await (const cdr of vobiz.cdrs.list({ start_date: "2026-11-01", end_date: "2026-11-26" })) {
 *   cost += Number(cdr.total_cost ?? 0);
 * }
 * const csv = await vobiz.cdrs.export({ start_date: "2026-11-01", end_date: "2026-11-26" });
 * await csv.pipeTo(fileSink);
 * ```
 *
 * @module
 */
import * as v from "valibot";
import type { CallOptions } from "../options.ts";
import type { ListOptions, Page } from "../pagination.ts";
import { dateRange, DateSchema, perPage, safeText } from "../validators.ts";
import { type Amount, answer, CountSchema, NumberPartSchema, PageNumberSchema } from "./_shared.ts";

/**
 * A call detail record (main fields; all 43 pass through). `mos: 0` means the call had no media.
 * Costs and quality figures are kept exactly as sent.
 */
export interface Cdr {
  /** The call's UUID: the id `cdrs.get` takes. */
  uuid: string;
  /** Numeric id (not accepted by `cdrs.get`). */
  id?: number | string | null | undefined;
  account_id?: string | null | undefined;
  call_direction?: string | null | undefined;
  caller_id_number?: string | null | undefined;
  destination_number?: string | null | undefined;
  start_time?: string | null | undefined;
  progress_time?: string | null | undefined;
  answer_time?: string | null | undefined;
  end_time?: string | null | undefined;
  duration?: number | null | undefined;
  billsec?: number | null | undefined;
  ring_time?: number | string | null | undefined;
  cost?: Amount | null | undefined;
  total_cost?: Amount | null | undefined;
  streaming_cost?: Amount | null | undefined;
  currency?: string | null | undefined;
  hangup_cause?: string | null | undefined;
  hangup_cause_code?: number | null | undefined;
  hangup_source?: string | null | undefined;
  mos?: number | string | null | undefined;
  packet_loss?: number | string | null | undefined;
  jitter?: number | string | null | undefined;
  codec?: string | null | undefined;
  trunk_id?: string | null | undefined;
  sip_call_id?: string | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link Cdr}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { CdrSchema } from "vobiz-kit";
 * const parsed = v.parse(CdrSchema, await response.json());
 * ```
 */
export const CdrSchema: v.GenericSchema<unknown, Cdr> = answer(
  "!uuid id:m account_id call_direction caller_id_number destination_number start_time progress_time answer_time end_time duration:n billsec:n ring_time:m cost:a total_cost:a streaming_cost:a currency hangup_cause hangup_cause_code:n hangup_source mos:m packet_loss:m jitter:m codec trunk_id sip_call_id",
);

/** One page of CDRs (style C), with a `summary` of the whole filtered set. */
export interface CdrList {
  data: Cdr[];
  pagination?:
    | {
      page?: number | undefined;
      per_page?: number | undefined;
      total?: number | undefined;
      pages?: number | undefined;
      has_next?: boolean | undefined;
      has_prev?: boolean | undefined;
      [key: string]: unknown;
    }
    | null
    | undefined;
  /** `totalCalls, answeredCalls, answerRate, avgCallDuration ("28s"), total_cost, …` as sent. */
  summary?: Record<string, unknown> | null | undefined;
  count?: number | null | undefined;
  success?: boolean | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link CdrList}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { CdrListSchema } from "vobiz-kit";
 * const parsed = v.parse(CdrListSchema, await response.json());
 * ```
 */
export const CdrListSchema: v.GenericSchema<unknown, CdrList> = answer(
  "!data:A pagination:B summary:o count:n success:b",
  {
    A: v.array(CdrSchema),
    B: v.looseObject({
      page: v.optional(v.number()),
      per_page: v.optional(v.number()),
      total: v.optional(v.number()),
      pages: v.optional(v.number()),
      has_next: v.optional(v.boolean()),
      has_prev: v.optional(v.boolean()),
    }),
  },
);

/** The answer of `cdrs.get`: `{ data: Cdr, success }`. */
export interface CdrResponse {
  data: Cdr;
  success?: boolean | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link CdrResponse}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { CdrResponseSchema } from "vobiz-kit";
 * const parsed = v.parse(CdrResponseSchema, await response.json());
 * ```
 */
export const CdrResponseSchema: v.GenericSchema<unknown, CdrResponse> = answer(
  "!data:A success:b",
  { A: CdrSchema },
);

/** CDR filters (all optional, ANDed). `start_date` and `end_date` go together. */
export interface CdrFilters {
  /** First day, `YYYY-MM-DD` (UTC), with `end_date`. */
  start_date?: string | undefined;
  /** Last day, `YYYY-MM-DD` (UTC), with `start_date`. */
  end_date?: string | undefined;
  /** Caller: digits of the number or a part of it. */
  from_number?: string | undefined;
  /** Callee: digits of the number or a part of it. */
  to_number?: string | undefined;
  /** `inbound` or `outbound`. */
  call_direction?: "inbound" | "outbound" | undefined;
  /** Seconds. */
  min_duration?: number | undefined;
  sip_call_id?: string | undefined;
  bridge_uuid?: string | undefined;
  /** e.g. `NORMAL_CLEARING`. */
  hangup_cause?: string | undefined;
  /** e.g. `send_refuse`. */
  hangup_disposition?: string | undefined;
  /** e.g. `sip-trunking`. */
  context?: string | undefined;
  campaign_id?: string | undefined;
  /** Free text. */
  search?: string | undefined;
  [key: string]: unknown;
}

/** {@link CdrFilters} plus paging (`per_page` at most 100, the default). */
export interface CdrPageFilters extends CdrFilters {
  page?: number | undefined;
  per_page?: number | undefined;
}

const token = v.pipe(
  v.string(),
  v.maxLength(255, "must be at most 255 characters"),
  v.regex(/^[A-Za-z0-9@._:+-]*$/, "must be letters, digits and @ . _ : + -"),
);
const cdrFilterFields = {
  start_date: v.optional(DateSchema),
  end_date: v.optional(DateSchema),
  from_number: v.optional(NumberPartSchema),
  to_number: v.optional(NumberPartSchema),
  call_direction: v.optional(v.picklist(["inbound", "outbound"])),
  min_duration: v.optional(CountSchema),
  sip_call_id: v.optional(token),
  bridge_uuid: v.optional(token),
  hangup_cause: v.optional(token),
  hangup_disposition: v.optional(token),
  context: v.optional(token),
  campaign_id: v.optional(token),
  search: v.optional(safeText(255)),
};

/**
 * Schema of {@link CdrFilters} (export).
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { CdrFiltersSchema } from "vobiz-kit";
 * const ok = v.safeParse(CdrFiltersSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const CdrFiltersSchema: v.GenericSchema<CdrFilters> = dateRange(
  v.looseObject(cdrFilterFields),
);

/**
 * Schema of {@link CdrPageFilters} (list and search).
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { CdrPageFiltersSchema } from "vobiz-kit";
 * const ok = v.safeParse(CdrPageFiltersSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const CdrPageFiltersSchema: v.GenericSchema<CdrPageFilters> = dateRange(
  v.looseObject({
    ...cdrFilterFields,
    page: v.optional(PageNumberSchema),
    per_page: v.optional(perPage(100)),
  }),
);

/** The answer of `cdrs.recent` (style G): `{ data[], count, account_id, success }`. */
export interface CdrRecent {
  data: Cdr[];
  count?: number | null | undefined;
  account_id?: string | null | undefined;
  success?: boolean | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link CdrRecent}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { CdrRecentSchema } from "vobiz-kit";
 * const parsed = v.parse(CdrRecentSchema, await response.json());
 * ```
 */
export const CdrRecentSchema: v.GenericSchema<unknown, CdrRecent> = answer(
  "!data:A count:n account_id success:b",
  { A: v.array(CdrSchema) },
);

/** `client.cdrs`. */
export interface CdrsResource {
  /**
   * Every matching CDR, newest first, 100 per request: a date range is one ranged query.
   *
   * @example
   * ```ts
   * for await (const cdr of vobiz.cdrs.list({ start_date: "2026-11-01", end_date: "2026-11-26" })) {
   *   if (cdr.mos !== null && Number(cdr.mos) < 3.5) console.log("poor call", cdr.uuid);
   * }
   * ```
   */
  list(filters?: CdrPageFilters, options?: ListOptions): AsyncGenerator<Cdr, void, undefined>;
  /**
   * One page, with the `summary` of the whole filtered set in `page.body.summary`.
   *
   * @example
   * ```ts
   * const page = await vobiz.cdrs.listPage({ start_date: "2026-11-01", end_date: "2026-11-26" });
   * console.log(page.total, page.body.summary);
   * ```
   */
  listPage(filters?: CdrPageFilters, options?: CallOptions): Promise<Page<Cdr, CdrList>>;
  /**
   * Like `list`, through `/cdr/search` (its answer also echoes the `filters`).
   *
   * @example
   * ```ts
   * for await (const cdr of vobiz.cdrs.search({ hangup_cause: "NO_ANSWER" })) console.log(cdr.uuid);
   * ```
   */
  search(filters?: CdrPageFilters, options?: ListOptions): AsyncGenerator<Cdr, void, undefined>;
  /**
   * One page of `search`.
   *
   * @example
   * ```ts
   * const { items } = await vobiz.cdrs.searchPage({ to_number: "+9198" });
   * ```
   */
  searchPage(filters?: CdrPageFilters, options?: CallOptions): Promise<Page<Cdr, CdrList>>;
  /**
   * The latest CDRs (`limit`, default 100 here; no paging).
   *
   * @example
   * ```ts
   * const { items } = await vobiz.cdrs.recent({ limit: 5 });
   * ```
   */
  recent(
    filters?: { limit?: number | undefined },
    options?: CallOptions,
  ): Promise<Page<Cdr, CdrRecent>>;
  /**
   * One CDR by the call's `uuid` (the numeric `id` gives a 404).
   *
   * @example
   * ```ts
   * const { data } = await vobiz.cdrs.get(callUuid);
   * ```
   */
  get(callUuid: string, options?: CallOptions): Promise<CdrResponse>;
  /**
   * The matching CDRs as CSV, streamed (the body of `GET …/cdr/export`, sent without
   * `Accept: application/json`). Read or cancel the stream.
   *
   * @example
   * ```ts
   * const csv = await vobiz.cdrs.export({ start_date: "2026-11-01", end_date: "2026-11-26" });
   * const text = await new Response(csv).text();
   * ```
   */
  export(filters?: CdrFilters, options?: CallOptions): Promise<ReadableStream<Uint8Array>>;
}
