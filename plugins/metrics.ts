/**
 * The `metrics` plugin: counters, latency histograms and gauges for every call, labelled only with
 * bounded values (route template, method, status class, error code; never a raw URL), exposed as a
 * plain JSON {@link MetricsSnapshot}, as Prometheus text, and into an OpenTelemetry `Meter`.
 *
 * Gauges are derived from answers the client already receives: the balance and its consumption per
 * hour from `balance.get()` answers over time, and the answer-seizure ratio (ASR) from CDR lists.
 *
 * @example
 * ```ts
 * import { createClient } from "vobiz-kit";
 * import { metrics } from "vobiz-kit/plugins/metrics";
 *
 * const m = metrics();
 * const vobiz = createClient({ plugins: [m] });
 * await vobiz.balance.get();
 * console.log(m.snapshot().routes[0]?.latency.p95Ms);
 * // serve m.toPrometheus() on /metrics
 * ```
 *
 * @module
 */
import { type Clock, systemClock } from "../src/clock.ts";
import type { CacheEvent, CallContext, CircuitState, DoneEvent } from "../src/hooks.ts";
import type { PluginHost, VobizPlugin } from "../src/plugin.ts";
import { answerCountsOf, answerKind, balanceOf } from "./_internal/metric_answers.ts";
import { listen } from "./_internal/metric_hooks.ts";
import { type Histogram, newHistogram, observe, quantile } from "./_internal/metric_histogram.ts";
import { codeLabel, methodLabel, routeLabel, statusClass } from "./_internal/metric_labels.ts";
import type { OtelMeter } from "./_internal/metric_otel.ts";
import { toPrometheusText } from "./_internal/metric_prometheus.ts";
import { createRegistry, type Family } from "./_internal/metric_registry.ts";

export type {
  OtelAttributes,
  OtelCounter,
  OtelHistogram,
  OtelInstrumentOptions,
  OtelMeter,
  OtelObservableGauge,
  OtelObservableResult,
} from "./_internal/metric_otel.ts";

/**
 * Options of {@link metrics}.
 *
 * @example
 * ```ts
 * const options: MetricsOptions = { maxSeries: 200, balanceWindowMs: 6 * 3_600_000 };
 * const m = metrics(options);
 * ```
 */
export interface MetricsOptions {
  /**
   * An OpenTelemetry `Meter` (from `@opentelemetry/api`) to record into as well. Its instruments
   * are named `vobiz.client.*` and `vobiz.account.*`; durations are in seconds.
   */
  meter?: OtelMeter;
  /** Series per metric family; label sets beyond it fold into one `other` series. Default 500. */
  maxSeries?: number;
  /** Window of balance readings the consumption rate is computed over. Default one hour. */
  balanceWindowMs?: number;
}

/**
 * Latency of a set of calls, in ms (quantiles estimated from fixed buckets).
 *
 * @example
 * ```ts
 * const latency: LatencySummary = m.snapshot().calls.latency;
 * if ((latency.p99Ms ?? 0) > 2_000) console.warn("slow Vobiz calls", latency);
 * ```
 */
export interface LatencySummary {
  /** Calls measured. */
  count: number;
  /** Exact mean; `null` when no call was measured (as for the others). */
  meanMs: number | null;
  /** Median. */
  p50Ms: number | null;
  /** 95th percentile. */
  p95Ms: number | null;
  /** 99th percentile. */
  p99Ms: number | null;
  /** Exact maximum. */
  maxMs: number | null;
}

/**
 * The calls of one route and method.
 *
 * @example
 * ```ts
 * for (const r of m.snapshot().routes) console.log(r.method, r.route, r.calls, r.latency.p95Ms);
 * ```
 */
export interface RouteMetrics {
  /** Route template, e.g. `/Account/{auth_id}/cdr`. */
  route: string;
  /** Upper-case method. */
  method: string;
  /** Calls made (each once, whatever its retries). */
  calls: number;
  /** Calls that succeeded. */
  successes: number;
  /** Calls that failed. */
  failures: number;
  /** Their duration, retries included. */
  latency: LatencySummary;
}

/**
 * A balance gauge.
 *
 * @example
 * ```ts
 * const inr: BalanceMetrics | undefined = m.snapshot().balances["INR"];
 * console.log(inr?.balance, inr?.consumptionPerHour);
 * ```
 */
export interface BalanceMetrics {
  /** The `balance` of the latest answer. */
  balance: number;
  /** When it was read (ISO time). */
  at: string;
  /** Spend per hour over the window, `null` until two readings. */
  consumptionPerHour: number | null;
}

/**
 * Everything the plugin measured, as plain JSON.
 *
 * @example
 * ```ts
 * const snapshot: MetricsSnapshot = m.snapshot();
 * console.log(JSON.stringify(snapshot));
 * ```
 */
export interface MetricsSnapshot {
  /** When the snapshot was taken (ISO time, by the client's clock). */
  at: string;
  /** All calls (once per call, retries included in its duration). */
  calls: { total: number; successes: number; failures: number; latency: LatencySummary };
  /** Per route and method, most calls first. */
  routes: RouteMetrics[];
  /** Calls by final status class (`2xx` … `5xx`, `none` for no answer). */
  statusClasses: Record<string, number>;
  /** Failed calls by code: Vobiz's own (`TOKEN_EXPIRED`), else `HTTP_<status>`, else the library's. */
  errors: Record<string, number>;
  /** Retries made. */
  retries: number;
  /** 429 answers received (rate-limit violations), every attempt counted. */
  rateLimited: number;
  /** Events of the rate-limit plugin. */
  rateLimiter: { hits: number; queued: number };
  /** Circuit-breaker transitions and the last known state of each circuit. */
  circuits: { transitions: number; states: Record<string, CircuitState> };
  /** Cache events; `hitRatio` is hits / (hits + misses), `null` before any lookup. */
  cache: {
    hits: number;
    misses: number;
    stale: number;
    invalidations: number;
    hitRatio: number | null;
  };
  /** Token refreshes: in total and within the last hour (the refresh frequency). */
  tokenRefreshes: { total: number; lastHour: number; lastAt: string | null };
  /** Balance per currency, from balance answers. */
  balances: Record<string, BalanceMetrics>;
  /** Answer-seizure ratio of the latest CDR answer (its summary, else its listed CDRs). */
  asr: { ratio: number; answered: number; total: number; at: string } | null;
}

/**
 * The metrics plugin and its handle.
 *
 * @example
 * ```ts
 * const m: MetricsPlugin = metrics();
 * const vobiz = createClient({ plugins: [m] });
 * console.log(m.toPrometheus());
 * ```
 */
export interface MetricsPlugin extends VobizPlugin {
  /**
   * Everything measured so far, as plain JSON.
   *
   * @example
   * ```ts
   * const { calls, errors } = m.snapshot();
   * console.log(calls.failures, errors["TOKEN_EXPIRED"] ?? 0);
   * ```
   */
  snapshot(): MetricsSnapshot;
  /**
   * The Prometheus text exposition (format 0.0.4) of every series.
   *
   * @example
   * ```ts
   * const body = m.toPrometheus();
   * return new Response(body, { headers: { "content-type": "text/plain; version=0.0.4" } });
   * ```
   */
  toPrometheus(): string;
}

const HOUR = 3_600_000;
// A circuit's state by its gauge value.
const CIRCUIT_STATES: CircuitState[] = ["closed", "half-open", "open"];
const iso = (at: number): string => new Date(at).toISOString();
const ROUTE = ["route", "method"];
type CacheField = "hits" | "misses" | "stale" | "invalidations";

/**
 * Creates the metrics plugin. Memory is bounded: labels never include a raw URL (raw paths are
 * reduced to templates), each family holds at most `maxSeries` series, latency uses fixed buckets.
 *
 * @example
 * ```ts
 * import { createClient } from "vobiz-kit";
 * import { metrics } from "vobiz-kit/plugins/metrics";
 * const m = metrics({ meter: otelMeter }); // optional: also record into OpenTelemetry
 * const vobiz = createClient({ plugins: [m] });
 * ```
 */
export function metrics(options: MetricsOptions = {}): MetricsPlugin {
  const { families, define } = createRegistry(options.maxSeries ?? 500, options.meter);
  const calls = define(
    "counter",
    "vobiz_requests_total",
    [...ROUTE, "status_class", "outcome"],
    "Calls to the Vobiz API, by final outcome.",
    "vobiz.client.requests",
    "{call}",
  );
  // Its series' `value` counts the route's failures.
  const duration = define(
    "histogram",
    "vobiz_request_duration_seconds",
    ROUTE,
    "Duration of calls to the Vobiz API, retries included.",
    "vobiz.client.request.duration",
    "s",
  );
  const errors = define(
    "counter",
    "vobiz_errors_total",
    [...ROUTE, "code"],
    "Failed calls, by error code.",
    "vobiz.client.errors",
    "{call}",
  );
  const retries = define(
    "counter",
    "vobiz_retries_total",
    ROUTE,
    "Retries made.",
    "vobiz.client.retries",
    "{retry}",
  );
  const rateLimited = define(
    "counter",
    "vobiz_rate_limited_total",
    ROUTE,
    "429 answers (CPS or concurrency limit hit), every attempt counted.",
    "vobiz.client.rate_limited",
    "{response}",
  );
  const limiter = define(
    "counter",
    "vobiz_rate_limiter_events_total",
    ["event"],
    "Events of the client-side rate limiter.",
    "vobiz.client.rate_limiter.events",
    "{event}",
  );
  const transitions = define(
    "counter",
    "vobiz_circuit_transitions_total",
    ["circuit", "from", "to"],
    "Circuit-breaker state changes.",
    "vobiz.client.circuit.transitions",
    "{transition}",
  );
  const circuitState = define(
    "gauge",
    "vobiz_circuit_state",
    ["circuit"],
    "Circuit state: 0 closed, 1 half-open, 2 open.",
    "vobiz.client.circuit.state",
  );
  const cacheEvents = define(
    "counter",
    "vobiz_cache_events_total",
    ["event"],
    "Cache lookups and invalidations.",
    "vobiz.client.cache.events",
    "{event}",
  );
  const cacheRatio = define(
    "gauge",
    "vobiz_cache_hit_ratio",
    [],
    "Cache hits / (hits + misses).",
    "vobiz.client.cache.hit_ratio",
    "1",
  );
  const refreshes = define(
    "counter",
    "vobiz_token_refreshes_total",
    ["reason"],
    "Access-token refreshes.",
    "vobiz.client.token.refreshes",
    "{refresh}",
  );
  const balanceGauge = define(
    "gauge",
    "vobiz_balance",
    ["currency"],
    "Account balance, from the latest balance answer.",
    "vobiz.account.balance",
  );
  const spendGauge = define(
    "gauge",
    "vobiz_balance_consumption_per_hour",
    ["currency"],
    "Balance spent per hour, from balance answers over time.",
    "vobiz.account.balance.consumption_rate",
  );
  const asrGauge = define(
    "gauge",
    "vobiz_answer_seizure_ratio",
    [],
    "Answered / attempted calls, from the latest CDR answer.",
    "vobiz.calls.answer_seizure_ratio",
    "1",
  );

  let clock: Clock = systemClock;
  const all = newHistogram(); // every call, whatever its route
  let failed = 0;
  const fromCache = new WeakSet<CallContext>();
  // Per currency: the latest reading, and the readings of the window ([time, balance], oldest first).
  const balances = new Map<
    string,
    { balance: number; at: number; perHour: number | null; readings: number[][] }
  >();
  const cache: Record<CacheField, number> = { hits: 0, misses: 0, stale: 0, invalidations: 0 };
  const refreshTimes: number[] = [];
  let asr: MetricsSnapshot["asr"] = null;

  // The [route, method] labels of a call, computed once per route and method (bounded, as raw
  // routes may not repeat).
  const labelCache = new Map<string, string[]>();
  function labelsOf({ route, method }: CallContext): string[] {
    const key = `${method} ${route}`;
    let labels = labelCache.get(key);
    if (!labels) {
      if (labelCache.size >= 1000) labelCache.clear();
      labelCache.set(key, labels = [routeLabel(route), methodLabel(method)]);
    }
    return labels;
  }

  // Balance and CDR answers, from the call's parsed answer: nothing to read or parse here.
  function recordAnswer({ context, data }: DoneEvent): void {
    const kind = fromCache.has(context) ? undefined : answerKind(context.method, context.url);
    if (!kind) return;
    const reading = kind === "balance" ? balanceOf(data) : undefined;
    const counts = kind === "cdrs" ? answerCountsOf(data) : undefined;
    const now = clock.now();
    if (reading) {
      const { currency, balance } = reading;
      let state = balances.get(currency);
      if (!state && balances.size < 16) {
        balances.set(currency, state = { balance, at: now, perHour: null, readings: [] });
      }
      if (!state) return;
      // A reading above the previous one is a top-up: the spend starts over (never negative). The
      // readings older than the window go, but two always remain (a rate for sparse readings).
      const { readings } = state;
      if (balance > state.balance) readings.length = 0;
      readings.push([now, balance]);
      const window = options.balanceWindowMs ?? HOUR;
      while (readings.length > 120 || readings.length > 2 && readings[0]![0]! < now - window) {
        readings.shift();
      }
      const [from = now, was = balance] = readings[0]!;
      const perHour = now > from ? ((was - balance) / (now - from)) * HOUR : null;
      state.balance = balance;
      state.at = now;
      state.perHour = perHour;
      balanceGauge.add([currency], balance);
      if (perHour !== null) spendGauge.add([currency], perHour);
    }
    if (counts) {
      asr = { ratio: counts.answered / counts.total, ...counts, at: iso(now) };
      asrGauge.add([], asr.ratio);
    }
  }

  // Keeps the last hour's token refreshes (at most 10,000 of them).
  const pruneRefreshes = (now: number) => {
    while (refreshTimes[0]! < now - HOUR || refreshTimes.length > 10_000) refreshTimes.shift();
  };

  const onCache = (event: string, field: CacheField) => ({ context }: CacheEvent): void => {
    cacheEvents.add([event], 1);
    cache[field]++;
    if (context && (event === "hit" || event === "stale")) fromCache.add(context);
    const { hits, misses } = cache;
    if (hits + misses) cacheRatio.add([], hits / (hits + misses));
  };

  return {
    name: "metrics",
    setup(host: PluginHost) {
      clock = host.clock;
      return listen(host.hooks, {
        afterResponse({ context, response: { status } }) {
          context.meta["metrics"] = status; // the status of the call's last answer, for `done`
          if (status === 429) rateLimited.add(labelsOf(context), 1);
        },
        beforeRetry({ context }) {
          retries.add(labelsOf(context), 1);
        },
        done(event) {
          const { context, error, durationMs } = event;
          const labels = labelsOf(context);
          const details = error as { status?: unknown; vobizCode?: unknown; code?: unknown };
          const status = error
            ? (typeof details.status === "number" ? details.status : undefined)
            : (context.meta["metrics"] as number | undefined) ?? 200;
          calls.add([...labels, statusClass(status), error ? "failure" : "success"], 1);
          duration.add(labels, durationMs).value += error ? 1 : 0;
          observe(all, durationMs);
          if (!error) return recordAnswer(event);
          failed++;
          errors.add([...labels, errorCode(details, status, error.name)], 1);
        },
        "circuit:state"({ key, from, to }) {
          transitions.add([key, from, to], 1);
          circuitState.add([key], CIRCUIT_STATES.indexOf(to));
        },
        "cache:hit": onCache("hit", "hits"),
        "cache:miss": onCache("miss", "misses"),
        "cache:stale": onCache("stale", "stale"),
        "cache:invalidate": onCache("invalidate", "invalidations"),
        "auth:refreshed"({ reason }) {
          refreshes.add([reason], 1);
          refreshTimes.push(clock.now());
          pruneRefreshes(clock.now());
        },
        "ratelimit:hit"() {
          limiter.add(["hit"], 1);
        },
        "ratelimit:queued"() {
          limiter.add(["queued"], 1);
        },
      });
    },
    snapshot(): MetricsSnapshot {
      const now = clock.now();
      pruneRefreshes(now);
      const { hit = 0, queued = 0 } = sumBy(limiter, 0);
      const { hits, misses } = cache;
      return {
        at: iso(now),
        calls: { total: all.count, ...outcomes(all, failed) },
        routes: [...duration.series.values()].map((
          { labels: [route = "", method = ""], value, histogram = all },
        ) => ({ route, method, calls: histogram.count, ...outcomes(histogram, value) })).sort((
          a,
          b,
        ) => b.calls - a.calls),
        statusClasses: sumBy(calls, 2),
        errors: sumBy(errors, 2),
        retries: total(retries),
        rateLimited: total(rateLimited),
        rateLimiter: { hits: hit, queued },
        circuits: {
          transitions: total(transitions),
          states: Object.fromEntries(
            [...circuitState.series.values()].map(({ labels: [key], value }) => [
              key,
              CIRCUIT_STATES[value],
            ]),
          ),
        },
        cache: { ...cache, hitRatio: hits + misses ? hits / (hits + misses) : null },
        tokenRefreshes: {
          total: total(refreshes),
          lastHour: refreshTimes.length,
          lastAt: refreshTimes.length ? iso(refreshTimes.at(-1)!) : null,
        },
        balances: Object.fromEntries(
          [...balances].map(([currency, { balance, at, perHour }]) => [
            currency,
            { balance, at: iso(at), consumptionPerHour: perHour },
          ]),
        ),
        asr: asr && { ...asr },
      };
    },
    toPrometheus: () => toPrometheusText(families),
  };
}

// Vobiz's own code when the body had one, else the HTTP status, else the library's code.
function errorCode(
  details: { vobizCode?: unknown; code?: unknown },
  status: number | undefined,
  name: string,
): string {
  if (typeof details.vobizCode === "string") return codeLabel(details.vobizCode);
  if (status !== undefined) return `HTTP_${status}`;
  return codeLabel(typeof details.code === "string" ? details.code : name);
}

// The figures of the calls timed by `histogram`, `failures` of which failed.
function outcomes(histogram: Histogram, failures: number) {
  const { count, sum, max } = histogram;
  const latency: LatencySummary = {
    count,
    meanMs: count ? Math.round((sum / count) * 1000) / 1000 : null,
    p50Ms: quantile(histogram, 0.5),
    p95Ms: quantile(histogram, 0.95),
    p99Ms: quantile(histogram, 0.99),
    maxMs: count ? max : null,
  };
  return { successes: count - failures, failures, latency };
}

// Sums a family's series by the value of one label.
function sumBy(family: Family, label: number): Record<string, number> {
  const result: Record<string, number> = {};
  for (const { labels, value } of family.series.values()) {
    result[labels[label]!] = (result[labels[label]!] ?? 0) + value;
  }
  return result;
}

const total = (family: Family): number =>
  Object.values(sumBy(family, 0)).reduce((sum, value) => sum + value, 0);
