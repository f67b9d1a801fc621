// What the benchmarks share: the runtime's name, the "every plugin enabled" set, a clock for the
// cache miss path, and the measuring loop. Runs unchanged on Node, Deno and Bun.
import type { Clock, FetchLike, VobizPlugin } from "../mod.ts";
import { alerts } from "../plugins/alerts.ts";
import { cache } from "../plugins/cache.ts";
import { circuitBreaker } from "../plugins/circuit_breaker.ts";
import { idempotency } from "../plugins/idempotency.ts";
import { logging } from "../plugins/logging.ts";
import { metrics } from "../plugins/metrics.ts";
import { rateLimit } from "../plugins/rate_limit.ts";
import { retry } from "../plugins/retry.ts";
import { tokenRefresh } from "../plugins/token_refresh.ts";

const g = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string } };
export const runtime: "node" | "deno" | "bun" = g.Deno ? "deno" : g.Bun ? "bun" : "node";
export const runtimeVersion: string = g.Deno
  ? `deno ${g.Deno.version.deno}`
  : g.Bun
  ? `bun ${g.Bun.version}`
  : `node ${process.version}`;

/** The bench account, as client options. */
export const benchCredentials = { authId: "MA_BENCH", authToken: "bench-token" } as const;

/** Its balance route on bench/server.mjs, and the headers a client without vobiz-kit sends. */
export const BALANCE_PATH = "/api/v1/Account/MA_BENCH/balance/INR";
export const rawHeaders: Record<string, string> = {
  "x-auth-id": "MA_BENCH",
  "x-auth-token": "bench-token",
};

/**
 * Every plugin, configured so that none changes what happens to a healthy call (the rate limiter
 * does not throttle, logs go nowhere) but each does its per-call work. `coalesce: false` keeps
 * concurrent identical GETs from sharing one request, so that the cache is on its miss path with
 * `missClock()`.
 */
export function everyPlugin(): VobizPlugin[] {
  return [
    cache({ coalesce: false }),
    idempotency(),
    tokenRefresh({
      accessToken: "bench-access",
      refreshToken: "bench-refresh",
      expiresAt: Date.UTC(2100, 0, 1),
    }),
    rateLimit({ requestsPerSecond: 1e9, burst: 1e9, maxConcurrent: 1e6, maxQueued: 1e6 }),
    retry(),
    circuitBreaker(),
    metrics(),
    logging({ sink: () => {} }),
    alerts(),
  ];
}

/**
 * A clock that moves a minute forward on every reading: every cached entry has expired by the next
 * lookup, so each call takes the cache's full miss path (lookup, network, store).
 */
export function missClock(): Clock {
  let now = Date.UTC(2026, 10, 26);
  return {
    now: () => (now += 60_001),
    sleep: (ms, signal) =>
      new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        setTimeout(resolve, Math.min(ms, 10));
      }),
  };
}

/** A fetch answering in process, with the same body as bench/server.mjs (no network). */
export const inProcessFetch: FetchLike = () =>
  Promise.resolve(
    new Response(
      JSON.stringify({ currency: "INR", balance: 1000, available_balance: 1000, id: 1 }),
      { headers: { "content-type": "application/json" } },
    ),
  );

export interface Measured {
  /** Client CPU time (user + system) per request, µs. */
  cpuUs: number;
  /** Requests per second (wall). */
  rps: number;
  /** Latency percentiles of single requests, ms. */
  p50: number;
  p99: number;
}

/** Runs `count` calls, `concurrency` at a time; CPU per call, throughput, latency percentiles. */
export async function measure(
  call: () => Promise<unknown>,
  count: number,
  concurrency: number,
): Promise<Measured> {
  const latencies = new Float64Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const start = performance.now();
      await call();
      latencies[i] = performance.now() - start;
    }
  };
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  latencies.sort();
  return {
    cpuUs: (used.user + used.system) / count,
    rps: count / (wall / 1000),
    p50: latencies[Math.floor(count * 0.5)]!,
    p99: latencies[Math.min(count - 1, Math.floor(count * 0.99))]!,
  };
}

/** The median of each field over rounds. */
export function median(rounds: Measured[]): Measured {
  const mid = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return {
    cpuUs: mid(rounds.map((r) => r.cpuUs)),
    rps: mid(rounds.map((r) => r.rps)),
    p50: mid(rounds.map((r) => r.p50)),
    p99: mid(rounds.map((r) => r.p99)),
  };
}

export const fmt = (n: number, digits = 1): string => n.toFixed(digits);
