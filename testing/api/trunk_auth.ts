/**
 * Mock routes: what trunks authenticate and route with — SIP credentials, IP ACL entries and
 * origination URIs (style B lists under `/trunks/`, writes without it).
 *
 * @module
 */

import { json, validationError, vobizError } from "../http.ts";
import type { FieldError } from "../http.ts";
import type { JsonObject } from "../state.ts";
import { field, type Handler, iso, offsetPage, parseBody, type RouteContext } from "./context.ts";

/** `GET /Account/{auth_id}/trunks/credentials` (style B). */
export const listCredentials: Handler = (ctx) =>
  offsetPage(ctx, mine(ctx, ctx.state.sipCredentials).map(redacted));

/**
 * `POST /Account/{auth_id}/credentials` with `{ username, password }`: 201; 409
 * `DUPLICATE_USERNAME` for a username already used.
 */
export const createCredential: Handler = (ctx) => {
  const body = parseBody(ctx);
  if (body instanceof Response) return body;
  const errors: FieldError[] = [];
  if (typeof body.username !== "string" || !/^[A-Za-z0-9]+$/.test(body.username)) {
    errors.push(field("username", "required, letters and digits", body.username));
  }
  if (typeof body.password !== "string" || body.password.length < 8) {
    errors.push({ ...field("password", "at least 8 characters", undefined), code: "MIN_LENGTH" });
  }
  if (errors.length > 0) return validationError(errors, ctx.now);
  const taken = mine(ctx, ctx.state.sipCredentials).some((c) => c.username === body.username);
  if (taken) {
    return vobizError("envelope", {
      status: 409,
      code: "DUPLICATE_USERNAME",
      message: `Username ${String(body.username)} already exists`,
    }, ctx.now);
  }
  const id = crypto.randomUUID();
  const at = iso(ctx.now);
  const credential: JsonObject = {
    id,
    account_id: ctx.authId,
    username: body.username,
    password: body.password,
    realm: `${ctx.authId}.sip.vobiz.ai`,
    enabled: true,
    created_at: at,
    updated_at: at,
  };
  ctx.state.sipCredentials.set(id, credential);
  return json(201, redacted(credential));
};

/** `GET /Account/{auth_id}/credentials/{credential_id}`. */
export const getCredential: Handler = (ctx) => {
  const credential = find(ctx, ctx.state.sipCredentials, ctx.params.credential_id, "CREDENTIAL");
  return credential instanceof Response ? credential : json(200, redacted(credential));
};

/** `PUT /Account/{auth_id}/credentials/{credential_id}`: `password`, `enabled`, `description`. */
export const updateCredential: Handler = (ctx) => {
  const credential = find(ctx, ctx.state.sipCredentials, ctx.params.credential_id, "CREDENTIAL");
  if (credential instanceof Response) return credential;
  const body = parseBody(ctx);
  if (body instanceof Response) return body;
  if (
    body.password !== undefined && (typeof body.password !== "string" || body.password.length < 8)
  ) {
    return validationError([field("password", "at least 8 characters", "<redacted>")], ctx.now);
  }
  if (body.username !== undefined && body.username !== credential.username) {
    return validationError([field("username", "cannot be changed", body.username)], ctx.now);
  }
  for (const key of ["password", "enabled", "description"]) {
    if (body[key] !== undefined) credential[key] = body[key];
  }
  credential.updated_at = iso(ctx.now);
  return json(200, redacted(credential));
};

/** `DELETE /Account/{auth_id}/credentials/{credential_id}`: 204. */
export const deleteCredential: Handler = (ctx) =>
  remove(ctx, ctx.state.sipCredentials, ctx.params.credential_id, "CREDENTIAL");

/** `GET /Account/{auth_id}/trunks/ip-acl` (style B). */
export const listIpAcls: Handler = (ctx) => offsetPage(ctx, mine(ctx, ctx.state.ipAcls));

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/([12]?\d|3[0-2]))?$/;
const DOCUMENTATION = /^(192\.0\.2|198\.51\.100|203\.0\.113)\./;

/**
 * `POST /Account/{auth_id}/ip-acl` with `{ name, ip_address }`: 201 (the name comes back as
 * `description`); 400 `{ error, code }` for a malformed or documentation-range address.
 */
export const createIpAcl: Handler = (ctx) => {
  const body = parseBody(ctx);
  if (body instanceof Response) return body;
  if (typeof body.name !== "string" || body.name === "") {
    return validationError([field("name", "required", body.name)], ctx.now);
  }
  const bad = badAddress(body.ip_address);
  if (bad !== undefined) return json(400, { error: bad, code: 400 });
  const id = crypto.randomUUID();
  const at = iso(ctx.now);
  const acl: JsonObject = {
    id,
    account_id: ctx.authId,
    ip_address: body.ip_address,
    description: body.name,
    enabled: true,
    created_at: at,
    updated_at: at,
  };
  ctx.state.ipAcls.set(id, acl);
  return json(201, acl);
};

/** `PUT /Account/{auth_id}/ip-acl/{ip_acl_id}`: `name`, `ip_address`, `enabled`. */
export const updateIpAcl: Handler = (ctx) => {
  const acl = find(ctx, ctx.state.ipAcls, ctx.params.ip_acl_id, "IP_ACL");
  if (acl instanceof Response) return acl;
  const body = parseBody(ctx);
  if (body instanceof Response) return body;
  if (body.ip_address !== undefined) {
    const bad = badAddress(body.ip_address);
    if (bad !== undefined) return json(400, { error: bad, code: 400 });
    acl.ip_address = body.ip_address;
  }
  if (body.name !== undefined) acl.description = body.name;
  if (body.enabled !== undefined) acl.enabled = body.enabled;
  acl.updated_at = iso(ctx.now);
  return json(200, acl);
};

/** `DELETE /Account/{auth_id}/ip-acl/{ip_acl_id}`: 204. */
export const deleteIpAcl: Handler = (ctx) =>
  remove(ctx, ctx.state.ipAcls, ctx.params.ip_acl_id, "IP_ACL");

/** `GET /Account/{auth_id}/trunks/origination-uris` (style B), by priority. */
export const listOriginationUris: Handler = (ctx) =>
  offsetPage(
    ctx,
    mine(ctx, ctx.state.originationUris).sort((a, b) => Number(a.priority) - Number(b.priority)),
  );

/**
 * `POST /Account/{auth_id}/origination-uris` with `{ name, sip_uri, priority, weight? }`: 201
 * (the `sip_uri` comes back as `uri`).
 */
export const createOriginationUri: Handler = (ctx) => {
  const body = parseBody(ctx);
  if (body instanceof Response) return body;
  const errors: FieldError[] = [];
  if (typeof body.name !== "string" || body.name === "") {
    errors.push(field("name", "required", body.name));
  }
  if (typeof body.sip_uri !== "string" || !/^sips?:\S+$/.test(body.sip_uri)) {
    errors.push(field("sip_uri", "required, a SIP URI", body.sip_uri));
  }
  if (!Number.isInteger(body.priority)) {
    errors.push(field("priority", "required, an integer", body.priority));
  }
  if (errors.length > 0) return validationError(errors, ctx.now);
  const id = crypto.randomUUID();
  const at = iso(ctx.now);
  const uri: JsonObject = {
    id,
    account_id: ctx.authId,
    uri: body.sip_uri,
    priority: body.priority,
    weight: body.weight ?? 10,
    enabled: true,
    transport: "udp",
    description: body.name,
    created_at: at,
    updated_at: at,
  };
  ctx.state.originationUris.set(id, uri);
  return json(201, uri);
};

/** `PUT /Account/{auth_id}/origination-uris/{uri_id}`. */
export const updateOriginationUri: Handler = (ctx) => {
  const uri = find(ctx, ctx.state.originationUris, ctx.params.uri_id, "ORIGINATION_URI");
  if (uri instanceof Response) return uri;
  const body = parseBody(ctx);
  if (body instanceof Response) return body;
  if (body.name !== undefined) uri.description = body.name;
  if (body.sip_uri !== undefined) uri.uri = body.sip_uri;
  for (const key of ["priority", "weight", "enabled"]) {
    if (body[key] !== undefined) uri[key] = body[key];
  }
  uri.updated_at = iso(ctx.now);
  return json(200, uri);
};

/** `DELETE /Account/{auth_id}/origination-uris/{uri_id}`: 204. */
export const deleteOriginationUri: Handler = (ctx) =>
  remove(ctx, ctx.state.originationUris, ctx.params.uri_id, "ORIGINATION_URI");

function badAddress(value: unknown): string | undefined {
  if (typeof value !== "string" || !IPV4.test(value)) return "Invalid IP address format";
  return DOCUMENTATION.test(value) ? "Documentation IP ranges are not allowed" : undefined;
}

function redacted(credential: JsonObject): JsonObject {
  return { ...credential, password: "<redacted>" };
}

function mine(ctx: RouteContext, map: Map<string, JsonObject>): JsonObject[] {
  return [...map.values()].filter((item) => item.account_id === ctx.authId);
}

function find(
  ctx: RouteContext,
  map: Map<string, JsonObject>,
  id: string | undefined,
  kind: string,
): JsonObject | Response {
  const item = map.get(id ?? "");
  if (item === undefined || item.account_id !== ctx.authId) {
    return vobizError("envelope", {
      status: 404,
      code: `${kind}_NOT_FOUND`,
      message: `${kind.toLowerCase().replaceAll("_", " ")} not found`,
    }, ctx.now);
  }
  return item;
}

function remove(
  ctx: RouteContext,
  map: Map<string, JsonObject>,
  id: string | undefined,
  kind: string,
): Response {
  const item = find(ctx, map, id, kind);
  if (item instanceof Response) return item;
  map.delete(String(item.id));
  return new Response(null, { status: 204 });
}
