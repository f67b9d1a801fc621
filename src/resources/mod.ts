/**
 * The resource namespaces of a client, bound to its `request` (and clock).
 *
 * @module
 */
import { type Clock, systemClock } from "../clock.ts";
import { validateInput } from "../validation.ts";
import type { Account, AccountResource } from "./account.ts";
import type { ApplicationsResource } from "./applications.ts";
import type { BalanceResource } from "./balance.ts";
import type { CallsResource } from "./calls.ts";
import type { CdrsResource } from "./cdrs.ts";
import type { ConferencesResource } from "./conferences.ts";
import {
  type CredentialsResource,
  type SipCredential,
  type StaleCredential,
  StaleOptionsSchema,
  type StaleReport,
} from "./credentials.ts";
import type { EndpointsResource } from "./endpoints.ts";
import type { IpAclsResource } from "./ip_acls.ts";
import type { NumbersResource } from "./numbers.ts";
import type { OriginationUrisResource } from "./origination_uris.ts";
import type { RecordingsResource } from "./recordings.ts";
import type { RequestFn } from "./request_fn.ts";
import { PARAMS, ROUTES, type Table } from "./routes.ts";
import type { SubAccountsResource } from "./sub_accounts.ts";
import type { TransactionsResource } from "./transactions.ts";
import type { TrunksResource } from "./trunks.ts";
import { type Method, methods, type Op } from "./_shared.ts";

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

/**
 * Creates every resource namespace for one client, from the route table.
 *
 * @example
 * ```ts
 * const resources = createResources(client.request);
 * await resources.trunks.get(trunkId);
 * ```
 */
export function createResources(request: RequestFn, clock: Clock = systemClock): Resources {
  const build = (table: Table): Record<string, unknown> => {
    const namespace: Record<string, unknown> = {};
    for (const [name, entry] of Object.entries(table)) {
      if (Array.isArray(entry)) {
        Object.assign(namespace, Object.fromEntries(methods(request, name, entry as Op, PARAMS)));
      } else namespace[name] = build(entry as Table);
    }
    return namespace;
  };
  const resources = build(ROUTES) as unknown as Resources & {
    credentials: { stale: Method };
  };
  // Not a route: a list and `account.get`, put together.
  resources.credentials.stale = async (options = {}, callOptions) => {
    const { maxAgeDays = 90, authTokenRotatedAt } = validateInput(StaleOptionsSchema, options);
    const now = clock.now();
    const credentials: StaleCredential[] = [];
    const unknownAge: SipCredential[] = [];
    for await (const credential of resources.credentials.list({}, callOptions)) {
      const lastChangedAt = credential.updated_at ?? credential.created_at;
      const changed = lastChangedAt ? Date.parse(lastChangedAt) : NaN;
      if (!lastChangedAt || Number.isNaN(changed)) unknownAge.push(credential);
      else if (now - changed > maxAgeDays * DAY_MS) {
        credentials.push({
          credential,
          lastChangedAt,
          ageDays: Math.floor((now - changed) / DAY_MS),
        });
      }
    }
    credentials.sort((a, b) => b.ageDays - a.ageDays);
    const account = await resources.account.get(callOptions);
    return {
      maxAgeDays,
      checkedAt: new Date(now).toISOString(),
      credentials,
      unknownAge,
      authToken: authTokenState(account, authTokenRotatedAt, maxAgeDays, now),
    };
  };
  return resources;
}

const DAY_MS = 86_400_000;

function authTokenState(
  account: Account,
  rotatedAt: string | number | Date | undefined,
  maxAgeDays: number,
  now: number,
): StaleReport["authToken"] {
  const expiresText = account.auth_token_expire_time ?? undefined;
  const expires = expiresText ? Date.parse(expiresText) : NaN;
  const rotated = rotatedAt === undefined ? NaN : new Date(rotatedAt).getTime();
  const known = {
    expiresAt: expiresText,
    lastRotatedAt: Number.isNaN(rotated) ? undefined : new Date(rotated).toISOString(),
  };
  if (!Number.isNaN(expires) && expires <= now) {
    return { due: true, reason: `the auth token expired at ${expiresText}`, ...known };
  }
  if (!Number.isNaN(rotated)) {
    const ageDays = Math.floor((now - rotated) / DAY_MS);
    return now - rotated > maxAgeDays * DAY_MS
      ? { due: true, reason: `last rotated ${ageDays} days ago (over ${maxAgeDays})`, ...known }
      : { due: false, reason: `last rotated ${ageDays} days ago`, ...known };
  }
  return {
    due: undefined,
    reason: "Vobiz does not report when the auth token was last rotated; pass authTokenRotatedAt",
    ...known,
  };
}

/**
 * Binds the account resource to a client's `request`.
 *
 * @example
 * ```ts
 * const account = accountResource(client.request);
 * ```
 */
export function accountResource(request: RequestFn): AccountResource {
  return createResources(request).account;
}

/**
 * Binds the balance resource to a client's `request`.
 *
 * @example
 * ```ts
 * const balance = balanceResource(client.request);
 * ```
 */
export function balanceResource(request: RequestFn): BalanceResource {
  return createResources(request).balance;
}

/**
 * Binds the transactions resource to a client's `request`.
 *
 * @example
 * ```ts
 * const transactions = transactionsResource(client.request);
 * ```
 */
export function transactionsResource(request: RequestFn): TransactionsResource {
  return createResources(request).transactions;
}

/**
 * Binds the sub-accounts resource to a client's `request`.
 *
 * @example
 * ```ts
 * const subAccounts = subAccountsResource(client.request);
 * ```
 */
export function subAccountsResource(request: RequestFn): SubAccountsResource {
  return createResources(request).subAccounts;
}

/**
 * Binds the trunks resource to a client's `request`.
 *
 * @example
 * ```ts
 * const trunks = trunksResource(client.request);
 * ```
 */
export function trunksResource(request: RequestFn): TrunksResource {
  return createResources(request).trunks;
}

/**
 * Binds the IP ACL resource to a client's `request`.
 *
 * @example
 * ```ts
 * const ipAcls = ipAclsResource(client.request);
 * ```
 */
export function ipAclsResource(request: RequestFn): IpAclsResource {
  return createResources(request).ipAcls;
}

/**
 * Binds the origination-URI resource to a client's `request`.
 *
 * @example
 * ```ts
 * const originationUris = originationUrisResource(client.request);
 * ```
 */
export function originationUrisResource(request: RequestFn): OriginationUrisResource {
  return createResources(request).originationUris;
}

/**
 * Binds the numbers resource to a client's `request`.
 *
 * @example
 * ```ts
 * const numbers = numbersResource(client.request);
 * ```
 */
export function numbersResource(request: RequestFn): NumbersResource {
  return createResources(request).numbers;
}

/**
 * Binds the CDR resource to a client's `request`.
 *
 * @example
 * ```ts
 * const cdrs = cdrsResource(client.request);
 * ```
 */
export function cdrsResource(request: RequestFn): CdrsResource {
  return createResources(request).cdrs;
}

/**
 * Binds the calls resource to a client's `request`.
 *
 * @example
 * ```ts
 * const calls = callsResource(client.request);
 * ```
 */
export function callsResource(request: RequestFn): CallsResource {
  return createResources(request).calls;
}

/**
 * Binds the applications resource to a client's `request`.
 *
 * @example
 * ```ts
 * const applications = applicationsResource(client.request);
 * ```
 */
export function applicationsResource(request: RequestFn): ApplicationsResource {
  return createResources(request).applications;
}

/**
 * Binds the endpoints resource to a client's `request`.
 *
 * @example
 * ```ts
 * const endpoints = endpointsResource(client.request);
 * ```
 */
export function endpointsResource(request: RequestFn): EndpointsResource {
  return createResources(request).endpoints;
}

/**
 * Binds the recordings resource to a client's `request`.
 *
 * @example
 * ```ts
 * const recordings = recordingsResource(client.request);
 * ```
 */
export function recordingsResource(request: RequestFn): RecordingsResource {
  return createResources(request).recordings;
}

/**
 * Binds the conferences resource to a client's `request`.
 *
 * @example
 * ```ts
 * const conferences = conferencesResource(client.request);
 * ```
 */
export function conferencesResource(request: RequestFn): ConferencesResource {
  return createResources(request).conferences;
}

/**
 * Binds the credentials resource to a client's `request` and clock.
 *
 * @example
 * ```ts
 * const credentials = credentialsResource(client.request, systemClock);
 * ```
 */
export function credentialsResource(request: RequestFn, clock: Clock): CredentialsResource {
  return createResources(request, clock).credentials;
}
