/**
 * The resource namespaces of a client, bound to its `request` (and clock).
 *
 * @module
 */
import { type Clock, systemClock } from "../clock.ts";
import { type AccountResource, accountResource } from "./account.ts";
import { type ApplicationsResource, applicationsResource } from "./applications.ts";
import { type BalanceResource, balanceResource } from "./balance.ts";
import { type CallsResource, callsResource } from "./calls.ts";
import { type CdrsResource, cdrsResource } from "./cdrs.ts";
import { type ConferencesResource, conferencesResource } from "./conferences.ts";
import { type CredentialsResource, credentialsResource } from "./credentials.ts";
import { type EndpointsResource, endpointsResource } from "./endpoints.ts";
import { type IpAclsResource, ipAclsResource } from "./ip_acls.ts";
import { type NumbersResource, numbersResource } from "./numbers.ts";
import { type OriginationUrisResource, originationUrisResource } from "./origination_uris.ts";
import { type RecordingsResource, recordingsResource } from "./recordings.ts";
import type { RequestFn } from "./request_fn.ts";
import { type SubAccountsResource, subAccountsResource } from "./sub_accounts.ts";
import { type TransactionsResource, transactionsResource } from "./transactions.ts";
import { type TrunksResource, trunksResource } from "./trunks.ts";

/** The resource namespaces on a client. */
export interface Resources {
  /** The authenticated account, its concurrency and capacity. */
  readonly account: AccountResource;
  /** Balance per currency. */
  readonly balance: BalanceResource;
  /** The ledger. */
  readonly transactions: TransactionsResource;
  /** Sub-accounts (provisioning; use `withAccount` for their own traffic). */
  readonly subAccounts: SubAccountsResource;
  /** SIP trunks. */
  readonly trunks: TrunksResource;
  /** SIP digest credentials of trunks, and their rotation check. */
  readonly credentials: CredentialsResource;
  /** IP access-control entries of trunks. */
  readonly ipAcls: IpAclsResource;
  /** Where inbound trunk calls are sent. */
  readonly originationUris: OriginationUrisResource;
  /** Phone numbers: owned, inventory, purchase, release, routing, health. */
  readonly numbers: NumbersResource;
  /** Call detail records. */
  readonly cdrs: CdrsResource;
  /** Calls and in-call actions. */
  readonly calls: CallsResource;
  /** Voice applications. */
  readonly applications: ApplicationsResource;
  /** SIP endpoints. */
  readonly endpoints: EndpointsResource;
  /** Recordings. */
  readonly recordings: RecordingsResource;
  /** Conference rooms and their members. */
  readonly conferences: ConferencesResource;
}

/** Creates every resource namespace for one client. */
export function createResources(request: RequestFn, clock: Clock = systemClock): Resources {
  return {
    account: accountResource(request),
    balance: balanceResource(request),
    transactions: transactionsResource(request),
    subAccounts: subAccountsResource(request),
    trunks: trunksResource(request),
    credentials: credentialsResource(request, clock),
    ipAcls: ipAclsResource(request),
    originationUris: originationUrisResource(request),
    numbers: numbersResource(request),
    cdrs: cdrsResource(request),
    calls: callsResource(request),
    applications: applicationsResource(request),
    endpoints: endpointsResource(request),
    recordings: recordingsResource(request),
    conferences: conferencesResource(request),
  };
}
