import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Hookable } from "hookable";
import {
  type CallContext,
  createClient,
  type RequestOptions,
  type RetryScheduledEvent,
  VobizCircuitOpenError,
  type VobizError,
  type VobizHooks,
  VobizHttpError,
  type VobizPlugin,
  VobizValidationError,
} from "../../mod.ts";
import { circuitBreaker, type CircuitBreakerOptions } from "../../plugins/circuit_breaker.ts";
import { retry } from "../../plugins/retry.ts";
import { createMockVobiz } from "../../testing/mod.ts";
import { type FakeClock, fakeClock } from "../_support/fake_clock.ts";

const base = {
  authId: "MA_TEST0001",
  authToken: "s3cret-token",
  baseUrl: "https://api.vobiz.test/api/v1",
};
const ROUTE = "/Account/{auth_id}/thing";
const KEY = `GET ${ROUTE}`;

type Answer = number | "drop" | "hang" | (() => Promise<Response>);

/** An API whose answer the test switches at will; counts requests per path. */
function api(first: Answer = 200) {
  let answer = first;
  const paths: string[] = [];
  return {
    paths,
    get count() {
      return paths.length;
    },
    answer(next: Answer) {
      answer = next;
    },
    fetch: (input: Request, init?: RequestInit): Promise<Response> => {
      const request = new Request(input, init);
      paths.push(new URL(request.url).pathname);
      if (typeof answer === "function") return answer();
      if (answer === "drop") return Promise.reject(new TypeError("fetch failed"));
      if (answer === "hang") {
        return new Promise((_, reject) => {
          const { signal } = request;
          if (signal.aborted) return reject(signal.reason);
          signal.addEventListener("abort", () => reject(signal.reason), { once: true });
        });
      }
      return Promise.resolve(Response.json({ status: answer }, { status: answer }));
    },
  };
}

function setup(
  options: CircuitBreakerOptions = {},
  { first = 200 as Answer, plugins = [] as VobizPlugin[], after = [] as VobizPlugin[], more = {} } =
    {},
) {
  const clock = fakeClock();
  const server = api(first);
  const breaker = circuitBreaker(options);
  const client = createClient({
    ...base,
    clock,
    fetch: server.fetch,
    plugins: [...plugins, breaker, ...after],
    ...more,
  });
  const events: string[] = [];
  client.hooks.hook("circuit:state", (e) => void events.push(`${e.key}: ${e.from}→${e.to}`));
  const call = (options: RequestOptions = {}, route = ROUTE) =>
    client.request("GET", route, options);
  const fail = (n: number, options?: RequestOptions, route?: string) =>
    Promise.all(Array.from({ length: n }, () => call(options, route).catch((e: unknown) => e)));
  return { clock, server, breaker, client, events, call, fail };
}

const openError = (error: unknown): VobizCircuitOpenError => {
  assert.ok(error instanceof VobizCircuitOpenError, String(error));
  return error;
};

describe("circuitBreaker: opening", () => {
  test("opens after 5 consecutive 5xx, then fails fast without a request for 30 s", async () => {
    const { server, breaker, events, call, fail } = setup({}, { first: 503 });
    await fail(4);
    assert.equal(breaker.state(KEY), "closed");
    await fail(1);
    assert.equal(breaker.state(KEY), "open");
    assert.deepEqual(events, [`${KEY}: closed→open`]);
    const error = openError(await call().catch((e) => e));
    assert.equal(error.code, "CIRCUIT_OPEN");
    assert.equal(error.key, KEY);
    assert.equal(error.retryAfterMs, 30_000);
    assert.equal(error.route, ROUTE);
    assert.equal(server.count, 5);
  });

  test("retryAfterMs counts down with the clock", async () => {
    const { clock, fail, call } = setup({}, { first: 500 });
    await fail(5);
    await clock.advance(12_000);
    assert.equal(openError(await call().catch((e) => e)).retryAfterMs, 18_000);
  });

  for (const [name, answer] of [["429", 429], ["a network error", "drop"]] as const) {
    test(`${name} counts as a failure`, async () => {
      const { breaker, fail } = setup({}, { first: answer });
      await fail(5);
      assert.equal(breaker.state(KEY), "open");
    });
  }

  test("a timeout counts as a failure", async () => {
    const { breaker, fail } = setup({}, { first: "hang", more: { timeout: 5 } });
    await fail(5);
    assert.equal(breaker.state(KEY), "open");
  });

  test("other 4xx never trip it", async () => {
    const { server, breaker, fail } = setup();
    for (const code of [400, 401, 402, 403, 404, 409, 422]) {
      server.answer(code);
      await fail(10);
    }
    assert.equal(server.count, 70);
    assert.equal(breaker.state(KEY), "closed");
  });

  test("failures must be consecutive: a success (or a 4xx answer) starts the count again", async () => {
    const { server, breaker, fail, call } = setup({}, { first: 503 });
    await fail(4);
    server.answer(200);
    await call();
    server.answer(503);
    await fail(4);
    server.answer(404);
    await fail(1);
    server.answer(503);
    await fail(4);
    assert.equal(breaker.state(KEY), "closed");
    await fail(1);
    assert.equal(breaker.state(KEY), "open");
  });

  test("a user abort is not a failure", async () => {
    const { breaker, fail } = setup({}, { first: "hang" });
    const controller = new AbortController();
    const pending = fail(6, { signal: controller.signal });
    controller.abort();
    const errors = await pending;
    assert.deepEqual(errors.map((e) => (e as { code: string }).code), Array(6).fill("ABORTED"));
    assert.equal(breaker.state(KEY), "closed");
  });
});

describe("circuitBreaker: half-open and recovery", () => {
  test("after openMs one probe goes through; its success closes the circuit", async () => {
    const { clock, server, breaker, events, fail, call } = setup({}, { first: 503 });
    await fail(5);
    await clock.advance(29_999);
    assert.equal(breaker.state(KEY), "open");
    await clock.advance(1);
    assert.equal(breaker.state(KEY), "half-open");
    server.answer(200);
    assert.deepEqual(await call(), { status: 200 });
    assert.equal(breaker.state(KEY), "closed");
    assert.equal(server.count, 6);
    assert.deepEqual(events, [
      `${KEY}: closed→open`,
      `${KEY}: open→half-open`,
      `${KEY}: half-open→closed`,
    ]);
    assert.equal(breaker.size, 0); // a healthy circuit takes no room
  });

  test("half-open lets exactly one probe through; concurrent callers fail fast", async () => {
    const { clock, server, breaker, fail, call } = setup({}, { first: 503 });
    await fail(5);
    await clock.advance(30_000);
    let release = () => {};
    server.answer(() =>
      new Promise<Response>((resolve) => {
        release = () => resolve(Response.json({ ok: true }));
      })
    );
    const probe = call();
    const others = await fail(9);
    for (const error of others) assert.equal(openError(error).retryAfterMs, 0);
    assert.equal(server.count, 6); // only the probe reached the API
    release();
    assert.deepEqual(await probe, { ok: true });
    assert.equal(breaker.state(KEY), "closed");
  });

  test("a failed probe reopens for twice as long, capped at maxOpenMs", async () => {
    const { clock, breaker, events, fail, call } = setup({}, { first: 503 });
    await fail(5);
    const periods: number[] = [];
    for (let i = 0; i < 6; i++) {
      const wait = i === 0 ? 30_000 : periods.at(-1)!;
      await clock.advance(wait);
      await call().catch(() => {}); // the probe fails
      assert.equal(breaker.state(KEY), "open");
      periods.push(openError(await call().catch((e) => e)).retryAfterMs);
    }
    assert.deepEqual(periods, [60_000, 120_000, 240_000, 300_000, 300_000, 300_000]);
    assert.equal(events.filter((e) => e.endsWith("half-open→open")).length, 6);
  });

  test("after a successful probe the open period starts from openMs again", async () => {
    const { clock, server, fail, call } = setup({}, { first: 503 });
    await fail(5);
    await clock.advance(30_000);
    await fail(1); // probe fails: 60 s
    await clock.advance(60_000);
    server.answer(200);
    await call(); // probe succeeds: closed
    server.answer(503);
    await fail(5);
    assert.equal(openError(await call().catch((e) => e)).retryAfterMs, 30_000);
  });

  test("a probe that ends without an outcome frees the slot for the next call", async () => {
    const { clock, server, breaker, fail, call } = setup({}, { first: 503 });
    await fail(5);
    await clock.advance(30_000);
    server.answer("hang");
    const controller = new AbortController();
    const probe = failure(call({ signal: controller.signal }));
    openError(await call().catch((e) => e)); // the probe holds the slot
    controller.abort();
    assert.equal((await probe).code, "ABORTED");
    assert.equal(breaker.state(KEY), "half-open");
    server.answer(200);
    await call(); // the next call is the probe
    assert.equal(breaker.state(KEY), "closed");
  });

  test("a probe answered locally after it was let through frees the slot", async () => {
    // A cache placed after the breaker: the breaker lets the call through as the probe, then the
    // cache answers it without the network.
    const lateCache: VobizPlugin = {
      name: "late-cache",
      setup: (host) =>
        host.hooks.hook("beforeRequest", ({ context, respondWith }) => {
          if (context.options.plugins?.["late-cache"] !== true) return;
          context.meta["cache"] = "hit";
          respondWith(Response.json({ cached: true }));
        }),
    };
    const { clock, server, breaker, fail, call } = setup({}, { first: 503, after: [lateCache] });
    await fail(5);
    await clock.advance(30_000);
    assert.deepEqual(await call({ plugins: { "late-cache": true } }), { cached: true });
    assert.equal(breaker.state(KEY), "half-open");
    server.answer(200);
    await call(); // the next call is the probe
    assert.equal(breaker.state(KEY), "closed");
    assert.equal(server.count, 6);
  });

  test("reset(key) and reset() close circuits and emit circuit:state", async () => {
    const { breaker, events, fail, call } = setup({}, { first: 503 });
    await fail(5, {}, "/a");
    await fail(5, {}, "/b");
    await fail(5, {}, "/c");
    breaker.reset("GET /a");
    assert.equal(breaker.state("GET /a"), "closed");
    assert.equal(breaker.state("GET /b"), "open");
    breaker.reset();
    await Promise.resolve();
    assert.deepEqual(events.slice(3).sort(), [
      "GET /a: open→closed",
      "GET /b: open→closed",
      "GET /c: open→closed",
    ]);
    assert.equal(breaker.size, 0);
    assert.ok((await call({}, "/b").catch((e) => e)) instanceof VobizHttpError);
  });
});

describe("circuitBreaker: keys", () => {
  test("by default one circuit per method and route template", async () => {
    const { server, breaker, client, fail } = setup({}, { first: 503 });
    const number = { params: { number: "+14155550100" } };
    await fail(5, number, "/Account/{auth_id}/Number/{number}");
    assert.equal(breaker.state("GET /Account/{auth_id}/Number/{number}"), "open");
    // another route, and another method on the same route, still go through
    assert.ok((await fail(1, {}, "/Account/{auth_id}/cdr"))[0] instanceof VobizHttpError);
    const post = await client.request("POST", "/Account/{auth_id}/Number/{number}", number)
      .catch((e) => e);
    assert.ok(post instanceof VobizHttpError);
    assert.equal(server.count, 7);
  });

  test('key: "host" shares one circuit across routes', async () => {
    const { breaker, fail } = setup({ key: "host" }, { first: 503 });
    await fail(3, {}, "/a");
    await fail(2, {}, "/b");
    assert.equal(breaker.state("api.vobiz.test"), "open");
    openError((await fail(1, {}, "/c"))[0]);
  });

  test("a custom key function", async () => {
    const { breaker, fail } = setup({ key: (c: CallContext) => c.authId }, { first: 503 });
    await fail(5, {}, "/x");
    assert.equal(breaker.state("MA_TEST0001"), "open");
  });

  test("keys are bounded by maxKeys (least recently used dropped)", async () => {
    const { breaker, fail } = setup({ maxKeys: 3 }, { first: 503 });
    for (let i = 0; i < 10; i++) await fail(1, {}, `/route/${i}`);
    assert.equal(breaker.size, 3);
  });

  test("a million distinct keys cannot grow memory beyond maxKeys", async () => {
    // Drives the plugin's handlers directly through a minimal bus: a million client calls would
    // only measure ky, and hookable's async task tagging under node:test.
    const handlers: Record<string, (event: unknown) => unknown> = {};
    const hooks = {
      hook: (name: string, handler: (event: unknown) => unknown) => {
        handlers[name] = handler;
        return () => {};
      },
      callHook: (name: string, event: unknown) => handlers[name]?.(event),
    };
    const clock = fakeClock();
    const breaker = circuitBreaker({ key: (c) => c.route });
    breaker.setup({
      hooks: hooks as unknown as Hookable<VobizHooks>,
      clock,
      client: undefined as never,
      configureKy: () => {},
      eachCall: () => {},
    });
    const response = new Response(null, { status: 503 });
    for (let i = 0; i < 1_000_000; i++) {
      const context = fakeContext(i, clock);
      // the handlers answer synchronously when no state changes: no await on that path
      for (
        const [name, event] of [
          ["beforeRequest", { context }],
          ["afterResponse", { context, response, attempt: 0 }],
          ["done", { context, durationMs: 0 }],
        ] as const
      ) {
        const pending = hooks.callHook(name, event);
        if (pending instanceof Promise) await pending;
      }
    }
    assert.equal(breaker.size, 1000);
    assert.equal(breaker.state("/route/999999"), "closed"); // one failure: still closed, but kept
    assert.equal(breaker.state("/route/0"), "closed"); // long dropped
  });

  test("per call, plugins.circuitBreaker: false neither stops nor counts the call", async () => {
    const { server, breaker, fail } = setup({}, { first: 503 });
    await fail(10, { plugins: { circuitBreaker: false } });
    assert.equal(breaker.state(KEY), "closed");
    await fail(5);
    assert.ok((await fail(1, { plugins: { circuitBreaker: false } }))[0] instanceof VobizHttpError);
    assert.equal(server.count, 16);
  });

  test("a call's context stays serialisable (the breaker's meta holds no cycle)", async () => {
    const { client, call } = setup();
    const seen: string[] = [];
    client.hooks.hook("done", ({ context }) => void seen.push(JSON.stringify(context.meta)));
    await call();
    assert.deepEqual(Object.keys(JSON.parse(seen[0]!).circuitBreaker), ["counted", "gated", "key"]);
  });

  test("malformed options are rejected with VALIDATION_ERROR", () => {
    assert.throws(() => circuitBreaker({ failureThreshold: 0 }), VobizValidationError);
    assert.throws(
      () => circuitBreaker({ key: "path" } as unknown as CircuitBreakerOptions),
      VobizValidationError,
    );
  });
});

describe("circuitBreaker: cache hits", () => {
  // Stands in for the cache plugin: answers marked calls itself and marks them as hits.
  const fakeCache: VobizPlugin = {
    name: "fake-cache",
    setup: (host) =>
      host.hooks.hook("beforeRequest", ({ context, respondWith }) => {
        if (context.options.plugins?.["fake-cache"] !== true) return;
        context.meta["cache"] = "hit";
        respondWith(Response.json({ cached: true }));
      }),
  };

  test("do not count, and are served while the circuit is open", async () => {
    const { server, breaker, fail, call } = setup({}, { first: 503, plugins: [fakeCache] });
    const hit = { plugins: { "fake-cache": true } };
    await fail(4);
    assert.deepEqual(await call(hit), { cached: true }); // does not reset the count
    await fail(1);
    assert.equal(breaker.state(KEY), "open");
    assert.deepEqual(await call(hit), { cached: true });
    assert.equal(server.count, 5);
  });
});

describe("circuitBreaker: idempotency answers", () => {
  // Stands in for the idempotency plugin replaying a stored outcome without the network.
  const replay: VobizPlugin = {
    name: "fake-idempotency",
    setup: (host) =>
      host.hooks.hook("beforeRequest", ({ context, respondWith }) => {
        if (context.options.idempotencyKey === undefined) return;
        context.meta["idempotency"] = { role: "replay" };
        respondWith(Response.json({ replayed: true }));
      }),
  };

  test("a replayed outcome is served while open and never counted", async () => {
    const { server, breaker, fail, call } = setup({}, { first: 503, plugins: [replay] });
    await fail(4);
    await call({ idempotencyKey: "k-1" });
    await fail(1);
    assert.equal(breaker.state(KEY), "open");
    assert.deepEqual(await call({ idempotencyKey: "k-1" }), { replayed: true });
    assert.equal(server.count, 5);
  });
});

describe("circuitBreaker with retry", () => {
  for (const order of ["retry first", "breaker first"]) {
    test(`each attempt counts and opening mid-retry stops the retries (${order})`, async () => {
      const r = retry({ limit: 10, baseDelayMs: 0 });
      const { server, breaker, client, call } = order === "retry first"
        ? setup({}, { first: 503, plugins: [r] })
        : setup({}, { first: 503, after: [r] });
      const scheduled: RetryScheduledEvent[] = [];
      const errors: unknown[] = [];
      client.hooks.hook("retry:scheduled", (e) => void scheduled.push(e));
      client.hooks.hook("onError", ({ error }) => void errors.push(error));
      const error = openError(await call().catch((e) => e));
      assert.equal(error.retryAfterMs, 30_000);
      assert.equal(server.count, 5); // 5 attempts opened it; the 6th was never sent
      assert.equal(breaker.state(KEY), "open");
      // announced only for the 4 retries really sent, not for the one the circuit stopped
      assert.deepEqual(scheduled.map((e) => e.attempt), [1, 2, 3, 4]);
      assert.deepEqual(errors, [error]);
      // the stopped retry costs no budget: 4 retries × 5 tokens
      assert.equal(r.budget().tokens, 500 - 4 * 5);
    });
  }

  test("network errors count per attempt too", async () => {
    const { server, breaker, call } = setup({}, {
      first: "drop",
      plugins: [retry({ limit: 10, baseDelayMs: 0 })],
    });
    openError(await call().catch((e) => e));
    assert.equal(server.count, 5);
    assert.equal(breaker.state(KEY), "open");
  });

  test("with ky's engine driven by another plugin, beforeRetry stops the retries", async () => {
    const { server, breaker, call } = setup({}, { first: 503, plugins: [kyRetry(10)] });
    openError(await call().catch((e) => e));
    assert.equal(server.count, 5);
    assert.equal(breaker.state(KEY), "open");
  });

  test("a failure without a response is counted once per attempt", async () => {
    for (const plugin of [kyRetry(2), retry({ limit: 2, baseDelayMs: 0 })]) {
      const { server, breaker, call } = setup({ failureThreshold: 4 }, {
        first: "drop",
        plugins: [plugin],
      });
      await call().catch(() => {});
      assert.equal(server.count, 3);
      assert.equal(breaker.state(KEY), "closed", plugin.name); // 3 failures, not 4 or more
      await call({ plugins: { retry: false } }).catch(() => {});
      assert.equal(breaker.state(KEY), "open", plugin.name);
    }
  });

  test("a retry cut short by the total timeout does not count its failure twice", async () => {
    const { breaker, call } = setup({ failureThreshold: 2 }, {
      first: "drop",
      plugins: [retry({ baseDelayMs: 60_000, jitter: false })],
    });
    // the first retry would wait 60 s; ky gives up when the 10 ms deadline is reached
    assert.equal((await failure(call({ totalTimeout: 10 }))).code, "TIMEOUT");
    assert.equal(breaker.state(KEY), "closed"); // one failed attempt, counted once
  });

  test("an announced retry is sent even if another call opened the circuit meanwhile", async () => {
    const r = retry({ limit: 3, baseDelayMs: 0 });
    const { server, breaker, client, call } = setup({ failureThreshold: 2 }, {
      first: 503,
      plugins: [r],
    });
    const scheduled: number[] = [];
    client.hooks.hook("retry:scheduled", async ({ attempt }) => {
      scheduled.push(attempt);
      await call({ plugins: { retry: false } }).catch(() => {}); // opens the circuit
    });
    openError(await failure(call())); // its next retry is stopped by the open circuit
    assert.equal(breaker.state(KEY), "open");
    assert.deepEqual(scheduled, [1]);
    assert.equal(server.count, 3); // attempt, the other call, the announced retry
  });

  test("a retry that succeeds resets the count", async () => {
    let n = 0;
    const { server, breaker, call } = setup({}, {
      first: () => Promise.resolve(Response.json({}, { status: ++n % 4 === 0 ? 200 : 503 })),
      plugins: [retry({ limit: 3, baseDelayMs: 0 })],
    });
    for (let i = 0; i < 5; i++) await call();
    assert.equal(server.count, 20);
    assert.equal(breaker.state(KEY), "closed");
  });

  test("a failed half-open probe is not retried", async () => {
    const { clock, server, breaker, call, events } = setup({}, {
      first: 503,
      plugins: [retry({ limit: 10, baseDelayMs: 0 })],
    });
    openError(await call().catch((e) => e));
    await clock.advance(30_000);
    openError(await call().catch((e) => e));
    assert.equal(server.count, 6);
    assert.equal(breaker.state(KEY), "open");
    assert.equal(events.at(-1), `${KEY}: half-open→open`);
  });
});

/** Turns on ky's own retry engine without the retry plugin (as another plugin could). */
function kyRetry(limit: number): VobizPlugin {
  return {
    name: "ky-retry",
    setup: (host) =>
      host.configureKy({
        retry: { limit, methods: ["get"], statusCodes: [503], delay: () => 0, jitter: false },
      }),
  };
}

function fakeContext(i: number, clock: FakeClock): CallContext {
  return {
    requestId: String(i),
    method: "GET",
    route: `/route/${i}`,
    url: "https://api.vobiz.test/api/v1/route",
    authId: "MA_TEST0001",
    startedAt: clock.now(),
    attempt: 0,
    options: {},
    meta: {},
  };
}

/** The error a call failed with (fails the test if it succeeded). */
async function failure(pending: Promise<unknown>): Promise<VobizError> {
  try {
    await pending;
  } catch (error) {
    return error as VobizError;
  }
  throw new assert.AssertionError({ message: "the call succeeded" });
}

describe("circuitBreaker: against the mock Vobiz API", () => {
  test("a 503 burst opens the balance circuit; other routes and the probe behave", async () => {
    const clock = fakeClock();
    const mock = createMockVobiz({ now: () => clock.now() });
    const breaker = circuitBreaker();
    const client = createClient({
      authId: "MA_MOCK0001",
      authToken: "mock-auth-token",
      baseUrl: "https://api.vobiz.test/api/v1",
      fetch: mock.fetch,
      clock,
      plugins: [retry({ baseDelayMs: 0 }), breaker],
    });
    mock.fault({ path: "/Account/{auth_id}/balance/{currency}", status: 503, times: 5 });
    const first = await failure(client.balance.get()); // 4 failed attempts: still closed
    assert.ok(first instanceof VobizHttpError);
    openError(await failure(client.balance.get())); // the 5th failed attempt opens it
    assert.equal(mock.received.length, 5);
    openError(await failure(client.balance.get())); // fails fast
    assert.equal(mock.received.length, 5);
    assert.equal((await client.account.get()).auth_id, "MA_MOCK0001"); // another route
    await clock.advance(30_000);
    assert.equal((await client.balance.get()).currency, "INR"); // the probe succeeds
    assert.equal(breaker.size, 0);
  });
});
