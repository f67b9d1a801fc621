/**
 * Mock routes: sub-accounts (`/accounts/{auth_id}/sub-accounts/`, style E lists). A created
 * sub-account's credentials and Bearer tokens work at once (they share the main balance).
 *
 * @module
 */

import { json, validationError, vobizError } from "../http.ts";
import type { JsonObject } from "../state.ts";
import { issueTokenPair } from "../tokens.ts";
import {
  checkRange,
  field,
  type Handler,
  iso,
  MAX_PAGE_SIZE,
  parseBody,
  type RouteContext,
} from "./context.ts";
import type { FieldError } from "../http.ts";

const KYC_MODES = ["personal_use", "customer_use"];

/**
 * `GET /accounts/{auth_id}/sub-accounts/`: `page`, `size` (max 100), `active_only`.
 */
export const listSubAccounts: Handler = (ctx) => {
  const errors: FieldError[] = [];
  const page = checkRange(ctx.query, "page", 1, 1, Number.MAX_SAFE_INTEGER, errors);
  const size = checkRange(ctx.query, "size", 20, 1, MAX_PAGE_SIZE, errors);
  if (errors.length > 0) return validationError(errors, ctx.now);
  const activeOnly = ctx.query.get("active_only") === "true";
  const mine = [...ctx.state.subAccounts.values()].filter((s) =>
    s.parent_auth_id === ctx.authId && (!activeOnly || s.enabled === true)
  );
  return json(200, {
    sub_accounts: mine.slice((page - 1) * size, page * size).map(masked),
    total: mine.length,
    page,
    size,
  });
};

/**
 * `POST /accounts/{auth_id}/sub-accounts/`: 201 with the credentials and tokens, shown only here.
 */
export const createSubAccount: Handler = (ctx) => {
  const body = parseBody(ctx);
  if (body instanceof Response) return body;
  const errors: FieldError[] = [];
  if (typeof body.name !== "string" || body.name === "") {
    errors.push(field("name", "required", body.name));
  }
  if (body.kyc_mode !== undefined && !KYC_MODES.includes(String(body.kyc_mode))) {
    errors.push(field("kyc_mode", "personal_use or customer_use", body.kyc_mode));
  }
  if (body.kyc_mode === "customer_use" && typeof body.email !== "string") {
    errors.push(field("email", "required when kyc_mode is customer_use", body.email));
  }
  if (errors.length > 0) return validationError(errors, ctx.now);
  const number = ctx.state.subAccounts.size + 1;
  const authId = `SA_MOCK${String(number).padStart(4, "0")}`;
  const token = `sub-token-${crypto.randomUUID()}`;
  const at = iso(ctx.now);
  const sub: JsonObject = {
    id: 1000 + number,
    name: body.name,
    email: body.email ?? null,
    phone: null,
    description: "",
    permissions: body.permissions ?? {},
    rate_limit: body.rate_limit ?? 1000,
    parent_account_id: 1,
    parent_auth_id: ctx.authId,
    auth_id: authId,
    auth_token: token,
    api_id: crypto.randomUUID(),
    email_verified: false,
    enabled: body.enabled ?? true,
    kyc_mode: body.kyc_mode ?? "personal_use",
    is_active: true,
    created_at: at,
    updated_at: at,
    resource_uri: `/api/v1/accounts/${ctx.authId}/sub-accounts/${authId}`,
  };
  ctx.state.subAccounts.set(authId, sub);
  ctx.state.tokens.set(authId, token);
  return json(201, {
    message: "Sub-account created",
    sub_account: sub,
    auth_credentials: { auth_id: authId, auth_token: token },
    tokens: issueTokenPair(ctx.state, ctx.config, authId, ctx.now),
  });
};

/**
 * `GET /accounts/{auth_id}/sub-accounts/{sub_auth_id}` (token masked).
 */
export const getSubAccount: Handler = (ctx) => {
  const sub = findSubAccount(ctx);
  return sub instanceof Response ? sub : json(200, masked(sub));
};

/**
 * `PUT /accounts/{auth_id}/sub-accounts/{sub_auth_id}`: `name`, `enabled`, `kyc_mode`.
 */
export const updateSubAccount: Handler = (ctx) => {
  const sub = findSubAccount(ctx);
  if (sub instanceof Response) return sub;
  const body = parseBody(ctx);
  if (body instanceof Response) return body;
  if (body.kyc_mode === "customer_use" && sub.email === null && body.email === undefined) {
    return vobizError("simple", {
      status: 400,
      code: "BAD_REQUEST",
      message: "kyc_mode customer_use requires an email",
    }, ctx.now);
  }
  for (const key of ["name", "enabled", "kyc_mode", "email"]) {
    if (body[key] !== undefined) sub[key] = body[key];
  }
  sub.updated_at = iso(ctx.now);
  return json(200, masked(sub));
};

/**
 * `DELETE /accounts/{auth_id}/sub-accounts/{sub_auth_id}`: `{ message }`; its credentials and
 * Bearer tokens stop.
 */
export const deleteSubAccount: Handler = (ctx) => {
  const sub = findSubAccount(ctx);
  if (sub instanceof Response) return sub;
  ctx.state.subAccounts.delete(String(sub.auth_id));
  ctx.state.tokens.set(String(sub.auth_id), `deleted-${crypto.randomUUID()}`);
  for (const [token, { authId }] of ctx.state.bearerTokens) {
    if (authId === sub.auth_id) ctx.state.bearerTokens.delete(token);
  }
  return json(200, { message: `Sub-account ${String(sub.auth_id)} deleted` });
};

function masked(sub: JsonObject): JsonObject {
  return { ...sub, auth_token: "<redacted>" };
}

function findSubAccount(ctx: RouteContext): JsonObject | Response {
  const sub = ctx.state.subAccounts.get(ctx.params.sub_auth_id ?? "");
  if (sub === undefined || sub.parent_auth_id !== ctx.authId) {
    return vobizError("envelope", {
      status: 404,
      code: "SUB_ACCOUNT_NOT_FOUND",
      message: "Sub-account not found",
    }, ctx.now);
  }
  return sub;
}
