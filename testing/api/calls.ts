/**
 * Mock routes: calls (create with CPS and concurrency limits, live/queued lists, hang up) and concurrency.
 *
 * @module
 */

import { json, validationError, vobizError } from "../http.ts";
import type { JsonObject, LiveCall, MockConfig, MockState } from "../state.ts";
import {
  badRequest,
  debit,
  field,
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
  endCall(ctx.state, ctx.config, call, ctx.now, "API");
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
  settleCalls(ctx.state, ctx.config, ctx.now);
  return [...ctx.state.calls.values()].filter((call) => call.account === ctx.authId);
}

/**
 * Ends calls whose `callDurationMs` is over, and makes due CDRs visible (debiting their cost).
 * Runs before every request, so the mock's clock alone moves calls along.
 *
 * @example
 * ```ts
 * import { settleCalls } from "./calls.ts";
 * declare const ctx: import("./context.ts").RouteContext;
 * settleCalls(ctx.state, ctx.config, ctx.now);
 * ```
 */
export function settleCalls(state: MockState, config: MockConfig, now: number): void {
  if (config.callDurationMs > 0) {
    for (const call of [...state.calls.values()]) {
      const end = call.at + config.callDurationMs;
      if (end <= now) endCall(state, config, call, end, "Callee");
    }
  }
  const due = state.pendingCdrs.filter((entry) => entry.at <= now).sort((a, b) => a.at - b.at);
  if (due.length === 0) return;
  state.pendingCdrs = state.pendingCdrs.filter((entry) => entry.at > now);
  for (const { at, account, cdr, cost } of due) {
    cdr.id = state.cdrs.length + 1;
    state.cdrs.push(cdr);
    if (cost > 0) debit(state, account, cost, `call ${cdr.uuid}`, String(cdr.uuid), "call", at);
  }
}

/**
 * Ends a call at `endAt`: its streams stop, and its CDR (billed per second from the answer at
 * `config.callRatePerMinute`) is queued to appear `config.cdrDelayMs` later.
 *
 * @example
 * ```ts
 * import { endCall } from "./calls.ts";
 * declare const ctx: import("./context.ts").RouteContext;
 * declare const call: import("../state.ts").LiveCall;
 * endCall(ctx.state, ctx.config, call, ctx.now, "API");
 * ```
 */
export function endCall(
  state: MockState,
  config: MockConfig,
  call: LiveCall,
  endAt: number,
  source: string,
): void {
  state.calls.delete(call.call_uuid);
  for (const [id, stream] of state.streams) {
    if (stream.call_uuid === call.call_uuid) state.streams.delete(id);
  }
  const start = call.at;
  const answerAt = start + config.answerDelayMs;
  const answered = endAt > answerAt;
  const billsec = answered ? Math.floor((endAt - answerAt) / 1000) : 0;
  const cost = Math.round(billsec * (config.callRatePerMinute / 60) * 10_000) / 10_000;
  const at = (ms: number) => iso(ms);
  const cdr: JsonObject = {
    account_id: call.account,
    answer_time: answered ? at(answerAt) : null,
    billsec,
    bridge_uuid: null,
    call_direction: "outbound",
    caller_id_name: "",
    caller_id_number: call.from,
    campaign_id: null,
    carrier_ip: null,
    codec: answered ? "PCMU" : null,
    context: "api",
    cost,
    created_at: at(endAt),
    currency: "INR",
    customer_endpoint: null,
    destination_number: call.to,
    duration: Math.floor((endAt - start) / 1000),
    end_time: at(endAt),
    failure_code: null,
    failure_reason: null,
    hangup_cause: answered ? "NORMAL_CLEARING" : "ORIGINATOR_CANCEL",
    hangup_cause_code: answered ? 4000 : 4010,
    hangup_cause_name: answered ? "Normal Hangup" : "Cancelled",
    hangup_disposition: source === "API" ? "send_bye" : "recv_bye",
    hangup_source: source,
    id: 0, // numbered when it becomes visible
    jitter: answered ? 0 : null,
    mos: answered ? config.callMos : 0,
    network_addr: null,
    origination_region: "IN",
    packet_loss: answered ? config.callPacketLoss : null,
    progress_time: at(Math.min(start + config.postDialDelayMs, endAt)),
    region: "IN",
    ring_time: Math.round(
      Math.max(0, Math.min(answerAt, endAt) - start - config.postDialDelayMs) / 1000,
    ),
    sip_call_id: `${call.call_uuid}@sip.vobiz.ai`,
    sip_user_agent: null,
    start_time: at(start),
    streaming_cost: 0,
    terminated_to: null,
    total_cost: cost,
    trunk_id: null,
    updated_at: at(endAt),
    uuid: call.call_uuid,
  };
  state.pendingCdrs.push({ at: endAt + config.cdrDelayMs, account: call.account, cdr, cost });
}

/**
 * `GET /Account/{auth_id}/Call/{call_uuid}/?status=queued`: the mock never queues, so 404.
 */
export const getQueuedCall: Handler = (ctx) => {
  if (ctx.query.get("status") !== "queued") {
    return badRequest("status=queued is required on /Call/{call_uuid}/", ctx.now);
  }
  return callNotFound(ctx.now);
};

/** The fields each in-call action requires. */
const REQUIRED: Record<string, string[]> = {
  Play: ["urls"],
  Speak: ["text"],
  DTMF: ["digits"],
  Record: [],
};

/**
 * `POST /Account/{auth_id}/Call/{call_uuid}/{Play|Speak|DTMF|Record}/`: 202 on a live call.
 * `Record` also creates a recording of the call.
 *
 * @example
 * ```ts
 * import { callAction } from "./calls.ts";
 * const play = callAction("Play");
 * ```
 */
export function callAction(action: "Play" | "Speak" | "DTMF" | "Record"): Handler {
  return (ctx) => {
    const call = liveCalls(ctx).find((c) => c.call_uuid === ctx.params.call_uuid);
    if (call === undefined) return callNotFound(ctx.now);
    const body = parseBody(ctx);
    if (body instanceof Response) return body;
    const missing = (REQUIRED[action] ?? []).filter((name) =>
      body[name] === undefined || body[name] === ""
    );
    if (missing.length > 0) {
      return validationError(
        missing.map((name) => ({ field: name, message: "required", code: "REQUIRED" })),
        ctx.now,
      );
    }
    const answer: JsonObject = { api_id: crypto.randomUUID(), message: `${action} started` };
    if (action === "Record") {
      const id = crypto.randomUUID();
      const format = body.file_format === "wav" ? "wav" : "mp3";
      const url = `https://media.vobiz.test/recordings/${id}.${format}`;
      ctx.state.recordings.set(id, {
        account: ctx.authId,
        recording_id: id,
        call_uuid: call.call_uuid,
        conference_name: null,
        recording_type: "call",
        recording_format: format,
        recording_duration_ms: "0",
        recording_url: url,
        from_number: call.from,
        to_number: call.to,
        add_time: iso(ctx.now),
        resource_uri: `/api/v1/Account/${ctx.authId}/Recording/${id}/`,
      });
      Object.assign(answer, { recording_id: id, url });
    }
    return json(202, answer);
  };
}

/**
 * `DELETE` on an in-call action (`Play/`, `Speak/`, `Record/`): 204 on a live call, even when
 * nothing is playing.
 */
export const stopCallAction: Handler = (ctx) => {
  const call = liveCalls(ctx).find((c) => c.call_uuid === ctx.params.call_uuid);
  return call === undefined ? callNotFound(ctx.now) : new Response(null, { status: 204 });
};

/**
 * `DELETE /Account/{auth_id}/Call/{call_uuid}/Stream/`: stops every stream of the call (204).
 */
export const stopAllStreams: Handler = (ctx) => {
  const call = liveCalls(ctx).find((c) => c.call_uuid === ctx.params.call_uuid);
  if (call === undefined) return callNotFound(ctx.now);
  for (const [id, stream] of ctx.state.streams) {
    if (stream.call_uuid === call.call_uuid) ctx.state.streams.delete(id);
  }
  return new Response(null, { status: 204 });
};

/**
 * `POST /Account/{auth_id}/Call/{call_uuid}/Stream/` with `{ service_url: "wss://…" }`: 202 with
 * `stream_id`.
 */
export const startStream: Handler = (ctx) => {
  const call = liveCalls(ctx).find((c) => c.call_uuid === ctx.params.call_uuid);
  if (call === undefined) return callNotFound(ctx.now);
  const body = parseBody(ctx);
  if (body instanceof Response) return body;
  if (typeof body.service_url !== "string" || !body.service_url.startsWith("wss://")) {
    return validationError(
      [field("service_url", "required, a wss:// URL", body.service_url)],
      ctx.now,
    );
  }
  const streamId = crypto.randomUUID();
  ctx.state.streams.set(streamId, {
    stream_id: streamId,
    call_uuid: call.call_uuid,
    service_url: body.service_url,
    audio_track: body.audio_track ?? "inbound",
    bidirectional: body.bidirectional ?? false,
    status: "in-progress",
    created_at: iso(ctx.now),
  });
  return json(202, { api_id: crypto.randomUUID(), message: "stream started", stream_id: streamId });
};

/**
 * `GET /Account/{auth_id}/Call/{call_uuid}/Stream/`: the call's streams.
 */
export const listStreams: Handler = (ctx) => {
  const call = liveCalls(ctx).find((c) => c.call_uuid === ctx.params.call_uuid);
  if (call === undefined) return callNotFound(ctx.now);
  const streams = [...ctx.state.streams.values()].filter((s) => s.call_uuid === call.call_uuid);
  return json(200, {
    api_id: crypto.randomUUID(),
    meta: { count: streams.length },
    objects: streams,
  });
};

/**
 * `GET /Account/{auth_id}/Call/{call_uuid}/Stream/{stream_id}/`.
 */
export const getStream: Handler = (ctx) => {
  const stream = ctx.state.streams.get(ctx.params.stream_id ?? "");
  if (stream === undefined || stream.call_uuid !== ctx.params.call_uuid) {
    return callNotFound(ctx.now);
  }
  return json(200, { api_id: crypto.randomUUID(), ...stream });
};

/**
 * `DELETE /Account/{auth_id}/Call/{call_uuid}/Stream/{stream_id}/`: 204.
 */
export const stopStream: Handler = (ctx) => {
  const stream = ctx.state.streams.get(ctx.params.stream_id ?? "");
  if (stream === undefined || stream.call_uuid !== ctx.params.call_uuid) {
    return callNotFound(ctx.now);
  }
  ctx.state.streams.delete(String(stream.stream_id));
  return new Response(null, { status: 204 });
};
