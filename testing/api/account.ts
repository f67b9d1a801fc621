/**
 * Mock routes: account (`/auth/me`), token refresh and rotation, balance, transactions and
 * capacity.
 *
 * @module
 */

import { json, validationError, vobizError } from "../http.ts";
import { bearerOf, refreshTokenPair } from "../tokens.ts";
import {
  debit,
  field,
  finiteOrNull,
  type Handler,
  iso,
  limitOffset,
  parseBody,
  type RouteContext,
  sum,
} from "./context.ts";

/**
 * `GET /auth/me`: the account object (the token is never echoed).
 */
export const getAccount: Handler = (ctx) => {
  const main = ctx.authId === ctx.config.authId;
  const at = iso(ctx.now);
  return json(200, {
    type: main ? "main" : "sub_account",
    id: main ? 1 : 2,
    api_id: crypto.randomUUID(),
    name: main ? "Mock Account" : `Mock Sub-account ${ctx.authId}`,
    email: "mock@example.com",
    phone: "+918000000000",
    description: "",
    auth_id: ctx.authId,
    auth_secret: "<redacted>",
    country: "IN",
    timezone: "Asia/Kolkata",
    company: "Mock Co",
    account_type: "PREPAID",
    postpaid: false,
    enabled: true,
    credit_limit: 0,
    cps_limit: finiteOrNull(ctx.config.cpsLimit),
    concurrent_calls_limit: finiteOrNull(ctx.config.concurrentCallsLimit),
    base_cps_limit: finiteOrNull(ctx.config.cpsLimit),
    base_concurrent_calls_limit: finiteOrNull(ctx.config.concurrentCallsLimit),
    purchased_cps: 0,
    purchased_concurrent_calls: 0,
    features: { call_queue: false },
    role: "owner",
    is_active: true,
    is_verified: true,
    is_trial_account: false,
    created_at: at,
    updated_at: at,
  });
};

/**
 * `GET /Account/{auth_id}/balance/{currency}`.
 */
export const getBalance: Handler = (ctx) => {
  const currency = (ctx.params.currency ?? "").toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) {
    return validationError([field("currency", "must be an ISO 4217 code", currency)], ctx.now);
  }
  const balance = ctx.state.balances.get(currency) ?? 0;
  const at = iso(ctx.now);
  return json(200, {
    id: 1,
    account_id: ctx.authId,
    currency,
    balance,
    reserved_funds: 0,
    promotional_balance: 0,
    promotional_reserved_balance: 0,
    available_balance: balance,
    credit_limit: 0,
    is_postpaid: false,
    credit_limit_type: "none",
    low_balance_threshold: 100,
    status: "active",
    created_at: at,
    updated_at: at,
  });
};

/**
 * `GET /Account/{auth_id}/transactions` (style F: `limit`/`offset` in, `page`/`per_page` out).
 */
export const listTransactions: Handler = (ctx) => {
  const paging = limitOffset(ctx);
  if (paging instanceof Response) return paging;
  const all = [...ctx.state.transactions].reverse(); // newest first
  const totalDebit = sum(all.map((t) => Number(t.amount)));
  return json(200, {
    transactions: all.slice(paging.offset, paging.offset + paging.limit),
    summary: {
      total_transactions: all.length,
      total_debit: totalDebit,
      total_credit: 0,
      net_amount: -totalDebit,
      by_reference_type: [...new Set(all.map((t) => String(t.reference_type)))].map((type) => {
        const entries = all.filter((t) => t.reference_type === type);
        return {
          reference_type: type,
          total_debit: sum(entries.map((t) => Number(t.amount))),
          total_credit: 0,
          count: entries.length,
        };
      }),
    },
    total: all.length,
    page: Math.floor(paging.offset / paging.limit) + 1,
    per_page: paging.limit,
    total_pages: Math.ceil(all.length / paging.limit),
  });
};

/** Monthly price per unit of capacity, INR. */
const CAPACITY_PRICE: Record<string, number> = { concurrent_calls: 150, cps: 400 };

/** `resource_type` and `quantity` from a query or a body, or a 422. */
function capacityRequest(
  ctx: RouteContext,
  source: Record<string, unknown>,
): { resourceType: string; quantity: number } | Response {
  const resourceType = String(source.resource_type ?? "");
  const quantity = Number(source.quantity);
  const errors = [];
  if (CAPACITY_PRICE[resourceType] === undefined) {
    errors.push(field("resource_type", "concurrent_calls or cps", source.resource_type));
  }
  if (!Number.isInteger(quantity) || quantity < 1) {
    errors.push(field("quantity", "a positive integer", source.quantity));
  }
  return errors.length > 0 ? validationError(errors, ctx.now) : { resourceType, quantity };
}

/**
 * `GET /accounts/{auth_id}/channel-pricing-preview?resource_type=&quantity=`: the monthly cost as
 * a decimal string.
 */
export const previewCapacity: Handler = (ctx) => {
  const request = capacityRequest(ctx, Object.fromEntries(ctx.query));
  if (request instanceof Response) return request;
  const unit = CAPACITY_PRICE[request.resourceType] ?? 0;
  return json(200, {
    resource_type: request.resourceType,
    quantity: request.quantity,
    monthly_cost: (unit * request.quantity).toFixed(2),
    currency: "INR",
    breakdown: [{ unit_price: unit.toFixed(2), units: request.quantity }],
  });
};

/**
 * `POST /accounts/{auth_id}/channel-subscriptions` with `{ resource_type, quantity }`: debits the
 * first month at once and raises the account's limit (a paid write).
 */
export const subscribeCapacity: Handler = (ctx) => {
  const body = parseBody(ctx);
  if (body instanceof Response) return body;
  const request = capacityRequest(ctx, body);
  if (request instanceof Response) return request;
  const cost = (CAPACITY_PRICE[request.resourceType] ?? 0) * request.quantity;
  if ((ctx.state.balances.get("INR") ?? 0) < cost) {
    return vobizError("envelope", {
      status: 402,
      code: "INSUFFICIENT_BALANCE",
      message: "Insufficient balance for the subscription",
    }, ctx.now);
  }
  const at = iso(ctx.now);
  const subscription = {
    id: ctx.state.subscriptions.length + 1,
    account_id: 1,
    resource_type: request.resourceType,
    quantity: request.quantity,
    monthly_cost: cost.toFixed(2),
    currency: "INR",
    status: "active",
    last_billing_date: at,
    next_billing_date: iso(ctx.now + 30 * 86_400_000),
    purchased_at: at,
    cancelled_at: null,
    cancellation_reason: null,
    is_active: true,
    created_at: at,
    updated_at: at,
  };
  ctx.state.subscriptions.push(subscription);
  const reference = `subscription-${subscription.id}`;
  debit(
    ctx.state,
    ctx.authId,
    cost,
    `capacity ${request.resourceType} x${request.quantity}`,
    reference,
    "channel_subscription",
    ctx.now,
  );
  return json(201, subscription);
};

/**
 * `POST /auth-token/rotate`: a new auth token for the caller; the old one stops working at once.
 * (Vobiz does not document the answer; the mock sends `{ auth_id, auth_token, message }`.)
 */
export const rotateAuthToken: Handler = (ctx) => {
  const token = `rotated-${crypto.randomUUID()}`;
  ctx.state.tokens.set(ctx.authId, token);
  return json(200, { auth_id: ctx.authId, auth_token: token, message: "Auth token rotated" });
};

/**
 * `POST /auth/refresh` with `Authorization: Bearer <refresh_token>` (checked before this runs): a
 * new `{ access_token, refresh_token, token_type, expires_in }` pair.
 */
export const refreshTokens: Handler = (ctx) => {
  const token = bearerOf(ctx.headers) ?? "";
  return json(200, refreshTokenPair(ctx.state, ctx.config, token, ctx.now));
};
