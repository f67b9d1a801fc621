/**
 * `vobiz-kit/plugins/rate-limit`: client-side pacing, so that the server rarely has to say no.
 *
 * - A token bucket for all calls (`requestsPerSecond`, `burst`), and a separate calls-per-second
 *   limit for call creation (`POST /Account/{auth_id}/Call/`) counted the way Vobiz counts CPS: at
 *   most `callsPerSecond` starts in any second. Set it to your account's `cps_limit`.
 * - A concurrency cap (a bulkhead): at most `maxConcurrent` calls in flight. On Cloudflare Workers
 *   keep it at 6 or below (the runtime's limit of simultaneous connections per request).
 * - A bounded FIFO queue: a call waits at most `maxWaitMs`, and at most `maxQueued` calls wait;
 *   beyond either the call fails at once with `RATE_LIMITED` (carrying the wait it would need).
 * - A 429 pauses every caller of the client together, for its `Retry-After` (or the body's
 *   `retryAfter`), else for a backoff that doubles with each 429 in a row; retries wait too.
 * - Waits use the client's clock and honour the caller's `signal`. No timers run while idle.
 * - With a `store`, the 429 pause is shared by every instance given the same store (per account):
 *   a 429 writes the pause's end there, and an instance reads it before admitting a call at most
 *   every `syncMs`. The later end wins (pauses only ever lengthen, so a lost write costs at most
 *   one 429 to a peer). Redis: peers see it within `syncMs`; Workers KV: up to ~60 s late (it
 *   helps only for long pauses); the Workers Cache API: one data centre; `memoryStore()`: one
 *   process. A store that fails is ignored. Token buckets and the CPS window stay per instance.
 *
 * Events: `ratelimit:queued` (a call has to wait), `ratelimit:hit` (a 429 paused the client).
 * Put it last in `plugins`, after `cache` and `idempotency`: calls they answer take no slot. Calls a
 * plugin makes on behalf of another call (a token refresh, a state check) pass
 * `plugins: { "rate-limit": false }` so that they never wait for the slot their parent holds.
 *
 * @example
 * ```ts
 * import { createClient } from "vobiz-kit";
 * import { rateLimit } from "vobiz-kit/plugins/rate-limit";
 *
 * const vobiz = createClient({
 *   plugins: [rateLimit({ requestsPerSecond: 10, callsPerSecond: 2, maxConcurrent: 6 })],
 * });
 * ```
 *
 * @module
 */
import type { Clock } from "../src/clock.ts";
import { VobizRateLimitedError } from "../src/errors.ts";
import type { CallContext } from "../src/hooks.ts";
import type { PluginHost, VobizPlugin } from "../src/plugin.ts";
import type { KeyValueStore } from "../src/store.ts";
import {
  checkOptions,
  hasMethods,
  isAtLeast,
  isCount,
  isRecord,
  isString,
  option,
} from "../src/_internal/option_checks.ts";
import { type Pacer, slidingWindow, tokenBucket } from "./_internal/rate_limit_buckets.ts";
import { pauseOf } from "./_internal/rate_limit_pause.ts";
import { sharedPause } from "./_internal/rate_limit_shared.ts";

/**
 * Options of {@link rateLimit}. Rates may be `Infinity` (no limit).
 *
 * @example
 * ```ts
 * import { rateLimit, type RateLimitOptions } from "vobiz-kit/plugins/rate-limit";
 * const options: RateLimitOptions = { callsPerSecond: 5, maxWaitMs: 10_000 };
 * rateLimit(options);
 * ```
 */
export interface RateLimitOptions {
  /** Average calls per second, all routes. Default 10. */
  requestsPerSecond?: number;
  /** Calls that may start at once after a quiet spell. Default: `requestsPerSecond` (at least 1). */
  burst?: number;
  /** Calls in flight at once. Default 6 (the Workers limit; raise it on servers). */
  maxConcurrent?: number;
  /** Call creations per second (any 1 s window). Default 2, the usual account `cps_limit`. */
  callsPerSecond?: number;
  /** Which calls create calls. Default `POST …/Account/{auth_id}/Call/`. */
  callRoute?: { readonly method: string; readonly path: RegExp };
  /** Calls that may wait at once; more fail with `RATE_LIMITED`. Default 1000. */
  maxQueued?: number;
  /** Longest wait for a call; a longer one fails with `RATE_LIMITED`. Default 30 000 ms. */
  maxWaitMs?: number;
  /** Pause after a 429 without `Retry-After`, doubled per 429 in a row. Default 1000 ms. */
  backoffMs?: number;
  /** Longest pause a 429 causes. Default 60 000 ms. */
  maxPauseMs?: number;
  /** Shares the 429 pause with every instance given the same store (see the module notes). */
  store?: KeyValueStore;
  /** With a `store`: least time between two reads of the shared pause, in ms. Default 1000. */
  syncMs?: number;
  /** With a `store`: first segments of its keys (the account id follows). Default `vobiz-kit:rate-limit`. */
  prefix?: string;
}

/**
 * What the limiter is doing now.
 *
 * @example
 * ```ts
 * const { active, queued, pausedForMs } = limiter.state();
 * ```
 */
export interface RateLimitState {
  /** Calls holding a slot. */
  readonly active: number;
  /** Calls waiting. */
  readonly queued: number;
  /** How much longer every call is paused after a 429 (0 when not paused). */
  readonly pausedForMs: number;
}

/**
 * The plugin and its handle.
 *
 * @example
 * ```ts
 * import { rateLimit, type RateLimitPlugin } from "vobiz-kit/plugins/rate-limit";
 * const limiter: RateLimitPlugin = rateLimit();
 * limiter.maxQueued; // 1000
 * ```
 */
export interface RateLimitPlugin extends VobizPlugin {
  /** The queue's bound. */
  readonly maxQueued: number;
  /** Slots, queue and pause right now. */
  state(): RateLimitState;
}

const NAME = "rate-limit";
const MAX_DELAY = 2_147_483_647; // setTimeout's ceiling

// Options are checked by hand (the core's checkOptions): no valibot object machinery in the bundle.
const count = option((value) => isCount(value, 1, true), "a whole number ≥ 1 or Infinity");
const ms = option((value) => isAtLeast(value, 0, true), "a number ≥ 0");
const optionRules = {
  requestsPerSecond: option((value) => typeof value === "number" && value > 0, "a number > 0"),
  burst: option((value) => isAtLeast(value, 1, true), "a number ≥ 1"),
  maxConcurrent: count,
  callsPerSecond: count,
  callRoute: option(
    (value) => isRecord(value) && isString(value["method"]) && value["path"] instanceof RegExp,
    "{ method, path: RegExp }",
  ),
  maxQueued: option((value) => isCount(value, 0, true), "a whole number ≥ 0 or Infinity"),
  maxWaitMs: ms,
  backoffMs: ms,
  maxPauseMs: ms,
  store: option((value) => hasMethods(value, "getItem", "setItem"), "a store"),
  syncMs: ms,
  prefix: option((value) => isString(value) && value !== "", "a non-empty string"),
};

/**
 * Creates the rate limiter.
 *
 * @example
 * ```ts
 * import { createClient } from "vobiz-kit";
 * import { rateLimit } from "vobiz-kit/plugins/rate-limit";
 *
 * const me = await createClient().account.get();
 * const vobiz = createClient({ plugins: [rateLimit({ callsPerSecond: me.cps_limit ?? 2 })] });
 * ```
 */
export function rateLimit(options: RateLimitOptions = {}): RateLimitPlugin {
  checkOptions(options, optionRules);
  const requestsPerSecond = options.requestsPerSecond ?? 10;
  const burst = options.burst ?? Math.max(1, Math.min(requestsPerSecond, MAX_DELAY));
  const maxConcurrent = options.maxConcurrent ?? 6;
  const callRoute = options.callRoute ?? { method: "POST", path: /\/Account\/[^/]+\/Call\/?$/ };
  const maxQueued = options.maxQueued ?? 1000;
  const maxWaitMs = Math.min(options.maxWaitMs ?? 30_000, MAX_DELAY);
  const backoffMs = options.backoffMs ?? 1000;
  const maxPauseMs = Math.min(options.maxPauseMs ?? 60_000, MAX_DELAY);

  const general: Pacer = tokenBucket(requestsPerSecond, burst);
  const callStarts: Pacer = slidingWindow(options.callsPerSecond ?? 2, 1000);
  const holders = new WeakSet<CallContext>();
  let slotFreed: (() => void)[] = [];
  let line: Promise<void> = Promise.resolve(); // FIFO: each call waits for the one before it
  let active = 0;
  let queued = 0;
  let pausedUntil = 0;
  let strikes = 0; // 429s in a row
  let clock: Clock | undefined;
  const pauses = options.store &&
    sharedPause(options.store, options.prefix ?? "vobiz-kit:rate-limit", options.syncMs ?? 1000);

  const isCallCreation = (context: CallContext) =>
    context.method === callRoute.method && callRoute.path.test(new URL(context.url).pathname);
  const bypass = (context: CallContext) => {
    const { meta } = context;
    const role = (meta["idempotency"] as { role?: string } | undefined)?.role;
    return context.options.plugins?.[NAME] === false || meta["cache"] === "hit" ||
      role === "join" || role === "replay";
  };

  function setup(host: PluginHost): () => void {
    const time = clock = host.clock;
    const details = (context: CallContext) => ({
      requestId: context.requestId,
      method: context.method,
      route: context.route,
    });
    // `waitMs`: the wait the call would need, when known (else it waited maxWaitMs for a slot).
    const tooLong = (context: CallContext, waitMs?: number) =>
      new VobizRateLimitedError(
        waitMs === undefined
          ? `${context.method} ${context.route}: no slot came free within maxWaitMs (${maxWaitMs} ms)`
          : `${context.method} ${context.route}: the rate limiter would hold it for ${waitMs} ms, ` +
            `longer than maxWaitMs (${maxWaitMs} ms)`,
        waitMs,
        details(context),
      );
    // How long until `context` may start (pause, tokens); 0 when it may start now.
    const waitFor = (context: CallContext, now: number) =>
      Math.max(
        pausedUntil - now,
        general.wait(now),
        isCallCreation(context) ? callStarts.wait(now) : 0,
      );
    // Call creations in flight, to date their CPS slot by their answer (see slidingWindow);
    // `creations` counts them, so that other calls skip the lookup.
    const answered = new WeakMap<CallContext, (answeredAt: number) => void>();
    let creations = 0;
    const take = (context: CallContext, now: number) => {
      general.take(now);
      settleCall(context); // a retry: the previous attempt has had its answer
      const settle = isCallCreation(context) ? callStarts.take(now) : undefined;
      if (settle) {
        answered.set(context, settle);
        creations++;
      }
    };
    const settleCall = (context: CallContext) => {
      const settle = creations === 0 ? undefined : answered.get(context);
      if (settle === undefined) return;
      answered.delete(context);
      creations--;
      settle(time.now());
    };
    // The fast path: a slot and a token are free and nobody waits. Synchronous, no promise.
    const tryTake = (context: CallContext) => {
      const now = time.now();
      if (queued !== 0 || active >= maxConcurrent || waitFor(context, now) > 0) return false;
      take(context, now);
      active++;
      holders.add(context);
      return true;
    };

    // Resolves with `promise`, or fails RATE_LIMITED at `deadline`, or with the signal's reason.
    function within<T>(
      promise: Promise<T>,
      context: CallContext,
      deadline: number,
    ): Promise<T> {
      const stop = new AbortController();
      const { signal } = context.options;
      const expiry = time.sleep(
        Math.max(0, deadline - time.now()),
        signal ? AbortSignal.any([signal, stop.signal]) : stop.signal,
      ).then(
        () => Promise.reject(tooLong(context)),
        (reason) => (stop.signal.aborted ? new Promise<never>(() => {}) : Promise.reject(reason)),
      );
      return Promise.race([promise, expiry]).finally(() => stop.abort());
    }

    // With a store: takes in a pause another instance wrote, when a read is due (undefined when
    // none is: no promise on that path).
    function syncPause(context: CallContext): Promise<void> | undefined {
      return pauses?.read(context.authId, time.now())?.then((until) => {
        if (until !== undefined) pausedUntil = Math.max(pausedUntil, until);
      });
    }

    async function acquire(context: CallContext, reading: Promise<void> | undefined) {
      await reading;
      if (tryTake(context)) return;
      const now = time.now();
      const wait = waitFor(context, now);
      if (queued >= maxQueued) {
        throw new VobizRateLimitedError(
          `${context.method} ${context.route}: the rate limiter's queue is full ` +
            `(${maxQueued} calls waiting)`,
          Math.max(0, wait),
          details(context),
        );
      }
      const deadline = now + maxWaitMs;
      const ahead = line;
      let leave!: () => void;
      const turn = new Promise<void>((resolve) => leave = resolve);
      line = ahead.then(() => turn);
      queued++;
      try {
        await host.hooks.callHook("ratelimit:queued", {
          context,
          waitMs: Math.max(0, wait),
          queued,
          maxQueued,
        });
        await within(ahead, context, deadline);
        for (;;) {
          const at = time.now();
          const needed = waitFor(context, at);
          if (needed > 0) {
            if (at + needed > deadline) throw tooLong(context, at + needed - now);
            await time.sleep(needed, context.options.signal);
          } else if (active >= maxConcurrent) {
            await within(
              new Promise<void>((resolve) => slotFreed.push(resolve)),
              context,
              deadline,
            );
          } else {
            take(context, at);
            active++;
            holders.add(context);
            return;
          }
        }
      } finally {
        queued--;
        leave();
      }
    }

    const offs = [
      // Synchronous when the call may start at once (the common case).
      host.hooks.hook("beforeRequest", ({ context }) => {
        if (bypass(context)) return;
        const reading = syncPause(context);
        if (reading !== undefined || !tryTake(context)) return acquire(context, reading);
      }),
      // A retry is another start: it waits out a pause and takes a token (it keeps its slot).
      host.hooks.hook("beforeRetry", async ({ context }) => {
        if (!holders.has(context)) return;
        await syncPause(context);
        const deadline = time.now() + maxWaitMs;
        for (;;) {
          const at = time.now();
          const needed = waitFor(context, at);
          if (needed <= 0) return take(context, at);
          if (at + needed > deadline) throw tooLong(context, needed);
          await time.sleep(needed, context.options.signal);
        }
      }),
      host.hooks.hook("afterResponse", ({ context, response }) => {
        settleCall(context);
        if (response.status !== 429) {
          if (response.ok) strikes = 0;
          return;
        }
        return paused(context, response);
      }),
      host.hooks.hook("done", ({ context }) => {
        settleCall(context); // also when no answer came (a dropped connection may have arrived)
        if (!holders.delete(context)) return;
        active--;
        if (slotFreed.length === 0) return;
        const waiting = slotFreed;
        slotFreed = [];
        for (const wake of waiting) wake();
      }),
    ];

    // A 429: every caller pauses, for as long as the answer asks, else for a growing backoff.
    async function paused(context: CallContext, response: Response): Promise<void> {
      const now = time.now();
      strikes++;
      const asked = await pauseOf(response, now);
      const pause = Math.min(maxPauseMs, asked ?? backoffMs * 2 ** Math.min(strikes - 1, 30));
      pausedUntil = Math.max(pausedUntil, now + pause);
      await pauses?.write(context.authId, pausedUntil, now);
      await host.hooks.callHook("ratelimit:hit", { context, waitMs: pause, queued, maxQueued });
    }
    return () => {
      for (const off of offs) off();
    };
  }

  return {
    name: NAME,
    setup,
    maxQueued,
    state: () => ({
      active,
      queued,
      pausedForMs: clock === undefined ? 0 : Math.max(0, pausedUntil - clock.now()),
    }),
  };
}
