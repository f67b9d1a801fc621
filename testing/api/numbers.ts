/**
 * Mock routes: owned numbers, inventory search, purchase (a paid write) and release.
 *
 * @module
 */

import { json, validationError, vobizError } from "../http.ts";
import type { JsonObject } from "../state.ts";
import {
  debit,
  field,
  type Handler,
  iso,
  pagePerPage,
  parseBody,
  type RouteContext,
} from "./context.ts";

/**
 * `GET /Account/{auth_id}/numbers` (style D): numbers the account owns.
 */
export const listNumbers: Handler = (ctx) => {
  settleReleases(ctx);
  const mine = [...ctx.state.owned.values()].filter((n) => n.account_id === ctx.authId);
  return itemsPage(ctx, filterNumbers(ctx, mine));
};

/**
 * `GET /Account/{auth_id}/inventory/numbers` (style D): numbers for sale.
 */
export const searchInventory: Handler = (ctx) => {
  settleReleases(ctx);
  return itemsPage(ctx, filterNumbers(ctx, [...ctx.state.inventory.values()]));
};

/**
 * `POST /Account/{auth_id}/numbers/purchase-from-inventory` with `{ e164 }`: a paid write.
 */
export const purchaseNumber: Handler = (ctx) => {
  settleReleases(ctx);
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
  debit(ctx.state, ctx.authId, price, `number purchase ${e164}`, e164, "number_purchase", ctx.now);
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
 * `DELETE /Account/{auth_id}/numbers/{e164}`: `pending_release` for 24 h (cancellable), or back
 * to the inventory at once with `immediate=true`. Links to a trunk or application are removed.
 */
export const releaseNumber: Handler = (ctx) => {
  settleReleases(ctx);
  const e164 = ctx.params.e164 ?? "";
  const owned = ctx.state.owned.get(e164);
  if (owned === undefined || owned.account_id !== ctx.authId) {
    return vobizError("envelope", {
      status: 403,
      code: "NUMBER_NOT_OWNED",
      message: `${e164} is not owned by ${ctx.authId}`,
    }, ctx.now);
  }
  if (owned.status === "pending_release") {
    return vobizError("envelope", {
      status: 409,
      code: "RELEASE_PENDING",
      message: `${e164} is already pending release`,
    }, ctx.now);
  }
  delete owned.trunk_group_id;
  delete owned.application_id;
  if (ctx.query.get("immediate") === "true") {
    returnToInventory(ctx, e164, owned);
    return json(200, {
      message: `${e164} released`,
      status: "released",
      release_fee: 0,
      cooldown_ends_at: null,
      cancel_url: null,
      note: "An immediate release cannot be cancelled",
    });
  }
  const cooldownEnds = ctx.now + RELEASE_COOLDOWN_MS;
  Object.assign(owned, {
    status: "pending_release",
    released_at: iso(ctx.now),
    cooldown_ends_at: iso(cooldownEnds),
    updated_at: iso(ctx.now),
  });
  return json(200, {
    message: `${e164} will be released at ${iso(cooldownEnds)}`,
    status: "pending_release",
    release_fee: 0,
    cooldown_ends_at: iso(cooldownEnds),
    cancel_url: `/api/v1/account/${ctx.authId}/numbers/${encodeURIComponent(e164)}/cancel-release`,
  });
};

/**
 * `POST /account/{auth_id}/numbers/{e164}/cancel-release` (lowercase `account`): a pending
 * release is cancelled; removed trunk/application links stay removed.
 */
export const cancelRelease: Handler = (ctx) => {
  settleReleases(ctx);
  const e164 = ctx.params.e164 ?? "";
  const owned = ctx.state.owned.get(e164);
  if (owned === undefined || owned.account_id !== ctx.authId) {
    return vobizError("envelope", {
      status: 404,
      code: "NUMBER_NOT_FOUND",
      message: `${e164} is not owned by ${ctx.authId}`,
    }, ctx.now);
  }
  if (owned.status !== "pending_release") {
    return vobizError("envelope", {
      status: 409,
      code: "NOT_PENDING_RELEASE",
      message: `${e164} is not pending release`,
    }, ctx.now);
  }
  Object.assign(owned, { status: "active", released_at: null, updated_at: iso(ctx.now) });
  delete owned.cooldown_ends_at;
  return json(200, {
    message: `Release of ${e164} cancelled`,
    status: "active",
    currency: "INR",
    refund_amount: 0,
    refund_status: "success",
  });
};

/**
 * `POST /Account/{auth_id}/numbers/{e164}/assign` with `{ trunk_group_id }` (the trunk's UUID).
 */
export const assignToTrunk: Handler = (ctx) => {
  const owned = activeNumber(ctx);
  if (owned instanceof Response) return owned;
  const body = parseBody(ctx);
  if (body instanceof Response) return body;
  const trunkId = body.trunk_group_id;
  if (typeof trunkId !== "string" || trunkId === "") {
    return validationError(
      [field("trunk_group_id", "required (the trunk UUID)", trunkId)],
      ctx.now,
    );
  }
  const trunk = ctx.state.trunks.get(trunkId);
  if (trunk === undefined || trunk.account_id !== ctx.authId) {
    return vobizError("envelope", {
      status: 404,
      code: "TRUNK_NOT_FOUND",
      message: "Trunk not found",
    }, ctx.now);
  }
  Object.assign(owned, { trunk_group_id: trunkId, updated_at: iso(ctx.now) });
  return new Response(null, { status: 204 });
};

/**
 * `DELETE /Account/{auth_id}/numbers/{e164}/assign`: removes the trunk link.
 */
export const unassignFromTrunk: Handler = (ctx) => {
  const owned = activeNumber(ctx);
  if (owned instanceof Response) return owned;
  delete owned.trunk_group_id;
  owned.updated_at = iso(ctx.now);
  return new Response(null, { status: 204 });
};

/**
 * `POST /account/{auth_id}/numbers/{e164}/assign-subaccount` with `{ sub_account_id }`.
 */
export const assignToSubAccount: Handler = (ctx) => {
  const owned = activeNumber(ctx);
  if (owned instanceof Response) return owned;
  const body = parseBody(ctx);
  if (body instanceof Response) return body;
  const sub = ctx.state.subAccounts.get(String(body.sub_account_id ?? ""));
  if (sub === undefined || sub.parent_auth_id !== ctx.authId) {
    return vobizError("envelope", {
      status: 404,
      code: "SUB_ACCOUNT_NOT_FOUND",
      message: `No sub-account ${String(body.sub_account_id)} under ${ctx.authId}`,
    }, ctx.now);
  }
  Object.assign(owned, { sub_account_id: sub.auth_id, updated_at: iso(ctx.now) });
  return new Response(null, { status: 204 });
};

/**
 * `DELETE /account/{auth_id}/numbers/{e164}/assign-subaccount`: 409 `did_cool_off_in_effect`
 * while the number had a call in the last 15 days, unless `force=true`.
 */
export const unassignFromSubAccount: Handler = (ctx) => {
  const owned = activeNumber(ctx);
  if (owned instanceof Response) return owned;
  const e164 = String(owned.e164);
  if (owned.sub_account_id === undefined) {
    return vobizError("envelope", {
      status: 404,
      code: "NOT_ASSIGNED",
      message: `${e164} is not assigned to a sub-account`,
    }, ctx.now);
  }
  const lastCall = ctx.state.cdrs
    .filter((c) => c.caller_id_number === e164 || c.destination_number === e164)
    .map((c) => Date.parse(String(c.start_time)))
    .reduce((a, b) => Math.max(a, b), -Infinity);
  const coolOffUntil = lastCall + COOL_OFF_MS;
  if (coolOffUntil > ctx.now && ctx.query.get("force") !== "true") {
    return json(409, {
      error: "did_cool_off_in_effect",
      message: `${e164} had a call within 15 days`,
      cool_off_until: iso(coolOffUntil),
      cool_off_remaining_seconds: Math.ceil((coolOffUntil - ctx.now) / 1000),
    });
  }
  delete owned.sub_account_id;
  owned.updated_at = iso(ctx.now);
  return new Response(null, { status: 204 });
};

/**
 * `GET /account/{auth_id}/numbers/{e164}/health`: `granularity` (`daily`|`hourly`), `days`.
 */
export const numberHealth: Handler = (ctx) => {
  const owned = activeNumber(ctx);
  if (owned instanceof Response) return owned;
  const e164 = String(owned.e164);
  const granularity = ctx.query.get("granularity") ?? "daily";
  const days = Number(ctx.query.get("days") ?? "7");
  if (!["daily", "hourly"].includes(granularity) || !Number.isInteger(days) || days < 1) {
    return validationError([
      field("granularity", "daily or hourly", granularity),
      field("days", "a positive integer", ctx.query.get("days")),
    ], ctx.now);
  }
  const since = ctx.now - days * 86_400_000;
  const calls = ctx.state.cdrs.filter((c) =>
    (c.caller_id_number === e164 || c.destination_number === e164) &&
    Date.parse(String(c.start_time)) >= since
  );
  const bucketMs = granularity === "daily" ? 86_400_000 : 3_600_000;
  const buckets = new Map<number, typeof calls>();
  for (const cdr of calls) {
    const at = Math.floor(Date.parse(String(cdr.start_time)) / bucketMs) * bucketMs;
    buckets.set(at, [...(buckets.get(at) ?? []), cdr]);
  }
  const stats = (list: typeof calls) => {
    const answered = list.filter((c) => c.answer_time !== null).length;
    const seconds = list.reduce((total, c) => total + Number(c.billsec), 0);
    return {
      total_calls: list.length,
      answered_calls: answered,
      answer_rate: list.length === 0 ? 0 : Math.round((answered / list.length) * 10000) / 100,
      total_minutes: Math.round((seconds / 60) * 100) / 100,
      avg_duration: answered === 0 ? 0 : Math.round(seconds / answered),
    };
  };
  return json(200, {
    e164,
    status: owned.status,
    usage_status: calls.length > 0 ? "active" : "idle",
    is_spam: false,
    granularity,
    summary: { period_days: days, ...stats(calls) },
    snapshots: [...buckets.entries()].sort(([a], [b]) => a - b).map(([at, list], i) => {
      const { answered_calls, total_calls, total_minutes, avg_duration, answer_rate } = stats(list);
      return {
        id: i + 1,
        ts: iso(at),
        total_calls,
        answered_calls,
        failed_calls: total_calls - answered_calls,
        answer_rate,
        total_duration: Math.round(total_minutes * 60),
        avg_duration,
        total_minutes,
      };
    }),
  });
};

const RELEASE_COOLDOWN_MS = 24 * 3_600_000;
const COOL_OFF_MS = 15 * 86_400_000;

/** An owned, active number of the caller (404 otherwise). */
function activeNumber(ctx: RouteContext): JsonObject | Response {
  settleReleases(ctx);
  const e164 = ctx.params.e164 ?? "";
  const owned = ctx.state.owned.get(e164);
  if (owned === undefined || owned.account_id !== ctx.authId || owned.status !== "active") {
    return vobizError("envelope", {
      status: 404,
      code: "NUMBER_NOT_FOUND",
      message: `${e164} is not an active number of ${ctx.authId}`,
    }, ctx.now);
  }
  return owned;
}

/** Numbers whose 24 h cooldown has passed go back to the inventory. */
function settleReleases(ctx: RouteContext): void {
  for (const [e164, owned] of ctx.state.owned) {
    if (
      owned.status === "pending_release" && Date.parse(String(owned.cooldown_ends_at)) <= ctx.now
    ) {
      returnToInventory(ctx, e164, owned);
    }
  }
}

function returnToInventory(ctx: RouteContext, e164: string, owned: JsonObject): void {
  ctx.state.owned.delete(e164);
  const {
    account_id: _a,
    auth_id: _b,
    purchased_at: _c,
    last_billing_date: _d,
    next_billing_date: _e,
    released_at: _f,
    cooldown_ends_at: _g,
    sub_account_id: _h,
    ...item
  } = owned;
  ctx.state.inventory.set(e164, { ...item, status: "active", updated_at: iso(ctx.now) });
}

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
