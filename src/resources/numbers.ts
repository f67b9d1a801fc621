/**
 * `client.numbers`: phone numbers (DIDs) the account owns, the inventory it can buy from, and
 * what can be done with a number: buy, release (and cancel a pending release), route to a trunk,
 * hand to a sub-account, and check its health. Numbers in paths are E.164 with the `+` sent as
 * `%2B`.
 *
 * @example
 * ```ts
 * for await (const n of vobiz.numbers.searchInventory({ country: "IN" })) {
 *   await vobiz.numbers.purchase({ e164: n.e164 }); // a paid write
 *   break;
 * }
 * ```
 *
 * @module
 */
import * as v from "valibot";
import type { CallOptions } from "../options.ts";
import type { ListOptions, Page } from "../pagination.ts";
import { E164Schema, perPage } from "../validators.ts";
import {
  type Acknowledgement,
  type Amount,
  answer,
  NumberPartSchema,
  PageNumberSchema,
} from "./_shared.ts";

/** A phone number (owned, or for sale in the inventory). Fees exactly as sent. */
export interface PhoneNumber {
  e164: string;
  id?: string | number | null | undefined;
  account_id?: string | null | undefined;
  country?: string | null | undefined;
  region?: string | null | undefined;
  capabilities?: Record<string, unknown> | null | undefined;
  status?: string | null | undefined;
  setup_fee?: Amount | null | undefined;
  monthly_fee?: Amount | null | undefined;
  currency?: string | null | undefined;
  application_id?: string | number | null | undefined;
  trunk_group_id?: string | null | undefined;
  purchased_at?: string | null | undefined;
  released_at?: string | null | undefined;
  created_at?: string | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link PhoneNumber}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PhoneNumberSchema } from "vobiz-kit";
 * const parsed = v.parse(PhoneNumberSchema, await response.json());
 * ```
 */
export const PhoneNumberSchema: v.GenericSchema<unknown, PhoneNumber> = answer(
  "!e164 id:i account_id country region capabilities:o status setup_fee:a monthly_fee:a currency application_id:i trunk_group_id purchased_at released_at created_at",
);

/** One page of numbers: `{ items[], page, per_page, total }` (style D). */
export interface PhoneNumberList {
  items: PhoneNumber[];
  page?: number | null | undefined;
  per_page?: number | null | undefined;
  total?: number | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link PhoneNumberList}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PhoneNumberListSchema } from "vobiz-kit";
 * const parsed = v.parse(PhoneNumberListSchema, await response.json());
 * ```
 */
export const PhoneNumberListSchema: v.GenericSchema<unknown, PhoneNumberList> = answer(
  "!items:A page:n per_page:n total:n",
  { A: v.array(PhoneNumberSchema) },
);

/** Filters of `numbers.list`. */
export interface NumberFilters {
  page?: number | undefined;
  /** Page size, at most 100 (default 100). */
  per_page?: number | undefined;
  /** An E.164 number or a part of one. */
  search?: string | undefined;
  include_subaccounts?: boolean | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link NumberFilters}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { NumberFiltersSchema } from "vobiz-kit";
 * const ok = v.safeParse(NumberFiltersSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const NumberFiltersSchema: v.GenericSchema<NumberFilters> = v.looseObject({
  page: v.optional(PageNumberSchema),
  per_page: v.optional(perPage(100)),
  search: v.optional(NumberPartSchema),
  include_subaccounts: v.optional(v.boolean()),
});

/** Filters of `numbers.searchInventory`. */
export interface InventoryFilters {
  /** ISO 3166-1 alpha-2 country, e.g. `IN`, `US`. */
  country?: string | undefined;
  /** Digits the number contains. */
  search?: string | undefined;
  /** E.164 prefixes to leave out (with the country code). */
  exclude?: string | string[] | undefined;
  page?: number | undefined;
  /** Page size, at most 100 (default 100). */
  per_page?: number | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link InventoryFilters}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { InventoryFiltersSchema } from "vobiz-kit";
 * const ok = v.safeParse(InventoryFiltersSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const InventoryFiltersSchema: v.GenericSchema<InventoryFilters> = v.looseObject({
  country: v.optional(v.pipe(v.string(), v.regex(/^[A-Z]{2}$/, "must be an ISO country code"))),
  search: v.optional(NumberPartSchema),
  exclude: v.optional(v.union([NumberPartSchema, v.array(NumberPartSchema)])),
  page: v.optional(PageNumberSchema),
  per_page: v.optional(perPage(100)),
});

/** Body of `numbers.purchase`. */
export interface NumberPurchase {
  /** The number, E.164 with its `+`. */
  e164: string;
  /** Currency to pay in; default the number's own. */
  currency?: string | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link NumberPurchase}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { NumberPurchaseSchema } from "vobiz-kit";
 * const ok = v.safeParse(NumberPurchaseSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const NumberPurchaseSchema: v.GenericSchema<NumberPurchase> = v.looseObject({
  e164: E164Schema,
  currency: v.optional(v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, "must be an ISO 4217 code"))),
});

/** The answer of a release: `pending_release` for 24 h unless `immediate`. */
export interface NumberRelease {
  status?: string | null | undefined;
  message?: string | null | undefined;
  cancel_url?: string | null | undefined;
  cooldown_ends_at?: string | null | undefined;
  release_fee?: Amount | null | undefined;
  note?: string | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link NumberRelease}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { NumberReleaseSchema } from "vobiz-kit";
 * const parsed = v.parse(NumberReleaseSchema, await response.json());
 * ```
 */
export const NumberReleaseSchema: v.GenericSchema<unknown, NumberRelease> = answer(
  "status message cancel_url cooldown_ends_at release_fee:a note",
);

/** The answer of a cancelled release (trunk and application links are not restored). */
export interface NumberReleaseCancel {
  status?: string | null | undefined;
  message?: string | null | undefined;
  refund_amount?: Amount | null | undefined;
  refund_status?: string | null | undefined;
  refund_error?: string | null | undefined;
  currency?: string | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link NumberReleaseCancel}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { NumberReleaseCancelSchema } from "vobiz-kit";
 * const parsed = v.parse(NumberReleaseCancelSchema, await response.json());
 * ```
 */
export const NumberReleaseCancelSchema: v.GenericSchema<unknown, NumberReleaseCancel> = answer(
  "status message refund_amount:a refund_status refund_error currency",
);

/** Options of `numbers.health`. */
export interface NumberHealthFilters {
  /** `daily` or `hourly`. */
  granularity?: "daily" | "hourly" | undefined;
  /** Window size in days. */
  days?: number | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link NumberHealthFilters}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { NumberHealthFiltersSchema } from "vobiz-kit";
 * const ok = v.safeParse(NumberHealthFiltersSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const NumberHealthFiltersSchema: v.GenericSchema<NumberHealthFilters> = v.looseObject({
  granularity: v.optional(v.picklist(["daily", "hourly"])),
  days: v.optional(
    v.pipe(v.number(), v.integer("must be an integer"), v.minValue(1, "must be at least 1")),
  ),
});

/** A number's health: call statistics, spam flag and snapshots. */
export interface NumberHealth {
  e164: string;
  status?: string | null | undefined;
  usage_status?: string | null | undefined;
  is_spam?: boolean | null | undefined;
  granularity?: string | null | undefined;
  summary?: Record<string, unknown> | null | undefined;
  snapshots?: Record<string, unknown>[] | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link NumberHealth}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { NumberHealthSchema } from "vobiz-kit";
 * const parsed = v.parse(NumberHealthSchema, await response.json());
 * ```
 */
export const NumberHealthSchema: v.GenericSchema<unknown, NumberHealth> = answer(
  "!e164 status usage_status is_spam:b granularity summary:o snapshots:l",
);

/** `client.numbers`. */
export interface NumbersResource {
  /**
   * Every number the account owns, 100 per request.
   *
   * @example
   * ```ts
   * for await (const n of vobiz.numbers.list()) console.log(n.e164, n.status);
   * ```
   */
  list(
    filters?: NumberFilters,
    options?: ListOptions,
  ): AsyncGenerator<PhoneNumber, void, undefined>;
  /**
   * One page of owned numbers.
   *
   * @example
   * ```ts
   * const { items, total } = await vobiz.numbers.listPage({ search: "+9180" });
   * ```
   */
  listPage(
    filters?: NumberFilters,
    options?: CallOptions,
  ): Promise<Page<PhoneNumber, PhoneNumberList>>;
  /**
   * Numbers for sale, 100 per request; `break` when you have found one.
   *
   * @example
   * ```ts
   * for await (const n of vobiz.numbers.searchInventory({ country: "IN", search: "80" })) { … }
   * ```
   */
  searchInventory(
    filters?: InventoryFilters,
    options?: ListOptions,
  ): AsyncGenerator<PhoneNumber, void, undefined>;
  /**
   * One page of the inventory.
   *
   * @example
   * ```ts
   * const { items } = await vobiz.numbers.searchInventoryPage({ country: "US", per_page: 10 });
   * ```
   */
  searchInventoryPage(
    filters?: InventoryFilters,
    options?: CallOptions,
  ): Promise<Page<PhoneNumber, PhoneNumberList>>;
  /**
   * Buys a number from the inventory; debits the setup and monthly fee. A paid write
   * (`paid: true`): plugins never re-send it blindly.
   *
   * @example
   * ```ts
   * const bought = await vobiz.numbers.purchase({ e164: "+918000000001" }, { idempotencyKey: "order-42" });
   * ```
   */
  purchase(body: NumberPurchase, options?: CallOptions): Promise<PhoneNumber>;
  /**
   * Releases a number (a release fee is charged): `pending_release` for 24 h, cancellable with
   * `cancelRelease`; `{ immediate: true }` skips the cooldown and cannot be undone. Marked `paid`.
   *
   * @example
   * ```ts
   * const { cooldown_ends_at } = await vobiz.numbers.release("+918000000001");
   * ```
   */
  release(
    e164: string,
    query?: { immediate?: boolean | undefined },
    options?: CallOptions,
  ): Promise<NumberRelease>;
  /**
   * Cancels a pending release (`POST /account/{auth_id}/numbers/{e164}/cancel-release`).
   *
   * @example
   * ```ts
   * await vobiz.numbers.cancelRelease("+918000000001");
   * ```
   */
  cancelRelease(e164: string, options?: CallOptions): Promise<NumberReleaseCancel>;
  /**
   * Routes a number to a trunk (`trunk_group_id` is the trunk's UUID).
   *
   * @example
   * ```ts
   * await vobiz.numbers.assignToTrunk("+918000000001", { trunk_group_id: trunk.trunk_id });
   * ```
   */
  assignToTrunk(
    e164: string,
    body: { trunk_group_id: string },
    options?: CallOptions,
  ): Promise<Acknowledgement>;
  /**
   * Removes a number from its trunk.
   *
   * @example
   * ```ts
   * await vobiz.numbers.unassignFromTrunk("+918000000001");
   * ```
   */
  unassignFromTrunk(e164: string, options?: CallOptions): Promise<Acknowledgement>;
  /**
   * Hands a number to a sub-account.
   *
   * @example
   * ```ts
   * await vobiz.numbers.assignToSubAccount("+918000000001", { sub_account_id: "SA_ABCDEF12" });
   * ```
   */
  assignToSubAccount(
    e164: string,
    body: { sub_account_id: string },
    options?: CallOptions,
  ): Promise<Acknowledgement>;
  /**
   * Takes a number back from a sub-account (409 `did_cool_off_in_effect` within 15 days of a
   * call; `force` is for admins).
   *
   * @example
   * ```ts
   * await vobiz.numbers.unassignFromSubAccount("+918000000001");
   * ```
   */
  unassignFromSubAccount(
    e164: string,
    query?: { force?: boolean | undefined },
    options?: CallOptions,
  ): Promise<Acknowledgement>;
  /**
   * Call statistics and spam status of a number.
   *
   * @example
   * ```ts
   * const { summary, is_spam } = await vobiz.numbers.health("+918000000001", { days: 7 });
   * ```
   */
  health(
    e164: string,
    filters?: NumberHealthFilters,
    options?: CallOptions,
  ): Promise<NumberHealth>;
}
