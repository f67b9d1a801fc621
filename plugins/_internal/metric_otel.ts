// The part of `@opentelemetry/api`'s `Meter` that the metrics plugin uses, typed structurally: a
// real `Meter` fits it, and the plugin needs no dependency on the package.

/**
 * Attributes of a measurement.
 *
 * @example
 * ```ts
 * const attributes: OtelAttributes = { route: "/Account/{auth_id}/cdr", method: "GET" };
 * ```
 */
export type OtelAttributes = Record<string, string>;

/**
 * Options of an instrument.
 *
 * @example
 * ```ts
 * const options: OtelInstrumentOptions = { description: "Calls", unit: "{call}" };
 * meter.createCounter("my.calls", options);
 * ```
 */
export interface OtelInstrumentOptions {
  /** What the instrument measures. */
  description?: string;
  /** UCUM unit (`s`, `1`, `{call}`). */
  unit?: string;
  /** Histogram bucket boundaries the SDK may use. */
  advice?: { explicitBucketBoundaries?: number[] };
}

/**
 * A counter instrument.
 *
 * @example
 * ```ts
 * const counter: OtelCounter = meter.createCounter("my.calls");
 * counter.add(1, { route: "/auth/me" });
 * ```
 */
export interface OtelCounter {
  /** Adds to the counter. */
  add(value: number, attributes?: OtelAttributes): void;
}

/**
 * A histogram instrument.
 *
 * @example
 * ```ts
 * const histogram: OtelHistogram = meter.createHistogram("my.duration", { unit: "s" });
 * histogram.record(0.25);
 * ```
 */
export interface OtelHistogram {
  /** Records one value. */
  record(value: number, attributes?: OtelAttributes): void;
}

/**
 * What an observable callback reports into.
 *
 * @example
 * ```ts
 * meter.createObservableGauge("my.gauge").addCallback((result: OtelObservableResult) => {
 *   result.observe(42);
 * });
 * ```
 */
export interface OtelObservableResult {
  /** Reports the current value. */
  observe(value: number, attributes?: OtelAttributes): void;
}

/**
 * An observable gauge instrument.
 *
 * @example
 * ```ts
 * const gauge: OtelObservableGauge = meter.createObservableGauge("my.queue");
 * gauge.addCallback((result) => result.observe(queue.length));
 * ```
 */
export interface OtelObservableGauge {
  /** Registers the callback that reports the gauge's values at each collection. */
  addCallback(callback: (result: OtelObservableResult) => void): void;
}

/**
 * The subset of an OpenTelemetry `Meter` (`@opentelemetry/api` 1.x) the metrics plugin records
 * into. Pass `metrics.getMeter("my-service")` from your own OpenTelemetry setup.
 *
 * @example
 * ```ts
 * import { metrics as otel } from "@opentelemetry/api";
 * import { metrics, type OtelMeter } from "vobiz-kit/plugins/metrics";
 * const meter: OtelMeter = otel.getMeter("billing-service");
 * const m = metrics({ meter });
 * ```
 */
export interface OtelMeter {
  /** Creates a counter. */
  createCounter(name: string, options?: OtelInstrumentOptions): OtelCounter;
  /** Creates a histogram. */
  createHistogram(name: string, options?: OtelInstrumentOptions): OtelHistogram;
  /** Creates an observable gauge. */
  createObservableGauge(name: string, options?: OtelInstrumentOptions): OtelObservableGauge;
}
