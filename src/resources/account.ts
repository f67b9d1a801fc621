/**
 * `client.account`: the authenticated account (`GET /auth/me`).
 *
 * @example
 * ```ts
 * const me = await vobiz.account.get();
 * console.log(me.auth_id, me.cps_limit);
 * ```
 *
 * @module
 */
import * as v from "valibot";
import type { CallOptions } from "../options.ts";
import type { RequestFn } from "./request_fn.ts";

/** The account object. Open: unknown fields and enum values pass (the API adds them in v1). */
export const AccountSchema: v.LooseObjectSchema<{
  auth_id: v.StringSchema<undefined>;
  name: v.OptionalSchema<v.NullableSchema<v.StringSchema<undefined>, undefined>, undefined>;
  email: v.OptionalSchema<v.NullableSchema<v.StringSchema<undefined>, undefined>, undefined>;
  cps_limit: v.OptionalSchema<v.NullableSchema<v.NumberSchema<undefined>, undefined>, undefined>;
  concurrent_calls_limit: v.OptionalSchema<
    v.NullableSchema<v.NumberSchema<undefined>, undefined>,
    undefined
  >;
}, undefined> = v.looseObject({
  auth_id: v.string(),
  name: v.optional(v.nullable(v.string())),
  email: v.optional(v.nullable(v.string())),
  cps_limit: v.optional(v.nullable(v.number())),
  concurrent_calls_limit: v.optional(v.nullable(v.number())),
});

/** The account object returned by `GET /auth/me`. */
export type Account = v.InferOutput<typeof AccountSchema>;

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
}

/** Binds the account resource to a client's `request`. */
export function accountResource(request: RequestFn): AccountResource {
  return {
    get: (options) => request<Account>("GET", "/auth/me", { ...options, schema: AccountSchema }),
  };
}
