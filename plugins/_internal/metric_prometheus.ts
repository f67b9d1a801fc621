// Prometheus text exposition format 0.0.4 of a registry: HELP and TYPE lines, escaped label values,
// histograms as cumulative `_bucket{le}` series in seconds with `_sum` and `_count`.
import { countUpTo, EXPORT_BOUNDS_MS } from "./metric_histogram.ts";
import type { Family } from "./metric_registry.ts";

/** The exposition text of these families (families without series are left out). */
export function toPrometheusText(families: readonly Family[]): string {
  let text = "";
  for (const { type, name, help, labels, series } of families) {
    if (series.size > 0) text += `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`;
    for (const { labels: values, value, histogram } of series.values()) {
      const own = labelText(labels, values);
      if (!histogram) text += `${name}${own} ${value}\n`;
      else {
        const le = (bound: string, count: number) =>
          `${name}_bucket${labelText([...labels, "le"], [...values, bound])} ${count}\n`;
        for (const ms of EXPORT_BOUNDS_MS) text += le(`${ms / 1000}`, countUpTo(histogram, ms));
        text += le("+Inf", histogram.count) +
          `${name}_sum${own} ${histogram.sum / 1000}\n${name}_count${own} ${histogram.count}\n`;
      }
    }
  }
  return text;
}

// `{a="x",b="y"}` with `\`, `"` and newlines escaped; nothing for no labels.
const labelText = (names: readonly string[], values: readonly string[]): string =>
  names.length === 0
    ? ""
    : `{${
      names.map((name, i) => `${name}="${values[i]!.replace(/[\\"\n]/g, escape)}"`).join(",")
    }}`;

const escape = (char: string): string => char === "\n" ? "\\n" : `\\${char}`;
