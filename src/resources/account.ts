/**
 * `client.account`: the authenticated account (`GET /auth/me`), its live concurrency, and the
 * capacity (CPS and concurrent calls) it can preview and buy.
 *
 * @example
 * ```ts
 * const me = await vobiz.account.get();
 * console.log(me.auth_id, me.cps_limit);
 * const { concurrent_calls, max_concurrent } = await vobiz.account.concurrency();
 * ```
 *
 * @module
 */
import * as v from "valibot";
import type { CallOptions } from "../options.ts";
import { type Amount, answer } from "./_shared.ts";

/** The account object of `GET /auth/me` (main fields; any other field passes through). */
export interface Account {
  auth_id: string;
  id?: string | number | null | undefined;
  name?: string | null | undefined;
  email?: string | null | undefined;
  account_type?: string | null | undefined;
  /** When the auth token expires, if the account's tokens expire (ISO 8601). */
  auth_token_expire_time?: string | null | undefined;
  cps_limit?: number | null | undefined;
  concurrent_calls_limit?: number | null | undefined;
  base_cps_limit?: number | null | undefined;
  base_concurrent_calls_limit?: number | null | undefined;
  purchased_cps?: number | null | undefined;
  purchased_concurrent_calls?: number | null | undefined;
  is_active?: boolean | null | undefined;
  created_at?: string | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link Account}. Open: unknown fields and enum values pass (the API adds them in v1).
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { AccountSchema } from "vobiz-kit";
 * const parsed = v.parse(AccountSchema, await response.json());
 * ```
 */
export const AccountSchema: v.GenericSchema<unknown, Account> = answer(
  "!auth_id id:i name email account_type auth_token_expire_time cps_limit:n concurrent_calls_limit:n base_cps_limit:n base_concurrent_calls_limit:n purchased_cps:n purchased_concurrent_calls:n is_active:b created_at",
);

/** Live concurrency of the account (`GET /Account/{auth_id}/concurrency`). */
export interface Concurrency {
  concurrent_calls: number;
  max_concurrent?: number | null | undefined;
  utilization_pct?: number | null | undefined;
  account_id?: string | null | undefined;
  request_id?: string | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link Concurrency}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { ConcurrencySchema } from "vobiz-kit";
 * const parsed = v.parse(ConcurrencySchema, await response.json());
 * ```
 */
export const ConcurrencySchema: v.GenericSchema<unknown, Concurrency> = answer(
  "!concurrent_calls:n max_concurrent:n utilization_pct:n account_id request_id",
);

/** Capacity to price or buy: `concurrent_calls` or `cps`, and how many. */
export interface CapacityRequest {
  /** `concurrent_calls` (sold in blocks of 10) or `cps` (blocks of 3). */
  resource_type: "concurrent_calls" | "cps";
  /** Units to add; a positive integer. */
  quantity: number;
}

/**
 * Schema of {@link CapacityRequest}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { CapacityRequestSchema } from "vobiz-kit";
 * const ok = v.safeParse(CapacityRequestSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const CapacityRequestSchema: v.GenericSchema<CapacityRequest> = v.object({
  resource_type: v.picklist(["concurrent_calls", "cps"]),
  quantity: v.pipe(
    v.number(),
    v.integer("must be an integer"),
    v.minValue(1, "must be at least 1"),
  ),
});

/** A price preview (`monthly_cost` is a decimal string and stays one). */
export interface ChannelPricingPreview {
  resource_type: string;
  quantity: number;
  monthly_cost: Amount;
  currency?: string | null | undefined;
  breakdown?: unknown[] | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link ChannelPricingPreview}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { ChannelPricingPreviewSchema } from "vobiz-kit";
 * const parsed = v.parse(ChannelPricingPreviewSchema, await response.json());
 * ```
 */
export const ChannelPricingPreviewSchema: v.GenericSchema<unknown, ChannelPricingPreview> = answer(
  "!resource_type !quantity:n !monthly_cost:a currency breakdown:x",
);

/** A capacity subscription (renews every 30 days). */
export interface ChannelSubscription {
  id: string | number;
  resource_type: string;
  quantity: number;
  monthly_cost?: Amount | null | undefined;
  currency?: string | null | undefined;
  status?: string | null | undefined;
  next_billing_date?: string | null | undefined;
  is_active?: boolean | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link ChannelSubscription}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { ChannelSubscriptionSchema } from "vobiz-kit";
 * const parsed = v.parse(ChannelSubscriptionSchema, await response.json());
 * ```
 */
export const ChannelSubscriptionSchema: v.GenericSchema<unknown, ChannelSubscription> = answer(
  "!id:i !resource_type !quantity:n monthly_cost:a currency status next_billing_date is_active:b",
);

/** `client.account`. */
export interface AccountResource {
  /**
   * The authenticated account: `GET /auth/me`. Also a quick check that credentials work.
   *
   * @example
   * ```ts
   * const { auth_id } = await vobiz.account.get();
   * ```
   */
  get(options?: CallOptions): Promise<Account>;
  /**
   * Calls in progress against the account's limit.
   *
   * @example
   * ```ts
   * const { concurrent_calls, max_concurrent } = await vobiz.account.concurrency();
   * ```
   */
  concurrency(options?: CallOptions): Promise<Concurrency>;
  /**
   * The monthly price of extra capacity, without buying it.
   *
   * @example
   * ```ts
   * const { monthly_cost, currency } = await vobiz.account.previewCapacity({
   *   resource_type: "cps",
   *   quantity: 3,
   * });
   * ```
   */
  previewCapacity(request: CapacityRequest, options?: CallOptions): Promise<ChannelPricingPreview>;
  /**
   * Buys capacity: the first month is debited at once. A paid write (`paid: true`), never re-sent
   * blindly by a plugin.
   *
   * @example
   * ```ts
   * await vobiz.account.subscribeCapacity({ resource_type: "concurrent_calls", quantity: 10 });
   * ```
   */
  subscribeCapacity(request: CapacityRequest, options?: CallOptions): Promise<ChannelSubscription>;
  /**
   * Rotates the account's auth token (`POST /auth-token/rotate`): the old token stops working at
   * once, so update the client's `authToken` supplier with the answer. Irreversible, so marked
   * `paid` (never re-sent blindly). The answer's fields are not documented; it is returned as is.
   *
   * @example
   * ```ts
   * const answer = await vobiz.account.rotateAuthToken();
   * ```
   */
  rotateAuthToken(options?: CallOptions): Promise<Record<string, unknown>>;
}
