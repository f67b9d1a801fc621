/**
 * `client.subAccounts`: sub-accounts of the main account (`/accounts/{auth_id}/sub-accounts/`),
 * provisioned with the parent's credentials. For a sub-account's own traffic, use
 * `vobiz.withAccount({ authId, authToken })` with the credentials `create` returned (they are
 * shown only once).
 *
 * @example
 * ```ts
 * const { auth_credentials } = await vobiz.subAccounts.create({ name: "Acme support" });
 * const acme = vobiz.withAccount({
 *   authId: auth_credentials!.auth_id,
 *   authToken: auth_credentials!.auth_token,
 * });
 * await acme.balance.get(); // the sub-account's own traffic
 * ```
 *
 * @module
 */
import * as v from "valibot";
import type { CallOptions } from "../options.ts";
import type { ListOptions, Page } from "../pagination.ts";
import { EmailSchema, PasswordSchema, perPage } from "../validators.ts";
import { type Acknowledgement, answer, NameSchema, PageNumberSchema } from "./_shared.ts";

/** A sub-account (its `auth_token` comes back masked except at creation). */
export interface SubAccount {
  auth_id: string;
  id?: string | number | null | undefined;
  name?: string | null | undefined;
  email?: string | null | undefined;
  enabled?: boolean | null | undefined;
  is_active?: boolean | null | undefined;
  parent_auth_id?: string | null | undefined;
  auth_token?: string | null | undefined;
  rate_limit?: number | null | undefined;
  created_at?: string | null | undefined;
  updated_at?: string | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link SubAccount}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { SubAccountSchema } from "vobiz-kit";
 * const parsed = v.parse(SubAccountSchema, await response.json());
 * ```
 */
export const SubAccountSchema: v.GenericSchema<unknown, SubAccount> = answer(
  "!auth_id id:i name email enabled:b is_active:b parent_auth_id auth_token rate_limit:n created_at updated_at",
);

/** One page of sub-accounts: `{ sub_accounts[], total, page, size }` (style E). */
export interface SubAccountList {
  sub_accounts: SubAccount[];
  total?: number | null | undefined;
  page?: number | null | undefined;
  size?: number | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link SubAccountList}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { SubAccountListSchema } from "vobiz-kit";
 * const parsed = v.parse(SubAccountListSchema, await response.json());
 * ```
 */
export const SubAccountListSchema: v.GenericSchema<unknown, SubAccountList> = answer(
  "!sub_accounts:A total:n page:n size:n",
  { A: v.array(SubAccountSchema) },
);

/** Filters of `subAccounts.list`. */
export interface SubAccountFilters {
  page?: number | undefined;
  /** Page size, at most 100. */
  size?: number | undefined;
  active_only?: boolean | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link SubAccountFilters}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { SubAccountFiltersSchema } from "vobiz-kit";
 * const ok = v.safeParse(SubAccountFiltersSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const SubAccountFiltersSchema: v.GenericSchema<SubAccountFilters> = v.looseObject({
  page: v.optional(PageNumberSchema),
  size: v.optional(perPage(100)),
  active_only: v.optional(v.boolean()),
});

/** Body of `subAccounts.create`. */
export interface SubAccountCreate {
  /** Display name (≤ 255 characters, no injection payloads). */
  name: string;
  /** Required when `kyc_mode` is `customer_use`. */
  email?: string | undefined;
  /** At least 8 characters. */
  password?: string | undefined;
  /** `personal_use` (default) or `customer_use`. */
  kyc_mode?: "personal_use" | "customer_use" | undefined;
  business_type?: string | undefined;
  enabled?: boolean | undefined;
  [key: string]: unknown;
}

const kycMode = v.picklist(["personal_use", "customer_use"]);

/**
 * Schema of {@link SubAccountCreate}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { SubAccountCreateSchema } from "vobiz-kit";
 * const ok = v.safeParse(SubAccountCreateSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const SubAccountCreateSchema: v.GenericSchema<SubAccountCreate> = v.pipe(
  v.looseObject({
    name: NameSchema,
    email: v.optional(EmailSchema),
    password: v.optional(PasswordSchema),
    kyc_mode: v.optional(kycMode),
    business_type: v.optional(v.pipe(v.string(), v.regex(/^[a-z_]+$/, "must be a business type"))),
    enabled: v.optional(v.boolean()),
  }),
  v.forward(
    v.check(
      (body) => body.kyc_mode !== "customer_use" || body.email !== undefined,
      "email is required when kyc_mode is customer_use",
    ),
    ["email"],
  ),
);

/** Body of `subAccounts.update` (promoting to `customer_use` needs an email on the account). */
export interface SubAccountUpdate {
  name?: string | undefined;
  enabled?: boolean | undefined;
  kyc_mode?: "personal_use" | "customer_use" | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link SubAccountUpdate}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { SubAccountUpdateSchema } from "vobiz-kit";
 * const ok = v.safeParse(SubAccountUpdateSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const SubAccountUpdateSchema: v.GenericSchema<SubAccountUpdate> = v.looseObject({
  name: v.optional(NameSchema),
  enabled: v.optional(v.boolean()),
  kyc_mode: v.optional(kycMode),
});

/** The answer of `subAccounts.create`: the credentials and tokens are shown only this once. */
export interface SubAccountCreated {
  sub_account: SubAccount;
  auth_credentials?: { auth_id: string; auth_token: string; [key: string]: unknown } | undefined;
  tokens?: Record<string, unknown> | null | undefined;
  message?: string | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link SubAccountCreated}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { SubAccountCreatedSchema } from "vobiz-kit";
 * const parsed = v.parse(SubAccountCreatedSchema, await response.json());
 * ```
 */
export const SubAccountCreatedSchema: v.GenericSchema<unknown, SubAccountCreated> = answer(
  "!sub_account:A !auth_credentials:B tokens:o message",
  {
    A: SubAccountSchema,
    B: v.optional(v.looseObject({ auth_id: v.string(), auth_token: v.string() })),
  },
);

/** `client.subAccounts`. */
export interface SubAccountsResource {
  /**
   * Every sub-account, fetched 100 at a time as you iterate.
   *
   * @example
   * ```ts
   * for await (const sub of vobiz.subAccounts.list({ active_only: true })) console.log(sub.auth_id);
   * ```
   */
  list(
    filters?: SubAccountFilters,
    options?: ListOptions,
  ): AsyncGenerator<SubAccount, void, undefined>;
  /**
   * One page.
   *
   * @example
   * ```ts
   * const { items, total } = await vobiz.subAccounts.listPage({ size: 10 });
   * ```
   */
  listPage(
    filters?: SubAccountFilters,
    options?: CallOptions,
  ): Promise<Page<SubAccount, SubAccountList>>;
  /**
   * One sub-account by its `auth_id` (`SA_…`, not the numeric `id`).
   *
   * @example
   * ```ts
   * const sub = await vobiz.subAccounts.get("SA_ABCDEF12");
   * ```
   */
  get(subAuthId: string, options?: CallOptions): Promise<SubAccount>;
  /**
   * Creates a sub-account. Keep `auth_credentials` from the answer: later reads mask the token.
   *
   * @example
   * ```ts
   * const { auth_credentials } = await vobiz.subAccounts.create({ name: "Acme", email: "ops@acme.in" });
   * ```
   */
  create(body: SubAccountCreate, options?: CallOptions): Promise<SubAccountCreated>;
  /**
   * Updates name, `enabled` or `kyc_mode`.
   *
   * @example
   * ```ts
   * await vobiz.subAccounts.update("SA_ABCDEF12", { enabled: false });
   * ```
   */
  update(subAuthId: string, body: SubAccountUpdate, options?: CallOptions): Promise<SubAccount>;
  /**
   * Deletes a sub-account.
   *
   * @example
   * ```ts
   * await vobiz.subAccounts.delete("SA_ABCDEF12");
   * ```
   */
  delete(subAuthId: string, options?: CallOptions): Promise<Acknowledgement>;
}
