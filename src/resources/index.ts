/**
 * The public types and schemas of every resource namespace, re-exported by the package root.
 *
 * @module
 */
export * from "./account.ts";
export * from "./applications.ts";
export * from "./balance.ts";
export * from "./calls.ts";
export * from "./cdrs.ts";
export * from "./conferences.ts";
export * from "./credentials.ts";
export * from "./endpoints.ts";
export * from "./ip_acls.ts";
export * from "./numbers.ts";
export * from "./origination_uris.ts";
export * from "./recordings.ts";
export * from "./sub_accounts.ts";
export * from "./transactions.ts";
export * from "./trunks.ts";
export {
  type Acknowledgement,
  AcknowledgementSchema,
  type Amount,
  AmountSchema,
  type ObjectList,
  type OffsetFilters,
  OffsetFiltersSchema,
} from "./_shared.ts";
export {
  accountResource,
  applicationsResource,
  balanceResource,
  callsResource,
  cdrsResource,
  conferencesResource,
  credentialsResource,
  endpointsResource,
  ipAclsResource,
  numbersResource,
  originationUrisResource,
  recordingsResource,
  type Resources,
  subAccountsResource,
  transactionsResource,
  trunksResource,
} from "./mod.ts";
