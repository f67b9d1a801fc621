/**
 * `client.balance`: the account balance per currency.
 *
 * @example
 * ```ts
 * const { balance, currency } = await vobiz.balance.get(); // INR by default
 * ```
 *
 * @module
 */
import * as v from "valibot";
import type { CallOptions } from "../options.ts";

/** An ISO 4217 currency code (three upper-case letters). */
export const CurrencySchema: v.SchemaWithPipe<
  readonly [v.StringSchema<undefined>, v.RegexAction<string, string>]
> = v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, "currency must be an ISO 4217 code such as INR"));

/** The balance object. Open to new fields; `balance` is a number as the API types it. */
export const BalanceSchema: v.LooseObjectSchema<{
  currency: v.StringSchema<undefined>;
  balance: v.NumberSchema<undefined>;
  available_balance: v.OptionalSchema<
    v.NullableSchema<v.NumberSchema<undefined>, undefined>,
    undefined
  >;
}, undefined> = v.looseObject({
  currency: v.string(),
  balance: v.number(),
  available_balance: v.optional(v.nullable(v.number())),
});

/** The balance object returned by `GET /Account/{auth_id}/balance/{currency}`. */
export type Balance = v.InferOutput<typeof BalanceSchema>;

/** `client.balance`. */
export interface BalanceResource {
  /**
   * The balance in one currency (ISO code, default `INR`).
   *
   * @example
   * ```ts
   * const usd = await vobiz.balance.get("USD");
   * ```
   */
  get(currency?: string, options?: CallOptions): Promise<Balance>;
}
