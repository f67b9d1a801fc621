/**
 * Every method of every resource namespace, in one table: its route `"METHOD /path/template"`
 * (relative to the REST base, `…/api/v1`), its response schema, its input schema and how it is
 * sent (see {@link Op}); `createResources` builds the methods from it. Casing and trailing
 * slashes are exactly those of the newest OpenAPI (vobiz-api.md §1.1 and §3): `/Account/` for
 * voice resources, lowercase `/account/` for number health, cancel-release and sub-account
 * assignment, plural `/accounts/` for sub-accounts and capacity, `/Call` (live) versus `/Call/`
 * (queued). To correct a route, edit its line.
 *
 * `{auth_id}` is filled with the client's account; other `{placeholders}` are the method's
 * leading arguments, checked by {@link PARAMS} and URL-encoded by the core (so the `+` of an
 * E.164 number becomes `%2B`).
 *
 * @example
 * ```ts
 * import { routeLines } from "./routes.ts";
 * routeLines()["cdrs.list"]; // "GET /Account/{auth_id}/cdr"
 * ```
 *
 * @module
 */
import * as v from "valibot";
import { VobizHttpError } from "../errors.ts";
import {
  cappedList,
  cdrPage,
  hybridOffset,
  itemsPage,
  limitOnly,
  loadPage,
  type Page,
  pageSize,
  type PaginationStyle,
  plivoOffset,
  trunkOffset,
} from "../pagination.ts";
import { E164Schema, perPage, PublicUrlSchema } from "../validators.ts";
import {
  AccountSchema,
  CapacityRequestSchema,
  ChannelPricingPreviewSchema,
  ChannelSubscriptionSchema,
  ConcurrencySchema,
} from "./account.ts";
import {
  ApplicationCreateSchema,
  ApplicationListSchema,
  ApplicationSchema,
  ApplicationUpdateSchema,
  ApplicationWriteSchema,
} from "./applications.ts";
import { BalanceSchema, CurrencySchema } from "./balance.ts";
import {
  CallCreatedSchema,
  CallCreateSchema,
  CallDtmfSchema,
  CallPlaySchema,
  CallRecordSchema,
  CallSpeakSchema,
  CallUuidListSchema,
  LiveCallSchema,
  StreamStartSchema,
} from "./calls.ts";
import {
  CdrFiltersSchema,
  CdrListSchema,
  CdrPageFiltersSchema,
  CdrRecentSchema,
  CdrResponseSchema,
} from "./cdrs.ts";
import {
  ConferenceNameListSchema,
  ConferenceNameSchema,
  ConferenceRecordSchema,
  MemberIdSchema,
} from "./conferences.ts";
import {
  SipCredentialCreateSchema,
  SipCredentialListSchema,
  SipCredentialSchema,
  SipCredentialUpdateSchema,
} from "./credentials.ts";
import {
  EndpointCreatedSchema,
  EndpointCreateSchema,
  EndpointFiltersSchema,
  EndpointListSchema,
  EndpointSchema,
  EndpointUpdateSchema,
} from "./endpoints.ts";
import { IpAclCreateSchema, IpAclListSchema, IpAclSchema, IpAclUpdateSchema } from "./ip_acls.ts";
import {
  InventoryFiltersSchema,
  NumberFiltersSchema,
  NumberHealthFiltersSchema,
  NumberHealthSchema,
  NumberPurchaseSchema,
  NumberReleaseCancelSchema,
  NumberReleaseSchema,
  PhoneNumberListSchema,
  PhoneNumberSchema,
} from "./numbers.ts";
import {
  OriginationUriCreateSchema,
  OriginationUriListSchema,
  OriginationUriSchema,
  OriginationUriUpdateSchema,
} from "./origination_uris.ts";
import {
  RecordingExportSchema,
  RecordingFiltersSchema,
  RecordingListSchema,
  RecordingSchema,
} from "./recordings.ts";
import {
  SubAccountCreatedSchema,
  SubAccountCreateSchema,
  SubAccountFiltersSchema,
  SubAccountListSchema,
  SubAccountSchema,
  SubAccountUpdateSchema,
} from "./sub_accounts.ts";
import { TransactionFiltersSchema, TransactionListSchema } from "./transactions.ts";
import { TrunkCreateSchema, TrunkListSchema, TrunkSchema, TrunkUpdateSchema } from "./trunks.ts";
import {
  AcknowledgementSchema as Ack,
  answer,
  OffsetFiltersSchema,
  type Op,
  type ParamRule,
  SubAccountIdSchema,
  UuidSchema,
} from "./_shared.ts";

/** How path parameters other than ids ({@link IdSchema}, named as in the path) are checked. */
export const PARAMS: Readonly<Record<string, ParamRule>> = {
  e164: [E164Schema],
  currency: [CurrencySchema, undefined, "INR"],
  conference_name: [ConferenceNameSchema, "name"],
  member_id: [MemberIdSchema, "memberId"],
};

/** A table entry's answer as a single page (lists the API answers in one piece). */
const onePage = (style: PaginationStyle) => (body: unknown): Promise<Page<unknown, unknown>> =>
  loadPage(style, () => Promise.resolve(body), {});

// The API can answer 200 with an error object instead of the room; both shapes are read, and the
// error one is turned into a VobizHttpError.
const ConferenceOrErrorSchema = answer<{
  conference_name?: string | undefined;
  error?: unknown;
  [key: string]: unknown;
}>(
  "!conference_name:O conference_run_time:i conference_member_count:i members:l api_id error:U",
  { O: v.optional(v.string()), U: v.unknown() },
);

const room = (
  body: v.InferOutput<typeof ConferenceOrErrorSchema>,
  method: string,
  path: string,
) => {
  if (body.conference_name !== undefined) return body;
  const message = typeof body.error === "string" ? body.error : "no such conference";
  throw new VobizHttpError({ status: 200, vobizMessage: message, body, method, route: path });
};

const A = "/Account/{auth_id}";
const CALL = `${A}/Call/{call_uuid}`;
const MEMBER = `${A}/Conference/{conference_name}/Member/{member_id}`;
const flag = (name: string) => v.object({ [name]: v.optional(v.boolean()) });

/** The route table: namespace → method → {@link Op}. */
export const ROUTES: Table = {
  account: {
    get: ["GET /auth/me", AccountSchema],
    concurrency: [`GET ${A}/concurrency`, ConcurrencySchema],
    previewCapacity: [
      "GET /accounts/{auth_id}/channel-pricing-preview",
      ChannelPricingPreviewSchema,
      CapacityRequestSchema,
      "q",
    ],
    subscribeCapacity: [
      "POST /accounts/{auth_id}/channel-subscriptions",
      ChannelSubscriptionSchema,
      CapacityRequestSchema,
      "p",
    ],
    rotateAuthToken: ["POST /auth-token/rotate", v.looseObject({}), 0, "p"],
  },
  balance: { get: [`GET ${A}/balance/{currency}`, BalanceSchema] },
  transactions: {
    list: [
      `GET ${A}/transactions`,
      TransactionListSchema,
      TransactionFiltersSchema,
      hybridOffset("transactions"),
    ],
  },
  subAccounts: {
    list: [
      "GET /accounts/{auth_id}/sub-accounts/",
      SubAccountListSchema,
      SubAccountFiltersSchema,
      pageSize("sub_accounts"),
    ],
    get: ["GET /accounts/{auth_id}/sub-accounts/{sub_auth_id}", SubAccountSchema],
    create: [
      "POST /accounts/{auth_id}/sub-accounts/",
      SubAccountCreatedSchema,
      SubAccountCreateSchema,
    ],
    update: [
      "PUT /accounts/{auth_id}/sub-accounts/{sub_auth_id}",
      SubAccountSchema,
      SubAccountUpdateSchema,
    ],
    delete: ["DELETE /accounts/{auth_id}/sub-accounts/{sub_auth_id}", Ack],
  },
  trunks: {
    list: [`GET ${A}/trunks`, TrunkListSchema, OffsetFiltersSchema, trunkOffset()],
    get: [`GET ${A}/trunks/{trunk_id}`, TrunkSchema],
    create: [`POST ${A}/trunks`, TrunkSchema, TrunkCreateSchema],
    update: [`PUT ${A}/trunks/{trunk_id}`, TrunkSchema, TrunkUpdateSchema],
    delete: [`DELETE ${A}/trunks/{trunk_id}`, Ack],
  },
  // Lists of the trunk family sit under /trunks/; writes do not (vobiz-api.md §3.5–3.7).
  credentials: {
    list: [
      `GET ${A}/trunks/credentials`,
      SipCredentialListSchema,
      OffsetFiltersSchema,
      trunkOffset(),
    ],
    get: [`GET ${A}/credentials/{credential_id}`, SipCredentialSchema],
    create: [`POST ${A}/credentials`, SipCredentialSchema, SipCredentialCreateSchema],
    update: [
      `PUT ${A}/credentials/{credential_id}`,
      SipCredentialSchema,
      SipCredentialUpdateSchema,
    ],
    delete: [`DELETE ${A}/credentials/{credential_id}`, Ack],
  },
  ipAcls: {
    list: [`GET ${A}/trunks/ip-acl`, IpAclListSchema, OffsetFiltersSchema, trunkOffset()],
    create: [`POST ${A}/ip-acl`, IpAclSchema, IpAclCreateSchema],
    update: [`PUT ${A}/ip-acl/{ip_acl_id}`, IpAclSchema, IpAclUpdateSchema],
    delete: [`DELETE ${A}/ip-acl/{ip_acl_id}`, Ack],
  },
  originationUris: {
    list: [
      `GET ${A}/trunks/origination-uris`,
      OriginationUriListSchema,
      OffsetFiltersSchema,
      trunkOffset(),
    ],
    create: [`POST ${A}/origination-uris`, OriginationUriSchema, OriginationUriCreateSchema],
    update: [
      `PUT ${A}/origination-uris/{uri_id}`,
      OriginationUriSchema,
      OriginationUriUpdateSchema,
    ],
    delete: [`DELETE ${A}/origination-uris/{uri_id}`, Ack],
  },
  numbers: {
    list: [`GET ${A}/numbers`, PhoneNumberListSchema, NumberFiltersSchema, itemsPage()],
    searchInventory: [
      `GET ${A}/inventory/numbers`,
      PhoneNumberListSchema,
      InventoryFiltersSchema,
      itemsPage(),
    ],
    purchase: [
      `POST ${A}/numbers/purchase-from-inventory`,
      PhoneNumberSchema,
      NumberPurchaseSchema,
      "p",
    ],
    release: [`DELETE ${A}/numbers/{e164}`, NumberReleaseSchema, flag("immediate"), "qop"],
    cancelRelease: [
      "POST /account/{auth_id}/numbers/{e164}/cancel-release",
      NumberReleaseCancelSchema,
    ],
    assignToTrunk: [
      `POST ${A}/numbers/{e164}/assign`,
      Ack,
      v.looseObject({ trunk_group_id: UuidSchema }),
    ],
    unassignFromTrunk: [`DELETE ${A}/numbers/{e164}/assign`, Ack],
    assignToSubAccount: [
      "POST /account/{auth_id}/numbers/{e164}/assign-subaccount",
      Ack,
      v.looseObject({ sub_account_id: SubAccountIdSchema }),
    ],
    unassignFromSubAccount: [
      "DELETE /account/{auth_id}/numbers/{e164}/assign-subaccount",
      Ack,
      flag("force"),
      "qo",
    ],
    health: [
      "GET /account/{auth_id}/numbers/{e164}/health",
      NumberHealthSchema,
      NumberHealthFiltersSchema,
      "qo",
    ],
  },
  cdrs: {
    list: [`GET ${A}/cdr`, CdrListSchema, CdrPageFiltersSchema, cdrPage()],
    search: [`GET ${A}/cdr/search`, CdrListSchema, CdrPageFiltersSchema, cdrPage()],
    recent: [
      `GET ${A}/cdr/recent`,
      CdrRecentSchema,
      v.object({ limit: v.optional(perPage(100), 100) }),
      "qo",
      onePage(limitOnly()),
    ],
    // The CSV as a stream (no JSON answer to check).
    get: [`GET ${A}/cdr/{call_id}`, CdrResponseSchema],
    export: [
      `GET ${A}/cdr/export`,
      0,
      CdrFiltersSchema,
      "qor",
      (response: Response) => response.body ?? new ReadableStream({ start: (c) => c.close() }),
    ],
  },
  calls: {
    create: [`POST ${A}/Call/`, CallCreatedSchema, CallCreateSchema, "p"],
    listLive: [
      `GET ${A}/Call?status=live`,
      CallUuidListSchema,
      0,
      "",
      onePage(cappedList("calls")),
    ],
    listQueued: [
      `GET ${A}/Call/?status=queued`,
      CallUuidListSchema,
      0,
      "",
      onePage(cappedList("calls")),
    ],
    get: [`GET ${CALL}?status=live`, LiveCallSchema],
    getQueued: [`GET ${CALL}/?status=queued`, LiveCallSchema],
    hangup: [`DELETE ${CALL}`, Ack],
    play: [`POST ${CALL}/Play/`, Ack, CallPlaySchema, "n"],
    stopPlay: [`DELETE ${CALL}/Play/`, Ack],
    speak: [`POST ${CALL}/Speak/`, Ack, CallSpeakSchema, "n"],
    stopSpeak: [`DELETE ${CALL}/Speak/`, Ack],
    dtmf: [`POST ${CALL}/DTMF/`, Ack, CallDtmfSchema, "n"],
    record: [`POST ${CALL}/Record/`, Ack, CallRecordSchema, "n"],
    stopRecord: [`DELETE ${CALL}/Record/`, Ack],
    streams: {
      start: [`POST ${CALL}/Stream/`, Ack, StreamStartSchema, "n"],
      list: [`GET ${CALL}/Stream/`, Ack],
      get: [`GET ${CALL}/Stream/{stream_id}/`, Ack],
      stop: [`DELETE ${CALL}/Stream/{stream_id}/`, Ack],
      stopAll: [`DELETE ${CALL}/Stream/`, Ack],
    },
  },
  applications: {
    list: [`GET ${A}/Application/`, ApplicationListSchema, OffsetFiltersSchema, plivoOffset()],
    get: [`GET ${A}/Application/{app_id}/`, ApplicationSchema],
    create: [`POST ${A}/Application/`, ApplicationWriteSchema, ApplicationCreateSchema],
    update: [`POST ${A}/Application/{app_id}/`, ApplicationWriteSchema, ApplicationUpdateSchema],
    delete: [`DELETE ${A}/Application/{app_id}/`, Ack],
  },
  endpoints: {
    list: [`GET ${A}/Endpoint/`, EndpointListSchema, EndpointFiltersSchema, plivoOffset()],
    get: [`GET ${A}/Endpoint/{endpoint_id}/`, EndpointSchema],
    create: [`POST ${A}/Endpoint/`, EndpointCreatedSchema, EndpointCreateSchema],
    update: [`POST ${A}/Endpoint/{endpoint_id}/`, Ack, EndpointUpdateSchema],
    delete: [`DELETE ${A}/Endpoint/{endpoint_id}/`, Ack],
  },
  recordings: {
    list: [`GET ${A}/Recording/`, RecordingListSchema, RecordingFiltersSchema, plivoOffset()],
    get: [`GET ${A}/Recording/{recording_id}/`, RecordingSchema],
    delete: [`DELETE ${A}/Recording/{recording_id}/`, Ack],
    // A body-only POST, the shape of a create.
    export: [`POST ${A}/export/recording/`, Ack, RecordingExportSchema],
  },
  conferences: {
    list: [
      `GET ${A}/Conference/`,
      ConferenceNameListSchema,
      v.object({}),
      cappedList("conferences"),
    ],
    get: [`GET ${A}/Conference/{conference_name}/`, ConferenceOrErrorSchema, 0, "", room],
    end: [`DELETE ${A}/Conference/{conference_name}/`, Ack],
    endAll: [`DELETE ${A}/Conference/`, Ack],
    record: [`POST ${A}/Conference/{conference_name}/Record/`, Ack, ConferenceRecordSchema, "o"],
    stopRecord: [`DELETE ${A}/Conference/{conference_name}/Record/`, Ack],
    members: {
      hangup: [`DELETE ${MEMBER}/`, Ack],
      kick: [`POST ${MEMBER}/Kick/`, Ack],
      mute: [`POST ${MEMBER}/Mute/`, Ack],
      unmute: [`DELETE ${MEMBER}/Mute/`, Ack],
      deaf: [`POST ${MEMBER}/Deaf/`, Ack],
      undeaf: [`DELETE ${MEMBER}/Deaf/`, Ack],
      play: [`POST ${MEMBER}/Play/`, Ack, v.looseObject({ url: PublicUrlSchema }), "b"],
      stopPlay: [`DELETE ${MEMBER}/Play/`, Ack],
    },
  },
};

/** A namespace of the table: methods and nested namespaces. */
export interface Table {
  [name: string]: Op | Table;
}

/**
 * The table flattened: `namespace.method` → `"METHOD /path/template"` (without a fixed query).
 *
 * @example
 * ```ts
 * import { routeLines } from "./routes.ts";
 * routeLines()["calls.listLive"]; // "GET /Account/{auth_id}/Call"
 * ```
 */
export function routeLines(table: Table = ROUTES, prefix = ""): Record<string, string> {
  const lines: Record<string, string> = {};
  for (const [name, entry] of Object.entries(table)) {
    if (Array.isArray(entry)) lines[prefix + name] = entry[0].split("?")[0]!;
    else Object.assign(lines, routeLines(entry as Table, `${prefix}${name}.`));
  }
  return lines;
}
