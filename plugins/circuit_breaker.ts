/**
 * `circuitBreaker`: stops calling a route that keeps failing, so callers fail fast (`CIRCUIT_OPEN`)
 * instead of piling onto a struggling API, and probes it again later. One circuit per key (the
 * method and route template by default): closed → open after 5 consecutive failed attempts (5xx,
 * 429, network errors, timeouts; other 4xx are the caller's problem and do not count) → half-open
 * after 30 s, when exactly one probe goes through → closed if it succeeds, open again for twice as
 * long (at most 5 min) if it fails. Every attempt counts, retries included; an open circuit stops
 * the retry plugin's retries at once (it asks the circuit, through `context.meta.circuitBreaker`,
 * before announcing a retry; retries made by another engine are stopped in `beforeRetry`). No
 * timers: state ages by the client's clock. At most `maxKeys` circuits are kept (least recently
 * used go first).
 *
 * **Shared by a fleet** (`store`): every instance keeps its own circuits, which stay authoritative
 * for the hot path; the store carries openings and closes between them. An instance writes the
 * store when one of its circuits opens or closes (never per call) and reads a key's shared record
 * before a call at most every `syncMs` (default 1 s), and once more when an opening's time is up,
 * before it probes. Stores have no compare-and-set, so the shared record is built to merge: the
 * latest opening (`openedAt`, `openUntil`) and the latest close (`closedAt`) are kept under two
 * keys, and whichever happened later wins (by the instances' clocks, so keep them in sync; NTP is
 * plenty). A close can therefore never erase a concurrent opening, nor an opening a later close.
 * What is not shared, by design: failure streaks (each instance counts its own consecutive
 * failures, so `failureThreshold` is per instance; the first to reach it opens the circuit for
 * all), and the half-open probe (each instance whose opening is over sends its own one probe, so a
 * fleet of N sends at most N; the first outcome written wins for the instances that have not
 * probed yet). A store that fails is ignored: each instance goes on with its local state.
 * Consistency, by store:
 * - `memoryStore()`: one process only (several clients in it share circuits at once).
 * - Redis (or another strongly consistent unstorage driver): a write is seen by the next read on
 *   any instance, so peers learn of an opening within `syncMs`. Last writer wins per key, hence
 *   the merge rules above.
 * - Workers KV (`kvStore`): eventually consistent, about 60 s: a peer may learn of an opening up to
 *   a minute late (keep `openMs` well above that for KV to help much), and records live at least
 *   60 s.
 * - Workers Cache API (`workersCacheStore`): one data centre only; isolates elsewhere never see it.
 *
 * @example
 * ```ts
 * import { createClient, isVobizError } from "vobiz-kit";
 * import { retry } from "vobiz-kit/plugins/retry";
 * import { circuitBreaker } from "vobiz-kit/plugins/circuit-breaker";
 *
 * const breaker = circuitBreaker({ failureThreshold: 5, openMs: 30_000 });
 * const vobiz = createClient({ plugins: [retry(), breaker] });
 * vobiz.hooks.hook("circuit:state", ({ key, from, to }) => console.log(key, from, "→", to));
 * try {
 *   await vobiz.balance.get();
 * } catch (error) {
 *   if (isVobizError(error) && error.code === "CIRCUIT_OPEN") console.log(error.retryAfterMs);
 * }
 * breaker.state("GET /Account/{auth_id}/balance/{currency}"); // "closed" | "open" | "half-open"
 * ```
 *
 * @module
 */
import type { Hookable } from "hookable";
import { type Clock, systemClock } from "../src/clock.ts";
import type { KeyValueStore } from "../src/store.ts";
import { isVobizError, VobizCircuitOpenError } from "../src/errors.ts";
import type { CallContext, CircuitState, CircuitStateEvent, VobizHooks } from "../src/hooks.ts";
import type { VobizPlugin } from "../src/plugin.ts";
import {
  checkOptions,
  hasMethods,
  isAtLeast,
  isCount,
  isFunction,
  isString,
  option,
} from "../src/_internal/option_checks.ts";
import { lruMap } from "./_internal/circuit_lru.ts";
import { type SharedCircuit, sharedCircuits } from "./_internal/circuit_shared.ts";
import type { RetryGate } from "./retry.ts";

/**
 * What a circuit is per: `"route"` (default: method and route template, e.g.
 * `GET /Account/{auth_id}/cdr`), `"host"` (the API host), or a function of the call.
 *
 * @example
 * ```ts
 * const perAccount: CircuitKey = (context) => `${context.authId} ${context.route}`;
 * circuitBreaker({ key: perAccount });
 * ```
 */
export type CircuitKey = "route" | "host" | ((context: CallContext) => string);

/**
 * Options of {@link circuitBreaker}. Every one has a default; see each.
 *
 * @example
 * ```ts
 * const options: CircuitBreakerOptions = { failureThreshold: 3, openMs: 10_000, maxKeys: 200 };
 * const vobiz = createClient({ plugins: [circuitBreaker(options)] });
 * ```
 */
export interface CircuitBreakerOptions {
  /** What a circuit is per. Default `"route"`. */
  key?: CircuitKey;
  /** Consecutive failed attempts that open a closed circuit. Default 5. */
  failureThreshold?: number;
  /** How long a circuit first stays open, in ms, before one probe is let through. Default 30000. */
  openMs?: number;
  /** Longest open period, in ms: each failed probe doubles the last one up to this. Default 300000. */
  maxOpenMs?: number;
  /** Most circuits kept; the least recently used are dropped (and start closed again). Default 1000. */
  maxKeys?: number;
  /**
   * Shares openings and closes with every instance given the same store (Redis through unstorage,
   * Workers KV...): see the module notes for what each store guarantees. Default: none (local).
   */
  store?: KeyValueStore;
  /** With a `store`: least time between two reads of one key's shared record, in ms. Default 1000. */
  syncMs?: number;
  /** With a `store`: first segments of its keys. Default `vobiz-kit:circuit`. */
  prefix?: string;
}

/**
 * The circuit breaker plugin and its handle.
 *
 * @example
 * ```ts
 * const breaker: CircuitBreakerPlugin = circuitBreaker();
 * const vobiz = createClient({ plugins: [retry(), breaker] });
 * breaker.state("GET /Account/{auth_id}/cdr"); // "closed"
 * ```
 */
export interface CircuitBreakerPlugin extends VobizPlugin {
  /**
   * The state of a circuit now (`"closed"` for a key never seen). An open circuit whose time is up
   * reads `"half-open"`: the next call is its probe.
   *
   * @example
   * ```ts
   * breaker.state("GET /Account/{auth_id}/cdr"); // "open"
   * ```
   */
  state(key: string): CircuitState;
  /**
   * Closes one circuit, or every circuit when no key is given (emits `circuit:state`). With a
   * `store`, the close is recorded there too (not awaited), for the keys this instance knows.
   *
   * @example
   * ```ts
   * breaker.reset(); // after fixing the outage
   * ```
   */
  reset(key?: string): void;
  /** Circuits kept now (closed circuits without recent failures take no room). */
  readonly size: number;
}

// One circuit's state, this instance's view (a store shares only openings and closes).
interface Circuit {
  state: CircuitState;
  /** Consecutive failed attempts while closed. */
  failures: number;
  /** When the circuit last opened (clock ms). */
  openedAt: number;
  /** How long this opening lasts. */
  openMs: number;
  /** The `requestId` of the half-open probe in flight. */
  probe: string | undefined;
}

// Options are checked by hand (the core's checkOptions): no valibot object machinery in the bundle.
const count = option((value) => isCount(value, 1), "a whole number ≥ 1");
const ms = option((value) => isAtLeast(value, 0, true), "a number ≥ 0");
const optionRules = {
  key: option(
    (value) => value === "route" || value === "host" || isFunction(value),
    '"route", "host" or a function',
  ),
  failureThreshold: count,
  openMs: ms,
  maxOpenMs: ms,
  maxKeys: count,
  store: option((value) => hasMethods(value, "getItem", "setItem"), "a store"),
  syncMs: ms,
  prefix: option((value) => isString(value) && value !== "", "a non-empty string"),
};

// Per key, with a store: when its shared record was last read, and the last close this instance
// made (a closed circuit takes no entry in `circuits`, but must not re-adopt an older opening).
interface SyncMark {
  readAt: number;
  closedAt: number;
  /** The read in flight: calls that arrive meanwhile wait for it rather than act on older state. */
  reading: Promise<void> | undefined;
}

/**
 * Creates the circuit breaker plugin. Put `cache()` and `idempotency()` before it, so that answers
 * they give without the network (`context.meta.cache === "hit"`, an idempotency `join` or `replay`)
 * are served while a circuit is open, and never counted. Per call, `plugins: { circuitBreaker: false }` bypasses it (the call is neither
 * stopped nor counted). Throws `VALIDATION_ERROR` for malformed options.
 *
 * @example
 * ```ts
 * import { createClient } from "vobiz-kit";
 * import { circuitBreaker } from "vobiz-kit/plugins/circuit-breaker";
 * const breaker = circuitBreaker({ key: "host" });
 * const vobiz = createClient({ plugins: [breaker] });
 * ```
 *
 * @example Shared by every process of a fleet, through Redis
 * ```ts
 * import { createStorage } from "unstorage";
 * import redisDriver from "unstorage/drivers/redis";
 * const store = createStorage({ driver: redisDriver({ url: "redis://127.0.0.1:6379" }) });
 * const vobiz = createClient({ plugins: [circuitBreaker({ store, syncMs: 1000 })] });
 * ```
 */
export function circuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreakerPlugin {
  checkOptions(options, optionRules);
  const threshold = options.failureThreshold ?? 5;
  const baseOpenMs = options.openMs ?? 30_000;
  const maxOpenMs = Math.max(baseOpenMs, options.maxOpenMs ?? 300_000);
  const keyOf = keyFunction(options.key ?? "route");
  const circuits = lruMap<Circuit>(options.maxKeys ?? 1000);
  const shared = options.store &&
    sharedCircuits(options.store, options.prefix ?? "vobiz-kit:circuit", maxOpenMs);
  const syncMs = options.syncMs ?? 1000;
  const marks = lruMap<SyncMark>(options.maxKeys ?? 1000);
  let clock: Clock = systemClock;
  let hooks: Hookable<VobizHooks> | undefined;

  // The one place local circuit state is read and written. A closed circuit without failures is
  // the default and takes no entry (nor an object: the hot path of a healthy API allocates none).
  const closed = (): Circuit => ({
    state: "closed",
    failures: 0,
    openedAt: 0,
    openMs: baseOpenMs,
    probe: undefined,
  });
  const load = (key: string): Circuit => circuits.get(key) ?? closed();
  const save = (key: string, circuit: Circuit): void => {
    if (circuit.state === "closed" && circuit.failures === 0) circuits.delete(key);
    else circuits.set(key, circuit);
  };

  const current = (circuit: Circuit, now: number): CircuitState =>
    circuit.state === "open" && now >= circuit.openedAt + circuit.openMs
      ? "half-open"
      : circuit.state;

  // Changes state synchronously (so concurrent calls see it at once) and returns the event.
  function move(key: string, circuit: Circuit, to: CircuitState, now: number): CircuitStateEvent {
    const from = circuit.state;
    circuit.state = to;
    circuit.probe = undefined;
    if (to === "open") {
      circuit.openMs = from === "half-open" ? Math.min(maxOpenMs, circuit.openMs * 2) : baseOpenMs;
      circuit.openedAt = now;
    } else if (to === "closed") {
      circuit.failures = 0;
      circuit.openMs = baseOpenMs;
      closedLocally(key, now);
    }
    return { key, from, to, at: now };
  }

  function closedLocally(key: string, at: number): void {
    if (shared === undefined) return;
    const mark = marks.get(key);
    if (mark === undefined) marks.set(key, { readAt: -Infinity, closedAt: at, reading: undefined });
    else mark.closedAt = at;
  }

  // Announces a transition this instance made and, with a store, records it for the others.
  function publish(key: string, circuit: Circuit, event: CircuitStateEvent | undefined) {
    if (event === undefined) return undefined;
    const write = shared === undefined ? undefined : event.to === "open"
      ? shared.open(key, {
        openedAt: circuit.openedAt,
        openUntil: circuit.openedAt + circuit.openMs,
      }, event.at)
      : event.to === "closed"
      ? shared.close(key, event.at)
      : undefined;
    if (write === undefined) return announce(event);
    return Promise.all([write, announce(event)]).then(() => {});
  }

  // Takes the shared record into the local circuit: a newer opening opens it, a newer close closes
  // it (an opening wins a tie). An opening already over is ignored by a closed circuit.
  function adopt(key: string, record: SharedCircuit, now: number): CircuitStateEvent | undefined {
    const circuit = load(key);
    const from = circuit.state;
    const known = Math.max(circuit.openedAt, marks.get(key)?.closedAt ?? 0);
    const { opening, closedAt } = record;
    if (
      opening !== undefined && opening.openedAt > known && opening.openedAt >= closedAt &&
      (from !== "closed" || opening.openUntil > now)
    ) {
      circuit.state = "open";
      circuit.openedAt = opening.openedAt;
      circuit.openMs = Math.max(0, opening.openUntil - opening.openedAt);
      circuit.failures = 0;
      circuit.probe = undefined;
      save(key, circuit);
      return from === "open" ? undefined : { key, from, to: "open", at: now };
    }
    if (from !== "closed" && closedAt > known) {
      circuit.state = "closed";
      circuit.failures = 0;
      circuit.openMs = baseOpenMs;
      circuit.probe = undefined;
      save(key, circuit);
      const mark = marks.get(key);
      if (mark !== undefined) mark.closedAt = closedAt;
      return { key, from, to: "closed", at: now };
    }
    return undefined;
  }

  // Reads the shared record when due: `syncMs` after the last read, or when an opening's time is
  // up and this instance is about to probe (once per opening). Undefined when nothing is due.
  function sync(key: string): Promise<void> | undefined {
    if (shared === undefined) return undefined;
    const now = clock.now();
    const mark = marks.get(key) ?? { readAt: -Infinity, closedAt: 0, reading: undefined };
    if (mark.reading !== undefined) return mark.reading;
    const circuit = circuits.get(key);
    const openUntil = circuit?.state === "open" ? circuit.openedAt + circuit.openMs : Infinity;
    if (now - mark.readAt < syncMs && !(now >= openUntil && mark.readAt < openUntil)) {
      return undefined;
    }
    mark.readAt = now;
    marks.set(key, mark);
    return mark.reading = shared.read(key).then((record) => {
      mark.reading = undefined;
      return record === undefined ? undefined : announce(adopt(key, record, clock.now()));
    });
  }

  // Listeners observe: one that throws must not change the call's outcome. Without an event there
  // is nothing to wait for, so the common path stays synchronous.
  function announce(event: CircuitStateEvent | undefined): Promise<void> | undefined {
    if (event === undefined || hooks === undefined) return undefined;
    return Promise.resolve(hooks.callHook("circuit:state", event)).catch(() => {});
  }

  // Lets an attempt through, or throws CIRCUIT_OPEN. In half-open, the first attempt to ask becomes
  // the probe and every other one fails fast until the probe's outcome is known.
  function admit(context: CallContext, key: string): Promise<void> | undefined {
    const circuit = circuits.get(key);
    if (circuit === undefined) return undefined; // closed, no failures
    const now = clock.now();
    let event: CircuitStateEvent | undefined;
    if (circuit.state === "open") {
      const wait = circuit.openedAt + circuit.openMs - now;
      if (wait > 0) throw openError(context, key, wait);
      event = move(key, circuit, "half-open", now);
    }
    if (circuit.state === "half-open") {
      if (circuit.probe !== undefined && circuit.probe !== context.requestId) {
        throw openError(context, key, 0);
      }
      circuit.probe = context.requestId;
    }
    save(key, circuit);
    return publish(key, circuit, event);
  }

  // Counts one attempt's outcome. While open, outcomes of attempts let through earlier are ignored;
  // while half-open only the probe's outcome counts.
  function record(context: CallContext, key: string, failed: boolean): Promise<void> | undefined {
    let circuit = circuits.get(key);
    if (circuit === undefined) {
      if (!failed) return undefined; // closed, no failures: stays so
      circuit = closed();
    }
    const now = clock.now();
    let event: CircuitStateEvent | undefined;
    if (circuit.state === "closed") {
      circuit.failures = failed ? circuit.failures + 1 : 0;
      if (circuit.failures >= threshold) event = move(key, circuit, "open", now);
    } else if (circuit.state === "half-open" && circuit.probe === context.requestId) {
      event = move(key, circuit, failed ? "open" : "closed", now);
    }
    save(key, circuit);
    return publish(key, circuit, event);
  }

  // A network error or timeout has no response for afterResponse to see: it is counted when a
  // retry is asked for, or at the end of the call, once per attempt.
  function countNoResponse(call: Call, attemptIndex: number) {
    if (call.counted >= attemptIndex) return undefined;
    call.counted = attemptIndex;
    return record(call.context, call.key, true);
  }

  // Whether retry `attempt` may go: asked by the retry plugin before it announces the retry
  // (RetryGate), else from beforeRetry (a retry made by another engine). Asked once per retry.
  async function admitRetry(call: Call, error: Error, attempt: number) {
    if (call.gated >= attempt) return;
    call.gated = attempt;
    if (failedWithoutResponse(error)) await countNoResponse(call, attempt - 1);
    await sync(call.key);
    await admit(call.context, call.key);
  }

  // What the breaker keeps about a call it counts, in `context.meta.circuitBreaker`: also the
  // call's RetryGate. One object per call, no closures and no WeakMap.
  class Call implements RetryGate {
    /** The last attempt (0 for the first) whose failure without a response was counted. */
    counted = -1;
    /** The last retry the circuit was asked about. */
    gated = 0;
    readonly key: string;
    // Private, so that the meta holds no cycle: a hook may still JSON.stringify its context.
    readonly #context: CallContext;
    constructor(context: CallContext, key: string) {
      this.#context = context;
      this.key = key;
    }
    get context(): CallContext {
      return this.#context;
    }
    admitRetry(error: Error, attempt: number): Promise<void> {
      return admitRetry(this, error, attempt);
    }
  }
  // A probe that ended without an outcome (aborted, answered from a cache after it was let
  // through, stopped by another plugin) frees the half-open slot for the next call. Every such end
  // is seen by onError or, for a local answer, by afterResponse: no `done` handler is needed.
  const release = (call: Call): void => {
    const circuit = circuits.size === 0 ? undefined : circuits.get(call.key);
    if (circuit?.state === "half-open" && circuit.probe === call.context.requestId) {
      circuit.probe = undefined;
    }
  };
  const callOf = (context: CallContext): Call | undefined => {
    const call = context.meta[NAME];
    return call instanceof Call ? call : undefined;
  };

  return {
    name: NAME,
    setup(host) {
      clock = host.clock;
      hooks = host.hooks;
      // Every handler is synchronous unless a circuit changes state or a store is read.
      const offs = [
        host.hooks.hook("beforeRequest", ({ context }) => {
          if (context.options.plugins?.[NAME] === false || answeredLocally(context)) return;
          const call = new Call(context, keyOf(context));
          context.meta[NAME] = call;
          const reading = sync(call.key);
          return reading === undefined
            ? admit(context, call.key)
            : reading.then(() => admit(context, call.key));
        }),
        host.hooks.hook("afterResponse", ({ context, response }) => {
          const call = callOf(context);
          if (call === undefined) return;
          if (answeredLocally(context)) return release(call);
          const { status } = response;
          return record(context, call.key, status >= 500 || status === 429);
        }),
        host.hooks.hook(
          "beforeRetry",
          ({ context, error, attempt }) => callOf(context)?.admitRetry(error, attempt),
        ),
        host.hooks.hook("onError", ({ context, error }) => {
          const call = callOf(context);
          if (call === undefined) return;
          const counted = failedWithoutResponse(error)
            ? countNoResponse(call, context.attempt)
            : undefined;
          release(call);
          return counted;
        }),
      ];
      return () => {
        for (const off of offs) off();
      };
    },
    state: (key) => {
      const circuit = circuits.get(key);
      return circuit === undefined ? "closed" : current(circuit, clock.now());
    },
    reset(key) {
      const now = clock.now();
      for (const each of key === undefined ? [...circuits.keys()] : [key]) {
        if (shared !== undefined) {
          closedLocally(each, now);
          void shared.close(each, now);
        }
        const circuit = circuits.get(each);
        if (circuit === undefined) continue;
        circuits.delete(each);
        const from = current(circuit, now);
        if (from !== "closed") void announce({ key: each, from, to: "closed", at: now });
      }
    },
    get size() {
      return circuits.size;
    },
  };
}

const NAME = "circuitBreaker";

function keyFunction(key: CircuitKey): (context: CallContext) => string {
  if (typeof key === "function") return key;
  if (key === "host") return (context) => new URL(context.url).host;
  return (context) => `${context.method} ${context.route}`;
}

// Answered without the network (a cache hit, or the idempotency plugin joining a call in flight
// or replaying a stored outcome): says nothing about the API's health.
function answeredLocally(context: CallContext): boolean {
  const role = (context.meta["idempotency"] as { role?: string } | undefined)?.role;
  return context.meta["cache"] === "hit" || role === "join" || role === "replay";
}

function failedWithoutResponse(error: Error): boolean {
  return isVobizError(error) && (error.code === "NETWORK_ERROR" || error.code === "TIMEOUT");
}

function openError(context: CallContext, key: string, retryAfterMs: number): VobizCircuitOpenError {
  return new VobizCircuitOpenError(key, retryAfterMs, {
    requestId: context.requestId,
    method: context.method,
    route: context.route,
  });
}
