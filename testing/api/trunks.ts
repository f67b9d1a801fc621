/**
 * Mock routes: SIP trunks (style B lists).
 *
 * @module
 */

import { json, validationError, vobizError } from "../http.ts";
import type { JsonObject } from "../state.ts";
import { field, type Handler, iso, limitOffset, parseBody, type RouteContext } from "./context.ts";

/**
 * `GET /Account/{auth_id}/trunks` (style B).
 */
export const listTrunks: Handler = (ctx) => {
  const paging = limitOffset(ctx);
  if (paging instanceof Response) return paging;
  const mine = [...ctx.state.trunks.values()].filter((t) => t.account_id === ctx.authId);
  return json(200, {
    meta: { limit: paging.limit, offset: paging.offset, total: mine.length },
    objects: mine.slice(paging.offset, paging.offset + paging.limit),
  });
};

/**
 * `POST /Account/{auth_id}/trunks`: 201 with the trunk object.
 */
export const createTrunk: Handler = (ctx) => {
  const body = parseBody(ctx);
  if (body instanceof Response) return body;
  if (typeof body.name !== "string" || body.name.length === 0 || body.name.length > 255) {
    return validationError([field("name", "required, 1 to 255 characters", body.name)], ctx.now);
  }
  const trunkId = crypto.randomUUID();
  const at = iso(ctx.now);
  const { password: _password, username: _username, ...fields } = body;
  const trunk: JsonObject = {
    trunk_status: "enabled",
    secure: false,
    trunk_direction: "outbound",
    concurrent_calls_limit: body.max_concurrent_calls ?? 10,
    cps_limit: 2,
    description: "",
    transport: "udp",
    recording: false,
    enable_transcription: false,
    pii_redaction: false,
    webhook_method: "POST",
    recording_webhook_enabled: false,
    ...fields,
    trunk_id: trunkId,
    account_id: ctx.authId,
    trunk_domain: typeof body.trunk_domain === "string"
      ? body.trunk_domain
      : `${trunkId.slice(0, 8)}.sip.vobiz.ai`,
    created_at: at,
    updated_at: at,
  };
  ctx.state.trunks.set(trunkId, trunk);
  ctx.state.effects.trunksCreated.push(trunkId);
  return json(201, trunk);
};

/**
 * `GET /Account/{auth_id}/trunks/{trunk_id}`.
 */
export const getTrunk: Handler = (ctx) => {
  const trunk = findTrunk(ctx);
  return trunk instanceof Response ? trunk : json(200, trunk);
};

/**
 * `PUT /Account/{auth_id}/trunks/{trunk_id}`: merges the body into the trunk.
 */
export const updateTrunk: Handler = (ctx) => {
  const trunk = findTrunk(ctx);
  if (trunk instanceof Response) return trunk;
  const body = parseBody(ctx);
  if (body instanceof Response) return body;
  const { trunk_id: _id, account_id: _account, password: _password, ...fields } = body;
  Object.assign(trunk, fields, { updated_at: iso(ctx.now) });
  return json(200, trunk);
};

/**
 * `DELETE /Account/{auth_id}/trunks/{trunk_id}`: 204.
 */
export const deleteTrunk: Handler = (ctx) => {
  const trunk = findTrunk(ctx);
  if (trunk instanceof Response) return trunk;
  ctx.state.trunks.delete(String(trunk.trunk_id));
  ctx.state.effects.trunksDeleted.push(String(trunk.trunk_id));
  return new Response(null, { status: 204 });
};

function findTrunk(ctx: RouteContext): JsonObject | Response {
  const trunk = ctx.state.trunks.get(ctx.params.trunk_id ?? "");
  if (trunk === undefined || trunk.account_id !== ctx.authId) {
    return vobizError("envelope", {
      status: 404,
      code: "TRUNK_NOT_FOUND",
      message: "Trunk not found",
    }, ctx.now);
  }
  return trunk;
}
