/**
 * The mock's route table: one line per route, templates relative to `/api/v1`, casing and trailing
 * slashes exactly as in the reference (§3). Matching is case-sensitive, so `/account/...` is a 404.
 *
 * @module
 */

import { templateToRegExp } from "./faults.ts";
import { getAccount, getBalance, listTransactions } from "./api/account.ts";
import {
  createCall,
  getConcurrency,
  getLiveCall,
  hangupCall,
  listLiveCalls,
  listQueuedCalls,
} from "./api/calls.ts";
import { getCdr, listCdrs } from "./api/cdrs.ts";
import type { Handler } from "./api/context.ts";
import { listNumbers, purchaseNumber, releaseNumber, searchInventory } from "./api/numbers.ts";
import { createTrunk, deleteTrunk, getTrunk, listTrunks, updateTrunk } from "./api/trunks.ts";

/**
 * One route: method, path template (after `/api/v1`) and handler.
 *
 * @example
 * ```ts
 * import type { Route } from "./routes.ts";
 * const route: Route = { method: "GET", path: "/auth/me", handle: () => new Response("{}") };
 * ```
 */
export interface Route {
  /** HTTP method. */
  method: string;
  /** Template; `{name}` matches one segment and is passed, decoded, as `params.name`. */
  path: string;
  /** The handler. */
  handle: Handler;
}

/**
 * Every route the mock serves. To correct a path, edit its line.
 *
 * @example
 * ```ts
 * import { ROUTES } from "./routes.ts";
 * ROUTES.map((r) => `${r.method} ${r.path}`);
 * ```
 */
export const ROUTES: readonly Route[] = [
  { method: "GET", path: "/auth/me", handle: getAccount },
  { method: "GET", path: "/Account/{auth_id}/balance/{currency}", handle: getBalance },
  { method: "GET", path: "/Account/{auth_id}/transactions", handle: listTransactions },
  { method: "GET", path: "/Account/{auth_id}/concurrency", handle: getConcurrency },
  { method: "GET", path: "/Account/{auth_id}/trunks", handle: listTrunks },
  { method: "POST", path: "/Account/{auth_id}/trunks", handle: createTrunk },
  { method: "GET", path: "/Account/{auth_id}/trunks/{trunk_id}", handle: getTrunk },
  { method: "PUT", path: "/Account/{auth_id}/trunks/{trunk_id}", handle: updateTrunk },
  { method: "DELETE", path: "/Account/{auth_id}/trunks/{trunk_id}", handle: deleteTrunk },
  { method: "GET", path: "/Account/{auth_id}/numbers", handle: listNumbers },
  { method: "GET", path: "/Account/{auth_id}/inventory/numbers", handle: searchInventory },
  {
    method: "POST",
    path: "/Account/{auth_id}/numbers/purchase-from-inventory",
    handle: purchaseNumber,
  },
  { method: "DELETE", path: "/Account/{auth_id}/numbers/{e164}", handle: releaseNumber },
  { method: "GET", path: "/Account/{auth_id}/cdr", handle: listCdrs },
  { method: "GET", path: "/Account/{auth_id}/cdr/{call_id}", handle: getCdr },
  { method: "POST", path: "/Account/{auth_id}/Call/", handle: createCall },
  { method: "GET", path: "/Account/{auth_id}/Call", handle: listLiveCalls },
  { method: "GET", path: "/Account/{auth_id}/Call/", handle: listQueuedCalls },
  { method: "GET", path: "/Account/{auth_id}/Call/{call_uuid}", handle: getLiveCall },
  { method: "DELETE", path: "/Account/{auth_id}/Call/{call_uuid}", handle: hangupCall },
];

/**
 * The outcome of matching a request against the table: the route and its raw params, a list of
 * the methods the path allows (405), or nothing (404).
 *
 * @example
 * ```ts
 * import { matchRoute, type RouteMatch } from "./routes.ts";
 * const match: RouteMatch = matchRoute("GET", "/auth/me");
 * ```
 */
export type RouteMatch =
  | { kind: "found"; route: Route; params: Record<string, string> }
  | { kind: "method"; allow: string[] }
  | { kind: "none" };

const COMPILED = ROUTES.map((route) => ({
  route,
  pattern: templateToRegExp(route.path),
  names: [...route.path.matchAll(/\{([^}/]+)\}/g)].map((m) => m[1] ?? ""),
}));

/**
 * Finds the route for a method and a raw path (after `/api/v1`). Params stay percent-encoded.
 *
 * @example
 * ```ts
 * import { matchRoute } from "./routes.ts";
 * matchRoute("GET", "/Account/MA_1/cdr"); // { kind: "found", params: { auth_id: "MA_1" }, … }
 * matchRoute("GET", "/account/MA_1/cdr"); // { kind: "none" }
 * ```
 */
export function matchRoute(method: string, path: string): RouteMatch {
  const allow: string[] = [];
  for (const { route, pattern, names } of COMPILED) {
    const match = pattern.exec(path);
    if (match === null) continue;
    if (route.method !== method) {
      allow.push(route.method);
      continue;
    }
    const params: Record<string, string> = {};
    names.forEach((name, i) => params[name] = match[i + 1] ?? "");
    return { kind: "found", route, params };
  }
  return allow.length > 0 ? { kind: "method", allow } : { kind: "none" };
}
