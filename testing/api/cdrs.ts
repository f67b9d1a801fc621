/**
 * Mock routes: CDRs (style C paging, date range validation).
 *
 * @module
 */

import { json, vobizError } from "../http.ts";
import type { JsonObject } from "../state.ts";
import { badRequest, type Handler, pagePerPage, sum } from "./context.ts";

/**
 * `GET /Account/{auth_id}/cdr` (style C): `page`/`per_page` (max 100), `start_date`/`end_date`
 * (together), `from_number`, `to_number`, `call_direction`.
 */
export const listCdrs: Handler = (ctx) => {
  const paging = pagePerPage(ctx);
  if (paging instanceof Response) return paging;
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
  const from = q.get("from_number");
  const to = q.get("to_number");
  const direction = q.get("call_direction");
  const matching = ctx.state.cdrs.filter((cdr) => {
    if (cdr.account_id !== ctx.authId) return false;
    const day = String(cdr.start_time).slice(0, 10);
    if (start !== null && end !== null && (day < start || day > end)) return false;
    if (from && !String(cdr.caller_id_number).includes(from.trim())) return false;
    if (to && !String(cdr.destination_number).includes(to.trim())) return false;
    return !direction || cdr.call_direction === direction;
  }).reverse(); // newest first
  const { page, perPage } = paging;
  const data = matching.slice((page - 1) * perPage, page * perPage);
  const pages = Math.ceil(matching.length / perPage);
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
  });
};

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
