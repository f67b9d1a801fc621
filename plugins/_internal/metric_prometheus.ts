// Prometheus text exposition format 0.0.4 of a registry: HELP and TYPE lines, escaped label values,
// histograms as cumulative `_bucket{le}` series in seconds with `_sum` and `_count`.
import { cumulative, EXPORT_BOUNDS_MS } from "./metric_histogram.ts";
import type { Family, Series } from "./metric_registry.ts";

/** The exposition text of these families (families without series are left out). */
export function toPrometheusText(families: readonly Family[]): string {
  const lines: string[] = [];
  for (const family of families) {
    if (family.series.size === 0) continue;
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    for (const series of family.series.values()) {
      if (family.type === "histogram") lines.push(...histogramLines(family, series));
      else {lines.push(
          `${family.name}${labelText(family.labels, series.labels)} ${num(series.value)}`,
        );}
    }
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

function histogramLines(family: Family, series: Series): string[] {
  const histogram = series.histogram;
  if (!histogram) return [];
  const counts = cumulative(histogram, EXPORT_BOUNDS_MS);
  const lines = EXPORT_BOUNDS_MS.map((bound, i) =>
    `${family.name}_bucket${
      labelText([...family.labels, "le"], [...series.labels, num(bound / 1000)])
    } ${counts[i] ?? 0}`
  );
  const labels = labelText(family.labels, series.labels);
  lines.push(
    `${family.name}_bucket${
      labelText([...family.labels, "le"], [...series.labels, "+Inf"])
    } ${histogram.count}`,
    `${family.name}_sum${labels} ${num(histogram.sum / 1000)}`,
    `${family.name}_count${labels} ${histogram.count}`,
  );
  return lines;
}

function labelText(names: readonly string[], values: readonly string[]): string {
  if (names.length === 0) return "";
  return `{${names.map((name, i) => `${name}="${escapeValue(values[i] ?? "")}"`).join(",")}}`;
}

function num(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

const escapeValue = (value: string): string =>
  value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

const escapeHelp = (help: string): string => help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
