// The part of `@opentelemetry/api`'s `Meter` that the metrics plugin uses, typed structurally: a
// real `Meter` fits it, and the plugin needs no dependency on the package.

/** Attributes of a measurement. */
export type OtelAttributes = Record<string, string>;

/** Options of an instrument. */
export interface OtelInstrumentOptions {
  description?: string;
  unit?: string;
  advice?: { explicitBucketBoundaries?: number[] };
}

/** A counter instrument. */
export interface OtelCounter {
  add(value: number, attributes?: OtelAttributes): void;
}

/** A histogram instrument. */
export interface OtelHistogram {
  record(value: number, attributes?: OtelAttributes): void;
}

/** What an observable callback reports into. */
export interface OtelObservableResult {
  observe(value: number, attributes?: OtelAttributes): void;
}

/** An observable gauge instrument. */
export interface OtelObservableGauge {
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
  createCounter(name: string, options?: OtelInstrumentOptions): OtelCounter;
  createHistogram(name: string, options?: OtelInstrumentOptions): OtelHistogram;
  createObservableGauge(name: string, options?: OtelInstrumentOptions): OtelObservableGauge;
}
