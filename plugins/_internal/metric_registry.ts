// The metric families of one metrics plugin: counters, gauges and histograms keyed by label values,
// with a hard cap on series per family (extra label sets fold into one `other` series), mirrored
// into an OpenTelemetry meter when one is given.
import { EXPORT_BOUNDS_MS, type Histogram, newHistogram, observe } from "./metric_histogram.ts";
import type { OtelAttributes, OtelMeter } from "./metric_otel.ts";

/** One series: its label values and its value (or histogram). */
export interface Series {
  readonly labels: readonly string[];
  /** A counter's or gauge's value; free for the owner's use in a histogram series. */
  value: number;
  readonly histogram?: Histogram;
}

/** A family and its series. */
export interface Family {
  readonly type: "counter" | "gauge" | "histogram";
  /** Prometheus name (`vobiz_requests_total`). */
  readonly name: string;
  readonly help: string;
  readonly labels: readonly string[];
  readonly series: Map<string, Series>;
  /** Adds to a counter, sets a gauge, observes ms in a histogram; returns the series. */
  add(labels: readonly string[], value: number): Series;
}

/** All families of one plugin. */
export interface Registry {
  readonly families: Family[];
  /** A family; `otel` is its OpenTelemetry instrument name (`vobiz.client.requests`). */
  define(
    type: Family["type"],
    name: string,
    labels: readonly string[],
    help: string,
    otel: string,
    unit?: string,
  ): Family;
}

/** A registry with at most `maxSeries` series per family. */
export function createRegistry(maxSeries: number, meter?: OtelMeter): Registry {
  const families: Family[] = [];
  return {
    families,
    define(type, name, labels, help, otel, unit) {
      const series = new Map<string, Series>();
      const attributes = (target: Series): OtelAttributes =>
        Object.fromEntries(labels.map((label, i) => [label, target.labels[i]!]));
      const options = unit ? { description: help, unit } : { description: help };
      let record: ((value: number, attributes: OtelAttributes) => void) | undefined;
      if (meter && type === "counter") {
        const counter = meter.createCounter(otel, options);
        record = (value, attributes) => counter.add(value, attributes);
      } else if (meter && type === "histogram") {
        const histogram = meter.createHistogram(otel, {
          ...options,
          advice: { explicitBucketBoundaries: EXPORT_BOUNDS_MS.map((ms) => ms / 1000) },
        });
        record = (ms, attributes) => histogram.record(ms / 1000, attributes);
      } else {
        meter?.createObservableGauge(otel, options).addCallback((result) => {
          for (const target of series.values()) result.observe(target.value, attributes(target));
        });
      }
      // The series of these labels, created on first use; past the cap, the shared `other` one.
      const seriesOf = (values: readonly string[]): Series => {
        const key = values.join("\0");
        let found = series.get(key);
        if (found === undefined) {
          if (series.size >= maxSeries - 1) { // one place is kept for `other`
            values = values.map(() => "other");
            found = series.get(values.join("\0"));
            if (found !== undefined) return found;
          }
          found = type === "histogram"
            ? { labels: values, value: 0, histogram: newHistogram() }
            : { labels: values, value: 0 };
          series.set(values.join("\0"), found);
        }
        return found;
      };
      const family: Family = {
        type,
        name,
        help,
        labels,
        series,
        add(values, value) {
          const target = seriesOf(values);
          if (target.histogram) observe(target.histogram, value);
          else if (type === "gauge") target.value = value;
          else target.value += value;
          record?.(value, attributes(target));
          return target;
        },
      };
      families.push(family);
      return family;
    },
  };
}
