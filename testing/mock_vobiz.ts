/**
 * `createMockVobiz`: an in-process fake of the Vobiz REST API. Its handler uses web-standard APIs
 * only, so it runs in Node, Deno, Bun and Cloudflare Workers; `listen()` (Node, Deno, Bun) serves it
 * on loopback through `node:http`.
 *
 * @module
 */

import type { ActiveFault, FaultSpec } from "./faults.ts";
import { compileFault, defaultErrorCode, takeFault } from "./faults.ts";
import type { RouteContext } from "./api/context.ts";
import { vobizError, withHeaders } from "./http.ts";
import { serve } from "./listen.ts";
import { settleCalls } from "./api/calls.ts";
import { matchRoute, type Route } from "./routes.ts";
import type { BearerCheck, MockTokenPair } from "./tokens.ts";
import { bearerOf, checkBearer, issueTokenPair } from "./tokens.ts";
import type { MockConfig, MockEffects, MockState } from "./state.ts";
import { createState, defaultInventory } from "./state.ts";

export type { MockEffects } from "./state.ts";
export type { MockTokenPair } from "./tokens.ts";

/**
 * Options of {@linkcode createMockVobiz}.
 *
 * @example
 * ```ts
 * import { createMockVobiz, type MockVobizOptions } from "vobiz-kit/testing";
 * let clock = Date.UTC(2026, 10, 26);
 * const options: MockVobizOptions = { balance: 150, cpsLimit: 2, now: () => clock };
 * const mock = createMockVobiz(options);
 * ```
 */
export interface MockVobizOptions {
  /** Main account Auth ID; default `"MA_MOCK0001"`. */
  authId?: string;
  /** Main account Auth Token; default `"mock-auth-token"`. */
  authToken?: string;
  /** Extra accepted credential pairs (sub-accounts, `SA_...`). They share the main balance. */
  subAccounts?: Array<{ authId: string; authToken: string }>;
  /** Starting INR balance; default 1000. */
  balance?: number;
  /** Debited per number purchase (and shown as `monthly_fee`); default 100. */
  numberPrice?: number;
  /** E.164 numbers for sale; default 20 numbers `+918000000001` … `+918000000020`. */
  inventory?: string[];
  /** CDRs to seed for the main account, spread over 2026-11-01 … 2026-11-26 (UTC); default 250. */
  cdrCount?: number;
  /** Calls created per second per account (sliding 1 s window on `now()`); default unlimited. */
  cpsLimit?: number;
  /** Live calls at once per account; default unlimited. */
  concurrentCallsLimit?: number;
  /** How long a created call stays live; default 0 = until hung up. */
  callDurationMs?: number;
  /** From call start to ringing (the CDR's `progress_time`), ms; default 1000. */
  postDialDelayMs?: number;
  /** From call start to answer, ms; a call ended earlier is unanswered. Default 2000. */
  answerDelayMs?: number;
  /** MOS of answered calls; default 4.3. */
  callMos?: number;
  /** Packet loss of answered calls; default 0. */
  callPacketLoss?: number;
  /** INR per minute of billed time, billed per second; default 0.5. */
  callRatePerMinute?: number;
  /** How long after a call ends its CDR appears and its cost is debited, ms; default 0. */
  cdrDelayMs?: number;
  /** Recordings to seed for the main account; default 3. */
  recordingCount?: number;
  /** Conference rooms in progress at the start (rooms are made by XML, not the API); default none. */
  conferences?: Array<{ name: string; members?: number }>;
  /** Lifetime of a Bearer access token, ms; default 30 minutes (`expires_in: 1800`). */
  accessTokenTtlMs?: number;
  /** Lifetime of a refresh token, ms; default 7 days. A refresh does not extend it. */
  refreshTokenTtlMs?: number;
  /** The clock (ms since epoch); default `Date.now`. Token expiry is judged on it too. */
  now?: () => number;
  /** Used for latency and slow-body faults; default `setTimeout`-based. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The fake Vobiz API.
 *
 * @example
 * ```ts
 * import { createMockVobiz } from "vobiz-kit/testing";
 * const mock = createMockVobiz();
 * const response = await mock.fetch("https://api.vobiz.ai/api/v1/auth/me", {
 *   headers: { "X-Auth-ID": "MA_MOCK0001", "X-Auth-Token": "mock-auth-token" },
 * });
 * ```
 */
export interface MockVobiz {
  /**
   * A fetch-compatible handler (also usable as a Workers `fetch` export). It builds
   * `new Request(input, init)`, so `init.headers` override the input's. A relative URL such as
   * `"/api/v1/auth/me"` is accepted. A dropped connection rejects with `TypeError("fetch failed")`.
   */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** Serves the mock on 127.0.0.1 (an ephemeral port by default). Node, Deno and Bun only. */
  listen(options?: { port?: number; hostname?: string }): Promise<MockServer>;
  /** Scripts a fault; returns a function that removes it. */
  fault(spec: FaultSpec): () => void;
  /** Removes every fault. */
  clearFaults(): void;
  /** Every request received, in order (including rejected and faulted ones). */
  readonly received: ReceivedRequest[];
  /** Side effects actually performed. */
  readonly effects: MockEffects;
  /** Current balance in a currency (default `"INR"`). */
  balance(currency?: string): number;
  /**
   * Issues a Bearer token pair for an account (default the main one), as a login would: the
   * access token works on the capacity endpoints (`channel-pricing-preview`,
   * `channel-subscriptions`) and the refresh token on `POST /auth/refresh`. Throws for an unknown
   * account.
   */
  issueTokens(authId?: string): MockTokenPair;
  /** Clears `received`, `effects`, faults and state back to the options. */
  reset(): void;
}

/**
 * A running loopback server for a mock.
 *
 * @example
 * ```ts
 * import { createMockVobiz } from "vobiz-kit/testing";
 * const server = await createMockVobiz().listen();
 * await fetch(`${server.baseUrl}/auth/me`);
 * await server.close();
 * ```
 */
export interface MockServer {
  /** Origin, e.g. `http://127.0.0.1:54321`. */
  url: string;
  /** `url` + `/api/v1`. */
  baseUrl: string;
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Stops listening and closes every connection, idle keep-alive ones included. */
  close(): Promise<void>;
}

/**
 * A request as the mock received it.
 *
 * @example
 * ```ts
 * import { createMockVobiz, type ReceivedRequest } from "vobiz-kit/testing";
 * const mock = createMockVobiz();
 * const last: ReceivedRequest | undefined = mock.received.at(-1);
 * ```
 */
export interface ReceivedRequest {
  /** Upper-case method. */
  method: string;
  /** Path including `/api/v1`, raw (percent-encoding kept). */
  path: string;
  /** Query string including `?`, or `""`. */
  search: string;
  /** Lower-case names; `x-auth-token` and `authorization` values are `"<redacted>"`. */
  headers: Record<string, string>;
  /** Request body text, `""` when none. */
  body: string;
  /** `now()` when it arrived. */
  at: number;
  /** Whether it carried a valid `X-Auth-ID`/`X-Auth-Token` pair or a live Bearer token. */
  authorized: boolean;
}

const API_PREFIX = "/api/v1";
const RELATIVE_BASE = "http://vobiz.mock";
const REDACTED_HEADERS = new Set(["x-auth-token", "authorization"]);

/**
 * Creates an in-process fake Vobiz API with scripted faults.
 *
 * @example
 * ```ts
 * import { createMockVobiz } from "vobiz-kit/testing";
 *
 * const mock = createMockVobiz({ balance: 500 });
 * mock.fault({ path: "/Account/{auth_id}/numbers/purchase-from-inventory", drop: "after" });
 * const headers = { "X-Auth-ID": "MA_MOCK0001", "X-Auth-Token": "mock-auth-token" };
 * await mock.fetch("https://api.vobiz.ai/api/v1/Account/MA_MOCK0001/numbers/purchase-from-inventory", {
 *   method: "POST",
 *   headers,
 *   body: JSON.stringify({ e164: "+918000000001" }),
 * }).catch(() => {}); // rejects like a reset connection, yet the number was bought:
 * mock.effects.purchases.length; // 1
 * mock.balance(); // 400
 * ```
 */
export function createMockVobiz(options: MockVobizOptions = {}): MockVobiz {
  const config: MockConfig = {
    authId: options.authId ?? "MA_MOCK0001",
    authToken: options.authToken ?? "mock-auth-token",
    subAccounts: options.subAccounts ?? [],
    balance: options.balance ?? 1000,
    numberPrice: options.numberPrice ?? 100,
    inventory: options.inventory ?? defaultInventory(20),
    cdrCount: options.cdrCount ?? 250,
    cpsLimit: options.cpsLimit ?? Infinity,
    concurrentCallsLimit: options.concurrentCallsLimit ?? Infinity,
    callDurationMs: options.callDurationMs ?? 0,
    postDialDelayMs: options.postDialDelayMs ?? 1000,
    answerDelayMs: options.answerDelayMs ?? 2000,
    callMos: options.callMos ?? 4.3,
    callPacketLoss: options.callPacketLoss ?? 0,
    callRatePerMinute: options.callRatePerMinute ?? 0.5,
    cdrDelayMs: options.cdrDelayMs ?? 0,
    recordingCount: options.recordingCount ?? 3,
    conferences: (options.conferences ?? []).map(({ name, members }) => ({
      name,
      members: members ?? 2,
    })),
    accessTokenTtlMs: options.accessTokenTtlMs ?? 1_800_000,
    refreshTokenTtlMs: options.refreshTokenTtlMs ?? 7 * 86_400_000,
    now: options.now ?? Date.now,
  };
  const credentials = new Map<string, string>([
    [config.authId, config.authToken],
    ...config.subAccounts.map((s): [string, string] => [s.authId, s.authToken]),
  ]);
  const received: ReceivedRequest[] = [];
  const effects: MockEffects = {
    purchases: [],
    calls: [],
    trunksCreated: [],
    trunksDeleted: [],
    debits: [],
    refreshes: [],
  };
  const faults: ActiveFault[] = [];
  let state: MockState = createState(config, effects);

  /** The account whose id/token pair the headers carry, if valid. */
  function accountOf(headers: Headers): string | undefined {
    const id = headers.get("x-auth-id");
    const token = headers.get("x-auth-token");
    if (id === null || token === null) return undefined;
    // Tokens set at run time (rotation, new sub-accounts) replace the configured ones.
    return (state.tokens.get(id) ?? credentials.get(id)) === token ? id : undefined;
  }

  /**
   * Who makes a request on a route, or why it is refused (401). On `"bearer"` routes a Bearer
   * access token, when sent, decides alone: an expired one is `TOKEN_EXPIRED` even next to a valid
   * header pair (clients such as the generated SDKs send both).
   */
  function authenticate(
    kind: Route["auth"],
    headers: Headers,
    now: number,
  ): BearerCheck {
    const bearer = bearerOf(headers);
    if (kind === "refresh") {
      if (bearer !== undefined) return checkBearer(state, bearer, "refresh", now);
      const message = "Send the refresh token as Authorization: Bearer <refresh_token>";
      return { code: "INVALID_CREDENTIALS", message };
    }
    if (kind === "bearer" && bearer !== undefined) return checkBearer(state, bearer, "access", now);
    const authId = accountOf(headers);
    if (authId !== undefined) return { authId };
    return { code: "INVALID_CREDENTIALS", message: "Missing or invalid X-Auth-ID / X-Auth-Token" };
  }

  /** Whether the request carries credentials that work somewhere (for `received`). */
  function authorized(headers: Headers, now: number): boolean {
    if (accountOf(headers) !== undefined) return true;
    const bearer = bearerOf(headers);
    if (bearer === undefined) return false;
    return ["access", "refresh"].some((kind) =>
      "authId" in checkBearer(state, bearer, kind as "access" | "refresh", now)
    );
  }

  /** Waits `ms` (through the injected `sleep` if any), rejecting early if `signal` aborts. */
  function wait(ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = (error?: unknown): void => {
        signal.removeEventListener("abort", onAbort);
        clearTimeout(timer);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onAbort = (): void => settle(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      if (options.sleep) options.sleep(ms).then(() => settle(), settle);
      else timer = setTimeout(settle, ms);
    });
  }

  /** Runs the real API: routing, auth, then the route's handler. */
  function route(method: string, url: URL, headers: Headers, body: string, now: number): Response {
    const path = url.pathname.startsWith(`${API_PREFIX}/`)
      ? url.pathname.slice(API_PREFIX.length)
      : undefined;
    const match = path === undefined ? { kind: "none" as const } : matchRoute(method, path);
    if (match.kind === "none") {
      const message = `No route for ${method} ${url.pathname} (paths are case-sensitive)`;
      return vobizError("plivo", { status: 404, code: "NOT_FOUND", message }, now);
    }
    if (match.kind === "method") {
      const message = `${method} is not allowed on ${url.pathname}`;
      const allow = { allow: match.allow.join(", ") };
      return vobizError("plivo", { status: 405, code: "METHOD_NOT_ALLOWED", message }, now, allow);
    }
    const auth = authenticate(match.route.auth, headers, now);
    if (!("authId" in auth)) return vobizError("envelope", { status: 401, ...auth }, now);
    const authId = auth.authId;
    const params: Record<string, string> = {};
    for (const [name, raw] of Object.entries(match.params)) {
      try {
        params[name] = decodeURIComponent(raw);
      } catch {
        return vobizError("plivo", { status: 404, code: "NOT_FOUND", message: "bad path" }, now);
      }
    }
    if (params.auth_id !== undefined && params.auth_id !== authId) {
      return vobizError("envelope", {
        status: 403,
        code: "FORBIDDEN",
        message: `The credentials of ${authId} cannot act on account ${params.auth_id}`,
      }, now);
    }
    settleCalls(state, config, now); // calls that ended by now have their CDR and debit
    const ctx: RouteContext = {
      authId,
      params,
      query: url.searchParams,
      headers,
      body,
      now,
      config,
      state,
    };
    try {
      return match.route.handle(ctx);
    } catch (error) {
      const message = `mock bug: ${error instanceof Error ? error.message : String(error)}`;
      return vobizError("envelope", { status: 500, code: "INTERNAL_ERROR", message }, now);
    }
  }

  /** Handles one request; `null` means "drop the connection". */
  async function handle(request: Request): Promise<Response | null> {
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    const now = config.now();
    const record: ReceivedRequest = {
      method,
      path: url.pathname,
      search: url.search,
      headers: recordHeaders(request.headers),
      body: "",
      at: now,
      authorized: authorized(request.headers, now),
    };
    received.push(record); // before any await, so `received` keeps arrival order
    const apiPath = url.pathname.startsWith(`${API_PREFIX}/`)
      ? url.pathname.slice(API_PREFIX.length)
      : url.pathname;
    const spec = takeFault(faults, method, apiPath)?.spec;
    record.body = await request.text();
    const signal = request.signal;
    const latency = spec?.latencyMs ?? 0;

    if (spec?.drop === "before") {
      await wait(latency, signal);
      return null;
    }
    const canned = spec !== undefined && (spec.status !== undefined || spec.body !== undefined);
    let response = canned
      ? cannedResponse(spec, now)
      : route(method, url, request.headers, record.body, now);
    if (spec !== undefined) {
      if (spec.drop === "after") {
        await wait(latency, signal);
        return null;
      }
      if (spec.malformed) response = await truncate(response, canned);
      response = withHeaders(response, faultHeaders(spec));
    }
    await wait(latency, signal);
    if (spec?.slowBodyMs !== undefined && spec.slowBodyMs > 0) {
      response = await slowBody(response, spec.slowBodyMs, signal);
    }
    return response;
  }

  /** Streams the first half of the body, waits, then the rest. */
  async function slowBody(response: Response, ms: number, signal: AbortSignal): Promise<Response> {
    if (response.body === null) return response;
    const bytes = new Uint8Array(await response.arrayBuffer());
    const cut = Math.ceil(bytes.length / 2);
    let first = true;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (first && cut > 0) {
          first = false;
          controller.enqueue(bytes.slice(0, cut));
          return;
        }
        await wait(ms, signal);
        if (cut < bytes.length) controller.enqueue(bytes.slice(cut));
        controller.close();
      },
    });
    const { status, statusText, headers } = response;
    return new Response(body, { status, statusText, headers });
  }

  return {
    async fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
      const target = typeof input === "string" && input.startsWith("/")
        ? new URL(input, RELATIVE_BASE)
        : input;
      const request = new Request(target, init);
      if (request.signal.aborted) throw request.signal.reason;
      const response = await handle(request);
      if (response === null) throw connectionDropped();
      return response;
    },
    listen(listenOptions?: { port?: number; hostname?: string }): Promise<MockServer> {
      return serve(handle, listenOptions);
    },
    fault(spec: FaultSpec): () => void {
      const fault = compileFault(spec);
      faults.push(fault);
      return () => {
        const index = faults.indexOf(fault);
        if (index !== -1) faults.splice(index, 1);
      };
    },
    clearFaults(): void {
      faults.length = 0;
    },
    received,
    effects,
    balance(currency = "INR"): number {
      settleCalls(state, config, config.now());
      return state.balances.get(currency.toUpperCase()) ?? 0;
    },
    issueTokens(authId = config.authId): MockTokenPair {
      if (!credentials.has(authId) && !state.subAccounts.has(authId)) {
        throw new Error(`createMockVobiz: no account ${authId}`);
      }
      return issueTokenPair(state, config, authId, config.now());
    },
    reset(): void {
      received.length = 0;
      faults.length = 0;
      state = createState(config, effects);
    },
  };
}

function recordHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = REDACTED_HEADERS.has(name) ? "<redacted>" : value;
  });
  return out;
}

/** The answer of a fault with `status` or `body`: the real handler does not run. */
function cannedResponse(spec: FaultSpec, now: number): Response {
  const status = spec.status ?? 200;
  if (status === 204 || status === 205 || status === 304) {
    return new Response(null, { status });
  }
  if (spec.body !== undefined) {
    return new Response(spec.body, { status, headers: { "content-type": "application/json" } });
  }
  const code = spec.errorCode ?? defaultErrorCode(status);
  const details = spec.retryAfter === undefined ? {} : { retryAfter: spec.retryAfter };
  const info = { status, code, message: `Mock fault: ${status} ${code}`, details };
  return vobizError(spec.errorShape ?? "envelope", info, now);
}

function faultHeaders(spec: FaultSpec): Record<string, string> {
  const headers: Record<string, string> = {};
  if (spec.retryAfter !== undefined) headers["retry-after"] = String(spec.retryAfter);
  return { ...headers, ...spec.headers };
}

/** Cuts a JSON body in half so that it no longer parses (status 200 unless the fault set one). */
async function truncate(response: Response, keepStatus: boolean): Promise<Response> {
  const text = await response.text();
  const body = text.length >= 2 ? text.slice(0, Math.ceil(text.length / 2)) : '{"api_id":';
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  headers.set("content-type", "application/json");
  const status = keepStatus && response.status !== 204 ? response.status : 200;
  return new Response(body, { status, headers });
}

/** What fetch rejects with when the connection is reset (undici: `TypeError: fetch failed`). */
function connectionDropped(): TypeError {
  const cause = Object.assign(new Error("mock: connection dropped"), { code: "ECONNRESET" });
  return new TypeError("fetch failed", { cause });
}
