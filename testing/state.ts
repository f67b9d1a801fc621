/**
 * The mock Vobiz account: resolved options, mutable state and the seed data (inventory, CDRs).
 * Plain data only, so nothing here holds I/O (safe inside a Workers request).
 *
 * @module
 */

import type { BearerToken } from "./tokens.ts";

/** A JSON object as the API sends it. */
export type JsonObject = Record<string, unknown>;

/**
 * Side effects the mock performed (what a paid or state-changing call actually did).
 *
 * @example
 * ```ts
 * import { createMockVobiz } from "vobiz-kit/testing";
 * const mock = createMockVobiz();
 * mock.effects.purchases.length; // 0
 * ```
 */
export interface MockEffects {
  /** Numbers bought, in order. */
  purchases: Array<{ e164: string; at: number; idempotencyKey?: string }>;
  /** Calls created, in order. */
  calls: Array<{ call_uuid: string; from: string; to: string; at: number }>;
  /** `trunk_id`s created. */
  trunksCreated: string[];
  /** `trunk_id`s deleted. */
  trunksDeleted: string[];
  /** Money taken from the balance. */
  debits: Array<{ amount: number; reason: string; at: number }>;
  /** Successful `POST /auth/refresh` calls: the account and when. */
  refreshes: Array<{ authId: string; at: number }>;
}

/** Options after defaults are applied. */
export interface MockConfig {
  /** Main account id. */
  authId: string;
  /** Main account token. */
  authToken: string;
  /** Extra accepted id/token pairs. */
  subAccounts: Array<{ authId: string; authToken: string }>;
  /** Starting INR balance. */
  balance: number;
  /** Price of one number. */
  numberPrice: number;
  /** Numbers for sale at the start. */
  inventory: string[];
  /** CDRs to seed. */
  cdrCount: number;
  /** Calls per second per account; `Infinity` for no limit. */
  cpsLimit: number;
  /** Live calls per account; `Infinity` for no limit. */
  concurrentCallsLimit: number;
  /** How long a call stays live; 0 = until hung up. */
  callDurationMs: number;
  /** From call start to ringing (`progress_time`), ms. */
  postDialDelayMs: number;
  /** From call start to answer, ms; a call ended earlier is unanswered. */
  answerDelayMs: number;
  /** MOS of answered calls. */
  callMos: number;
  /** Packet loss of answered calls. */
  callPacketLoss: number;
  /** INR per minute of billed time (billed per second). */
  callRatePerMinute: number;
  /** How long after a call ends its CDR (and its debit) appears, ms. */
  cdrDelayMs: number;
  /** Recordings to seed. */
  recordingCount: number;
  /** Conference rooms in progress at the start, with their member counts. */
  conferences: Array<{ name: string; members: number }>;
  /** Lifetime of a Bearer access token, ms. */
  accessTokenTtlMs: number;
  /** Lifetime of a refresh token, ms (a refresh does not extend it). */
  refreshTokenTtlMs: number;
  /** The clock. */
  now: () => number;
}

/** A live call. */
export interface LiveCall {
  /** The call's uuid (also its `request_uuid`). */
  call_uuid: string;
  /** Account that placed it. */
  account: string;
  /** Caller. */
  from: string;
  /** Callee. */
  to: string;
  /** When it was created (ms). */
  at: number;
}

/** Everything the mock account holds. */
export interface MockState {
  /** Balance per currency. */
  balances: Map<string, number>;
  /** Numbers for sale, by E.164. */
  inventory: Map<string, JsonObject>;
  /** Numbers owned, by E.164 (each has `account_id`). */
  owned: Map<string, JsonObject>;
  /** Trunks by `trunk_id` (each has `account_id`). */
  trunks: Map<string, JsonObject>;
  /** Seeded CDRs, oldest first. */
  cdrs: JsonObject[];
  /** Live calls by uuid. */
  calls: Map<string, LiveCall>;
  /** Recent call creation times per account (the CPS window). */
  callStarts: Map<string, number[]>;
  /** Ledger entries, oldest first. */
  transactions: JsonObject[];
  /** Auth tokens set at run time (rotation, new sub-accounts), by Auth ID; they win. */
  tokens: Map<string, string>;
  /** Bearer access and refresh tokens issued, by token. */
  bearerTokens: Map<string, BearerToken>;
  /** Sub-accounts by `auth_id` (each has `parent_auth_id`). */
  subAccounts: Map<string, JsonObject>;
  /** SIP credentials by `id`. */
  sipCredentials: Map<string, JsonObject>;
  /** IP ACL entries by `id`. */
  ipAcls: Map<string, JsonObject>;
  /** Origination URIs by `id`. */
  originationUris: Map<string, JsonObject>;
  /** Applications by `app_id`. */
  applications: Map<string, JsonObject>;
  /** Endpoints by `endpoint_id`. */
  endpoints: Map<string, JsonObject>;
  /** Recordings by `recording_id`. */
  recordings: Map<string, JsonObject>;
  /** Conference rooms by name (each has `account`, `members`, `recording`). */
  conferences: Map<string, JsonObject>;
  /** Audio streams by `stream_id` (each has `call_uuid`). */
  streams: Map<string, JsonObject>;
  /** Capacity subscriptions, oldest first. */
  subscriptions: JsonObject[];
  /** CDRs of ended calls not visible yet (see `cdrDelayMs`), with their cost. */
  pendingCdrs: Array<{ at: number; account: string; cdr: JsonObject; cost: number }>;
  /** Side effects (one object for the mock's lifetime; `reset` empties it). */
  effects: MockEffects;
}

/**
 * Fresh state for a config; `effects` is reused (emptied) so references to it stay valid.
 *
 * @example
 * ```ts
 * import { createState, type MockConfig } from "./state.ts";
 * declare const config: MockConfig;
 * const state = createState(config, { purchases: [], calls: [], trunksCreated: [], trunksDeleted: [], debits: [], refreshes: [] });
 * ```
 */
export function createState(config: MockConfig, effects: MockEffects): MockState {
  effects.purchases.length = 0;
  effects.calls.length = 0;
  effects.trunksCreated.length = 0;
  effects.trunksDeleted.length = 0;
  effects.debits.length = 0;
  effects.refreshes.length = 0;
  const createdAt = new Date(config.now()).toISOString();
  const inventory = new Map<string, JsonObject>();
  config.inventory.forEach((e164, index) => {
    inventory.set(e164, inventoryNumber(e164, index + 1, config.numberPrice, createdAt));
  });
  return {
    balances: new Map([["INR", config.balance]]),
    inventory,
    owned: new Map(),
    trunks: new Map(),
    cdrs: seedCdrs(config.authId, config.cdrCount),
    calls: new Map(),
    callStarts: new Map(),
    transactions: [],
    tokens: new Map(),
    bearerTokens: new Map(),
    subAccounts: new Map(),
    sipCredentials: new Map(),
    ipAcls: new Map(),
    originationUris: new Map(),
    applications: new Map(),
    endpoints: new Map(),
    recordings: seedRecordings(config.authId, config.recordingCount, createdAt),
    conferences: new Map(config.conferences.map(({ name, members }) => [name, {
      conference_name: name,
      account: config.authId,
      created_at: config.now(),
      recording: false,
      members: Array.from({ length: members }, (_, i) => ({
        member_id: String(i + 1),
        muted: false,
        deaf: false,
        from: `+9198${String(i).padStart(8, "0")}`,
        to: name,
        caller_name: "",
        call_uuid: crypto.randomUUID(),
        join_time: 0,
      })),
    }])),
    streams: new Map(),
    subscriptions: [],
    pendingCdrs: [],
    effects,
  };
}

/**
 * Deterministic recordings: `rec-0001`, `rec-0002`, … (oldest first).
 *
 * @example
 * ```ts
 * import { seedRecordings } from "./state.ts";
 * seedRecordings("MA_MOCK0001", 2, "2026-11-26T00:00:00.000Z").size; // 2
 * ```
 */
export function seedRecordings(
  accountId: string,
  count: number,
  at: string,
): Map<string, JsonObject> {
  return new Map(Array.from({ length: count }, (_, i) => {
    const id = `rec-${String(i + 1).padStart(4, "0")}`;
    return [id, {
      account: accountId,
      recording_id: id,
      call_uuid: `00000000-0000-4000-8000-${(i + 1).toString(16).padStart(12, "0")}`,
      conference_name: null,
      recording_type: "trunk",
      recording_format: "mp3",
      recording_duration_ms: String(10_000 + i * 1000),
      recording_url: `https://media.vobiz.test/recordings/${id}.mp3`,
      from_number: "+918000000001",
      to_number: `+9198${String(i).padStart(8, "0")}`,
      add_time: at,
      resource_uri: `/api/v1/Account/${accountId}/Recording/${id}/`,
    }];
  }));
}

/**
 * The default inventory: `count` numbers `+918000000001`, `+918000000002`, …
 *
 * @example
 * ```ts
 * import { defaultInventory } from "./state.ts";
 * defaultInventory(2); // ["+918000000001", "+918000000002"]
 * ```
 */
export function defaultInventory(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `+9180000000${String(i + 1).padStart(2, "0")}`);
}

const COUNTRY_PREFIXES: Array<[string, string, string]> = [
  ["+91", "IN", "INR"],
  ["+44", "GB", "GBP"],
  ["+1", "US", "USD"],
];

function inventoryNumber(e164: string, id: number, price: number, at: string): JsonObject {
  const [, country = "", currency = "INR"] = COUNTRY_PREFIXES.find(([p]) => e164.startsWith(p)) ??
    [];
  return {
    id,
    e164,
    country,
    region: country === "IN" ? "Karnataka" : "",
    capabilities: { voice: true, sms: false, mms: false, fax: false },
    status: "active",
    provider: "mock",
    setup_fee: 0,
    monthly_fee: price,
    currency,
    voice_enabled: true,
    tags: [],
    is_blocked: false,
    is_trial_number: false,
    minimum_commitment_months: 0,
    aadhaar_verification_required: false,
    aadhaar_verified: false,
    source: "inventory",
    created_at: at,
    updated_at: at,
  };
}

/** CDRs are spread evenly over 2026-11-01T00:00Z up to the end of 2026-11-26 (UTC). */
const CDR_START = Date.UTC(2026, 10, 1);
const CDR_END = Date.UTC(2026, 10, 27);

/**
 * Deterministic CDRs (oldest first): every 5th call unanswered, every 3rd inbound.
 *
 * @example
 * ```ts
 * import { seedCdrs } from "./state.ts";
 * seedCdrs("MA_MOCK0001", 3).length; // 3
 * ```
 */
export function seedCdrs(accountId: string, count: number): JsonObject[] {
  const step = count > 0 ? (CDR_END - CDR_START) / count : 0;
  return Array.from({ length: count }, (_, i) => {
    const start = CDR_START + Math.floor(i * step);
    const answered = i % 5 !== 4;
    const ring = 3 + (i % 4);
    const billsec = answered ? 10 + ((i * 7) % 120) : 0;
    const duration = ring + billsec;
    const cost = Math.round(billsec * 0.5 / 60 * 10000) / 10000;
    const inbound = i % 3 === 0;
    const caller = inbound ? `+9198${String(i).padStart(8, "0")}` : "+918000000001";
    const callee = inbound ? "+918000000001" : `+9198${String(i).padStart(8, "0")}`;
    const answerAt = start + ring * 1000;
    const endAt = start + duration * 1000;
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      account_id: accountId,
      answer_time: answered ? iso(answerAt) : null,
      billsec,
      bridge_uuid: null,
      call_direction: inbound ? "inbound" : "outbound",
      caller_id_name: "",
      caller_id_number: caller,
      campaign_id: null,
      carrier_ip: null,
      codec: answered ? "PCMU" : null,
      context: "sip-trunking",
      cost,
      created_at: iso(endAt),
      currency: "INR",
      customer_endpoint: null,
      destination_number: callee,
      duration,
      end_time: iso(endAt),
      failure_code: null,
      failure_reason: null,
      hangup_cause: answered ? "NORMAL_CLEARING" : "NO_ANSWER",
      hangup_cause_code: answered ? 4000 : 3000,
      hangup_cause_name: answered ? "Normal Hangup" : "No Answer",
      hangup_disposition: answered ? "send_bye" : "send_refuse",
      hangup_source: answered ? "Callee" : "Caller",
      id: i + 1,
      jitter: answered ? 0 : null,
      mos: answered ? 4.3 : 0,
      network_addr: null,
      origination_region: "IN",
      packet_loss: answered ? 0 : null,
      progress_time: iso(start + 1000),
      region: "IN",
      ring_time: ring,
      sip_call_id: `mock-${i + 1}@sip.vobiz.ai`,
      sip_user_agent: null,
      start_time: iso(start),
      streaming_cost: 0,
      terminated_to: null,
      total_cost: cost,
      trunk_id: null,
      updated_at: iso(endAt),
      uuid: `00000000-0000-4000-8000-${(i + 1).toString(16).padStart(12, "0")}`,
    };
  });
}
