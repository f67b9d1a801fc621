/**
 * `vobiz-kit/plugins/idempotency`: a paid or irreversible write (a number purchase, a call, a
 * capacity subscription, a balance transfer, any call marked `paid` or given an `idempotencyKey`)
 * is performed at most once per key.
 *
 * - One key per logical operation (yours, or a `crypto.randomUUID()`), sent as `Idempotency-Key` on
 *   every attempt. Vobiz has no server-side idempotency, so the guarantees below are the client's.
 * - A call with a key that is in flight joins it (one request, one result); within the retention
 *   window (24 h) a repeat returns the recorded answer without sending.
 * - When an attempt fails after the write may have reached the server (the connection failed, the
 *   attempt timed out, or a 5xx came back), nothing resends it: a state check settles the outcome
 *   (a purchase: is the number now the account's?). The caller gets the purchase's answer
 *   (`reconciled: true`), or the original error when the check shows it did not happen, or
 *   `AMBIGUOUS_OUTCOME` (with the key and what was checked) when it cannot be known. A key whose
 *   outcome is still unknown is never sent again: later calls with it check first.
 *
 * Joining happens within one client (its plugin instance); across processes, share a `store`. On
 * Cloudflare Workers create the client per incoming request, so that no request waits on a
 * promise of another.
 *
 * Put it before `retry` and `rateLimit` in `plugins`. Other plugins read `context.meta.idempotency`
 * ({@link IdempotencyMeta}): a retry plugin may resend a paid write only when `safeToRetry` is true
 * (`allowRetry()`, the retry plugin's `RetryPermission`).
 *
 * @example
 * ```ts
 * import { createClient } from "vobiz-kit";
 * import { idempotency } from "vobiz-kit/plugins/idempotency";
 *
 * const vobiz = createClient({ plugins: [idempotency()] });
 * const key = crypto.randomUUID(); // keep it with the order, so a re-run after a crash reuses it
 * const number = await vobiz.request("POST", "/Account/{auth_id}/numbers/purchase-from-inventory", {
 *   json: { e164: "+918000000001" },
 *   idempotencyKey: key,
 * });
 * ```
 *
 * @module
 */
import type { Options as KyOptions } from "ky";
import {
  isVobizError,
  VobizAmbiguousOutcomeError,
  VobizError,
  VobizValidationError,
} from "../src/errors.ts";
import type { CallContext } from "../src/hooks.ts";
import type { FetchLike, RequestOptions } from "../src/options.ts";
import type { PluginHost, VobizPlugin } from "../src/plugin.ts";
import type { KeyValueStore } from "../src/store.ts";
import { isRecord } from "../src/_internal/option_checks.ts";
import { numberPurchaseCheck } from "./_internal/idempotency_checks.ts";
import {
  type DoneRecord,
  type IdempotencyRecord,
  JSON_TYPE,
  memoryRecords,
  type Records,
  replayResponse,
} from "./_internal/idempotency_record.ts";
import { paidTransport } from "./_internal/idempotency_transport.ts";

/**
 * What the plugin keeps in `context.meta.idempotency` of a paid write: the contract other plugins
 * read.
 *
 * @example
 * ```ts
 * import type { IdempotencyMeta } from "vobiz-kit/plugins/idempotency";
 * vobiz.hooks.hook("beforeRetry", ({ context, error }) => {
 *   const meta = context.meta.idempotency as IdempotencyMeta | undefined;
 *   if (meta !== undefined && !meta.safeToRetry) throw error; // never resend a paid write blindly
 * });
 * ```
 */
export interface IdempotencyMeta {
  /** The operation's key, sent as `Idempotency-Key`. */
  readonly key: string;
  /**
   * `send`: this call performs the write. `join`: it shares the outcome of a call in flight with
   * the same key. `replay`: it is answered from an earlier call's record. `join` and `replay` are
   * answered without the network; pacing and breaker plugins should not count them.
   */
  role: "send" | "join" | "replay";
  /** An attempt was handed to the transport. */
  sent: boolean;
  /** The last attempt's outcome is known (an answer below 500, or a state check settled it). */
  settled: boolean;
  /**
   * The last attempt is known not to have taken effect (408, 429, no connection was made, or a
   * state check found so): a retry may resend it, with the same key. False otherwise.
   */
  safeToRetry: boolean;
  /** The answer was rebuilt from a state check instead of received. */
  reconciled: boolean;
  /** What the last state check looked at and found. */
  checked?: string;
  /** `safeToRetry`, as the retry plugin's `RetryPermission` asks for it. */
  allowRetry(error: Error, attempt: number): boolean;
}

/**
 * A write that the plugin treats as paid: its method and a pattern for the URL path.
 *
 * @example
 * ```ts
 * import type { PaidRoute } from "vobiz-kit/plugins/idempotency";
 * const transfer: PaidRoute = { method: "POST", path: /\/partner\/accounts\/[^/]+\/transfer-balance$/ };
 * ```
 */
export interface PaidRoute {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Tested against the URL's path (e.g. `/api/v1/Account/MA_X/Call/`). */
  readonly path: RegExp;
}

/**
 * The paid or irreversible writes of the Vobiz API (vobiz-api.md §3): number purchase, call
 * creation, capacity subscriptions and partner balance transfers.
 *
 * @example
 * ```ts
 * import { idempotency, PAID_ROUTES } from "vobiz-kit/plugins/idempotency";
 * idempotency({ routes: [...PAID_ROUTES, { method: "POST", path: /\/kyc-sessions$/ }] });
 * ```
 */
export const PAID_ROUTES: readonly PaidRoute[] = [
  { method: "POST", path: /\/Account\/[^/]+\/numbers\/purchase-from-inventory$/ },
  { method: "POST", path: /\/Account\/[^/]+\/Call\/?$/ },
  { method: "POST", path: /\/accounts\/[^/]+\/channel-subscriptions$/ },
  { method: "POST", path: /\/partner\/accounts\/[^/]+\/transfer-balance$/ },
];

/**
 * What a state check gets.
 *
 * @example
 * ```ts
 * import type { ReconcileInput } from "vobiz-kit/plugins/idempotency";
 * const check = async ({ request }: ReconcileInput) => request("GET", "/Account/{auth_id}/numbers");
 * ```
 */
export interface ReconcileInput {
  /** The write's context (method, route, URL, account). */
  readonly context: CallContext;
  /** The write's JSON body. */
  readonly body: unknown;
  /**
   * Makes the check's own call: on the write's account (`{auth_id}`), with its signal, bypassing
   * the cache and the rate limiter's queue (the write holds a slot).
   */
  request(method: string, path: string, options?: RequestOptions): Promise<unknown>;
}

/**
 * A state check's finding: the write took effect (with a success-shaped result for the caller),
 * did not, or cannot be known.
 *
 * @example
 * ```ts
 * import type { ReconcileResult } from "vobiz-kit/plugins/idempotency";
 * const found: ReconcileResult = { outcome: "not-performed", checked: "no such transfer in the ledger" };
 * ```
 */
export type ReconcileResult =
  | { readonly outcome: "performed"; readonly checked: string; readonly result: unknown }
  | { readonly outcome: "not-performed"; readonly checked: string }
  | { readonly outcome: "unknown"; readonly checked: string };

/**
 * A state check for one kind of write.
 *
 * @example
 * ```ts
 * import type { Reconciler } from "vobiz-kit/plugins/idempotency";
 * const subscriptions: Reconciler = {
 *   method: "POST",
 *   path: /\/accounts\/[^/]+\/channel-subscriptions$/,
 *   check: async () => ({ outcome: "unknown", checked: "no list endpoint to look at" }),
 * };
 * ```
 */
export interface Reconciler extends PaidRoute {
  /** Looks at the account's state. A throw counts as `unknown`. */
  check(input: ReconcileInput): Promise<ReconcileResult>;
}

/**
 * Options of {@link idempotency}.
 *
 * @example
 * ```ts
 * import { idempotency, type IdempotencyOptions } from "vobiz-kit/plugins/idempotency";
 * const options: IdempotencyOptions = { retentionMs: 3_600_000 };
 * idempotency(options);
 * ```
 */
export interface IdempotencyOptions {
  /** Writes treated as paid besides calls marked `paid` or given a key. Default {@link PAID_ROUTES}. */
  routes?: readonly PaidRoute[];
  /** Where records live (share one across processes: Redis, KV). Default: a bounded memory store. */
  store?: KeyValueStore;
  /** How long a key is remembered, in ms. Default 24 h. */
  retentionMs?: number;
  /** State checks, tried before the built-in one for number purchases. */
  reconcilers?: readonly Reconciler[];
}

/**
 * The plugin and its handle.
 *
 * @example
 * ```ts
 * import { idempotency, type IdempotencyPlugin } from "vobiz-kit/plugins/idempotency";
 * const plugin: IdempotencyPlugin = idempotency();
 * await plugin.forget("order-42", "MA_XXXXXXXX");
 * ```
 */
export interface IdempotencyPlugin extends VobizPlugin {
  /**
   * Drops what is known about a key (after you settled an `AMBIGUOUS_OUTCOME` yourself), so that
   * the next call with it is sent.
   */
  forget(key: string, authId: string): Promise<void>;
}

type Outcome = { readonly record: DoneRecord } | { readonly error: unknown };

interface Flight {
  readonly id: string;
  readonly fingerprint: string;
  readonly outcome: Promise<Outcome>;
  resolve(outcome: Outcome): void;
  /** The answer to share and, when `fresh`, to store. */
  record?: DoneRecord;
  fresh: boolean;
  /** This call wrote the `pending` record, so it owns the store entry. */
  claimed: boolean;
}

const NAME = "idempotency";
const HEADER = "Idempotency-Key";

/**
 * Creates the idempotency plugin.
 *
 * @example
 * ```ts
 * import { createClient } from "vobiz-kit";
 * import { idempotency } from "vobiz-kit/plugins/idempotency";
 * import { retry } from "vobiz-kit/plugins/retry";
 *
 * const vobiz = createClient({ plugins: [idempotency(), retry()] });
 * try {
 *   await vobiz.request("POST", "/Account/{auth_id}/Call/", {
 *     json: { from: "+911234567890", to: "+919876543210", answer_url: "https://example.com/answer" },
 *   });
 * } catch (error) {
 *   if ((error as { code?: string }).code === "AMBIGUOUS_OUTCOME") {
 *     // the call may have been placed: look at live calls or CDRs before dialling again
 *   }
 * }
 * ```
 */
export function idempotency(options: IdempotencyOptions = {}): IdempotencyPlugin {
  const routes = options.routes ?? PAID_ROUTES;
  const methods = new Set(routes.map((route) => route.method));
  const reconcilers = [...(options.reconcilers ?? []), numberPurchaseCheck];
  const ttl = Math.max(1, Math.ceil((options.retentionMs ?? 86_400_000) / 1000));
  const inFlight = new Map<string, Flight>();
  const flights = new WeakMap<CallContext, Flight>();
  const paidCalls = new WeakMap<CallContext, IdempotencyMeta>(); // filled by init, paid writes only
  let store: Records | undefined = options.store;

  const storeKey = (authId: string, key: string) => `vobiz-kit:idempotency:${authId}:${key}`;
  const matches = (route: PaidRoute, context: CallContext) =>
    route.method === context.method && route.path.test(new URL(context.url).pathname);
  // The method is looked at first, so that reads cost a Set lookup and no URL parse.
  const isPaid = (context: CallContext) => {
    const { paid, idempotencyKey, plugins } = context.options;
    if (plugins?.[NAME] === false) return false;
    if (paid === true || idempotencyKey !== undefined) return true;
    return paid !== false && methods.has(context.method) && routes.some((r) => matches(r, context));
  };

  function setup(host: PluginHost): () => void {
    const clock = host.clock;
    const records = store ??= memoryRecords(clock);
    // A successful answer, recorded for later calls with the key (stored when the call is done).
    const keep = (context: CallContext, status: number, type: string | null, body: string) => {
      const flight = flights.get(context);
      const meta = context.meta[NAME] as IdempotencyMeta;
      if (flight === undefined || meta.role !== "send") return;
      flight.record = {
        state: "done",
        fingerprint: flight.fingerprint,
        at: clock.now(),
        status,
        contentType: type,
        body,
        reconciled: meta.reconciled,
      };
      flight.fresh = true;
    };

    async function reconcile(
      context: CallContext,
      meta: IdempotencyMeta,
      reason: string,
      cause: unknown,
    ): Promise<Response | undefined> {
      const ambiguous = (checked: string, error = cause) =>
        new VobizAmbiguousOutcomeError(meta.key, `${reason}; ${checked}`, {
          ...callOf(context),
          cause: error,
        });
      const reconciler = reconcilers.find((candidate) => matches(candidate, context));
      if (reconciler === undefined) {
        throw ambiguous(`no state check exists for ${context.method} ${context.route}`);
      }
      let found: ReconcileResult;
      const { signal } = context.options;
      try {
        found = await reconciler.check({
          context,
          body: context.options.json,
          // The check's own calls: on the write's account, with its signal, bypassing the cache
          // and the rate limiter's queue (the write holds a slot).
          request: (method, path, options = {}) =>
            host.client.request(method, path, {
              ...options,
              params: { auth_id: context.authId, ...options.params },
              plugins: { ...options.plugins, cache: false, "rate-limit": false },
              ...(signal === undefined ? {} : { signal }),
            }),
        });
      } catch (error) {
        throw ambiguous(`the state check failed: ${describe(error)}`, error);
      }
      meta.checked = found.checked;
      if (found.outcome === "unknown") throw ambiguous(found.checked);
      if (found.outcome === "not-performed") return undefined;
      meta.reconciled = true;
      meta.settled = true;
      await host.hooks.callHook("idempotency:reconciled", { context, key: meta.key });
      const result = found.result;
      const body = JSON.stringify(isRecord(result) ? { ...result, reconciled: true } : result);
      keep(context, 200, JSON_TYPE, body);
      return new Response(body, {
        headers: { "content-type": JSON_TYPE, "x-idempotent-reconciled": "true" },
      });
    }

    // Decides once per call, in ky's `init` hook (before every other hook), whether the call is a
    // paid write; only those get a key, a record and around-advice for their transport (an init
    // hook sees each call's own options, so it can wrap that call's `fetch`; hooks alone cannot
    // change an attempt's outcome). Every other call costs a method lookup here and a property
    // read in each handler.
    const init = (kyOptions: KyOptions) => {
      const context = kyOptions.context?.["vobiz"] as CallContext | undefined;
      if (context === undefined || !isPaid(context)) return;
      const meta: IdempotencyMeta = {
        key: context.options.idempotencyKey ?? crypto.randomUUID(),
        role: "send",
        sent: false,
        settled: false,
        safeToRetry: false,
        reconciled: false,
        allowRetry: () => meta.safeToRetry,
      };
      context.meta[NAME] = meta;
      paidCalls.set(context, meta);
      const timeout = kyOptions.timeout ?? false;
      kyOptions.timeout = false; // the attempt timeout now lives in the transport below
      kyOptions.fetch = paidTransport(
        (kyOptions.fetch ?? globalThis.fetch) as FetchLike,
        timeout,
        clock,
        meta,
        (status, type, body) => keep(context, status, type, body),
        (reason, cause) => reconcile(context, meta, reason, cause),
      ) as NonNullable<KyOptions["fetch"]>;
    };
    host.eachCall(init);

    async function begin(
      context: CallContext,
      meta: IdempotencyMeta,
      request: Request,
      respondWith: (response: Response) => void,
    ): Promise<void> {
      const { key } = meta;
      request.headers.set(HEADER, key);
      const id = storeKey(context.authId, key);
      const fingerprint = `${context.method} ${context.url}\n${
        JSON.stringify(context.options.json ?? null)
      }`;
      for (;;) {
        const running = inFlight.get(id);
        if (running === undefined) break;
        checkFingerprint(running.fingerprint, fingerprint, context);
        meta.role = "join";
        await host.hooks.callHook("idempotency:joined", { context, key });
        const outcome = await abortable(running.outcome, context.options.signal);
        if ("record" in outcome) return respondWith(replayResponse(outcome.record));
        // An aborted first call settles nothing: look again (its record now says "unknown").
        if (!(isVobizError(outcome.error) && outcome.error.code === "ABORTED")) {
          throw outcome.error;
        }
        meta.role = "send";
      }
      let resolve!: (outcome: Outcome) => void;
      const outcome = new Promise<Outcome>((done) => resolve = done);
      const flight: Flight = { id, fingerprint, outcome, resolve, fresh: false, claimed: false };
      inFlight.set(id, flight); // before any await: a concurrent call with this key joins
      flights.set(context, flight);

      const stored = await storeCall(() => records.getItem<IdempotencyRecord>(id));
      if (stored !== null) {
        checkFingerprint(stored.fingerprint, fingerprint, context);
        if (stored.state === "done") {
          meta.role = "replay";
          flight.record = stored;
          await host.hooks.callHook("idempotency:replayed", { context, key });
          return respondWith(replayResponse(stored));
        }
        // An earlier call's outcome is unknown (or it is in flight in another process): check.
        const reason = "an earlier call with this key ended without a known outcome";
        const reconciled = await reconcile(context, meta, reason, undefined);
        if (reconciled !== undefined) return respondWith(reconciled);
      }
      const pending: IdempotencyRecord = { state: "pending", fingerprint, at: clock.now() };
      await storeCall(() => records.setItem(id, pending, { ttl }));
      flight.claimed = true;
    }

    async function finish(context: CallContext, flight: Flight, error: Error | undefined) {
      flights.delete(context);
      const meta = context.meta[NAME] as IdempotencyMeta;
      const { id, record } = flight;
      try {
        if (record !== undefined && flight.fresh) {
          await records.setItem(id, record, { ttl });
        } else if (record === undefined && (flight.claimed || meta.sent)) {
          if (error !== undefined && meta.sent && !meta.settled) {
            const unknown: IdempotencyRecord = {
              state: "unknown",
              fingerprint: flight.fingerprint,
              at: clock.now(),
            };
            await records.setItem(id, unknown, { ttl });
          } else {
            await records.removeItem(id); // it did not happen: the key may be sent again
          }
        }
      } finally {
        if (inFlight.get(id) === flight) inFlight.delete(id);
        flight.resolve(record !== undefined ? { record } : { error });
      }
    }

    // Synchronous for calls that are not paid writes: nothing to wait for.
    const offs = [
      host.hooks.hook("beforeRequest", ({ context, request, respondWith }) => {
        // The meta lookup first: a property read, where the map is consulted for paid writes only.
        const meta = context.meta[NAME] === undefined ? undefined : paidCalls.get(context);
        if (meta !== undefined) return begin(context, meta, request, respondWith);
      }),
      host.hooks.hook("done", ({ context, error }) => {
        const flight = context.meta[NAME] === undefined ? undefined : flights.get(context);
        if (flight !== undefined) return finish(context, flight, error);
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }

  return {
    name: NAME,
    setup,
    forget: async (key, authId) => {
      await store?.removeItem(storeKey(authId, key));
    },
  };
}

// What an error says about the call it ended.
function callOf({ requestId, method, route }: CallContext) {
  return { requestId, method, route };
}

function checkFingerprint(expected: string, actual: string, context: CallContext): void {
  if (expected === actual) return;
  throw new VobizValidationError([{
    path: "idempotencyKey",
    message: "this key was already used for a different request (method, URL or body)",
  }], callOf(context));
}

// A store that fails must not let a paid write through unguarded, nor leak an untyped error.
async function storeCall<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw new VobizError("NETWORK_ERROR", `idempotency store failed: ${describe(error)}`, {
      cause: error,
    });
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
