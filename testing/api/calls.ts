/**
 * Mock routes: calls (create with CPS and concurrency limits, live/queued lists, hang up) and concurrency.
 *
 * @module
 */

import { json, validationError, vobizError } from "../http.ts";
import type { LiveCall } from "../state.ts";
import {
  badRequest,
  finiteOrNull,
  type Handler,
  iso,
  parseBody,
  type RouteContext,
} from "./context.ts";

/**
 * `POST /Account/{auth_id}/Call/` with `{ from, to, answer_url }`: a paid write, limited by the
 * account's CPS and concurrent-call limits (429 `RATE_LIMIT_EXCEEDED`).
 */
export const createCall: Handler = (ctx) => {
  const body = parseBody(ctx);
  if (body instanceof Response) return body;
  const missing = ["from", "to", "answer_url"].filter((name) =>
    typeof body[name] !== "string" || body[name] === ""
  );
  if (missing.length > 0) {
    return validationError(
      missing.map((name) => ({ field: name, message: "required", code: "REQUIRED" })),
      ctx.now,
    );
  }
  if ((ctx.state.balances.get("INR") ?? 0) <= 0) {
    return vobizError("envelope", {
      status: 402,
      code: "INSUFFICIENT_BALANCE",
      message: "Insufficient balance to place a call",
    }, ctx.now);
  }
  const { config, state, now } = ctx;
  const starts = (state.callStarts.get(ctx.authId) ?? []).filter((at) => at > now - 1000);
  state.callStarts.set(ctx.authId, starts);
  if (starts.length >= config.cpsLimit) {
    const retryAfter = Math.max(1, Math.ceil(((starts[0] ?? now) + 1000 - now) / 1000));
    return rateLimited("cps", config.cpsLimit, starts.length, retryAfter, now);
  }
  const live = liveCalls(ctx);
  if (live.length >= config.concurrentCallsLimit) {
    return rateLimited("concurrent_calls", config.concurrentCallsLimit, live.length, 1, now);
  }
  const uuid = crypto.randomUUID();
  const from = String(body.from);
  const to = String(body.to);
  state.calls.set(uuid, { call_uuid: uuid, account: ctx.authId, from, to, at: now });
  starts.push(now);
  state.effects.calls.push({ call_uuid: uuid, from, to, at: now });
  return json(201, { api_id: crypto.randomUUID(), message: "Call fired", request_uuid: uuid });
};

/**
 * `GET /Account/{auth_id}/Call?status=live`: uuids of the live calls (style H).
 */
export const listLiveCalls: Handler = (ctx) => {
  if (ctx.query.get("status") !== "live") {
    return badRequest("status=live is required on /Call (use /Call/ for queued)", ctx.now);
  }
  return json(200, { api_id: crypto.randomUUID(), calls: liveCalls(ctx).map((c) => c.call_uuid) });
};

/**
 * `GET /Account/{auth_id}/Call/?status=queued`: the mock never queues, so always empty.
 */
export const listQueuedCalls: Handler = (ctx) => {
  if (ctx.query.get("status") !== "queued") {
    return badRequest("status=queued is required on /Call/ (use /Call for live)", ctx.now);
  }
  return json(200, { api_id: crypto.randomUUID(), calls: [] });
};

/**
 * `GET /Account/{auth_id}/Call/{call_uuid}?status=live`.
 */
export const getLiveCall: Handler = (ctx) => {
  const call = liveCalls(ctx).find((c) => c.call_uuid === ctx.params.call_uuid);
  if (call === undefined || ctx.query.get("status") !== "live") return callNotFound(ctx.now);
  return json(200, {
    api_id: crypto.randomUUID(),
    call_status: "in-progress",
    call_uuid: call.call_uuid,
    caller_name: "",
    direction: "outbound",
    from: call.from,
    request_uuid: call.call_uuid,
    session_start: iso(call.at),
    stir_attestation: "",
    stir_verification: "",
    to: call.to,
  });
};

/**
 * `DELETE /Account/{auth_id}/Call/{call_uuid}`: hangs up (204), 404 if the call is not live.
 */
export const hangupCall: Handler = (ctx) => {
  const call = liveCalls(ctx).find((c) => c.call_uuid === ctx.params.call_uuid);
  if (call === undefined) return callNotFound(ctx.now);
  ctx.state.calls.delete(call.call_uuid);
  return new Response(null, { status: 204 });
};

/**
 * `GET /Account/{auth_id}/concurrency`.
 */
export const getConcurrency: Handler = (ctx) => {
  const current = liveCalls(ctx).length;
  const max = finiteOrNull(ctx.config.concurrentCallsLimit);
  return json(200, {
    account_id: ctx.authId,
    concurrent_calls: current,
    max_concurrent: max,
    utilization_pct: max ? Math.round((current / max) * 10000) / 100 : 0,
    request_id: crypto.randomUUID(),
  });
};

function callNotFound(now: number): Response {
  return vobizError("plivo", { status: 404, code: "NOT_FOUND", message: "call not found" }, now);
}

function rateLimited(
  limitType: string,
  limit: number,
  current: number,
  retryAfter: number,
  now: number,
): Response {
  return vobizError("envelope", {
    status: 429,
    code: "RATE_LIMIT_EXCEEDED",
    message: `${limitType} limit of ${limit} exceeded`,
    details: { limitType, limit, current, retryAfter },
  }, now);
}

/** The account's live calls, after ending those older than `callDurationMs`. */
function liveCalls(ctx: RouteContext): LiveCall[] {
  const { callDurationMs } = ctx.config;
  const live: LiveCall[] = [];
  for (const call of ctx.state.calls.values()) {
    if (callDurationMs > 0 && call.at + callDurationMs <= ctx.now) {
      ctx.state.calls.delete(call.call_uuid);
    } else if (call.account === ctx.authId) {
      live.push(call);
    }
  }
  return live;
}
