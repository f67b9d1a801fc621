/**
 * The final table of `vobiz-kit load`, as plain text for a terminal or a CI log.
 *
 * @module
 */
import type { LoadResults } from "./_load_stats.ts";

/**
 * Formats a run's results under a one-line description of the run.
 *
 * @example
 * ```ts
 * console.log(formatLoadReport(results, "10 calls/s for 30s against the mock"));
 * ```
 */
export function formatLoadReport(results: LoadResults, description: string): string {
  const lines = [
    `vobiz-kit load: ${description}`,
    "",
    `achieved CPS       ${results.achievedCps} calls created/s (${results.callsCreated} calls)`,
    `operations         ${results.started} started (${results.startedPerSecond}/s), ` +
    `run took ${results.elapsedSeconds}s`,
    `429 answers        ${results.rateLimited}`,
    `retries            ${results.retries}`,
    `circuit opens      ${results.circuitOpens}`,
    `rate limiter       ${results.limiter.queued} held back, ${results.limiter.pauses} pauses after a 429`,
    `answers by status  ${counts(results.statuses)}`,
    `failures by code   ${counts(results.errors)}`,
    "",
    table(
      ["method", "route", "calls", "ok", "failed", "p50 ms", "p95 ms", "p99 ms", "max ms"],
      results.routes.map((r) => [
        r.method,
        r.route,
        String(r.calls),
        String(r.ok),
        String(r.failed),
        ms(r.p50Ms),
        ms(r.p95Ms),
        ms(r.p99Ms),
        ms(r.maxMs),
      ]),
    ),
  ];
  return lines.join("\n");
}

function counts(record: Record<string, number>): string {
  const entries = Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? "none" : entries.map(([key, n]) => `${key}: ${n}`).join(", ");
}

function ms(value: number | null): string {
  return value === null ? "-" : String(value);
}

/** Columns padded to their widest cell; text left-aligned, numbers right-aligned. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return "(no operations completed)";
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length))
  );
  const numeric = header.map((_, i) => i >= 2);
  const render = (row: readonly string[]): string =>
    row.map((cell, i) => {
      const width = widths[i] ?? 0;
      return numeric[i] ? cell.padStart(width) : cell.padEnd(width);
    }).join("  ").trimEnd();
  return [render(header), ...rows.map(render)].join("\n");
}
