/**
 * Every route the resources call, in one table: `"METHOD /path/template"`, relative to the REST
 * base (`…/api/v1`). Casing and trailing slashes are exactly those of the newest OpenAPI
 * (vobiz-api.md §1.1 and §3): `/Account/` for voice resources, lowercase `/account/` for number
 * health, cancel-release and sub-account assignment, plural `/accounts/` for sub-accounts and
 * capacity, `/Call` (live) versus `/Call/` (queued). To correct a route, edit its line.
 *
 * `{auth_id}` is filled with the client's account; other `{placeholders}` are URL-encoded by the
 * core (so the `+` of an E.164 number becomes `%2B`).
 *
 * @example
 * ```ts
 * import { ROUTES } from "./routes.ts";
 * ROUTES["cdrs.list"]; // "GET /Account/{auth_id}/cdr"
 * ```
 *
 * @module
 */

/** The route table. Keys are `namespace.method`. */
export const ROUTES = {
  "account.get": "GET /auth/me",
  "account.concurrency": "GET /Account/{auth_id}/concurrency",
  "account.previewCapacity": "GET /accounts/{auth_id}/channel-pricing-preview",
  "account.subscribeCapacity": "POST /accounts/{auth_id}/channel-subscriptions",
  "account.rotateAuthToken": "POST /auth-token/rotate",
  "balance.get": "GET /Account/{auth_id}/balance/{currency}",
  "transactions.list": "GET /Account/{auth_id}/transactions",

  "subAccounts.list": "GET /accounts/{auth_id}/sub-accounts/",
  "subAccounts.create": "POST /accounts/{auth_id}/sub-accounts/",
  "subAccounts.get": "GET /accounts/{auth_id}/sub-accounts/{sub_auth_id}",
  "subAccounts.update": "PUT /accounts/{auth_id}/sub-accounts/{sub_auth_id}",
  "subAccounts.delete": "DELETE /accounts/{auth_id}/sub-accounts/{sub_auth_id}",

  "trunks.list": "GET /Account/{auth_id}/trunks",
  "trunks.create": "POST /Account/{auth_id}/trunks",
  "trunks.get": "GET /Account/{auth_id}/trunks/{trunk_id}",
  "trunks.update": "PUT /Account/{auth_id}/trunks/{trunk_id}",
  "trunks.delete": "DELETE /Account/{auth_id}/trunks/{trunk_id}",

  // Lists of the trunk family sit under /trunks/; writes do not (vobiz-api.md §3.5–3.7).
  "credentials.list": "GET /Account/{auth_id}/trunks/credentials",
  "credentials.create": "POST /Account/{auth_id}/credentials",
  "credentials.get": "GET /Account/{auth_id}/credentials/{credential_id}",
  "credentials.update": "PUT /Account/{auth_id}/credentials/{credential_id}",
  "credentials.delete": "DELETE /Account/{auth_id}/credentials/{credential_id}",

  "ipAcls.list": "GET /Account/{auth_id}/trunks/ip-acl",
  "ipAcls.create": "POST /Account/{auth_id}/ip-acl",
  "ipAcls.update": "PUT /Account/{auth_id}/ip-acl/{ip_acl_id}",
  "ipAcls.delete": "DELETE /Account/{auth_id}/ip-acl/{ip_acl_id}",

  "originationUris.list": "GET /Account/{auth_id}/trunks/origination-uris",
  "originationUris.create": "POST /Account/{auth_id}/origination-uris",
  "originationUris.update": "PUT /Account/{auth_id}/origination-uris/{uri_id}",
  "originationUris.delete": "DELETE /Account/{auth_id}/origination-uris/{uri_id}",

  "numbers.list": "GET /Account/{auth_id}/numbers",
  "numbers.searchInventory": "GET /Account/{auth_id}/inventory/numbers",
  "numbers.purchase": "POST /Account/{auth_id}/numbers/purchase-from-inventory",
  "numbers.release": "DELETE /Account/{auth_id}/numbers/{e164}",
  "numbers.cancelRelease": "POST /account/{auth_id}/numbers/{e164}/cancel-release",
  "numbers.assignToTrunk": "POST /Account/{auth_id}/numbers/{e164}/assign",
  "numbers.unassignFromTrunk": "DELETE /Account/{auth_id}/numbers/{e164}/assign",
  "numbers.assignToSubAccount": "POST /account/{auth_id}/numbers/{e164}/assign-subaccount",
  "numbers.unassignFromSubAccount": "DELETE /account/{auth_id}/numbers/{e164}/assign-subaccount",
  "numbers.health": "GET /account/{auth_id}/numbers/{e164}/health",

  "cdrs.list": "GET /Account/{auth_id}/cdr",
  "cdrs.search": "GET /Account/{auth_id}/cdr/search",
  "cdrs.recent": "GET /Account/{auth_id}/cdr/recent",
  "cdrs.export": "GET /Account/{auth_id}/cdr/export",
  "cdrs.get": "GET /Account/{auth_id}/cdr/{call_id}",

  "calls.create": "POST /Account/{auth_id}/Call/",
  "calls.listLive": "GET /Account/{auth_id}/Call",
  "calls.listQueued": "GET /Account/{auth_id}/Call/",
  "calls.get": "GET /Account/{auth_id}/Call/{call_uuid}",
  "calls.getQueued": "GET /Account/{auth_id}/Call/{call_uuid}/",
  "calls.hangup": "DELETE /Account/{auth_id}/Call/{call_uuid}",
  "calls.play": "POST /Account/{auth_id}/Call/{call_uuid}/Play/",
  "calls.stopPlay": "DELETE /Account/{auth_id}/Call/{call_uuid}/Play/",
  "calls.speak": "POST /Account/{auth_id}/Call/{call_uuid}/Speak/",
  "calls.stopSpeak": "DELETE /Account/{auth_id}/Call/{call_uuid}/Speak/",
  "calls.dtmf": "POST /Account/{auth_id}/Call/{call_uuid}/DTMF/",
  "calls.record": "POST /Account/{auth_id}/Call/{call_uuid}/Record/",
  "calls.stopRecord": "DELETE /Account/{auth_id}/Call/{call_uuid}/Record/",
  "calls.streams.start": "POST /Account/{auth_id}/Call/{call_uuid}/Stream/",
  "calls.streams.list": "GET /Account/{auth_id}/Call/{call_uuid}/Stream/",
  "calls.streams.stopAll": "DELETE /Account/{auth_id}/Call/{call_uuid}/Stream/",
  "calls.streams.get": "GET /Account/{auth_id}/Call/{call_uuid}/Stream/{stream_id}/",
  "calls.streams.stop": "DELETE /Account/{auth_id}/Call/{call_uuid}/Stream/{stream_id}/",

  "applications.list": "GET /Account/{auth_id}/Application/",
  "applications.create": "POST /Account/{auth_id}/Application/",
  "applications.get": "GET /Account/{auth_id}/Application/{app_id}/",
  "applications.update": "POST /Account/{auth_id}/Application/{app_id}/",
  "applications.delete": "DELETE /Account/{auth_id}/Application/{app_id}/",

  "endpoints.list": "GET /Account/{auth_id}/Endpoint/",
  "endpoints.create": "POST /Account/{auth_id}/Endpoint/",
  "endpoints.get": "GET /Account/{auth_id}/Endpoint/{endpoint_id}/",
  "endpoints.update": "POST /Account/{auth_id}/Endpoint/{endpoint_id}/",
  "endpoints.delete": "DELETE /Account/{auth_id}/Endpoint/{endpoint_id}/",

  "recordings.list": "GET /Account/{auth_id}/Recording/",
  "recordings.get": "GET /Account/{auth_id}/Recording/{recording_id}/",
  "recordings.delete": "DELETE /Account/{auth_id}/Recording/{recording_id}/",
  "recordings.export": "POST /Account/{auth_id}/export/recording/",

  "conferences.list": "GET /Account/{auth_id}/Conference/",
  "conferences.endAll": "DELETE /Account/{auth_id}/Conference/",
  "conferences.get": "GET /Account/{auth_id}/Conference/{conference_name}/",
  "conferences.end": "DELETE /Account/{auth_id}/Conference/{conference_name}/",
  "conferences.record": "POST /Account/{auth_id}/Conference/{conference_name}/Record/",
  "conferences.stopRecord": "DELETE /Account/{auth_id}/Conference/{conference_name}/Record/",
  "conferences.members.hangup":
    "DELETE /Account/{auth_id}/Conference/{conference_name}/Member/{member_id}/",
  "conferences.members.kick":
    "POST /Account/{auth_id}/Conference/{conference_name}/Member/{member_id}/Kick/",
  "conferences.members.mute":
    "POST /Account/{auth_id}/Conference/{conference_name}/Member/{member_id}/Mute/",
  "conferences.members.unmute":
    "DELETE /Account/{auth_id}/Conference/{conference_name}/Member/{member_id}/Mute/",
  "conferences.members.deaf":
    "POST /Account/{auth_id}/Conference/{conference_name}/Member/{member_id}/Deaf/",
  "conferences.members.undeaf":
    "DELETE /Account/{auth_id}/Conference/{conference_name}/Member/{member_id}/Deaf/",
  "conferences.members.play":
    "POST /Account/{auth_id}/Conference/{conference_name}/Member/{member_id}/Play/",
  "conferences.members.stopPlay":
    "DELETE /Account/{auth_id}/Conference/{conference_name}/Member/{member_id}/Play/",
} as const;

/** The name of a route in {@link ROUTES}. */
export type RouteName = keyof typeof ROUTES;

/**
 * The largest page size each list endpoint accepts (`per_page`, `limit` or `size`); lists ask for
 * this many per page unless told otherwise. 100 is documented for CDRs, inventory and the Plivo
 * style lists (vobiz-api.md §3.8, §3.9, §3.14, §4); the others document no maximum, and 100 is
 * what every documented one allows.
 *
 * @example
 * ```ts
 * import { MAX_PAGE_SIZE } from "./routes.ts";
 * MAX_PAGE_SIZE["cdrs.list"]; // 100
 * ```
 */
export const MAX_PAGE_SIZE: Readonly<Partial<Record<RouteName, number>>> = {
  "transactions.list": 100,
  "subAccounts.list": 100,
  "trunks.list": 100,
  "credentials.list": 100,
  "ipAcls.list": 100,
  "originationUris.list": 100,
  "numbers.list": 100,
  "numbers.searchInventory": 100,
  "cdrs.list": 100,
  "cdrs.search": 100,
  "cdrs.recent": 100,
  "applications.list": 100,
  "endpoints.list": 100,
  "recordings.list": 100,
};

/**
 * Splits a route of the table into its method and path template.
 *
 * @example
 * ```ts
 * import { routeOf } from "./routes.ts";
 * routeOf("calls.listLive"); // { method: "GET", path: "/Account/{auth_id}/Call" }
 * ```
 */
export function routeOf(name: RouteName): { method: string; path: string } {
  const line: string = ROUTES[name];
  const space = line.indexOf(" ");
  return { method: line.slice(0, space), path: line.slice(space + 1) };
}
