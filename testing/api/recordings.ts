/**
 * Mock routes: recordings (style A list, trailing slashes) and the bulk export.
 *
 * @module
 */

import { json, validationError } from "../http.ts";
import {
  field,
  type Handler,
  noContent,
  notFound,
  parseBody,
  plivoPage,
  publicView,
  type RouteContext,
} from "./context.ts";
import type { JsonObject } from "../state.ts";

/** `GET /Account/{auth_id}/Recording/` (style A), newest first; `call_uuid`, `recording_type`. */
export const listRecordings: Handler = (ctx) => {
  const callUuid = ctx.query.get("call_uuid");
  const type = ctx.query.get("recording_type");
  const recordings = mine(ctx).filter((r) =>
    (callUuid === null || r.call_uuid === callUuid) && (type === null || r.recording_type === type)
  ).reverse();
  return plivoPage(
    ctx,
    `/api/v1/Account/${ctx.authId}/Recording/`,
    recordings.map((r) => publicView(r)),
  );
};

/** `GET /Account/{auth_id}/Recording/{recording_id}/`. */
export const getRecording: Handler = (ctx) => {
  const recording = find(ctx);
  return recording instanceof Response
    ? recording
    : json(200, { api_id: crypto.randomUUID(), ...publicView(recording) });
};

/** `DELETE /Account/{auth_id}/Recording/{recording_id}/`: 204. */
export const deleteRecording: Handler = (ctx) => {
  const recording = find(ctx);
  if (recording instanceof Response) return recording;
  ctx.state.recordings.delete(String(recording.recording_id));
  return noContent();
};

/**
 * `POST /Account/{auth_id}/export/recording/` with `recipient.customer_account` (e-mails): 202;
 * the export itself is not produced.
 */
export const exportRecordings: Handler = (ctx) => {
  const body = parseBody(ctx);
  if (body instanceof Response) return body;
  const recipient = body.recipient as JsonObject | undefined;
  const emails = recipient?.customer_account;
  if (!Array.isArray(emails) || emails.length === 0) {
    return validationError([
      field("recipient.customer_account", "required, a list of e-mails", emails),
    ], ctx.now);
  }
  return json(202, {
    api_id: crypto.randomUUID(),
    message: `Export queued; it will be e-mailed to ${emails.join(", ")}`,
  });
};

function mine(ctx: RouteContext): JsonObject[] {
  return [...ctx.state.recordings.values()].filter((r) => r.account === ctx.authId);
}

function find(ctx: RouteContext): JsonObject | Response {
  const recording = ctx.state.recordings.get(ctx.params.recording_id ?? "");
  return recording === undefined || recording.account !== ctx.authId
    ? notFound("recording not found", ctx.now)
    : recording;
}
