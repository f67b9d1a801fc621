/**
 * `vobiz-kit load`: drives call creation and API reads at a target rate through the client and its
 * resilience plugins, against the mock (which enforces an account CPS and concurrent-call limit) or
 * the live API, and reports achieved CPS, latency per route, statuses, error codes, 429s, retries
 * and circuit openings.
 *
 * @module
 */
import { writeFile } from "node:fs/promises";
import * as v from "valibot";
import type { VobizClient } from "../src/client.ts";
import type { VobizPlugin } from "../src/plugin.ts";
import { CallCreateSchema } from "../src/resources/calls.ts";
import { circuitBreaker } from "../plugins/circuit_breaker.ts";
import { rateLimit } from "../plugins/rate_limit.ts";
import { retry } from "../plugins/retry.ts";
import type { FaultSpec, MockVobizOptions } from "../testing/mod.ts";
import {
  choiceOption,
  durationOption,
  flagOption,
  numberOption,
  type ParsedOptions,
  parseOptions,
  stringOption,
  UsageError,
} from "./_args.ts";
import { readFaults, readSeed } from "./_files.ts";
import { collectLoadStats, type LoadResults, type LoadStats } from "./_load_stats.ts";
import { formatLoadReport } from "./_load_report.ts";
import { err, onStopSignal, out } from "./_process.ts";
import { openTarget, requireConsent, type TargetKind } from "./_target.ts";

/** `vobiz-kit load --help`. */
export const LOAD_HELP: string = `Usage: vobiz-kit load --cps N [options]

Drive Vobiz API traffic at a target rate through the client and its plugins (retry, circuit
breaker, rate limiter), then print achieved CPS, latency p50/p95/p99 per route, answers by
status, failures by error code, 429s, retries and circuit openings. A progress line goes to
stderr while it runs. Against the mock, the mock enforces an account CPS and concurrent-call
limit, so the run shows whether the rate limiter keeps the account inside them.

Options:
  --cps N                      target rate: calls created per second (scenarios calls, mixed),
                               reads per second (scenario reads); required
  --duration D                 how long to start new operations: 500ms, 30s, 2m (default 30s)
  --concurrency N              most operations in flight at once (default 50)
  --scenario S                 calls (default) | reads | mixed
  --rps N                      mixed: reads per second alongside the calls (default: --cps)
  --target T                   mock (default) | live
  --rate-limit, --no-rate-limit
                               the rate-limit plugin (default on), its calls per second set to
                               the account's cps_limit (GET /auth/me) unless --limit-cps is given
  --limit-cps N                calls per second for the rate limiter (a whole number)
  --limit-rps N                requests per second, all routes, for the rate limiter
                               (default unlimited)
  --retry, --no-retry          the retry plugin (default on)
  --circuit-breaker, --no-circuit-breaker
                               the circuit breaker plugin (default on)
  --from E164 --to E164 --answer-url URL
                               the calls to place (required with --target live)
  --json FILE                  also write the results as JSON (for CI)
  --max-429 N                  exit 1 when more than N answers were 429
  -h, --help                   show this help

Mock target:
  --mock-cps-limit N           calls per second the mock account may create (default 10)
  --mock-concurrent-calls-limit N
                               live calls the mock account may hold (default 50)
  --mock-call-duration D       how long each mock call stays live (default 3s)
  --faults FILE, --seed FILE   as for "vobiz-kit mock"

Live target:
  Credentials come from VOBIZ_AUTH_ID and VOBIZ_AUTH_TOKEN only; plain http is refused.
  --base-url URL               another https API base (default https://api.vobiz.ai/api/v1)
  --yes                        confirm that calls are placed and money is spent (scenarios
                               calls and mixed)

Exit codes: 0 done, 1 --max-429 exceeded or the run failed, 2 bad arguments, 130 interrupted.
`;

const OPTIONS = {
  cps: { type: "string" },
  duration: { type: "string" },
  concurrency: { type: "string" },
  scenario: { type: "string" },
  rps: { type: "string" },
  target: { type: "string" },
  "rate-limit": { type: "boolean" },
  "no-rate-limit": { type: "boolean" },
  "limit-cps": { type: "string" },
  "limit-rps": { type: "string" },
  retry: { type: "boolean" },
  "no-retry": { type: "boolean" },
  "circuit-breaker": { type: "boolean" },
  "no-circuit-breaker": { type: "boolean" },
  from: { type: "string" },
  to: { type: "string" },
  "answer-url": { type: "string" },
  json: { type: "string" },
  "max-429": { type: "string" },
  "mock-cps-limit": { type: "string" },
  "mock-concurrent-calls-limit": { type: "string" },
  "mock-call-duration": { type: "string" },
  faults: { type: "string" },
  seed: { type: "string" },
  "base-url": { type: "string" },
  yes: { type: "boolean", short: "y" },
} as const;

type Scenario = "calls" | "reads" | "mixed";

/** A load run, as the command line asked for it. */
interface LoadPlan {
  target: TargetKind;
  scenario: Scenario;
  cps: number;
  rps: number;
  durationMs: number;
  concurrency: number;
  rateLimit: boolean;
  limitCps: number | undefined;
  limitRps: number | undefined;
  retry: boolean;
  circuitBreaker: boolean;
  call: { from: string; to: string; answer_url: string };
  jsonFile: string | undefined;
  max429: number | undefined;
  baseUrl: string | undefined;
  mockOptions: MockVobizOptions;
  faults: FaultSpec[];
}

// Placeholders the mock accepts; a live run must name real ones.
const MOCK_CALL = {
  from: "+918000000001",
  to: "+919800000001",
  answer_url: "https://example.com/answer.xml",
};

/** How long in-flight operations may take to finish once the run's duration is over. */
const DRAIN_MS = 30_000;

/**
 * Runs `vobiz-kit load`; resolves with the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await runLoad(["--cps", "5", "--duration", "10s"]);
 * ```
 */
export async function runLoad(args: readonly string[]): Promise<number> {
  const values = parseOptions(args, OPTIONS);
  if (values.help) {
    out(LOAD_HELP);
    return 0;
  }
  const plan = await planOf(values);
  const spends = plan.scenario !== "reads";
  const total = Math.floor((plan.cps * plan.durationMs) / 1000);
  requireConsent(
    plan.target === "live" && spends,
    values.yes === true,
    `place up to ${total} real calls from ${plan.call.from} to ${plan.call.to}`,
  );

  const target = await openTarget({
    kind: plan.target,
    baseUrl: plan.baseUrl,
    mockOptions: plan.mockOptions,
    faults: plan.faults,
  });
  try {
    const plugins: VobizPlugin[] = [];
    if (plan.retry) plugins.push(retry());
    if (plan.circuitBreaker) plugins.push(circuitBreaker());
    if (plan.rateLimit) {
      const cps = plan.limitCps ?? await accountCpsLimit(target.connect([]));
      plan.limitCps = cps;
      err(
        cps === undefined
          ? "vobiz-kit load: the account reports no CPS limit; the rate limiter only pauses on 429"
          : `vobiz-kit load: rate limiter at ${cps} calls/s`,
      );
      plugins.push(rateLimit({
        callsPerSecond: cps ?? Infinity,
        requestsPerSecond: plan.limitRps ?? Infinity,
        // The run's own --concurrency already bounds what is in flight.
        maxConcurrent: plan.concurrency,
      }));
    }
    const client = target.connect(plugins);
    const stats = collectLoadStats(client);
    const { results, interrupted } = await drive(client, stats, plan);
    stats.stop();

    const report = formatLoadReport(
      results,
      `${describe(plan)}${interrupted ? " (interrupted)" : ""}`,
    );
    out(report);
    if (plan.jsonFile !== undefined) {
      const document = { command: "load", plan: publicPlan(plan), interrupted, results };
      await writeFile(plan.jsonFile, `${JSON.stringify(document, null, 2)}\n`);
      err(`vobiz-kit load: results written to ${plan.jsonFile}`);
    }
    if (interrupted) return 130;
    if (plan.max429 !== undefined && results.rateLimited > plan.max429) {
      err(
        `vobiz-kit load: ${results.rateLimited} answers were 429, more than --max-429 ${plan.max429}`,
      );
      return 1;
    }
    return 0;
  } finally {
    await target.close();
  }
}

async function planOf(values: ParsedOptions): Promise<LoadPlan> {
  const cps = numberOption(values, "cps", { min: 0.1, max: 10_000 });
  if (cps === undefined) throw new UsageError("--cps is required (the target rate per second)");
  const target = choiceOption(values, "target", ["mock", "live"] as const, "mock");
  const scenario = choiceOption(values, "scenario", ["calls", "reads", "mixed"] as const, "calls");
  const live = target === "live";
  if (values.rps !== undefined && scenario !== "mixed") {
    throw new UsageError("--rps only applies to --scenario mixed (use --cps for the rate)");
  }
  const mockOnly = [
    "mock-cps-limit",
    "mock-concurrent-calls-limit",
    "mock-call-duration",
    "faults",
    "seed",
  ];
  for (const name of live ? mockOnly : ["base-url"]) {
    if (values[name] !== undefined) {
      throw new UsageError(`--${name} only applies to --target ${live ? "mock" : "live"}`);
    }
  }
  const call = {
    from: stringOption(values, "from") ?? (live ? "" : MOCK_CALL.from),
    to: stringOption(values, "to") ?? (live ? "" : MOCK_CALL.to),
    answer_url: stringOption(values, "answer-url") ?? (live ? "" : MOCK_CALL.answer_url),
  };
  if (scenario !== "reads") {
    if (live && (!call.from || !call.to || !call.answer_url)) {
      throw new UsageError(
        "--target live needs --from, --to and --answer-url for the calls it places",
      );
    }
    checkCall(call);
  }
  const seedFile = stringOption(values, "seed");
  const faultsFile = stringOption(values, "faults");
  const mockOptions: MockVobizOptions = seedFile === undefined ? {} : await readSeed(seedFile);
  mockOptions.cpsLimit = numberOption(values, "mock-cps-limit", { min: 1, integer: true }) ??
    mockOptions.cpsLimit ?? 10;
  mockOptions.concurrentCallsLimit =
    numberOption(values, "mock-concurrent-calls-limit", { min: 1, integer: true }) ??
      mockOptions.concurrentCallsLimit ?? 50;
  mockOptions.callDurationMs = durationOption(
    values,
    "mock-call-duration",
    mockOptions.callDurationMs ?? 3000,
  );
  const durationMs = durationOption(values, "duration", 30_000);
  if (durationMs <= 0) throw new UsageError("--duration must be longer than 0");
  return {
    target,
    scenario,
    cps,
    rps: numberOption(values, "rps", { min: 0.1, max: 10_000 }) ?? cps,
    durationMs,
    concurrency: numberOption(values, "concurrency", { min: 1, max: 10_000, integer: true }) ?? 50,
    rateLimit: flagOption(values, "rate-limit", true),
    limitCps: numberOption(values, "limit-cps", { min: 1, integer: true }),
    limitRps: numberOption(values, "limit-rps", { min: 0.1 }),
    retry: flagOption(values, "retry", true),
    circuitBreaker: flagOption(values, "circuit-breaker", true),
    call,
    jsonFile: stringOption(values, "json"),
    max429: numberOption(values, "max-429", { min: 0, integer: true }),
    baseUrl: stringOption(values, "base-url"),
    mockOptions,
    faults: faultsFile === undefined ? [] : await readFaults(faultsFile),
  };
}

/** The call's fields, checked as `calls.create` will check them, so a typo is exit 2. */
function checkCall(call: { from: string; to: string; answer_url: string }): void {
  const checked = v.safeParse(CallCreateSchema, call);
  if (checked.success) return;
  const issue = checked.issues[0];
  const field = issue === undefined ? undefined : v.getDotPath(issue);
  const name = field === "answer_url" ? "answer-url" : field ?? "from";
  throw new UsageError(`--${name}: ${issue?.message ?? "invalid"}`);
}

/** The account's `cps_limit` from `GET /auth/me` (`undefined` when it has none). */
async function accountCpsLimit(client: VobizClient): Promise<number | undefined> {
  const account = await client.request<{ cps_limit?: unknown }>("GET", "/auth/me");
  const limit = account?.cps_limit;
  // The limiter counts whole calls.
  return typeof limit === "number" && limit >= 1 ? Math.floor(limit) : undefined;
}

/** One kind of operation and the rate it is started at. */
interface Stream {
  readonly perSecond: number;
  readonly count: number;
  next: number;
  readonly run: (signal: AbortSignal) => Promise<unknown>;
}

/**
 * Starts operations on schedule (open loop: a slow answer does not slow the arrivals, only the
 * `--concurrency` cap does), then waits for the last ones to end.
 */
async function drive(
  client: VobizClient,
  stats: LoadStats,
  plan: LoadPlan,
): Promise<{ results: LoadResults; interrupted: boolean }> {
  const aborter = new AbortController();
  let interrupted = false;
  const offSignal = onStopSignal(() => {
    interrupted = true;
    aborter.abort(new Error("interrupted"));
  });
  const { signal } = aborter;
  const streams = streamsOf(client, plan);
  const inFlight = new Set<Promise<void>>();
  const startedAt = performance.now();
  const stopProgress = showProgress(stats, startedAt, plan.durationMs);
  try {
    for (let stream = pick(streams); stream !== undefined; stream = pick(streams)) {
      const at = startedAt + (stream.next * 1000) / stream.perSecond;
      stream.next++;
      await pause(at - performance.now(), signal);
      while (inFlight.size >= plan.concurrency && !signal.aborted) await Promise.race(inFlight);
      if (signal.aborted) break;
      stats.started();
      const task: Promise<void> = stream.run(signal).then(
        () => {},
        () => {}, // failures are counted from the client's hooks
      ).finally(() => {
        stats.ended();
        inFlight.delete(task);
      });
      inFlight.add(task);
    }
    const drained = Promise.all(inFlight).then(() => true);
    const late = await Promise.race([drained, pause(DRAIN_MS, signal).then(() => false)]);
    if (!late && !signal.aborted) {
      err(
        `vobiz-kit load: ${inFlight.size} operation(s) still running after ${
          DRAIN_MS / 1000
        }s; cancelled`,
      );
    }
    aborter.abort(new Error("run over"));
    await Promise.all(inFlight);
  } finally {
    stopProgress();
    offSignal();
  }
  const elapsed = (performance.now() - startedAt) / 1000;
  // Rates are per second of the arrival window: the whole --duration, or as far as it got.
  const window = interrupted ? Math.min(elapsed, plan.durationMs / 1000) : plan.durationMs / 1000;
  return { results: stats.results(elapsed, window), interrupted };
}

function streamsOf(client: VobizClient, plan: LoadPlan): Stream[] {
  const seconds = plan.durationMs / 1000;
  const stream = (perSecond: number, run: Stream["run"]): Stream => ({
    perSecond,
    count: Math.floor(perSecond * seconds + 1e-9),
    next: 0,
    run,
  });
  const calls = stream(plan.cps, (signal) => client.calls.create(plan.call, { signal }));
  let turn = 0;
  const reads = (perSecond: number): Stream =>
    stream(perSecond, (signal) => {
      const read = READS[turn++ % READS.length] as Read;
      return client.request("GET", read.path, { ...read.options, signal });
    });
  switch (plan.scenario) {
    case "calls":
      return [calls];
    case "reads":
      return [reads(plan.cps)];
    case "mixed":
      return [calls, reads(plan.rps)];
  }
}

interface Read {
  readonly path: string;
  readonly options: {
    readonly params?: Record<string, string>;
    readonly searchParams?: Record<string, string | number>;
  };
}

// What an integration typically reads while it places calls.
const READS: readonly Read[] = [
  { path: "/Account/{auth_id}/balance/{currency}", options: { params: { currency: "INR" } } },
  { path: "/Account/{auth_id}/Call", options: { searchParams: { status: "live" } } },
  { path: "/Account/{auth_id}/cdr", options: { searchParams: { page: 1, per_page: 20 } } },
  { path: "/auth/me", options: {} },
];

/** The stream whose next operation is due first, or `undefined` when all are done. */
function pick(streams: readonly Stream[]): Stream | undefined {
  let best: Stream | undefined;
  for (const stream of streams) {
    if (stream.next >= stream.count) continue;
    if (best === undefined || stream.next / stream.perSecond < best.next / best.perSecond) {
      best = stream;
    }
  }
  return best;
}

/** Waits `ms` (nothing if ≤ 0); resolves early, never rejects, when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Redraws a progress line on stderr every second (in place on a terminal). */
function showProgress(stats: LoadStats, startedAt: number, durationMs: number): () => void {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  const draw = (): void => {
    const { started, inFlight, completed, failed, rateLimited } = stats.progress();
    const elapsed = (performance.now() - startedAt) / 1000;
    const rate = (started - last).toFixed(0);
    last = started;
    const line = `[${elapsed.toFixed(0)}s/${(durationMs / 1000).toFixed(0)}s] ${rate}/s started ` +
      `${started}, in flight ${inFlight}, done ${completed}, errors ${failed}, 429s ${rateLimited}`;
    process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
  };
  const timer = setInterval(draw, 1000);
  return () => {
    clearInterval(timer);
    if (tty) process.stderr.write("\r\x1b[K");
  };
}

function describe(plan: LoadPlan): string {
  const what = plan.scenario === "calls"
    ? `${plan.cps} calls/s`
    : plan.scenario === "reads"
    ? `${plan.cps} reads/s`
    : `${plan.cps} calls/s + ${plan.rps} reads/s`;
  const where = plan.target === "live"
    ? "the live API"
    : `the mock (CPS limit ${plan.mockOptions.cpsLimit}, ${plan.mockOptions.concurrentCallsLimit} concurrent calls)`;
  const plugins = [
    plan.retry ? "retry" : undefined,
    plan.circuitBreaker ? "circuit breaker" : undefined,
    plan.rateLimit
      ? `rate limit${plan.limitCps === undefined ? "" : ` ${plan.limitCps} calls/s`}`
      : undefined,
  ].filter((name) => name !== undefined);
  return `${what} for ${plan.durationMs / 1000}s against ${where}; plugins: ${
    plugins.join(", ") || "none"
  }`;
}

function publicPlan(plan: LoadPlan): Record<string, unknown> {
  const { faults, mockOptions, jsonFile: _jsonFile, ...rest } = plan;
  return plan.target === "mock" ? { ...rest, mockOptions, faults: faults.length } : rest;
}
