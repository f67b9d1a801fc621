/**
 * Mock routes: CDRs (style C paging, date range validation).
 *
 * @module
 */

import { type FieldError, json, validationError, vobizError } from "../http.ts";
import type { JsonObject } from "../state.ts";
import {
  badRequest,
  checkRange,
  type Handler,
  MAX_PAGE_SIZE,
  pagePerPage,
  type RouteContext,
  sum,
} from "./context.ts";

/**
 * `GET /Account/{auth_id}/cdr` (style C): `page`/`per_page` (max 100) over the filters of
 * {@link matchingCdrs}.
 */
export const listCdrs: Handler = (ctx) => cdrPage(ctx, false);

/**
 * `GET /Account/{auth_id}/cdr/search`: the list shape plus `filters` echoed (`""` when unset).
 */
export const searchCdrs: Handler = (ctx) => cdrPage(ctx, true);

/**
 * `GET /Account/{auth_id}/cdr/recent` (style G): `limit` (default 20, max 100), no paging.
 */
export const recentCdrs: Handler = (ctx) => {
  const errors: FieldError[] = [];
  const limit = checkRange(ctx.query, "limit", 20, 1, MAX_PAGE_SIZE, errors);
  if (errors.length > 0) return validationError(errors, ctx.now);
  const data = ctx.state.cdrs.filter((cdr) => cdr.account_id === ctx.authId).reverse().slice(
    0,
    limit,
  );
  return json(200, { account_id: ctx.authId, count: data.length, data, success: true });
};

/**
 * `GET /Account/{auth_id}/cdr/export`: the filtered CDRs as `text/csv` (no paging). Like the real
 * endpoint it refuses `Accept: application/json` (406).
 */
export const exportCdrs: Handler = (ctx) => {
  if ((ctx.headers.get("accept") ?? "").includes("application/json")) {
    return vobizError("envelope", {
      status: 406,
      code: "NOT_ACCEPTABLE",
      message: "CDR export answers text/csv; do not send Accept: application/json",
    }, ctx.now);
  }
  const matching = matchingCdrs(ctx);
  if (matching instanceof Response) return matching;
  const columns = CSV_COLUMNS;
  const cell = (value: unknown) => {
    const text = value === null || value === undefined ? "" : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [
    columns.join(","),
    ...matching.map((cdr) => columns.map((c) => cell(cdr[c])).join(",")),
  ];
  return new Response(lines.join("\r\n") + "\r\n", {
    status: 200,
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="cdr-export.csv"',
    },
  });
};

const CSV_COLUMNS = [
  "uuid",
  "start_time",
  "answer_time",
  "end_time",
  "call_direction",
  "caller_id_number",
  "destination_number",
  "duration",
  "billsec",
  "hangup_cause",
  "cost",
  "currency",
  "mos",
];

/**
 * The caller's CDRs matching the query, newest first, or a 400 for a bad date range. Filters:
 * `start_date`/`end_date` (together), `from_number`, `to_number` (substrings), `call_direction`,
 * `min_duration`, `sip_call_id`, `bridge_uuid`, `hangup_cause`, `hangup_disposition`, `context`,
 * `campaign_id`, `search` (free text over numbers, uuid, SIP call id and hangup cause).
 */
function matchingCdrs(ctx: RouteContext): JsonObject[] | Response {
  const q = ctx.query;
  const start = q.get("start_date");
  const end = q.get("end_date");
  if ((start === null) !== (end === null)) {
    return badRequest("start_date and end_date must be given together", ctx.now);
  }
  if (start !== null && end !== null) {
    if (!isDate(start) || !isDate(end)) {
      return badRequest("start_date and end_date must be YYYY-MM-DD", ctx.now);
    }
    if (start > end) return badRequest("start_date must not be after end_date", ctx.now);
  }
  // An unencoded "+" arrives as a space; put it back.
  const text = (name: string) => q.get(name)?.trim().replaceAll(" ", "+") || undefined;
  const from = text("from_number");
  const to = text("to_number");
  const minDuration = Number(q.get("min_duration") ?? "0");
  const exact = [
    "call_direction",
    "sip_call_id",
    "bridge_uuid",
    "hangup_cause",
    "hangup_disposition",
    "context",
    "campaign_id",
  ].map((name) => [name, q.get(name)] as const)
    .filter(([, value]) => value !== null && value !== "");
  const search = q.get("search")?.toLowerCase();
  return ctx.state.cdrs.filter((cdr) => {
    if (cdr.account_id !== ctx.authId) return false;
    const day = String(cdr.start_time).slice(0, 10);
    if (start !== null && end !== null && (day < start || day > end)) return false;
    if (from && !String(cdr.caller_id_number).includes(from)) return false;
    if (to && !String(cdr.destination_number).includes(to)) return false;
    if (Number(cdr.duration) < minDuration) return false;
    if (exact.some(([name, value]) => String(cdr[name]) !== value)) return false;
    const haystack = [
      cdr.caller_id_number,
      cdr.destination_number,
      cdr.uuid,
      cdr.sip_call_id,
      cdr.hangup_cause,
    ].join(" ").toLowerCase();
    return !search || haystack.includes(search);
  }).reverse(); // newest first
}

function cdrPage(ctx: RouteContext, echoFilters: boolean): Response {
  const paging = pagePerPage(ctx);
  if (paging instanceof Response) return paging;
  const matching = matchingCdrs(ctx);
  if (matching instanceof Response) return matching;
  const { page, perPage } = paging;
  const data = matching.slice((page - 1) * perPage, page * perPage);
  const pages = Math.ceil(matching.length / perPage);
  const filters = echoFilters
    ? {
      filters: Object.fromEntries(
        ["call_direction", "from_number", "hangup_cause", "to_number"].map((name) => [
          name,
          ctx.query.get(name) ?? "",
        ]),
      ),
    }
    : {};
  return json(200, {
    account_id: ctx.authId,
    count: data.length,
    data,
    pagination: {
      page,
      per_page: perPage,
      total: matching.length,
      pages,
      has_next: page < pages,
      has_prev: page > 1,
    },
    success: true,
    summary: cdrSummary(matching),
    ...filters,
  });
}

/**
 * `GET /Account/{auth_id}/cdr/{call_id}`: one CDR by its `uuid`.
 */
export const getCdr: Handler = (ctx) => {
  const cdr = ctx.state.cdrs.find((c) =>
    c.uuid === ctx.params.call_id && c.account_id === ctx.authId
  );
  if (cdr === undefined) {
    return vobizError("envelope", {
      status: 404,
      code: "CDR_NOT_FOUND",
      message: "CDR not found (pass the call uuid, not the numeric id)",
    }, ctx.now);
  }
  return json(200, { data: cdr, success: true });
};

function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

function cdrSummary(cdrs: JsonObject[]): JsonObject {
  const answered = cdrs.filter((c) => c.answer_time !== null);
  const duration = sum(cdrs.map((c) => Number(c.duration)));
  const billable = sum(cdrs.map((c) => Number(c.billsec)));
  const avg = answered.length === 0 ? 0 : Math.round(billable / answered.length);
  return {
    totalCalls: cdrs.length,
    answeredCalls: answered.length,
    answerRate: cdrs.length === 0 ? 0 : Math.round((answered.length / cdrs.length) * 10000) / 100,
    avgCallDuration: `${avg}s`,
    total_duration_seconds: duration,
    total_billable_seconds: billable,
    total_cost: Math.round(sum(cdrs.map((c) => Number(c.total_cost))) * 10000) / 10000,
    last_call_at: cdrs[0]?.start_time ?? null,
  };
}
