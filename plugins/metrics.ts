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
import type { CallContext, CircuitState } from "../src/hooks.ts";
import type { PluginHost, VobizPlugin } from "../src/plugin.ts";
import { answerCountsOf, answerKind, balanceOf, readJson } from "./_internal/metric_answers.ts";
import { type BalanceTrend, balanceTrend } from "./_internal/metric_balance_rate.ts";
import { type Histogram, merge, quantile } from "./_internal/metric_histogram.ts";
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
const circuitValue: Record<CircuitState, number> = { closed: 0, "half-open": 1, open: 2 };

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
  const registry = createRegistry(options.maxSeries ?? 500, options.meter);
  const calls = registry.counter({
    name: "vobiz_requests_total",
    help: "Calls to the Vobiz API, by final outcome.",
    labels: ["route", "method", "status_class", "outcome"],
    otel: "vobiz.client.requests",
    unit: "{call}",
  });
  const duration = registry.histogram({
    name: "vobiz_request_duration_seconds",
    help: "Duration of calls to the Vobiz API, retries included.",
    labels: ["route", "method"],
    otel: "vobiz.client.request.duration",
    unit: "s",
  });
  const errors = registry.counter({
    name: "vobiz_errors_total",
    help: "Failed calls, by error code.",
    labels: ["route", "method", "code"],
    otel: "vobiz.client.errors",
    unit: "{call}",
  });
  const retries = registry.counter({
    name: "vobiz_retries_total",
    help: "Retries made.",
    labels: ["route", "method"],
    otel: "vobiz.client.retries",
    unit: "{retry}",
  });
  const rateLimited = registry.counter({
    name: "vobiz_rate_limited_total",
    help: "429 answers (CPS or concurrency limit hit), every attempt counted.",
    labels: ["route", "method"],
    otel: "vobiz.client.rate_limited",
    unit: "{response}",
  });
  const limiter = registry.counter({
    name: "vobiz_rate_limiter_events_total",
    help: "Events of the client-side rate limiter.",
    labels: ["event"],
    otel: "vobiz.client.rate_limiter.events",
    unit: "{event}",
  });
  const transitions = registry.counter({
    name: "vobiz_circuit_transitions_total",
    help: "Circuit-breaker state changes.",
    labels: ["circuit", "from", "to"],
    otel: "vobiz.client.circuit.transitions",
    unit: "{transition}",
  });
  const circuitState = registry.gauge({
    name: "vobiz_circuit_state",
    help: "Circuit state: 0 closed, 1 half-open, 2 open.",
    labels: ["circuit"],
    otel: "vobiz.client.circuit.state",
  });
  const cacheEvents = registry.counter({
    name: "vobiz_cache_events_total",
    help: "Cache lookups and invalidations.",
    labels: ["event"],
    otel: "vobiz.client.cache.events",
    unit: "{event}",
  });
  const cacheRatio = registry.gauge({
    name: "vobiz_cache_hit_ratio",
    help: "Cache hits / (hits + misses).",
    labels: [],
    otel: "vobiz.client.cache.hit_ratio",
    unit: "1",
  });
  const refreshes = registry.counter({
    name: "vobiz_token_refreshes_total",
    help: "Access-token refreshes.",
    labels: ["reason"],
    otel: "vobiz.client.token.refreshes",
    unit: "{refresh}",
  });
  const balanceGauge = registry.gauge({
    name: "vobiz_balance",
    help: "Account balance, from the latest balance answer.",
    labels: ["currency"],
    otel: "vobiz.account.balance",
  });
  const spendGauge = registry.gauge({
    name: "vobiz_balance_consumption_per_hour",
    help: "Balance spent per hour, from balance answers over time.",
    labels: ["currency"],
    otel: "vobiz.account.balance.consumption_rate",
  });
  const asrGauge = registry.gauge({
    name: "vobiz_answer_seizure_ratio",
    help: "Answered / attempted calls, from the latest CDR answer.",
    labels: [],
    otel: "vobiz.calls.answer_seizure_ratio",
    unit: "1",
  });

  let clock: { now(): number } = { now: () => Date.now() };
  const lastStatus = new WeakMap<CallContext, number>();
  const fromCache = new WeakSet<CallContext>();
  const trends = new Map<string, BalanceTrend>();
  const balances: Record<string, BalanceMetrics> = {};
  const circuits: Record<string, CircuitState> = {};
  const cache = { hits: 0, misses: 0, stale: 0, invalidations: 0 };
  const refreshTimes: number[] = [];
  let refreshTotal = 0;
  let asr: MetricsSnapshot["asr"] = null;

  // Route templates repeat: remember their labels (bounded, as raw routes may not repeat).
  const routeLabels = new Map<string, string>();
  function labelsOf(context: CallContext): string[] {
    let route = routeLabels.get(context.route);
    if (route === undefined) {
      if (routeLabels.size >= 1000) routeLabels.clear();
      routeLabels.set(context.route, route = routeLabel(context.route));
    }
    return [route, methodLabel(context.method)];
  }

  function recordBalance(body: unknown): void {
    const reading = balanceOf(body);
    if (!reading || (!(reading.currency in balances) && Object.keys(balances).length >= 16)) return;
    const now = clock.now();
    let trend = trends.get(reading.currency);
    if (!trend) trends.set(reading.currency, trend = balanceTrend(options.balanceWindowMs ?? HOUR));
    trend.record(now, reading.balance);
    const perHour = trend.perHour();
    balances[reading.currency] = {
      balance: reading.balance,
      at: new Date(now).toISOString(),
      consumptionPerHour: perHour,
    };
    balanceGauge.set([reading.currency], reading.balance);
    if (perHour !== null) spendGauge.set([reading.currency], perHour);
  }

  function recordAnswers(body: unknown): void {
    const counts = answerCountsOf(body);
    if (!counts) return;
    const ratio = counts.answered / counts.total;
    asr = { ratio, ...counts, at: new Date(clock.now()).toISOString() };
    asrGauge.set([], ratio);
  }

  function onCache(event: "hit" | "miss" | "stale" | "invalidate", context?: CallContext) {
    cacheEvents.inc([event]);
    if (event === "hit") cache.hits++;
    else if (event === "miss") cache.misses++;
    else if (event === "stale") cache.stale++;
    else cache.invalidations++;
    if (context && (event === "hit" || event === "stale")) fromCache.add(context);
    if (cache.hits + cache.misses > 0) cacheRatio.set([], cache.hits / (cache.hits + cache.misses));
  }

  return {
    name: "metrics",
    setup(host: PluginHost) {
      clock = host.clock;
      const { hooks } = host;
      const offs = [
        hooks.hook("afterResponse", async ({ context, response }) => {
          lastStatus.set(context, response.status);
          if (response.status === 429) rateLimited.inc(labelsOf(context));
          const kind = answerKind(context.method, context.url);
          if (!kind || !response.ok || fromCache.has(context)) return;
          const body = await readJson(response);
          if (kind === "balance") recordBalance(body);
          else recordAnswers(body);
        }),
        hooks.hook("beforeRetry", ({ context }) => retries.inc(labelsOf(context))),
        hooks.hook("done", ({ context, error, durationMs }) => {
          const labels = labelsOf(context);
          const details = error as { status?: unknown; vobizCode?: unknown; code?: unknown };
          const status = error
            ? (typeof details.status === "number" ? details.status : undefined)
            : lastStatus.get(context) ?? 200;
          calls.inc([...labels, statusClass(status), error ? "failure" : "success"]);
          duration.observe(labels, durationMs);
          if (error) errors.inc([...labels, errorCode(details, status, error.name)]);
        }),
        hooks.hook("circuit:state", ({ key, from, to }) => {
          transitions.inc([key, from, to]);
          circuitState.set([key], circuitValue[to]);
          if (key in circuits || Object.keys(circuits).length < 500) circuits[key] = to;
        }),
        hooks.hook("cache:hit", ({ context }) => onCache("hit", context)),
        hooks.hook("cache:miss", ({ context }) => onCache("miss", context)),
        hooks.hook("cache:stale", ({ context }) => onCache("stale", context)),
        hooks.hook("cache:invalidate", ({ context }) => onCache("invalidate", context)),
        hooks.hook("auth:refreshed", ({ reason }) => {
          refreshes.inc([reason]);
          refreshTotal++;
          refreshTimes.push(clock.now());
          pruneBefore(refreshTimes, clock.now() - HOUR);
        }),
        hooks.hook("ratelimit:hit", () => limiter.inc(["hit"])),
        hooks.hook("ratelimit:queued", () => limiter.inc(["queued"])),
      ];
      return () => {
        for (const off of offs) off();
      };
    },
    snapshot(): MetricsSnapshot {
      const now = clock.now();
      pruneBefore(refreshTimes, now - HOUR);
      const family = (name: string) => registry.families.find((f) => f.name === name);
      const limiterEvents = sumBy(family("vobiz_rate_limiter_events_total"), 0);
      return {
        at: new Date(now).toISOString(),
        ...callTotals(family("vobiz_requests_total"), family("vobiz_request_duration_seconds")),
        errors: sumBy(family("vobiz_errors_total"), 2),
        retries: total(family("vobiz_retries_total")),
        rateLimited: total(family("vobiz_rate_limited_total")),
        rateLimiter: { hits: limiterEvents["hit"] ?? 0, queued: limiterEvents["queued"] ?? 0 },
        circuits: {
          transitions: total(family("vobiz_circuit_transitions_total")),
          states: { ...circuits },
        },
        cache: {
          ...cache,
          hitRatio: cache.hits + cache.misses > 0 ? cache.hits / (cache.hits + cache.misses) : null,
        },
        tokenRefreshes: {
          total: refreshTotal,
          lastHour: refreshTimes.length,
          lastAt: refreshTimes.length > 0
            ? new Date(refreshTimes[refreshTimes.length - 1] ?? now).toISOString()
            : null,
        },
        balances: structuredClone(balances),
        asr: asr === null ? null : { ...asr },
      };
    },
    toPrometheus: () => toPrometheusText(registry.families),
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

// Per-route and overall figures from the requests counter and the duration histogram.
function callTotals(
  requests: Family | undefined,
  durations: Family | undefined,
): Pick<MetricsSnapshot, "calls" | "routes" | "statusClasses"> {
  const routes = new Map<string, RouteMetrics>();
  const histograms: Histogram[] = [];
  for (const series of durations?.series.values() ?? []) {
    const [route = "", method = ""] = series.labels;
    if (series.histogram) histograms.push(series.histogram);
    routes.set(`${route} ${method}`, {
      route,
      method,
      calls: 0,
      successes: 0,
      failures: 0,
      latency: latencyOf(series.histogram),
    });
  }
  const statusClasses: Record<string, number> = {};
  let successes = 0;
  let failures = 0;
  for (const series of requests?.series.values() ?? []) {
    const [route = "", method = "", status = "", outcome = ""] = series.labels;
    const entry = routes.get(`${route} ${method}`);
    statusClasses[status] = (statusClasses[status] ?? 0) + series.value;
    if (outcome === "success") successes += series.value;
    else failures += series.value;
    if (!entry) continue;
    entry.calls += series.value;
    if (outcome === "success") entry.successes += series.value;
    else entry.failures += series.value;
  }
  return {
    calls: {
      total: successes + failures,
      successes,
      failures,
      latency: latencyOf(merge(histograms)),
    },
    routes: [...routes.values()].sort((a, b) => b.calls - a.calls),
    statusClasses,
  };
}

function latencyOf(histogram: Histogram | undefined): LatencySummary {
  if (!histogram || histogram.count === 0) {
    return { count: 0, meanMs: null, p50Ms: null, p95Ms: null, p99Ms: null, maxMs: null };
  }
  return {
    count: histogram.count,
    meanMs: Math.round((histogram.sum / histogram.count) * 1000) / 1000,
    p50Ms: quantile(histogram, 0.5),
    p95Ms: quantile(histogram, 0.95),
    p99Ms: quantile(histogram, 0.99),
    maxMs: histogram.max,
  };
}

const total = (family: Family | undefined): number =>
  [...family?.series.values() ?? []].reduce((sum, series) => sum + series.value, 0);

// Sums a family's series by the value of one label.
function sumBy(family: Family | undefined, label: number): Record<string, number> {
  const result: Record<string, number> = {};
  for (const series of family?.series.values() ?? []) {
    const key = series.labels[label] ?? "";
    result[key] = (result[key] ?? 0) + series.value;
  }
  return result;
}

function pruneBefore(times: number[], cutoff: number): void {
  while (times.length > 0 && (times[0] ?? cutoff) < cutoff) times.shift();
  if (times.length > 10_000) times.splice(0, times.length - 10_000);
}
