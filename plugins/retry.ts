/**
 * `retry`: retries failed attempts through ky's own retry engine, with defaults that suit an API
 * without server-side idempotency: reads and idempotent writes (GET, HEAD, PUT, DELETE) are retried
 * after 408, 429, 500, 502, 503, 504, network errors and timeouts, with exponential backoff and full
 * jitter; a POST only after a 429 (the one answer known to reject a call before it runs); a paid or
 * keyed write only after a 429 or with the idempotency plugin's consent. `Retry-After` is honoured
 * up to `maxRetryAfter`; a longer ask ends the call with `RATE_LIMITED`. A retry budget (a token
 * bucket, as in the AWS SDKs' standard retry mode) bounds the extra load on a failing API.
 *
 * `retry:scheduled` fires once per retry, when it has been decided and its wait begins: never for
 * a failure that is not retried (limit reached, not retryable, out of budget, `Retry-After` too
 * long, or a circuit that will not let it through). Only the caller's signal or the call's
 * `totalTimeout` can still cancel an announced retry during its wait. `onError` fires once per call.
 *
 * @example
 * ```ts
 * import { createClient } from "vobiz-kit";
 * import { retry } from "vobiz-kit/plugins/retry";
 *
 * const retries = retry({ limit: 3, maxRetryAfter: 30_000 });
 * const vobiz = createClient({ plugins: [retries] });
 * vobiz.hooks.hook("retry:scheduled", ({ context, attempt, delayMs, reason }) => {
 *   console.log(`${context.method} ${context.route}: retry ${attempt} after ${delayMs} ms (${reason})`);
 * });
 * await vobiz.balance.get();
 * retries.budget(); // { tokens: 500, capacity: 500 }
 * ```
 *
 * @module
 */
import type { Hookable } from "hookable";
import type { Options as KyOptions, RetryOptions as KyRetryOptions } from "ky";
import { type Clock, systemClock } from "../src/clock.ts";
import { isVobizError, VobizHttpError, VobizRateLimitedError } from "../src/errors.ts";
import type { CallContext, RetryScheduledEvent, VobizHooks } from "../src/hooks.ts";
import type { VobizPlugin } from "../src/plugin.ts";
import {
  checkOptions,
  isAtLeast,
  isBoolean,
  isCount,
  isFunction,
  isRecord,
  isString,
  option,
} from "../src/_internal/option_checks.ts";
import { toVobizError } from "../src/_internal/to_vobiz_error.ts";
import { retryBudget } from "./_internal/retry_budget.ts";

/**
 * Options of the retry budget (see {@link RetryOptions.budget}).
 *
 * @example
 * ```ts
 * retry({ budget: { capacity: 100, retryCost: 5 } }); // at most 20 retries until calls succeed
 * ```
 */
export interface RetryBudgetOptions {
  /** Tokens in a full bucket. Default 500. */
  capacity?: number;
  /** Tokens one retry costs. Default 5. */
  retryCost?: number;
  /** Tokens one retry after a timeout costs. Default 10. */
  timeoutCost?: number;
  /**
   * Tokens a call that succeeds at its first attempt gives back. Default 1. A call that succeeds
   * after retrying gives back what its last retry cost instead.
   */
  successRefill?: number;
}

/**
 * What {@link RetryOptions.shouldRetry} is told about a failed attempt.
 *
 * @example
 * ```ts
 * retry({ shouldRetry: ({ error, attempt }: RetryState) => attempt <= 1 || undefined });
 * ```
 */
export interface RetryState {
  /** Why the attempt failed: a `VobizHttpError`, or a `NETWORK_ERROR` / `TIMEOUT` error. */
  readonly error: Error;
  /** The call. */
  readonly context: CallContext;
  /** The retry that would be made (1 for the first retry). */
  readonly attempt: number;
}

/**
 * What the retry plugin reads from `context.meta.idempotency` (set by the idempotency plugin in
 * `beforeRequest`): whether a paid or keyed write, or a POST, that failed in a way that may have
 * let it run (5xx, network error, timeout) may be sent again. Without it such a call is never
 * re-sent. A 429 needs no permission: it rejects the call before it runs.
 *
 * @example
 * ```ts
 * import type { RetryPermission } from "vobiz-kit/plugins/retry";
 * const permission: RetryPermission = {
 *   allowRetry: async () => !(await purchaseWasMade()), // reconciled: it did not run
 * };
 * vobiz.hooks.hook("beforeRequest", ({ context }) => {
 *   if (context.options.paid) context.meta["idempotency"] = permission;
 * });
 * ```
 */
export interface RetryPermission {
  /** True to let the retry plugin send the call again after `error` (still within its limits). */
  allowRetry(error: Error, attempt: number): boolean | Promise<boolean>;
}

/**
 * What the retry plugin calls from `context.meta.circuitBreaker` (set by the circuit breaker
 * plugin) once it has decided on a retry, before announcing it: the breaker counts the failed
 * attempt and throws `CIRCUIT_OPEN` if the circuit does not let the retry through. So
 * `retry:scheduled` never announces a retry that an open circuit stops, whatever the plugin order.
 *
 * @example
 * ```ts
 * import type { RetryGate } from "vobiz-kit/plugins/retry";
 * const gate: RetryGate = {
 *   admitRetry: (error, attempt) => {
 *     if (attempt > 2 && isVobizError(error) && error.code === "TIMEOUT") throw error;
 *   },
 * };
 * ```
 */
export interface RetryGate {
  /** Returns to let retry `attempt` after `error` go ahead; throws the error that ends the call. */
  admitRetry(error: Error, attempt: number): void | Promise<void>;
}

/**
 * Options of {@link retry}. Every one has a default; see each.
 *
 * @example
 * ```ts
 * const options: RetryOptions = { limit: 5, baseDelayMs: 500, backoffLimit: 10_000 };
 * const vobiz = createClient({ plugins: [retry(options)] });
 * ```
 */
export interface RetryOptions {
  /** Retries per call (so at most `limit + 1` attempts). Default 3. */
  limit?: number;
  /**
   * Methods retried after any retryable failure. Default `GET`, `HEAD`, `PUT`, `DELETE`. Other
   * methods are retried only after a 429 (or with the idempotency plugin's consent).
   */
  methods?: readonly string[];
  /** Statuses that are retried. Default 408, 429, 500, 502, 503, 504; no other 4xx ever is. */
  statusCodes?: readonly number[];
  /** Statuses whose `Retry-After` (seconds or an HTTP date) sets the delay. Default 429, 503. */
  afterStatusCodes?: readonly number[];
  /**
   * Longest `Retry-After` honoured, in ms. Default 60000. A server asking for longer ends the call
   * with a `RATE_LIMITED` error carrying `retryAfterMs`, instead of a silent long wait.
   */
  maxRetryAfter?: number;
  /** Delay before the first retry, doubled for each next one, in ms. Default 1000. */
  baseDelayMs?: number;
  /** Longest backoff delay, in ms. Default 20000. */
  backoffLimit?: number;
  /**
   * `true` (default): full jitter, a random delay between 0 and the backoff delay; `false`: the
   * backoff delay itself; or a function of the backoff delay. Not applied to `Retry-After`.
   */
  jitter?: boolean | ((delayMs: number) => number);
  /**
   * Retry an attempt that timed out (`timeout`). Default true, for the `methods` only: a write
   * that timed out may have run, so it is never re-sent without the idempotency plugin's consent.
   */
  retryOnTimeout?: boolean;
  /** The retry budget, or `false` for none. Default `{ capacity: 500, retryCost: 5, timeoutCost: 10, successRefill: 1 }`. */
  budget?: RetryBudgetOptions | false;
  /**
   * Your own say on a failure that may be retried: `true` or `false` overrides the status, network
   * error and timeout rules, `undefined` keeps them. It cannot make a write that may have run be
   * re-sent, nor lift the limit, `maxRetryAfter` or the budget.
   */
  shouldRetry?: (state: RetryState) => boolean | undefined | Promise<boolean | undefined>;
}

/**
 * Per-call settings, as `plugins: { retry: … }` in a call's options: `false` for no retries, or
 * `{ limit }` for another limit.
 *
 * @example
 * ```ts
 * await vobiz.request("GET", "/Account/{auth_id}/", { plugins: { retry: { limit: 1 } } });
 * ```
 */
export type RetryCallSettings = false | { limit?: number };

/**
 * The tokens of the retry budget.
 *
 * @example
 * ```ts
 * const state: RetryBudgetState = retries.budget();
 * if (state.tokens < state.capacity / 2) console.warn("retrying a lot");
 * ```
 */
export interface RetryBudgetState {
  /** Tokens left (`Infinity` without a budget). */
  readonly tokens: number;
  /** Tokens in a full bucket. */
  readonly capacity: number;
}

/**
 * The retry plugin and its handle.
 *
 * @example
 * ```ts
 * const retries: RetryPlugin = retry();
 * const vobiz = createClient({ plugins: [retries] });
 * retries.budget().tokens;
 * ```
 */
export interface RetryPlugin extends VobizPlugin {
  /**
   * The retry budget now.
   *
   * @example
   * ```ts
   * const { tokens, capacity } = retries.budget();
   * ```
   */
  budget(): RetryBudgetState;
}

const DEFAULT_METHODS = ["GET", "HEAD", "PUT", "DELETE"];
const DEFAULT_STATUS_CODES = [408, 429, 500, 502, 503, 504];
const DEFAULT_AFTER_STATUS_CODES = [429, 503];
// ky checks the method before asking shouldRetry; the method rules live in decide(), which also
// knows about paid writes and 429s, so ky is told every method is retryable.
const EVERY_METHOD = ["get", "head", "put", "delete", "post", "patch", "options", "trace"];

// Options are checked by hand (the core's checkOptions): no valibot object machinery in the bundle.
const ms = option((value) => isAtLeast(value, 0, true), "a number ≥ 0");
const list = (each: (item: unknown) => boolean, expected: string) =>
  option((value) => Array.isArray(value) && value.every(each), expected);
const optionRules = {
  limit: option((value) => isCount(value), "a whole number ≥ 0"),
  methods: list(isString, "an array of methods"),
  statusCodes: list(Number.isInteger, "an array of statuses"),
  afterStatusCodes: list(Number.isInteger, "an array of statuses"),
  maxRetryAfter: ms,
  baseDelayMs: ms,
  backoffLimit: ms,
  jitter: option((value) => isBoolean(value) || isFunction(value), "a boolean or a function"),
  retryOnTimeout: option(isBoolean, "a boolean"),
  budget: option((value) => value === false || isRecord(value), "false or an object"),
  shouldRetry: option(isFunction, "a function"),
};
const budgetRules = { capacity: ms, retryCost: ms, timeoutCost: ms, successRefill: ms };

// A retry decided for a failed attempt.
interface Decision {
  /** The failure, as the caller would see it. */
  readonly error: Error;
  /** `status 503`, `NETWORK_ERROR`, `TIMEOUT`. */
  readonly reason: string;
  readonly retryAfterMs: number | undefined;
  /** Tokens it took from the budget. */
  readonly cost: number;
}

/**
 * Creates the retry plugin. Put it in `plugins` once; it configures the client's ky retry engine.
 * Throws `VALIDATION_ERROR` for malformed options.
 *
 * @example
 * ```ts
 * import { createClient } from "vobiz-kit";
 * import { retry } from "vobiz-kit/plugins/retry";
 * import { circuitBreaker } from "vobiz-kit/plugins/circuit-breaker";
 * const vobiz = createClient({ plugins: [retry(), circuitBreaker()] });
 * ```
 */
export function retry(options: RetryOptions = {}): RetryPlugin {
  checkOptions(options, optionRules);
  if (isRecord(options.budget)) checkOptions(options.budget, budgetRules, "budget");
  const limit = options.limit ?? 3;
  const methods = new Set((options.methods ?? DEFAULT_METHODS).map((m) => m.toUpperCase()));
  const statusCodes = new Set(options.statusCodes ?? DEFAULT_STATUS_CODES);
  const afterStatusCodes = new Set(options.afterStatusCodes ?? DEFAULT_AFTER_STATUS_CODES);
  const maxRetryAfter = options.maxRetryAfter ?? 60_000;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const backoffLimit = options.backoffLimit ?? 20_000;
  const jitter = options.jitter ?? true;
  const retryOnTimeout = options.retryOnTimeout ?? true;
  const budgetOptions = options.budget === false ? undefined : options.budget ?? {};
  const budget = retryBudget(
    budgetOptions === undefined ? Infinity : budgetOptions.capacity ?? 500,
  );
  const retryCost = budgetOptions?.retryCost ?? 5;
  const timeoutCost = budgetOptions?.timeoutCost ?? 10;
  const successRefill = budgetOptions?.successRefill ?? 1;
  const lastCosts = new WeakMap<CallContext, number>(); // what a call's success gives back
  let clock: Clock = systemClock;
  let hooks: Hookable<VobizHooks> | undefined;

  // Whether a failed attempt is retried: undefined for no; throws RATE_LIMITED for a server that
  // asks to wait longer than maxRetryAfter.
  async function decide(
    context: CallContext,
    thrown: Error,
    attempt: number,
  ): Promise<Decision | undefined> {
    const error = toVobizError(thrown, context, clock.now());
    const status = error instanceof VobizHttpError ? error.status : undefined;
    const code = isVobizError(error) ? error.code : undefined;
    if (status === undefined && code !== "NETWORK_ERROR" && code !== "TIMEOUT") return undefined;
    // A write that may have run is re-sent only with the idempotency plugin's consent; a 429 is the
    // one answer known to reject a call before it runs.
    const permission = context.meta["idempotency"] as Partial<RetryPermission> | undefined;
    const paid = context.options.paid === true || context.options.idempotencyKey !== undefined ||
      permission !== undefined;
    if (status !== 429 && (paid || !methods.has(context.method))) {
      if (typeof permission?.allowRetry !== "function") return undefined;
      if (!(await permission.allowRetry(error, attempt))) return undefined;
    }
    let retryable = status !== undefined
      ? statusCodes.has(status)
      : code === "TIMEOUT"
      ? retryOnTimeout
      : true;
    const verdict = await options.shouldRetry?.({ error, context, attempt });
    if (typeof verdict === "boolean") retryable = verdict;
    if (!retryable) return undefined;
    const retryAfterMs = status !== undefined && afterStatusCodes.has(status)
      ? (error as VobizHttpError).retryAfterMs
      : undefined;
    if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfter) {
      throw new VobizRateLimitedError(
        `${context.method} ${context.route}: the server asked to wait ${retryAfterMs} ms before ` +
          `retrying, longer than maxRetryAfter (${maxRetryAfter} ms)`,
        retryAfterMs,
        {
          cause: error,
          requestId: context.requestId,
          method: context.method,
          route: context.route,
        },
      );
    }
    const cost = code === "TIMEOUT" ? timeoutCost : retryCost;
    if (!budget.take(cost)) return undefined; // out of budget: the call fails with its own error
    const reason = status === undefined ? String(code) : `status ${status}`;
    return { error, reason, retryAfterMs, cost };
  }

  // Exponential backoff for retry `attempt` (1 for the first), capped, then jittered.
  function backoff(attempt: number): number {
    const delayMs = Math.min(backoffLimit, baseDelayMs * 2 ** (attempt - 1));
    if (jitter === false) return delayMs;
    const jittered = jitter === true ? Math.random() * delayMs : jitter(delayMs);
    return Number.isFinite(jittered) && jittered >= 0 ? Math.min(backoffLimit, jittered) : delayMs;
  }

  // ky's retry options for one call: closures over the call, so that the delay ky waits is the one
  // decided (and announced) for this call; instance-wide functions could not tell concurrent calls
  // apart. ky asks shouldRetry, then delay, then waits, then runs the beforeRetry hooks.
  function kyRetryFor(context: CallContext): KyRetryOptions {
    const settings = context.options.plugins?.["retry"] as RetryCallSettings | undefined;
    if (settings === false) return { limit: 0 };
    let delayMs: number | undefined;
    return {
      limit: settings?.limit ?? limit,
      methods: EVERY_METHOD,
      shouldRetry: async ({ error: thrown, retryCount: attempt }) => {
        delayMs = undefined;
        const decision = await decide(context, thrown, attempt);
        if (decision === undefined) return false;
        const { error, reason, cost } = decision;
        const gate = context.meta["circuitBreaker"] as Partial<RetryGate> | undefined;
        try {
          await gate?.admitRetry?.(error, attempt);
        } catch (stop) {
          budget.give(cost); // no retry was made
          throw stop;
        }
        lastCosts.set(context, cost);
        // The server's timing is respected as is, without backoff or jitter.
        delayMs = decision.retryAfterMs ?? backoff(attempt);
        await emit(hooks, { context, attempt, delayMs, reason });
        return true;
      },
      delay: (attempt) => delayMs ?? backoff(attempt),
    };
  }

  return {
    name: "retry",
    setup(host) {
      clock = host.clock;
      hooks = host.hooks;
      host.eachCall((kyOptions: KyOptions) => {
        const context = kyOptions.context?.["vobiz"] as CallContext | undefined;
        if (context !== undefined) kyOptions.retry = kyRetryFor(context);
      });
      return host.hooks.hook("done", ({ context, error }) => {
        // A full bucket (the common case) has nothing to take back.
        if (error !== undefined || budget.tokens >= budget.capacity) return;
        if (context.meta["cache"] === "hit") return;
        budget.give(lastCosts.get(context) ?? successRefill);
      });
    },
    budget: () => ({ tokens: budget.tokens, capacity: budget.capacity }),
  };
}

// Listeners observe: one that throws must not stop the retry or change the call's outcome.
async function emit(
  hooks: Hookable<VobizHooks> | undefined,
  event: RetryScheduledEvent,
): Promise<void> {
  try {
    await hooks?.callHook("retry:scheduled", event);
  } catch {
    // ignored by design (see above)
  }
}
