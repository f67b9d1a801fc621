/**
 * The `alerts` plugin: rules that watch the client's traffic (and the trunk events you feed it) and
 * announce trouble once per episode, as `alert:fired` / `alert:resolved` events on the client's hooks
 * and through a `notify` callback. Defaults follow Vobiz's guidance:
 *
 * - `lowBalance`: the balance read by `balance.get()` is below the account's own
 *   `low_balance_threshold` (else 100), or a call failed with `INSUFFICIENT_BALANCE`;
 * - `errorRate`: more than 5 % of the calls of the last 5 minutes failed (at least 20 calls);
 * - `trunkDown`: 3 refused calls on a trunk within 5 minutes (`CallInitiated` with
 *   `Allowed: false` fed to {@link AlertsPlugin.observeTrunkEvent}, or CDRs whose failure cause names
 *   authentication fed to {@link AlertsPlugin.observeCdr}) with no accepted call since;
 * - `rateLimit`: 3 answers of 429 within a minute, or the rate limiter's queue past 80 %.
 *
 * No timers: conditions are checked when something happens, and by {@link AlertsPlugin.evaluate}.
 *
 * @example
 * ```ts
 * import { createClient } from "vobiz-kit";
 * import { alerts } from "vobiz-kit/plugins/alerts";
 *
 * const watch = alerts({ notify: (alert) => pager.send(`${alert.state}: ${alert.message}`) });
 * const vobiz = createClient({ plugins: [watch] });
 * vobiz.hooks.hook("alert:fired", ({ rule, message }) => console.warn(rule, message));
 * ```
 *
 * @module
 */
import { type Clock, systemClock } from "../src/clock.ts";
import type { AlertEvent, VobizHooks } from "../src/hooks.ts";
import type { PluginHost, VobizPlugin } from "../src/plugin.ts";
import type { Hookable } from "hookable";
import {
  type TrunkSignal,
  trunkSignalOfCdr,
  trunkSignalOfEvent,
  trunkTracker,
} from "./_internal/alert_trunks.ts";
import { slidingWindow } from "./_internal/alert_window.ts";
import { answerKind, balanceOf, isObject } from "./_internal/metric_answers.ts";
import { listen } from "./_internal/metric_hooks.ts";

/**
 * An alert as given to `notify`: the event payload plus whether it fired or resolved.
 *
 * @example
 * ```ts
 * const notify = (alert: AlertNotification) =>
 *   console.warn(`[${alert.state}] ${alert.rule} ${alert.subject ?? ""}: ${alert.message}`);
 * const watch = alerts({ notify });
 * ```
 */
export interface AlertNotification extends AlertEvent {
  /** `fired` when an episode starts, `resolved` when it ends. */
  readonly state: "fired" | "resolved";
}

/**
 * Options of the `lowBalance` rule.
 *
 * @example
 * ```ts
 * const lowBalance: LowBalanceRule = { threshold: { INR: 500, USD: 10 } };
 * const watch = alerts({ lowBalance });
 * ```
 */
export interface LowBalanceRule {
  /** Alert below this balance: one number, or one per currency (`{ INR: 500, USD: 10 }`).
   * Default: the account's `low_balance_threshold` from the balance answer, else 100. */
  threshold?: number | Record<string, number>;
}

/**
 * Options of the `errorRate` rule.
 *
 * @example
 * ```ts
 * const errorRate: ErrorRateRule = { threshold: 0.1, windowMs: 10 * 60_000, minCalls: 50 };
 * const watch = alerts({ errorRate });
 * ```
 */
export interface ErrorRateRule {
  /** Failed share of calls above which to alert. Default 0.05. */
  threshold?: number;
  /** Sliding window. Default 5 minutes. */
  windowMs?: number;
  /** Fewest calls in the window for the rate to count. Default 20. */
  minCalls?: number;
}

/**
 * Options of the `trunkDown` rule.
 *
 * @example
 * ```ts
 * const trunkDown: TrunkDownRule = { failures: 5, windowMs: 2 * 60_000 };
 * const watch = alerts({ trunkDown });
 * ```
 */
export interface TrunkDownRule {
  /** Refused calls on one trunk within the window. Default 3. */
  failures?: number;
  /** Sliding window. Default 5 minutes. */
  windowMs?: number;
}

/**
 * Options of the `rateLimit` rule.
 *
 * @example
 * ```ts
 * const rateLimit: RateLimitRule = { responses: 1, maxQueued: 50 };
 * const watch = alerts({ rateLimit });
 * ```
 */
export interface RateLimitRule {
  /** 429 answers within the window. Default 3. */
  responses?: number;
  /** Rate-limiter queue fill (queued / maxQueued) at which to alert. Default 0.8. */
  queueRatio?: number;
  /** Most calls the limiter queues, when its events do not say (`maxQueued`). */
  maxQueued?: number;
  /** Sliding window. Default 1 minute. */
  windowMs?: number;
}

/**
 * Options of {@link alerts}. Set a rule to `false` to turn it off.
 *
 * @example
 * ```ts
 * const options: AlertsOptions = { cooldownMs: 30 * 60_000, rateLimit: false, notify: console.warn };
 * const watch = alerts(options);
 * ```
 */
export interface AlertsOptions {
  /** Called for every fired and resolved alert. Not awaited (see `waitUntil`); errors are ignored. */
  notify?: (alert: AlertNotification) => void | Promise<void>;
  /** Receives the promise of an async `notify` (Workers: `ctx.waitUntil`). */
  waitUntil?: (promise: Promise<unknown>) => void;
  /** After an alert fired, the same alert starts no new episode for this long. Default 10 minutes. */
  cooldownMs?: number;
  /** Balance below a threshold. */
  lowBalance?: LowBalanceRule | false;
  /** Share of failed calls over a sliding window. */
  errorRate?: ErrorRateRule | false;
  /** Repeated refused calls on a trunk (fed with `observeTrunkEvent`/`observeCdr`). */
  trunkDown?: TrunkDownRule | false;
  /** 429 answers, or the rate limiter's queue filling up. */
  rateLimit?: RateLimitRule | false;
}

/**
 * The alerts plugin and its handle.
 *
 * @example
 * ```ts
 * const watch: AlertsPlugin = alerts();
 * const vobiz = createClient({ plugins: [watch] });
 * console.log(watch.active());
 * ```
 */
export interface AlertsPlugin extends VobizPlugin {
  /**
   * Feeds a trunk webhook payload (the parsed JSON body the trunk's `webhook_url` received).
   *
   * @example
   * ```ts
   * app.post("/vobiz/trunk-events", async (c) => {
   *   await watch.observeTrunkEvent(await c.req.json());
   *   return c.body(null, 204);
   * });
   * ```
   */
  observeTrunkEvent(payload: unknown): Promise<void>;
  /**
   * Feeds a CDR (for example each one of `vobiz.cdrs.list(...)`).
   *
   * @example
   * ```ts
   * for await (const cdr of vobiz.cdrs.list({ start_date, end_date })) await watch.observeCdr(cdr);
   * ```
   */
  observeCdr(cdr: unknown): Promise<void>;
  /**
   * Re-checks the time-based rules, so that alerts resolve when traffic has stopped.
   *
   * @example
   * ```ts
   * await watch.evaluate(); // e.g. from a health-check endpoint
   * ```
   */
  evaluate(): Promise<void>;
  /**
   * The alerts firing now.
   *
   * @example
   * ```ts
   * for (const alert of watch.active()) console.log(alert.rule, alert.message);
   * ```
   */
  active(): AlertEvent[];
}

const MINUTE = 60_000;

// A rule's settings: none when it is turned off, else its defaults overridden by those given.
const settings = <T, D>(given: T | false | undefined, defaults: D): (D & T) | undefined =>
  given === false ? undefined : { ...defaults, ...given } as D & T;

/**
 * Creates the alerts plugin.
 *
 * @example
 * ```ts
 * import { alerts } from "vobiz-kit/plugins/alerts";
 * const watch = alerts({
 *   lowBalance: { threshold: { INR: 500 } },
 *   errorRate: { threshold: 0.1, minCalls: 50 },
 *   rateLimit: false,
 *   notify: (alert) => console.warn(alert.state, alert.message),
 * });
 * ```
 */
export function alerts(options: AlertsOptions = {}): AlertsPlugin {
  const cooldownMs = options.cooldownMs ?? 10 * MINUTE;
  const lowBalance = settings(options.lowBalance, {});
  const errorRate = settings(options.errorRate, {
    threshold: 0.05,
    windowMs: 5 * MINUTE,
    minCalls: 20,
  });
  const trunkDown = settings(options.trunkDown, { failures: 3, windowMs: 5 * MINUTE });
  const rateLimit = settings(options.rateLimit, {
    responses: 3,
    queueRatio: 0.8,
    windowMs: MINUTE,
  });
  const calls = slidingWindow(errorRate?.windowMs ?? 5 * MINUTE);
  const limited = slidingWindow(rateLimit?.windowMs ?? MINUTE);
  const trunks = trunkTracker(trunkDown?.windowMs ?? 5 * MINUTE);
  let queuePressure: { at: number; queued: number; max: number } | undefined;
  let clock: Clock = systemClock;
  // The time of the event being handled: read once per event (handlers run synchronously).
  let now = 0;
  let hooks: Hookable<VobizHooks> | undefined;

  // The episode of each alert, by rule and subject (at most 1,000): the event while it fires, and
  // when it last fired (for the cool-down).
  const states = new Map<string, { event: AlertEvent | undefined; firedAt: number }>();
  // Transitions waiting to be announced, in order.
  const queue: [AlertNotification["state"], AlertEvent][] = [];

  // What a rule sees now. An alert fires once when its condition becomes true (unless it fired
  // within the cool-down) and resolves once when it clears; only a transition builds its message.
  function apply(
    rule: string,
    subject: string,
    firing: boolean,
    value: number,
    threshold: number | undefined,
    message: () => string,
  ): void {
    const key = subject ? `${rule}\0${subject}` : rule;
    let state = states.get(key);
    if (firing ? state?.event || (state && now - state.firedAt < cooldownMs) : !state?.event) {
      return;
    }
    if (!state) {
      if (states.size >= 1000) forgetOne();
      states.set(key, state = { event: undefined, firedAt: now });
    }
    const event: { -readonly [K in keyof AlertEvent]: AlertEvent[K] } = {
      rule,
      message: message(),
      at: now,
      value,
    };
    if (subject) event.subject = subject;
    if (threshold !== undefined) event.threshold = threshold;
    state.event = firing ? event : undefined;
    if (firing) state.firedAt = now;
    queue.push([firing ? "fired" : "resolved", event]);
  }

  // Forgets the oldest alert that is not firing (or the oldest of all when every one is).
  function forgetOne(): void {
    let oldest: string | undefined;
    for (const [key, state] of states) {
      oldest ??= key;
      if (!state.event) return void states.delete(key);
    }
    states.delete(oldest!);
  }

  // Announces the queued transitions: to `notify` (not awaited) and on the hooks (awaited).
  async function flush(): Promise<void> {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [state, event] = next;
      try {
        const pending = options.notify?.({ ...event, state });
        // a slow notifier must not hold up the call that raised the alert
        if (pending instanceof Promise) options.waitUntil?.(pending.catch(() => {}));
      } catch {
        // a failing notifier must not break the call that raised the alert
      }
      try {
        await hooks?.callHook(`alert:${state}`, event);
      } catch {
        // same for a failing alert handler
      }
    }
  }
  // Nothing to await when nothing changed (the usual case): handlers stay synchronous.
  const announce = (): Promise<void> | undefined => queue.length ? flush() : undefined;

  function checkErrorRate(): void {
    if (!errorRate) return;
    const { total, bad } = calls.totals(now);
    const rate = total === 0 ? 0 : bad / total;
    const { threshold, minCalls, windowMs } = errorRate;
    const firing = total >= minCalls && rate > threshold;
    apply(
      "errorRate",
      "",
      firing,
      rate,
      threshold,
      () =>
        `Error rate ${percent(rate)} (${bad} of ${total} calls in ${windowMs / MINUTE} min) ${
          firing ? "is above" : "is back within"
        } ${percent(threshold)}`,
    );
  }

  function checkRateLimit(): void {
    if (!rateLimit) return;
    const { bad } = limited.totals(now);
    const { responses, windowMs } = rateLimit;
    const pressure = queuePressure && now - queuePressure.at < windowMs ? queuePressure : undefined;
    const firing = bad >= responses || pressure !== undefined;
    apply(
      "rateLimit",
      "",
      firing,
      bad,
      responses,
      () =>
        !firing
          ? "Rate limits are no longer approached"
          : bad >= responses
          ? `${bad} rate-limited (429) answers in ${
            windowMs / 1000
          } s: the CPS or concurrent-call limit is hit`
          : `Rate limiter queue at ${pressure?.queued} of ${pressure?.max} calls`,
    );
  }

  function checkTrunk(trunk: string): void {
    if (!trunkDown) return;
    const { failures, lastReason } = trunks.health(trunk, now);
    const firing = failures >= trunkDown.failures;
    apply(
      "trunkDown",
      trunk,
      firing,
      failures,
      trunkDown.failures,
      () =>
        firing
          ? `Trunk ${trunk}: ${failures} refused calls in ${trunkDown.windowMs / MINUTE} min${
            lastReason === undefined ? "" : ` (last: ${lastReason})`
          }`
          : `Trunk ${trunk} is accepting calls again`,
    );
  }

  async function observeTrunk(signal: TrunkSignal | undefined): Promise<void> {
    now = clock.now();
    if (signal && trunkDown) {
      trunks.record(signal, now);
      checkTrunk(signal.trunk);
    }
    await announce();
  }

  return {
    name: "alerts",
    setup(host: PluginHost) {
      clock = host.clock;
      hooks = host.hooks;
      const off = listen(host.hooks, {
        afterResponse({ response }) {
          if (response.status !== 429 || !rateLimit) return;
          limited.add(now = clock.now(), 1, 1);
          checkRateLimit();
          return announce();
        },
        done({ context, data, error }) {
          now = clock.now();
          const { code, vobizCode, body } = (error ?? {}) as Record<string, unknown>;
          // a call the caller aborted or got wrong says nothing of the service's health
          if (errorRate && code !== "VALIDATION_ERROR" && code !== "ABORTED") {
            calls.add(now, 1, error ? 1 : 0);
          }
          // The balance of a balance answer, parsed by the call itself.
          const reading =
            lowBalance && !error && answerKind(context.method, context.url) === "balance"
              ? balanceOf(data)
              : undefined;
          if (reading) {
            const { currency, available, lowBalanceThreshold } = reading;
            const configured = lowBalance?.threshold;
            const threshold = typeof configured === "number"
              ? configured
              : configured?.[currency] ?? lowBalanceThreshold ?? 100;
            const firing = available < threshold;
            apply(
              "lowBalance",
              currency,
              firing,
              available,
              threshold,
              () =>
                firing
                  ? `Balance ${available} ${currency} is below ${threshold} ${currency}`
                  : `Balance ${available} ${currency} is back above ${threshold} ${currency}`,
            );
          }
          // A 402 INSUFFICIENT_BALANCE: the balance is too low whatever the threshold says.
          if (lowBalance && vobizCode === "INSUFFICIENT_BALANCE") {
            const details = findDetails(body);
            const currency = typeof details["currency"] === "string" ? details["currency"] : "INR";
            const given = Number(details["available"] ?? 0);
            const available = Number.isFinite(given) ? given : 0;
            apply(
              "lowBalance",
              currency.toUpperCase(),
              true,
              available,
              undefined,
              () => `A call failed for insufficient balance (${available} ${currency} available)`,
            );
          }
          checkErrorRate();
          checkRateLimit();
          return announce();
        },
        "ratelimit:queued"({ queued, maxQueued }) {
          const max = maxQueued ?? rateLimit?.maxQueued;
          if (!rateLimit || max === undefined || max <= 0) return;
          now = clock.now();
          if (queued / max >= rateLimit.queueRatio) queuePressure = { at: now, queued, max };
          checkRateLimit();
          return announce();
        },
      });
      return () => {
        off();
        hooks = undefined;
      };
    },
    observeTrunkEvent: (payload) => observeTrunk(trunkSignalOfEvent(payload)),
    observeCdr: (cdr) => observeTrunk(trunkSignalOfCdr(cdr)),
    async evaluate() {
      now = clock.now();
      checkErrorRate();
      checkRateLimit();
      // the trunks followed, and those firing (which the tracker may have let go)
      const subjects = new Set(trunks.trunks());
      for (const { event } of states.values()) {
        if (event?.rule === "trunkDown") subjects.add(event.subject!);
      }
      for (const trunk of subjects) checkTrunk(trunk);
      await announce();
    },
    active: () => [...states.values()].flatMap(({ event }) => event ? [event] : []),
  };
}

// `error.details` (or `details`) of an error body.
function findDetails(body: unknown): Record<string, unknown> {
  const record = (value: unknown) => isObject(value) ? value : {};
  return record(record(record(body)["error"])["details"] ?? record(body)["details"]);
}

const percent = (ratio: number): string => `${Math.round(ratio * 1000) / 10} %`;
