/**
 * The resource namespaces of a client, bound to its `request`.
 *
 * @module
 */
import { type AccountResource, accountResource } from "./account.ts";
import { type BalanceResource, balanceResource } from "./balance.ts";
import type { RequestFn } from "./request_fn.ts";

/** The resource namespaces on a client. */
export interface Resources {
  /** The authenticated account. */
  readonly account: AccountResource;
  /** Balance per currency. */
  readonly balance: BalanceResource;
}

/** Creates every resource namespace for one client. */
export function createResources(request: RequestFn): Resources {
  return {
    account: accountResource(request),
    balance: balanceResource(request),
  };
}
