// The metric families of one metrics plugin: counters, gauges and histograms keyed by label values,
// with a hard cap on series per family (extra label sets fold into one `other` series), mirrored
// into an OpenTelemetry meter when one is given.
import { EXPORT_BOUNDS_MS, type Histogram, newHistogram, observe } from "./metric_histogram.ts";
import type { OtelAttributes, OtelMeter } from "./metric_otel.ts";

/** One series: its label values and its value (or histogram). */
export interface Series {
  readonly labels: readonly string[];
  value: number;
  readonly histogram: Histogram | undefined;
}

/** What defines a family. */
export interface FamilySpec {
  /** Prometheus name (`vobiz_requests_total`). */
  readonly name: string;
  readonly help: string;
  readonly labels: readonly string[];
  /** OpenTelemetry instrument name (`vobiz.client.requests`) and unit. */
  readonly otel: string;
  readonly unit?: string;
}

/** A family and its series. */
export interface Family extends FamilySpec {
  readonly type: "counter" | "gauge" | "histogram";
  readonly series: Map<string, Series>;
}

/** A counter family. */
export interface Counter {
  inc(labels: readonly string[], by?: number): void;
}

/** A gauge family. */
export interface Gauge {
  set(labels: readonly string[], value: number): void;
}

/** A histogram family (values in ms; exported in seconds). */
export interface HistogramFamily {
  observe(labels: readonly string[], ms: number): void;
}

/** All families of one plugin. */
export interface Registry {
  readonly families: readonly Family[];
  counter(spec: FamilySpec): Counter;
  gauge(spec: FamilySpec): Gauge;
  histogram(spec: FamilySpec): HistogramFamily;
}

/** A registry with at most `maxSeries` series per family. */
export function createRegistry(maxSeries: number, meter?: OtelMeter): Registry {
  const families: Family[] = [];

  function family(spec: FamilySpec, type: Family["type"]): Family {
    const created: Family = { ...spec, type, series: new Map() };
    families.push(created);
    return created;
  }

  // The series for these labels, created on first use; past the cap, the shared `other` series.
  function seriesOf(target: Family, labels: readonly string[]): Series {
    const key = labels.join("\u0000");
    const found = target.series.get(key);
    if (found) return found;
    const fits = target.series.size < maxSeries - 1; // one place is kept for `other`
    const values = fits ? [...labels] : labels.map(() => "other");
    const overflowKey = values.join("\u0000");
    const existing = target.series.get(overflowKey);
    if (existing) return existing;
    const series: Series = {
      labels: values,
      value: 0,
      histogram: target.type === "histogram" ? newHistogram() : undefined,
    };
    target.series.set(fits ? key : overflowKey, series);
    return series;
  }

  const attributes = (target: Family, series: Series): OtelAttributes =>
    Object.fromEntries(target.labels.map((name, i) => [name, series.labels[i] ?? ""]));

  return {
    families,
    counter(spec) {
      const target = family(spec, "counter");
      const instrument = meter?.createCounter(spec.otel, options(spec));
      return {
        inc(labels, by = 1) {
          const series = seriesOf(target, labels);
          series.value += by;
          instrument?.add(by, attributes(target, series));
        },
      };
    },
    gauge(spec) {
      const target = family(spec, "gauge");
      meter?.createObservableGauge(spec.otel, options(spec)).addCallback((result) => {
        for (const series of target.series.values()) {
          result.observe(series.value, attributes(target, series));
        }
      });
      return {
        set(labels, value) {
          seriesOf(target, labels).value = value;
        },
      };
    },
    histogram(spec) {
      const target = family(spec, "histogram");
      const instrument = meter?.createHistogram(spec.otel, {
        ...options(spec),
        advice: { explicitBucketBoundaries: EXPORT_BOUNDS_MS.map((ms) => ms / 1000) },
      });
      return {
        observe(labels, ms) {
          const series = seriesOf(target, labels);
          if (series.histogram) observe(series.histogram, ms);
          instrument?.record(ms / 1000, attributes(target, series));
        },
      };
    },
  };
}

function options(spec: FamilySpec): { description: string; unit?: string } {
  return spec.unit === undefined
    ? { description: spec.help }
    : { description: spec.help, unit: spec.unit };
}
