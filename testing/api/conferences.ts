/**
 * Mock routes: conference rooms (seeded with the `conferences` option: rooms are made by XML, not
 * by the API) and their members.
 *
 * @module
 */

import { json, validationError } from "../http.ts";
import type { JsonObject } from "../state.ts";
import {
  field,
  type Handler,
  iso,
  noContent,
  notFound,
  parseBody,
  type RouteContext,
} from "./context.ts";

/** `GET /Account/{auth_id}/Conference/`: `{ api_id, conferences: name[] }` (style H). */
export const listConferences: Handler = (ctx) =>
  json(200, { api_id: crypto.randomUUID(), conferences: rooms(ctx).map((r) => r.conference_name) });

/** `DELETE /Account/{auth_id}/Conference/`: ends every room (204). */
export const endAllConferences: Handler = (ctx) => {
  for (const room of rooms(ctx)) ctx.state.conferences.delete(String(room.conference_name));
  return noContent();
};

/**
 * `GET /Account/{auth_id}/Conference/{conference_name}/`. For an unknown room it answers **200**
 * with an error object, as the real API can.
 */
export const getConference: Handler = (ctx) => {
  const room = find(ctx);
  if (room === undefined) {
    return json(200, { api_id: crypto.randomUUID(), error: "conference not found" });
  }
  const members = room.members as JsonObject[];
  return json(200, {
    api_id: crypto.randomUUID(),
    conference_name: room.conference_name,
    conference_run_time: String(Math.floor((ctx.now - Number(room.created_at)) / 1000)),
    conference_member_count: String(members.length),
    members,
  });
};

/** `DELETE /Account/{auth_id}/Conference/{conference_name}/`: 204. */
export const endConference: Handler = (ctx) => {
  const room = find(ctx);
  if (room === undefined) return notFound("conference not found", ctx.now);
  ctx.state.conferences.delete(String(room.conference_name));
  return noContent();
};

/** `POST /Account/{auth_id}/Conference/{conference_name}/Record/`: 202 (no recording id). */
export const recordConference: Handler = (ctx) => {
  const room = find(ctx);
  if (room === undefined) return notFound("conference not found", ctx.now);
  const body = parseBody(ctx);
  if (body instanceof Response) return body;
  if (body.file_format !== undefined && !["mp3", "wav"].includes(String(body.file_format))) {
    return validationError([field("file_format", "mp3 or wav", body.file_format)], ctx.now);
  }
  room.recording = true;
  return json(202, { api_id: crypto.randomUUID(), message: "conference recording started" });
};

/** `DELETE /Account/{auth_id}/Conference/{conference_name}/Record/`: 204. */
export const stopConferenceRecording: Handler = (ctx) => {
  const room = find(ctx);
  if (room === undefined) return notFound("conference not found", ctx.now);
  room.recording = false;
  return noContent();
};

/**
 * Member actions on `…/Member/{member_id}/[Kick|Mute|Deaf|Play]/`: `member_id` is one id, a comma
 * list, or `all`. `hangup` and `kick` remove members; `mute`/`deaf` set and clear flags; `play`
 * needs `url`.
 *
 * @example
 * ```ts
 * import { memberAction } from "./conferences.ts";
 * const mute = memberAction("mute");
 * ```
 */
export function memberAction(
  action: "hangup" | "kick" | "mute" | "unmute" | "deaf" | "undeaf" | "play" | "stopPlay",
): Handler {
  return (ctx) => {
    const room = find(ctx);
    if (room === undefined) return notFound("conference not found", ctx.now);
    const members = room.members as JsonObject[];
    const wanted = String(ctx.params.member_id ?? "");
    const ids = wanted === "all" ? members.map((m) => String(m.member_id)) : wanted.split(",");
    const targets = members.filter((m) => ids.includes(String(m.member_id)));
    if (targets.length === 0) return notFound("member not found", ctx.now);
    if (action === "play") {
      const body = parseBody(ctx);
      if (body instanceof Response) return body;
      if (typeof body.url !== "string" || body.url === "") {
        return validationError([field("url", "required", body.url)], ctx.now);
      }
      return json(202, { api_id: crypto.randomUUID(), message: "play queued", member_id: ids });
    }
    if (action === "hangup" || action === "kick") {
      room.members = members.filter((m) => !targets.includes(m));
    } else if (action !== "stopPlay") {
      const flag = action.endsWith("mute") ? "muted" : "deaf";
      for (const member of targets) member[flag] = !action.startsWith("un");
    }
    room.updated_at = iso(ctx.now);
    return action === "kick" || action === "mute" || action === "deaf"
      ? json(202, { api_id: crypto.randomUUID(), message: `${action} done`, member_id: ids })
      : noContent();
  };
}

function rooms(ctx: RouteContext): JsonObject[] {
  return [...ctx.state.conferences.values()].filter((room) => room.account === ctx.authId);
}

function find(ctx: RouteContext): JsonObject | undefined {
  const room = ctx.state.conferences.get(ctx.params.conference_name ?? "");
  return room?.account === ctx.authId ? room : undefined;
}
