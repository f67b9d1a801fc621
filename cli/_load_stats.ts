/**
 * What a load run measures, from the client's own hooks: every answer's status (429s included),
 * each call's outcome and latency per route, retries, circuit openings and rate-limiter waits.
 * Latencies are kept exactly (a run is short), so the percentiles are exact too.
 *
 * @module
 */
import type { VobizClient } from "../src/client.ts";
import { isVobizError, VobizHttpError } from "../src/errors.ts";

/** Latency percentiles of one route, in ms. */
export interface RouteResult {
  method: string;
  route: string;
  calls: number;
  ok: number;
  failed: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

/** Everything a run measured; also the `--json` file's `results`. */
export interface LoadResults {
  /** Seconds from the first operation to the end of the last. */
  elapsedSeconds: number;
  /** Operations started. */
  started: number;
  /** Operations started per second of the `--duration` (or of as much as an interrupted run got). */
  startedPerSecond: number;
  /** Calls created (a 2xx answer to call creation). */
  callsCreated: number;
  /**
   * Calls created per second of the whole run (a limiter's queue may drain after `--duration`):
   * the achieved CPS.
   */
  achievedCps: number;
  /** Per route and method, most calls first. */
  routes: RouteResult[];
  /** Answers by HTTP status, every attempt counted. */
  statuses: Record<string, number>;
  /** Failed operations by error code (Vobiz's own, e.g. `RATE_LIMIT_EXCEEDED`, else the library's). */
  errors: Record<string, number>;
  /** 429 answers, every attempt counted. */
  rateLimited: number;
  /** Retries the retry plugin scheduled. */
  retries: number;
  /** Times a circuit opened. */
  circuitOpens: number;
  /** Calls the rate limiter held back (`ratelimit:queued`) and 429 pauses (`ratelimit:hit`). */
  limiter: { queued: number; pauses: number };
}

/** A live view for the progress line. */
export interface LoadProgress {
  started: number;
  inFlight: number;
  completed: number;
  failed: number;
  rateLimited: number;
}

/** Collects a run's measurements from a client's hooks. */
export interface LoadStats {
  /** Marks an operation as started. */
  started(): void;
  /** Marks an operation as ended. */
  ended(): void;
  progress(): LoadProgress;
  /** The results; operations started are counted per second of `windowSeconds` (the `--duration`,
   * or less if stopped), calls created per second of the whole run. */
  results(elapsedSeconds: number, windowSeconds: number): LoadResults;
  /** Removes the hook handlers. */
  stop(): void;
}

/** The route of call creation, whose 2xx answers count as created calls. */
export const CALL_ROUTE = "/Account/{auth_id}/Call/";

/**
 * Starts collecting from `client`'s hooks.
 *
 * @example
 * ```ts
 * const stats = collectLoadStats(client);
 * // ... run ...
 * const results = stats.results(elapsedSeconds, 30);
 * ```
 */
export function collectLoadStats(client: VobizClient): LoadStats {
  const routes = new Map<
    string,
    { method: string; route: string; ok: number; failed: number; ms: number[] }
  >();
  const statuses: Record<string, number> = {};
  const errors: Record<string, number> = {};
  let started = 0;
  let ended = 0;
  let failed = 0;
  let rateLimited = 0;
  let retries = 0;
  let circuitOpens = 0;
  let callsCreated = 0;
  const limiter = { queued: 0, pauses: 0 };

  const { hooks } = client;
  const offs = [
    hooks.hook("afterResponse", ({ response }) => {
      bump(statuses, String(response.status));
      if (response.status === 429) rateLimited++;
    }),
    hooks.hook("done", ({ context, error, durationMs }) => {
      const key = `${context.method} ${context.route}`;
      let entry = routes.get(key);
      if (entry === undefined) {
        entry = { method: context.method, route: context.route, ok: 0, failed: 0, ms: [] };
        routes.set(key, entry);
      }
      entry.ms.push(durationMs);
      if (error === undefined) {
        entry.ok++;
        if (context.method === "POST" && context.route === CALL_ROUTE) callsCreated++;
      } else {
        entry.failed++;
        failed++;
        bump(errors, codeOf(error));
      }
    }),
    hooks.hook("retry:scheduled", () => {
      retries++;
    }),
    hooks.hook("circuit:state", ({ to }) => {
      if (to === "open") circuitOpens++;
    }),
    hooks.hook("ratelimit:queued", () => {
      limiter.queued++;
    }),
    hooks.hook("ratelimit:hit", () => {
      limiter.pauses++;
    }),
  ];

  return {
    started: () => {
      started++;
    },
    ended: () => {
      ended++;
    },
    progress: () => ({
      started,
      inFlight: started - ended,
      completed: ended,
      failed,
      rateLimited,
    }),
    results: (elapsedSeconds, windowSeconds) => ({
      elapsedSeconds: round(elapsedSeconds, 2),
      started,
      startedPerSecond: round(started / windowSeconds, 2),
      callsCreated,
      achievedCps: elapsedSeconds > 0 ? round(callsCreated / elapsedSeconds, 2) : 0,
      routes: [...routes.values()]
        .sort((a, b) => b.ms.length - a.ms.length)
        .map(({ method, route, ok, failed, ms }) => {
          const sorted = [...ms].sort((a, b) => a - b);
          return {
            method,
            route,
            calls: sorted.length,
            ok,
            failed,
            p50Ms: percentile(sorted, 50),
            p95Ms: percentile(sorted, 95),
            p99Ms: percentile(sorted, 99),
            maxMs: sorted.at(-1) ?? null,
          };
        }),
      statuses,
      errors,
      rateLimited,
      retries,
      circuitOpens,
      limiter,
    }),
    stop: () => {
      for (const off of offs) off();
    },
  };
}

/** Vobiz's own code for an HTTP error (`RATE_LIMIT_EXCEEDED`), else the library's (`CIRCUIT_OPEN`). */
function codeOf(error: Error): string {
  if (error instanceof VobizHttpError) return error.vobizCode ?? `HTTP_${error.status}`;
  return isVobizError(error) ? error.code : error.name;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return round(sorted[rank - 1] ?? 0, 1);
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
