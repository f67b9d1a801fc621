/**
 * Mock routes: applications and SIP endpoints (Plivo-style: style A lists, trailing slashes,
 * updates by POST).
 *
 * @module
 */

import { json, validationError, vobizError } from "../http.ts";
import type { FieldError } from "../http.ts";
import type { JsonObject } from "../state.ts";
import {
  field,
  type Handler,
  iso,
  noContent,
  notFound,
  parseBody,
  plivoPage,
  publicView,
  type RouteContext,
} from "./context.ts";

const APPLICATION_FIELDS = [
  "app_name",
  "answer_url",
  "answer_method",
  "hangup_url",
  "hangup_method",
  "fallback_answer_url",
  "fallback_method",
  "message_url",
  "message_method",
  "default_number_app",
  "default_endpoint_app",
  "public_uri",
];

/** `GET /Account/{auth_id}/Application/` (style A). */
export const listApplications: Handler = (ctx) =>
  plivoPage(
    ctx,
    `/api/v1/Account/${ctx.authId}/Application/`,
    mine(ctx, ctx.state.applications).map((app) => publicView(app)),
  );

/**
 * `POST /Account/{auth_id}/Application/` with `app_name`, `answer_url` (required): 201
 * `{ api_id, app_id, message }`.
 */
export const createApplication: Handler = (ctx) => {
  const body = parseBody(ctx);
  if (body instanceof Response) return body;
  const errors: FieldError[] = [];
  for (const name of ["app_name", "answer_url"]) {
    if (typeof body[name] !== "string" || body[name] === "") {
      errors.push(field(name, "required", body[name]));
    }
  }
  if (errors.length > 0) return validationError(errors, ctx.now);
  const appId = String(10_000_000 + ctx.state.applications.size + 1);
  const at = iso(ctx.now);
  const app: JsonObject = {
    account: ctx.authId,
    app_id: appId,
    application_type: "XML",
    answer_method: "POST",
    hangup_url: body.answer_url,
    hangup_method: "POST",
    fallback_answer_url: null,
    fallback_method: "POST",
    default_number_app: false,
    default_endpoint_app: false,
    default_app: false,
    enabled: true,
    public_uri: false,
    sip_uri: `sip:${appId}@app.vobiz.ai`,
    sub_account: null,
    resource_uri: `/api/v1/Account/${ctx.authId}/Application/${appId}/`,
    created_at: at,
    updated_at: at,
    ...pick(body, APPLICATION_FIELDS),
  };
  ctx.state.applications.set(appId, app);
  return json(201, { api_id: crypto.randomUUID(), app_id: appId, message: "created" });
};

/** `GET /Account/{auth_id}/Application/{app_id}/`. */
export const getApplication: Handler = (ctx) => {
  const app = find(ctx, ctx.state.applications, ctx.params.app_id, "application");
  return app instanceof Response
    ? app
    : json(200, { api_id: crypto.randomUUID(), ...publicView(app) });
};

/** `POST /Account/{auth_id}/Application/{app_id}/`: a partial update, `{ api_id, message }`. */
export const updateApplication: Handler = (ctx) => {
  const app = find(ctx, ctx.state.applications, ctx.params.app_id, "application");
  if (app instanceof Response) return app;
  const body = parseBody(ctx);
  if (body instanceof Response) return body;
  Object.assign(app, pick(body, APPLICATION_FIELDS), { updated_at: iso(ctx.now) });
  return json(202, { api_id: crypto.randomUUID(), message: "changed" });
};

/** `DELETE /Account/{auth_id}/Application/{app_id}/`: 204; 409 while endpoints use it. */
export const deleteApplication: Handler = (ctx) => {
  const app = find(ctx, ctx.state.applications, ctx.params.app_id, "application");
  if (app instanceof Response) return app;
  const attached = [...ctx.state.owned.values()].some((n) => n.application_id === app.app_id) ||
    [...ctx.state.endpoints.values()].some((e) => e.application === app.app_id);
  if (attached) {
    return vobizError("plivo", {
      status: 409,
      code: "CONFLICT",
      message: "application still has numbers or endpoints attached",
    }, ctx.now);
  }
  ctx.state.applications.delete(String(app.app_id));
  return noContent();
};

/**
 * `GET /Account/{auth_id}/Endpoint/` (style A) with the `username__*`, `alias__*`,
 * `application_id__*` and `sub_account` filters.
 */
export const listEndpoints: Handler = (ctx) => {
  const q = ctx.query;
  const test = (value: unknown, name: string, op: (a: string, b: string) => boolean) => {
    const wanted = q.get(name);
    return wanted === null || op(String(value ?? ""), wanted);
  };
  const endpoints = mine(ctx, ctx.state.endpoints).filter((e) =>
    test(e.username, "username__contains", (a, b) => a.includes(b)) &&
    test(e.username, "username__exact", (a, b) => a === b) &&
    test(e.username, "username__startswith", (a, b) => a.startsWith(b)) &&
    test(e.alias, "alias__contains", (a, b) => a.includes(b)) &&
    test(e.alias, "alias__exact", (a, b) => a === b) &&
    test(e.application, "application_id__exact", (a, b) => a === b) &&
    test(e.application, "application_id__isnull", (a, b) => (a === "") === (b === "true")) &&
    test(e.sub_account, "sub_account", (a, b) => a === b)
  );
  return plivoPage(
    ctx,
    `/api/v1/Account/${ctx.authId}/Endpoint/`,
    endpoints.map((e) => publicView(e, ["account", "password"])),
  );
};

/**
 * `POST /Account/{auth_id}/Endpoint/` with `username` (alphanumeric, unique), `password`,
 * `alias`, `application`: 201 `{ alias, endpoint_id, username, sip_uri }`.
 */
export const createEndpoint: Handler = (ctx) => {
  const body = parseBody(ctx);
  if (body instanceof Response) return body;
  const errors: FieldError[] = [];
  if (typeof body.username !== "string" || !/^[A-Za-z0-9]+$/.test(body.username)) {
    errors.push(field("username", "required, letters and digits only", body.username));
  }
  if (typeof body.password !== "string" || body.password.length < 8) {
    errors.push(field("password", "required, at least 8 characters", undefined));
  }
  if (typeof body.alias !== "string" || !/^[A-Za-z0-9_-]+$/.test(body.alias)) {
    errors.push(field("alias", "required, letters, digits, - and _", body.alias));
  }
  if (errors.length > 0) return validationError(errors, ctx.now);
  if (mine(ctx, ctx.state.endpoints).some((e) => e.username === body.username)) {
    return vobizError("plivo", {
      status: 409,
      code: "CONFLICT",
      message: "username already exists",
    }, ctx.now);
  }
  const endpointId = String(20_000_000 + ctx.state.endpoints.size + 1);
  const endpoint: JsonObject = {
    account: ctx.authId,
    endpoint_id: endpointId,
    username: body.username,
    password: body.password,
    alias: body.alias,
    application: body.application === undefined ? null : String(body.application),
    sip_registered: "false",
    sip_uri: `sip:${String(body.username)}@registrar.vobiz.ai`,
    sub_account: null,
    allow_voice: true,
    allow_message: false,
    allow_video: false,
    allow_same_domain: true,
    allow_other_domains: false,
    allow_phones: true,
    allow_apps: true,
    resource_uri: `/api/v1/Account/${ctx.authId}/Endpoint/${endpointId}/`,
  };
  ctx.state.endpoints.set(endpointId, endpoint);
  return json(201, {
    alias: endpoint.alias,
    endpoint_id: endpointId,
    username: endpoint.username,
    sip_uri: endpoint.sip_uri,
  });
};

/** `GET /Account/{auth_id}/Endpoint/{endpoint_id}/`. */
export const getEndpoint: Handler = (ctx) => {
  const endpoint = find(ctx, ctx.state.endpoints, ctx.params.endpoint_id, "endpoint");
  return endpoint instanceof Response
    ? endpoint
    : json(200, { api_id: crypto.randomUUID(), ...publicView(endpoint, ["account", "password"]) });
};

/**
 * `POST /Account/{auth_id}/Endpoint/{endpoint_id}/`: `alias`, `password`, `application`; 202 with
 * no body. The username and the `allow_*` flags are locked (400).
 */
export const updateEndpoint: Handler = (ctx) => {
  const endpoint = find(ctx, ctx.state.endpoints, ctx.params.endpoint_id, "endpoint");
  if (endpoint instanceof Response) return endpoint;
  const body = parseBody(ctx);
  if (body instanceof Response) return body;
  const locked = Object.keys(body).filter((key) => key === "username" || key.startsWith("allow_"));
  if (locked.length > 0) {
    return vobizError("plivo", {
      status: 400,
      code: "BAD_REQUEST",
      message: `locked fields: ${locked.join(", ")}`,
    }, ctx.now);
  }
  for (const key of ["alias", "password"]) if (body[key] !== undefined) endpoint[key] = body[key];
  if (body.application !== undefined) endpoint.application = String(body.application);
  return new Response(null, { status: 202 });
};

/** `DELETE /Account/{auth_id}/Endpoint/{endpoint_id}/`: 204. */
export const deleteEndpoint: Handler = (ctx) => {
  const endpoint = find(ctx, ctx.state.endpoints, ctx.params.endpoint_id, "endpoint");
  if (endpoint instanceof Response) return endpoint;
  ctx.state.endpoints.delete(String(endpoint.endpoint_id));
  return noContent();
};

function pick(body: JsonObject, keys: string[]): JsonObject {
  return Object.fromEntries(Object.entries(body).filter(([key]) => keys.includes(key)));
}

function mine(ctx: RouteContext, map: Map<string, JsonObject>): JsonObject[] {
  return [...map.values()].filter((item) => item.account === ctx.authId);
}

function find(
  ctx: RouteContext,
  map: Map<string, JsonObject>,
  id: string | undefined,
  kind: string,
): JsonObject | Response {
  const item = map.get(id ?? "");
  return item === undefined || item.account !== ctx.authId
    ? notFound(`${kind} not found`, ctx.now)
    : item;
}
