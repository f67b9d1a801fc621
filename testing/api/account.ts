/**
 * Mock routes: account (`/auth/me`), balance and transactions.
 *
 * @module
 */

import { json, validationError } from "../http.ts";
import { field, finiteOrNull, type Handler, iso, limitOffset, sum } from "./context.ts";

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
      by_reference_type: all.length === 0 ? [] : [{
        reference_type: "number_purchase",
        total_debit: totalDebit,
        total_credit: 0,
        count: all.length,
      }],
    },
    total: all.length,
    page: Math.floor(paging.offset / paging.limit) + 1,
    per_page: paging.limit,
    total_pages: Math.ceil(all.length / paging.limit),
  });
};
