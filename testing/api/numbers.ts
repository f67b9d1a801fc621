/**
 * Mock routes: owned numbers, inventory search, purchase (a paid write) and release.
 *
 * @module
 */

import { json, validationError, vobizError } from "../http.ts";
import type { JsonObject } from "../state.ts";
import { field, type Handler, iso, pagePerPage, parseBody, type RouteContext } from "./context.ts";

/**
 * `GET /Account/{auth_id}/numbers` (style D): numbers the account owns.
 */
export const listNumbers: Handler = (ctx) => {
  const mine = [...ctx.state.owned.values()].filter((n) => n.account_id === ctx.authId);
  return itemsPage(ctx, filterNumbers(ctx, mine));
};

/**
 * `GET /Account/{auth_id}/inventory/numbers` (style D): numbers for sale.
 */
export const searchInventory: Handler = (ctx) => {
  return itemsPage(ctx, filterNumbers(ctx, [...ctx.state.inventory.values()]));
};

/**
 * `POST /Account/{auth_id}/numbers/purchase-from-inventory` with `{ e164 }`: a paid write.
 */
export const purchaseNumber: Handler = (ctx) => {
  const body = parseBody(ctx);
  if (body instanceof Response) return body;
  const e164 = body.e164;
  if (typeof e164 !== "string" || !/^\+[1-9]\d{5,14}$/.test(e164)) {
    return validationError([field("e164", "required, E.164 with a leading +", e164)], ctx.now);
  }
  if (ctx.state.owned.has(e164)) {
    return vobizError("envelope", {
      status: 409,
      code: "NUMBER_NOT_AVAILABLE",
      message: `${e164} is already owned`,
    }, ctx.now);
  }
  const item = ctx.state.inventory.get(e164);
  if (item === undefined) {
    return vobizError("envelope", {
      status: 404,
      code: "NUMBER_NOT_FOUND",
      message: `${e164} is not in the inventory`,
    }, ctx.now);
  }
  const price = ctx.config.numberPrice;
  const currency = "INR";
  const available = ctx.state.balances.get(currency) ?? 0;
  if (available < price) {
    return vobizError("envelope", {
      status: 402,
      code: "INSUFFICIENT_BALANCE",
      message: "Insufficient balance to purchase the number",
      details: { required: price, available, currency, shortfall: price - available },
    }, ctx.now);
  }
  const at = iso(ctx.now);
  ctx.state.inventory.delete(e164);
  const owned: JsonObject = {
    ...item,
    account_id: ctx.authId,
    auth_id: ctx.authId,
    purchased_at: at,
    last_billing_date: at,
    next_billing_date: iso(ctx.now + 30 * 86_400_000),
    updated_at: at,
  };
  ctx.state.owned.set(e164, owned);
  debit(ctx, price, `number purchase ${e164}`, e164);
  const key = ctx.headers.get("idempotency-key");
  ctx.state.effects.purchases.push(
    key === null ? { e164, at: ctx.now } : { e164, at: ctx.now, idempotencyKey: key },
  );
  return json(200, {
    id: owned.id,
    auth_id: ctx.authId,
    e164,
    country: owned.country,
    region: owned.region,
    status: "active",
    provider: owned.provider,
    setup_fee: owned.setup_fee,
    monthly_fee: owned.monthly_fee,
    currency: owned.currency,
    purchased_at: at,
    created_at: owned.created_at,
    updated_at: at,
  });
};

/**
 * `DELETE /Account/{auth_id}/numbers/{e164}`: releases the number back to the inventory.
 */
export const releaseNumber: Handler = (ctx) => {
  const e164 = ctx.params.e164 ?? "";
  const owned = ctx.state.owned.get(e164);
  if (owned === undefined || owned.account_id !== ctx.authId) {
    return vobizError("envelope", {
      status: 403,
      code: "NUMBER_NOT_OWNED",
      message: `${e164} is not owned by ${ctx.authId}`,
    }, ctx.now);
  }
  ctx.state.owned.delete(e164);
  const {
    account_id: _a,
    auth_id: _b,
    purchased_at: _c,
    last_billing_date: _d,
    next_billing_date: _e,
    ...item
  } = owned;
  ctx.state.inventory.set(e164, { ...item, updated_at: iso(ctx.now) });
  return json(200, {
    message: `${e164} released`,
    status: "released",
    release_fee: 0,
    cooldown_ends_at: null,
    cancel_url: null,
  });
};

function itemsPage(ctx: RouteContext, all: JsonObject[]): Response {
  const paging = pagePerPage(ctx);
  if (paging instanceof Response) return paging;
  const { page, perPage } = paging;
  return json(200, {
    items: all.slice((page - 1) * perPage, page * perPage),
    page,
    per_page: perPage,
    total: all.length,
  });
}

/** `country`, `search` (substring) and `exclude` (prefixes, comma list or repeated). */
function filterNumbers(ctx: RouteContext, numbers: JsonObject[]): JsonObject[] {
  const country = ctx.query.get("country")?.toUpperCase();
  // An unencoded "+" arrives as a space; put it back.
  const search = ctx.query.get("search")?.replaceAll(" ", "+");
  const exclude = ctx.query.getAll("exclude").flatMap((v) => v.split(","))
    .map((v) => v.trim().replaceAll(" ", "+")).filter((v) => v !== "");
  return numbers
    .filter((n) => {
      const e164 = String(n.e164);
      if (country && n.country !== country) return false;
      if (search && !e164.includes(search)) return false;
      return !exclude.some((prefix) => e164.startsWith(prefix));
    })
    .sort((a, b) => String(a.e164).localeCompare(String(b.e164)));
}

function debit(ctx: RouteContext, amount: number, reason: string, reference: string): void {
  const balance = (ctx.state.balances.get("INR") ?? 0) - amount;
  ctx.state.balances.set("INR", balance);
  ctx.state.effects.debits.push({ amount, reason, at: ctx.now });
  const at = iso(ctx.now);
  ctx.state.transactions.push({
    id: ctx.state.transactions.length + 1,
    account_id: ctx.authId,
    balance_id: 1,
    type: "debit",
    amount,
    currency: "INR",
    description: reason,
    reference,
    reference_type: "number_purchase",
    status: "completed",
    balance_after: balance,
    processed_at: at,
    created_at: at,
    updated_at: at,
  });
}
