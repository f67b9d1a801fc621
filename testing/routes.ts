/**
 * The mock's route table: one line per route, templates relative to `/api/v1`, casing and trailing
 * slashes exactly as in the reference (§3). Matching is case-sensitive, so `/account/...` is a 404.
 *
 * @module
 */

import { templateToRegExp } from "./faults.ts";
import {
  getAccount,
  getBalance,
  listTransactions,
  previewCapacity,
  refreshTokens,
  rotateAuthToken,
  subscribeCapacity,
} from "./api/account.ts";
import {
  callAction,
  createCall,
  getConcurrency,
  getLiveCall,
  getQueuedCall,
  getStream,
  hangupCall,
  listLiveCalls,
  listQueuedCalls,
  listStreams,
  startStream,
  stopAllStreams,
  stopCallAction,
  stopStream,
} from "./api/calls.ts";
import { exportCdrs, getCdr, listCdrs, recentCdrs, searchCdrs } from "./api/cdrs.ts";
import {
  endAllConferences,
  endConference,
  getConference,
  listConferences,
  memberAction,
  recordConference,
  stopConferenceRecording,
} from "./api/conferences.ts";
import type { Handler } from "./api/context.ts";
import {
  assignToSubAccount,
  assignToTrunk,
  cancelRelease,
  listNumbers,
  numberHealth,
  purchaseNumber,
  releaseNumber,
  searchInventory,
  unassignFromSubAccount,
  unassignFromTrunk,
} from "./api/numbers.ts";
import {
  deleteRecording,
  exportRecordings,
  getRecording,
  listRecordings,
} from "./api/recordings.ts";
import {
  createSubAccount,
  deleteSubAccount,
  getSubAccount,
  listSubAccounts,
  updateSubAccount,
} from "./api/sub_accounts.ts";
import {
  createCredential,
  createIpAcl,
  createOriginationUri,
  deleteCredential,
  deleteIpAcl,
  deleteOriginationUri,
  getCredential,
  listCredentials,
  listIpAcls,
  listOriginationUris,
  updateCredential,
  updateIpAcl,
  updateOriginationUri,
} from "./api/trunk_auth.ts";
import { createTrunk, deleteTrunk, getTrunk, listTrunks, updateTrunk } from "./api/trunks.ts";
import {
  createApplication,
  createEndpoint,
  deleteApplication,
  deleteEndpoint,
  getApplication,
  getEndpoint,
  listApplications,
  listEndpoints,
  updateApplication,
  updateEndpoint,
} from "./api/voice_apps.ts";

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
  /**
   * How the caller proves who it is: by default the `X-Auth-ID`/`X-Auth-Token` pair; `"bearer"`:
   * a Bearer access token when one is sent (it then decides alone), else the pair; `"refresh"`:
   * only a Bearer refresh token.
   */
  auth?: "bearer" | "refresh";
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
  { method: "POST", path: "/auth-token/rotate", handle: rotateAuthToken },
  { method: "POST", path: "/auth/refresh", handle: refreshTokens, auth: "refresh" },
  { method: "GET", path: "/Account/{auth_id}/balance/{currency}", handle: getBalance },
  { method: "GET", path: "/Account/{auth_id}/transactions", handle: listTransactions },
  { method: "GET", path: "/Account/{auth_id}/concurrency", handle: getConcurrency },
  {
    method: "GET",
    path: "/accounts/{auth_id}/channel-pricing-preview",
    handle: previewCapacity,
    auth: "bearer",
  },
  {
    method: "POST",
    path: "/accounts/{auth_id}/channel-subscriptions",
    handle: subscribeCapacity,
    auth: "bearer",
  },

  { method: "GET", path: "/accounts/{auth_id}/sub-accounts/", handle: listSubAccounts },
  { method: "POST", path: "/accounts/{auth_id}/sub-accounts/", handle: createSubAccount },
  { method: "GET", path: "/accounts/{auth_id}/sub-accounts/{sub_auth_id}", handle: getSubAccount },
  {
    method: "PUT",
    path: "/accounts/{auth_id}/sub-accounts/{sub_auth_id}",
    handle: updateSubAccount,
  },
  {
    method: "DELETE",
    path: "/accounts/{auth_id}/sub-accounts/{sub_auth_id}",
    handle: deleteSubAccount,
  },

  // The trunk family's lists live under /trunks/, before /trunks/{trunk_id} so they match first.
  { method: "GET", path: "/Account/{auth_id}/trunks/credentials", handle: listCredentials },
  { method: "GET", path: "/Account/{auth_id}/trunks/ip-acl", handle: listIpAcls },
  {
    method: "GET",
    path: "/Account/{auth_id}/trunks/origination-uris",
    handle: listOriginationUris,
  },
  { method: "GET", path: "/Account/{auth_id}/trunks", handle: listTrunks },
  { method: "POST", path: "/Account/{auth_id}/trunks", handle: createTrunk },
  { method: "GET", path: "/Account/{auth_id}/trunks/{trunk_id}", handle: getTrunk },
  { method: "PUT", path: "/Account/{auth_id}/trunks/{trunk_id}", handle: updateTrunk },
  { method: "DELETE", path: "/Account/{auth_id}/trunks/{trunk_id}", handle: deleteTrunk },
  { method: "POST", path: "/Account/{auth_id}/credentials", handle: createCredential },
  { method: "GET", path: "/Account/{auth_id}/credentials/{credential_id}", handle: getCredential },
  {
    method: "PUT",
    path: "/Account/{auth_id}/credentials/{credential_id}",
    handle: updateCredential,
  },
  {
    method: "DELETE",
    path: "/Account/{auth_id}/credentials/{credential_id}",
    handle: deleteCredential,
  },
  { method: "POST", path: "/Account/{auth_id}/ip-acl", handle: createIpAcl },
  { method: "PUT", path: "/Account/{auth_id}/ip-acl/{ip_acl_id}", handle: updateIpAcl },
  { method: "DELETE", path: "/Account/{auth_id}/ip-acl/{ip_acl_id}", handle: deleteIpAcl },
  { method: "POST", path: "/Account/{auth_id}/origination-uris", handle: createOriginationUri },
  {
    method: "PUT",
    path: "/Account/{auth_id}/origination-uris/{uri_id}",
    handle: updateOriginationUri,
  },
  {
    method: "DELETE",
    path: "/Account/{auth_id}/origination-uris/{uri_id}",
    handle: deleteOriginationUri,
  },

  { method: "GET", path: "/Account/{auth_id}/numbers", handle: listNumbers },
  { method: "GET", path: "/Account/{auth_id}/inventory/numbers", handle: searchInventory },
  {
    method: "POST",
    path: "/Account/{auth_id}/numbers/purchase-from-inventory",
    handle: purchaseNumber,
  },
  { method: "DELETE", path: "/Account/{auth_id}/numbers/{e164}", handle: releaseNumber },
  { method: "POST", path: "/Account/{auth_id}/numbers/{e164}/assign", handle: assignToTrunk },
  {
    method: "DELETE",
    path: "/Account/{auth_id}/numbers/{e164}/assign",
    handle: unassignFromTrunk,
  },
  // Lowercase /account/ for these, as in every source (vobiz-api.md §1.1).
  {
    method: "POST",
    path: "/account/{auth_id}/numbers/{e164}/cancel-release",
    handle: cancelRelease,
  },
  {
    method: "POST",
    path: "/account/{auth_id}/numbers/{e164}/assign-subaccount",
    handle: assignToSubAccount,
  },
  {
    method: "DELETE",
    path: "/account/{auth_id}/numbers/{e164}/assign-subaccount",
    handle: unassignFromSubAccount,
  },
  { method: "GET", path: "/account/{auth_id}/numbers/{e164}/health", handle: numberHealth },

  { method: "GET", path: "/Account/{auth_id}/cdr", handle: listCdrs },
  { method: "GET", path: "/Account/{auth_id}/cdr/search", handle: searchCdrs },
  { method: "GET", path: "/Account/{auth_id}/cdr/recent", handle: recentCdrs },
  { method: "GET", path: "/Account/{auth_id}/cdr/export", handle: exportCdrs },
  { method: "GET", path: "/Account/{auth_id}/cdr/{call_id}", handle: getCdr },

  { method: "POST", path: "/Account/{auth_id}/Call/", handle: createCall },
  { method: "GET", path: "/Account/{auth_id}/Call", handle: listLiveCalls },
  { method: "GET", path: "/Account/{auth_id}/Call/", handle: listQueuedCalls },
  { method: "GET", path: "/Account/{auth_id}/Call/{call_uuid}", handle: getLiveCall },
  { method: "GET", path: "/Account/{auth_id}/Call/{call_uuid}/", handle: getQueuedCall },
  { method: "DELETE", path: "/Account/{auth_id}/Call/{call_uuid}", handle: hangupCall },
  { method: "POST", path: "/Account/{auth_id}/Call/{call_uuid}/Play/", handle: callAction("Play") },
  { method: "DELETE", path: "/Account/{auth_id}/Call/{call_uuid}/Play/", handle: stopCallAction },
  {
    method: "POST",
    path: "/Account/{auth_id}/Call/{call_uuid}/Speak/",
    handle: callAction("Speak"),
  },
  { method: "DELETE", path: "/Account/{auth_id}/Call/{call_uuid}/Speak/", handle: stopCallAction },
  { method: "POST", path: "/Account/{auth_id}/Call/{call_uuid}/DTMF/", handle: callAction("DTMF") },
  {
    method: "POST",
    path: "/Account/{auth_id}/Call/{call_uuid}/Record/",
    handle: callAction("Record"),
  },
  { method: "DELETE", path: "/Account/{auth_id}/Call/{call_uuid}/Record/", handle: stopCallAction },
  { method: "POST", path: "/Account/{auth_id}/Call/{call_uuid}/Stream/", handle: startStream },
  { method: "GET", path: "/Account/{auth_id}/Call/{call_uuid}/Stream/", handle: listStreams },
  { method: "DELETE", path: "/Account/{auth_id}/Call/{call_uuid}/Stream/", handle: stopAllStreams },
  {
    method: "GET",
    path: "/Account/{auth_id}/Call/{call_uuid}/Stream/{stream_id}/",
    handle: getStream,
  },
  {
    method: "DELETE",
    path: "/Account/{auth_id}/Call/{call_uuid}/Stream/{stream_id}/",
    handle: stopStream,
  },

  { method: "GET", path: "/Account/{auth_id}/Application/", handle: listApplications },
  { method: "POST", path: "/Account/{auth_id}/Application/", handle: createApplication },
  { method: "GET", path: "/Account/{auth_id}/Application/{app_id}/", handle: getApplication },
  { method: "POST", path: "/Account/{auth_id}/Application/{app_id}/", handle: updateApplication },
  {
    method: "DELETE",
    path: "/Account/{auth_id}/Application/{app_id}/",
    handle: deleteApplication,
  },
  { method: "GET", path: "/Account/{auth_id}/Endpoint/", handle: listEndpoints },
  { method: "POST", path: "/Account/{auth_id}/Endpoint/", handle: createEndpoint },
  { method: "GET", path: "/Account/{auth_id}/Endpoint/{endpoint_id}/", handle: getEndpoint },
  { method: "POST", path: "/Account/{auth_id}/Endpoint/{endpoint_id}/", handle: updateEndpoint },
  { method: "DELETE", path: "/Account/{auth_id}/Endpoint/{endpoint_id}/", handle: deleteEndpoint },

  { method: "GET", path: "/Account/{auth_id}/Recording/", handle: listRecordings },
  { method: "GET", path: "/Account/{auth_id}/Recording/{recording_id}/", handle: getRecording },
  {
    method: "DELETE",
    path: "/Account/{auth_id}/Recording/{recording_id}/",
    handle: deleteRecording,
  },
  { method: "POST", path: "/Account/{auth_id}/export/recording/", handle: exportRecordings },

  { method: "GET", path: "/Account/{auth_id}/Conference/", handle: listConferences },
  { method: "DELETE", path: "/Account/{auth_id}/Conference/", handle: endAllConferences },
  {
    method: "GET",
    path: "/Account/{auth_id}/Conference/{conference_name}/",
    handle: getConference,
  },
  {
    method: "DELETE",
    path: "/Account/{auth_id}/Conference/{conference_name}/",
    handle: endConference,
  },
  {
    method: "POST",
    path: "/Account/{auth_id}/Conference/{conference_name}/Record/",
    handle: recordConference,
  },
  {
    method: "DELETE",
    path: "/Account/{auth_id}/Conference/{conference_name}/Record/",
    handle: stopConferenceRecording,
  },
  ...[
    ["DELETE", "", "hangup"],
    ["POST", "Kick/", "kick"],
    ["POST", "Mute/", "mute"],
    ["DELETE", "Mute/", "unmute"],
    ["POST", "Deaf/", "deaf"],
    ["DELETE", "Deaf/", "undeaf"],
    ["POST", "Play/", "play"],
    ["DELETE", "Play/", "stopPlay"],
  ].map(([method, suffix, action]) => ({
    method: method ?? "",
    path: `/Account/{auth_id}/Conference/{conference_name}/Member/{member_id}/${suffix ?? ""}`,
    handle: memberAction(action as Parameters<typeof memberAction>[0]),
  })),
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
