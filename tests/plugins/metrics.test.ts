import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import type { Hookable } from "hookable";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import {
  type CallContext,
  createClient,
  type DoneEvent,
  type VobizClient,
  type VobizHooks,
  type VobizPlugin,
} from "../../mod.ts";
import { metrics, type MetricsOptions } from "../../plugins/metrics.ts";
import { type FakeClock, fakeClock } from "../_support/fake_clock.ts";

const base = {
  authId: "MA_TEST0001",
  authToken: "s3cret-token",
  baseUrl: "https://api.vobiz.test/api/v1",
};
const BALANCE = "/Account/{auth_id}/balance/{currency}";

type Answer = (request: Request) => Response | Promise<Response>;

const kyRetry = (limit: number): VobizPlugin => ({
  name: "ky-retry",
  setup: (host) =>
    host.configureKy({
      retry: {
        limit,
        methods: ["get", "post"],
        statusCodes: [429, 503],
        afterStatusCodes: [],
        delay: () => 0,
        jitter: false,
      },
    }),
});

const json = (body: unknown, status = 200): Answer => () => Response.json(body, { status });
const drop: Answer = () => {
  throw new TypeError("fetch failed");
};

/** A client whose transport answers in turn (the last answer repeats), each taking `tookMs`. */
function setup(
  answers: Answer[],
  options: MetricsOptions = {},
  extra: VobizPlugin[] = [],
  tookMs: (n: number) => number = () => 10,
) {
  const clock = fakeClock();
  const m = metrics(options);
  let n = 0;
  const vobiz = createClient({
    ...base,
    clock,
    plugins: [...extra, m],
    fetch: async (input, init) => {
      const request = new Request(input, init);
      await clock.advance(tookMs(n));
      const answer = answers[Math.min(n++, answers.length - 1)];
      if (!answer) throw new Error("no scripted answer");
      return answer(request);
    },
  });
  return { vobiz, m, clock };
}

const balanceAnswer = (balance: number) => json({ currency: "INR", balance });

describe("counters", () => {
  test("calls, outcomes, status classes, errors by code, retries and 429s", async () => {
    const { vobiz, m } = setup(
      [
        balanceAnswer(10), // 1: ok
        json({ error: { code: "TOKEN_EXPIRED" } }, 401), // 2: TOKEN_EXPIRED
        json({}, 503), // 3: 503, retried
        json({}, 503), //    503 again: fails
        json({ message: "slow down" }, 429), // 4: 429, retried
        balanceAnswer(9), //    then ok
        drop, // 5: network error
        drop, //    again
      ],
      {},
      [kyRetry(1)],
    );
    for (let i = 0; i < 5; i++) await vobiz.balance.get().catch(() => undefined);
    const snapshot = m.snapshot();
    assert.deepEqual(snapshot.calls.total, 5);
    assert.deepEqual([snapshot.calls.successes, snapshot.calls.failures], [2, 3]);
    assert.deepEqual(snapshot.statusClasses, { "2xx": 2, "4xx": 1, "5xx": 1, none: 1 });
    assert.deepEqual(snapshot.errors, { TOKEN_EXPIRED: 1, HTTP_503: 1, NETWORK_ERROR: 1 });
    assert.equal(snapshot.retries, 3);
    assert.equal(snapshot.rateLimited, 1);
    assert.deepEqual(
      snapshot.routes.map((r) => [r.route, r.method, r.calls, r.successes, r.failures]),
      [[BALANCE, "GET", 5, 2, 3]],
    );
  });

  test("events of other plugins: circuit transitions, cache ratio, token refreshes, limiter", async () => {
    const { vobiz, m, clock } = setup([balanceAnswer(1)]);
    const { hooks } = vobiz;
    await hooks.callHook("circuit:state", {
      key: "api.vobiz.ai",
      from: "closed",
      to: "open",
      at: 0,
    });
    await hooks.callHook("circuit:state", {
      key: "api.vobiz.ai",
      from: "open",
      to: "half-open",
      at: 0,
    });
    for (const event of ["cache:hit", "cache:hit", "cache:hit", "cache:miss"] as const) {
      await hooks.callHook(event, { key: "k" });
    }
    await hooks.callHook("cache:stale", { key: "k" });
    await hooks.callHook("cache:invalidate", { key: "k" });
    await hooks.callHook("auth:refreshed", { at: 0, expiresAt: 0, reason: "expiring" });
    await clock.advance(61 * 60_000);
    await hooks.callHook("auth:refreshed", { at: 0, expiresAt: 0, reason: "expired" });
    await hooks.callHook("ratelimit:hit", { waitMs: 100, queued: 0 });
    await hooks.callHook("ratelimit:queued", { waitMs: 100, queued: 3 });
    const snapshot = m.snapshot();
    assert.deepEqual(snapshot.circuits, {
      transitions: 2,
      states: { "api.vobiz.ai": "half-open" },
    });
    assert.deepEqual(snapshot.cache, {
      hits: 3,
      misses: 1,
      stale: 1,
      invalidations: 1,
      hitRatio: 0.75,
    });
    assert.deepEqual(snapshot.tokenRefreshes, {
      total: 2,
      lastHour: 1,
      lastAt: new Date(clock.now()).toISOString(),
    });
    assert.deepEqual(snapshot.rateLimiter, { hits: 1, queued: 1 });
    const text = m.toPrometheus();
    assert.match(text, /^vobiz_circuit_state\{circuit="api.vobiz.ai"\} 1$/m);
    assert.match(text, /^vobiz_cache_hit_ratio 0.75$/m);
    assert.match(text, /^vobiz_token_refreshes_total\{reason="expired"\} 1$/m);
  });
});

describe("latency", () => {
  test("p50/p95/p99 per route from fixed buckets, within one bucket (≤ 25 %) of the truth", async () => {
    // 100 calls taking 1, 2, …, 100 ms of the fake clock.
    const { vobiz, m } = setup([balanceAnswer(1)], {}, [], (n) => n + 1);
    for (let i = 0; i < 100; i++) await vobiz.balance.get();
    const { latency } = m.snapshot().routes[0] ?? assert.fail("no route");
    assert.equal(latency.count, 100);
    assert.equal(latency.meanMs, 50.5);
    assert.equal(latency.maxMs, 100);
    const cases: [number | null, number][] = [
      [latency.p50Ms, 50],
      [latency.p95Ms, 95],
      [latency.p99Ms, 99],
    ];
    for (const [estimate, truth] of cases) {
      assert.ok(estimate !== null && Math.abs(estimate - truth) <= 0.25 * truth, `${estimate}`);
    }
    assert.ok((latency.p50Ms ?? 0) <= (latency.p95Ms ?? 0));
    assert.ok((latency.p95Ms ?? 0) <= (latency.p99Ms ?? 0) && (latency.p99Ms ?? 0) <= 100);
    assert.deepEqual(m.snapshot().calls.latency, latency);
  });

  test("a call's duration includes its retries", async () => {
    const { vobiz, m } = setup([json({}, 503), json({}, 503), balanceAnswer(1)], {}, [kyRetry(2)]);
    await vobiz.balance.get();
    assert.equal(m.snapshot().calls.latency.maxMs, 30);
  });
});

describe("gauges from answers", () => {
  test("balance and its consumption per hour; a top-up starts over", async () => {
    const readings = [1000, 990, 970, 2000, 1990];
    const { vobiz, m, clock } = setup(readings.map((b) => balanceAnswer(b)), {}, [], () => 0);
    const perHour: (number | null)[] = [];
    for (const _ of readings) {
      await vobiz.balance.get();
      perHour.push(m.snapshot().balances["INR"]?.consumptionPerHour ?? null);
      await clock.advance(30 * 60_000);
    }
    // 1000 → 990 in 30 min: 20/h; → 970 in 60 min: 30/h; 2000 is a top-up; → 1990 in 30 min: 20/h
    assert.deepEqual(perHour, [null, 20, 30, null, 20]);
    assert.equal(m.snapshot().balances["INR"]?.balance, 1990);
    assert.match(m.toPrometheus(), /^vobiz_balance\{currency="INR"\} 1990$/m);
    assert.match(m.toPrometheus(), /^vobiz_balance_consumption_per_hour\{currency="INR"\} 20$/m);
  });

  test("readings older than the window are dropped, but two always remain", async () => {
    const readings = [1000, 900, 899];
    const { vobiz, m, clock } = setup(
      readings.map((b) => balanceAnswer(b)),
      {
        balanceWindowMs: 60 * 60_000,
      },
      [],
      () => 0,
    );
    await vobiz.balance.get();
    await clock.advance(2 * 60 * 60_000); // 100 spent in 2 h
    await vobiz.balance.get();
    assert.equal(m.snapshot().balances["INR"]?.consumptionPerHour, 50);
    await clock.advance(6 * 60_000); // the 1000 reading is now outside the window
    await vobiz.balance.get();
    assert.equal(m.snapshot().balances["INR"]?.consumptionPerHour, 10); // 900 → 899 in 6 min
  });

  test("a balance served from the cache is not a new reading", async () => {
    const fakeCache: VobizPlugin = {
      name: "fake-cache",
      setup: (host) =>
        host.hooks.hook("beforeRequest", async ({ context, respondWith }) => {
          if (context.options.plugins?.["fake-cache"] !== true) return;
          await host.hooks.callHook("cache:hit", { key: "balance", context });
          respondWith(Response.json({ currency: "INR", balance: 1 }));
        }),
    };
    const { vobiz, m } = setup([balanceAnswer(500)], {}, [fakeCache]);
    await vobiz.balance.get();
    assert.equal((await vobiz.balance.get("INR", { plugins: { "fake-cache": true } })).balance, 1);
    assert.equal(m.snapshot().balances["INR"]?.balance, 500);
  });

  test("ASR from a CDR summary, from answerRate, or from the listed CDRs", async () => {
    const { vobiz, m } = setup([
      json({ data: [], summary: { totalCalls: 40, answeredCalls: 30, answerRate: 75 } }),
      json({ data: [], summary: { totalCalls: 8, answerRate: 62.5 } }),
      json({
        data: [
          { uuid: "a", answer_time: "2026-11-26T10:00:00Z", billsec: 10 },
          { uuid: "b", answer_time: null, billsec: 0 },
          { uuid: "c", answer_time: null, billsec: 0 },
          { uuid: "d", answer_time: null, billsec: 4 },
        ],
      }),
    ]);
    const ratios: (number | undefined)[] = [];
    for (
      const path of [
        "/Account/{auth_id}/cdr",
        "/Account/{auth_id}/cdr/search",
        "/Account/{auth_id}/cdr/recent",
      ]
    ) {
      await vobiz.request("GET", path);
      ratios.push(m.snapshot().asr?.ratio);
    }
    assert.deepEqual(ratios, [0.75, 0.625, 0.5]);
    assert.equal(m.snapshot().asr?.total, 4);
    assert.match(m.toPrometheus(), /^vobiz_answer_seizure_ratio 0.5$/m);
  });
});

describe("Prometheus exposition", () => {
  test("exact counter lines with escaped labels, histogram in seconds", async () => {
    const { vobiz, m } = setup([balanceAnswer(1)], {}, [], () => 20);
    await vobiz.request("GET", '/odd/"quoted"\\path');
    const text = m.toPrometheus();
    assert.match(
      text,
      /^vobiz_requests_total\{route="\/odd\/\\"quoted\\"\\\\path",method="GET",status_class="2xx",outcome="success"\} 1$/m,
    );
    assert.match(
      text,
      /^vobiz_request_duration_seconds_bucket\{route=".*",method="GET",le="0.01"\} 0$/m,
    );
    assert.match(
      text,
      /^vobiz_request_duration_seconds_bucket\{route=".*",method="GET",le="0.025"\} 1$/m,
    );
    assert.match(
      text,
      /^vobiz_request_duration_seconds_bucket\{route=".*",method="GET",le="\+Inf"\} 1$/m,
    );
    assert.match(text, /^vobiz_request_duration_seconds_sum\{route=".*",method="GET"\} 0.02$/m);
    assert.match(text, /^vobiz_request_duration_seconds_count\{route=".*",method="GET"\} 1$/m);
    assert.ok(text.endsWith("\n"));
  });

  test("promtool check metrics accepts the scrape of a varied run", async () => {
    const { vobiz, m } = setup(
      [
        balanceAnswer(100),
        json({ error: { code: "TOKEN_EXPIRED" } }, 401),
        json({}, 429),
        json({}, 503),
        drop,
        json({ data: [], summary: { totalCalls: 4, answeredCalls: 3 } }),
      ],
      {},
      [kyRetry(0)],
    );
    for (let i = 0; i < 5; i++) await vobiz.balance.get().catch(() => undefined);
    await vobiz.request("GET", "/Account/{auth_id}/cdr");
    await vobiz.hooks.callHook("circuit:state", { key: "h", from: "closed", to: "open", at: 0 });
    await vobiz.hooks.callHook("cache:miss", { key: "k" });
    await vobiz.hooks.callHook("auth:refreshed", { at: 0, expiresAt: 0, reason: "expiring" });
    await vobiz.hooks.callHook("ratelimit:queued", { waitMs: 1, queued: 1 });
    const text = m.toPrometheus();
    for (const family of ["requests_total", "errors_total", "rate_limited_total", "balance"]) {
      assert.match(text, new RegExp(`^# TYPE vobiz_${family} `, "m"));
    }
    const result = promtool(text);
    assert.equal(result.status, 0, result.output);
  });

  test("promtool rejects a malformed exposition (the check can fail)", () => {
    const result = promtool('# TYPE broken counter\nbroken{le="x" 1\n');
    assert.notEqual(result.status, 0);
  });
});

describe("OpenTelemetry bridge", () => {
  test("records into a real Meter (sdk-metrics, in-memory exporter)", async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({ readers: [reader] });
    try {
      const { vobiz } = setup(
        [balanceAnswer(250), json({ error: { code: "TOKEN_EXPIRED" } }, 401)],
        { meter: provider.getMeter("vobiz-test") },
        [],
        () => 40,
      );
      await vobiz.balance.get();
      await vobiz.balance.get().catch(() => undefined);
      await reader.forceFlush();
      const exported = exporter.getMetrics().flatMap((r) => r.scopeMetrics)
        .flatMap((s) => s.metrics);
      const points = (name: string) =>
        exported.filter((metric) => metric.descriptor.name === name).at(-1)?.dataPoints ?? [];
      assert.deepEqual(
        points("vobiz.client.requests").map((p) => [p.attributes, p.value]),
        [
          [{ route: BALANCE, method: "GET", status_class: "2xx", outcome: "success" }, 1],
          [{ route: BALANCE, method: "GET", status_class: "4xx", outcome: "failure" }, 1],
        ],
      );
      assert.deepEqual(
        points("vobiz.client.errors").map((p) => [p.attributes["code"], p.value]),
        [["TOKEN_EXPIRED", 1]],
      );
      const [duration] = points("vobiz.client.request.duration");
      const histogram = duration?.value as { count: number; sum: number };
      assert.equal(histogram.count, 2);
      assert.ok(Math.abs(histogram.sum - 0.08) < 1e-9);
      const unit = exported.find((x) => x.descriptor.name === "vobiz.client.request.duration")
        ?.descriptor.unit;
      assert.equal(unit, "s");
      assert.deepEqual(
        points("vobiz.account.balance").map((p) => [p.attributes, p.value]),
        [[{ currency: "INR" }, 250]],
      );
    } finally {
      await provider.shutdown();
    }
  });
});

describe("bounded memory", () => {
  // The plugin's handlers, driven directly with synthetic events (a million calls in seconds).
  const host = (clock: FakeClock) => {
    const handlers: Partial<Record<keyof VobizHooks, (event: unknown) => unknown>> = {};
    const hooks = {
      hook: (name: keyof VobizHooks, handler: (event: unknown) => unknown) => {
        handlers[name] = handler;
        return () => {};
      },
    } as unknown as Hookable<VobizHooks>;
    const done = (event: DoneEvent) => handlers.done?.(event);
    return {
      hooks,
      clock,
      client: {} as VobizClient,
      configureKy: () => {},
      eachCall: () => {},
      done,
    };
  };
  const context = (i: number, route: string): CallContext => ({
    requestId: `r${i}`,
    method: i % 3 === 0 ? "POST" : "GET",
    route,
    url: `https://api.vobiz.ai/api/v1${route}?page=${i}`,
    authId: "MA_TEST0001",
    startedAt: 0,
    attempt: 0,
    options: {},
    meta: {},
  });
  const failure = Object.assign(new Error("boom"), { code: "HTTP_ERROR", status: 503 });

  // Generous timeout: a loaded CI machine may take a few seconds (Bun's default is 5 s).
  test("a million calls over ten thousand raw URLs: the label set does not grow", {
    timeout: 60_000,
  }, () => {
    const m = metrics();
    const h = host(fakeClock());
    m.setup(h);
    // raw paths as a careless caller would pass them: ids, UUIDs and E.164 numbers in the path
    const routes = Array.from(
      { length: 10_000 },
      (_, id) =>
        id % 2 === 0
          ? `/Account/MA_TEST0001/cdr/0b6f${
            id.toString(16).padStart(4, "0")
          }-77aa-4c1e-9a42-1f2e3d4c5b6a`
          : `/Account/MA_TEST0001/numbers/%2B9180${String(id).padStart(8, "0")}`,
    );
    const seriesAfter: number[] = [];
    for (let i = 0; i < 1_000_000; i++) {
      const route = routes[i % 10_000] ?? "";
      h.done({
        context: context(i, route),
        durationMs: i % 997,
        ...(i % 50 === 0 ? { error: failure } : {}),
      });
      if (i === 9_999 || i === 999_999) seriesAfter.push(m.toPrometheus().split("\n").length);
    }
    assert.equal(seriesAfter[0], seriesAfter[1]);
    const text = m.toPrometheus();
    assert.ok(!text.includes("MA_TEST0001") && !text.includes("%2B") && !text.includes("page="));
    assert.deepEqual(m.snapshot().routes.map((r) => `${r.method} ${r.route}`).sort(), [
      "GET /Account/{id}/cdr/{id}",
      "GET /Account/{id}/numbers/{id}",
      "POST /Account/{id}/cdr/{id}",
      "POST /Account/{id}/numbers/{id}",
    ]);
    assert.equal(m.snapshot().calls.total, 1_000_000);
  });

  test("distinct templates beyond maxSeries fold into one `other` series", () => {
    const m = metrics({ maxSeries: 50 });
    const h = host(fakeClock());
    m.setup(h);
    for (let i = 0; i < 10_000; i++) {
      const word = i.toString(26).replace(/\d/g, (d) => "qrstuvwxyz"[Number(d)] ?? "");
      h.done({ context: context(i * 3 + 1, `/x/${word}`), durationMs: 1 });
    }
    const snapshot = m.snapshot();
    assert.equal(snapshot.routes.length, 50);
    assert.ok(snapshot.routes.some((r) => r.route === "other" && r.method === "other"));
    assert.equal(snapshot.calls.total, 10_000);
  });
});

function promtool(text: string): { status: number | null; output: string } {
  const result = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
  if (result.error || typeof result.status !== "number") {
    assert.fail(
      `promtool could not be run (${result.error?.message ?? `status ${result.status}`}). ` +
        `Install it with "apt-get install prometheus" (Debian), which provides /usr/bin/promtool; ` +
        `under Deno, also grant --allow-run=promtool.`,
    );
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
