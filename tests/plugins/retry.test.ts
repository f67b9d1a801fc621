import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  createClient,
  type ErrorEvent,
  type RequestOptions,
  type RetryScheduledEvent,
  type VobizError,
  VobizHttpError,
  type VobizPlugin,
  VobizRateLimitedError,
  VobizValidationError,
} from "../../mod.ts";
import { retry, type RetryOptions, type RetryPermission } from "../../plugins/retry.ts";
import { createMockVobiz } from "../../testing/mod.ts";
import { fakeClock } from "../_support/fake_clock.ts";

const base = {
  authId: "MA_TEST0001",
  authToken: "s3cret-token",
  baseUrl: "https://api.vobiz.test/api/v1",
};

type Handler = (request: Request, n: number) => Response | Promise<Response>;

/** An in-process API: answers with `handler`, records every request it received. */
function api(handler: Handler) {
  const requests: { method: string; body: string; key: string | null }[] = [];
  return {
    requests,
    fetch: async (input: Request, init?: RequestInit) => {
      const request = new Request(input, init);
      requests.push({
        method: request.method,
        body: await request.clone().text(),
        key: request.headers.get("idempotency-key"),
      });
      return handler(request, requests.length);
    },
  };
}

const ok = () => Response.json({ ok: true });
const status = (code: number, headers: Record<string, string> = {}) => () =>
  Response.json({ error: "x" }, { status: code, headers });
const failFirst = (times: number, answer: Handler): Handler => (request, n) =>
  n <= times ? answer(request, n) : ok();
const dropped: Handler = () => {
  throw new TypeError("fetch failed");
};
// Never answers; rejects when ky's per-attempt timeout aborts it.
const hang: Handler = (request) =>
  new Promise((_, reject) => {
    const { signal } = request;
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });

/** A client with the retry plugin (no backoff wait unless asked) that records its events. */
function setup(handler: Handler, options: RetryOptions = {}, more: object = {}) {
  const server = api(handler);
  const plugin = retry({ baseDelayMs: 0, ...options });
  const client = createClient({ ...base, fetch: server.fetch, plugins: [plugin], ...more });
  const scheduled: RetryScheduledEvent[] = [];
  const errors: ErrorEvent[] = [];
  client.hooks.hook("retry:scheduled", (event) => void scheduled.push(event));
  client.hooks.hook("onError", (event) => void errors.push(event));
  return { server, plugin, client, scheduled, errors };
}

const call = (
  client: ReturnType<typeof createClient>,
  method = "GET",
  options: RequestOptions = {},
) => client.request(method, "/Account/{auth_id}/thing", options);

describe("retry: what is retried", () => {
  for (const code of [408, 429, 500, 502, 503, 504]) {
    test(`a GET is retried after ${code}`, async () => {
      const { server, client, scheduled } = setup(failFirst(2, status(code)));
      assert.deepEqual(await call(client), { ok: true });
      assert.equal(server.requests.length, 3);
      assert.deepEqual(scheduled.map((e) => [e.attempt, e.reason]), [
        [1, `status ${code}`],
        [2, `status ${code}`],
      ]);
    });
  }

  for (const code of [400, 401, 402, 403, 404, 405, 409, 413, 422, 501]) {
    test(`${code} is never retried`, async () => {
      const { server, client, scheduled } = setup(status(code));
      const error = await call(client).catch((e) => e);
      assert.ok(error instanceof VobizHttpError);
      assert.equal(error.status, code);
      assert.equal(server.requests.length, 1);
      assert.equal(scheduled.length, 0);
    });
  }

  test("a network error is retried", async () => {
    const { server, client, scheduled } = setup(failFirst(1, dropped));
    assert.deepEqual(await call(client), { ok: true });
    assert.equal(server.requests.length, 2);
    assert.deepEqual(scheduled.map((e) => e.reason), ["NETWORK_ERROR"]);
  });

  test("a timed-out GET is retried with a fresh signal", async () => {
    const { server, client, scheduled } = setup(failFirst(2, hang), {}, { timeout: 5 });
    assert.deepEqual(await call(client), { ok: true });
    assert.equal(server.requests.length, 3);
    assert.deepEqual(scheduled.map((e) => e.reason), ["TIMEOUT", "TIMEOUT"]);
  });

  test("retryOnTimeout: false leaves timeouts alone", async () => {
    const { server, client } = setup(hang, { retryOnTimeout: false }, { timeout: 5 });
    assert.equal((await failure(call(client))).code, "TIMEOUT");
    assert.equal(server.requests.length, 1);
  });

  for (const method of ["HEAD", "PUT", "DELETE"]) {
    test(`${method} is retried after a 503 by default`, async () => {
      const { server, client } = setup(failFirst(1, status(503)));
      await call(client, method, { responseType: "response" }).then((r) =>
        (r as Response).body?.cancel()
      );
      assert.equal(server.requests.length, 2);
    });
  }

  test("gives up after 3 retries by default: 4 requests, the last error, onError once", async () => {
    const { server, client, scheduled, errors } = setup(status(503));
    const done: unknown[] = [];
    client.hooks.hook("done", (event) => void done.push(event.error));
    const error = await call(client).catch((e) => e);
    assert.ok(error instanceof VobizHttpError);
    assert.equal(error.status, 503);
    assert.equal(server.requests.length, 4);
    // announced for the three retries made, never for the final failure
    assert.deepEqual(scheduled.map((e) => e.attempt), [1, 2, 3]);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.error, error);
    assert.deepEqual(done, [error]);
  });

  test("retry:scheduled announces each retry before its wait, then beforeRetry runs", async () => {
    const { client } = setup(failFirst(2, status(503)), { baseDelayMs: 1, jitter: false });
    const order: string[] = [];
    client.hooks.hook(
      "retry:scheduled",
      (e) => void order.push(`scheduled ${e.attempt} ${e.delayMs}`),
    );
    client.hooks.hook("beforeRetry", (e) => void order.push(`beforeRetry ${e.attempt}`));
    client.hooks.hook("afterResponse", (e) => void order.push(`response ${e.attempt}`));
    await call(client);
    assert.deepEqual(order, [
      "response 0",
      "scheduled 1 1",
      "beforeRetry 1",
      "response 1",
      "scheduled 2 2",
      "beforeRetry 2",
      "response 2",
    ]);
  });

  test("limit is configurable, and per call through plugins.retry", async () => {
    const { server, client } = setup(status(503), { limit: 1 });
    await call(client).catch(() => {});
    assert.equal(server.requests.length, 2);
    await call(client, "GET", { plugins: { retry: { limit: 4 } } }).catch(() => {});
    assert.equal(server.requests.length, 2 + 5);
    await call(client, "GET", { plugins: { retry: false } }).catch(() => {});
    assert.equal(server.requests.length, 2 + 5 + 1);
  });

  test("statusCodes and methods are configurable", async () => {
    const { server, client } = setup(failFirst(1, status(500)), {
      statusCodes: [503],
      methods: ["GET", "POST"],
    });
    await call(client).catch(() => {});
    assert.equal(server.requests.length, 1); // 500 is no longer retried
    const other = setup(failFirst(1, status(503)), { methods: ["GET", "POST"] });
    await call(other.client, "POST", { json: { a: 1 } });
    assert.equal(other.server.requests.length, 2); // POST was opted in
  });

  test("shouldRetry overrides the status rules, not the safety of writes", async () => {
    const seen: string[] = [];
    const { server, client } = setup(failFirst(1, status(501)), {
      shouldRetry: ({ error, attempt, context }) => {
        seen.push(`${context.method} ${(error as VobizHttpError).status} ${attempt}`);
        return (error as VobizHttpError).status === 501;
      },
    });
    assert.deepEqual(await call(client), { ok: true });
    assert.equal(server.requests.length, 2);
    const no = setup(status(503), { shouldRetry: () => false });
    await call(no.client).catch(() => {});
    assert.equal(no.server.requests.length, 1);
    const post = setup(status(503), { shouldRetry: () => true });
    await call(post.client, "POST", { json: {} }).catch(() => {});
    assert.equal(post.server.requests.length, 1); // a POST that may have run is never re-sent
    assert.deepEqual(seen, ["GET 501 1"]);
  });
});

describe("retry: writes are never re-sent blindly", () => {
  test("a POST is not retried after a 5xx, a network error or a timeout", async () => {
    for (const handler of [status(500), status(502), status(503), status(504), dropped]) {
      const { server, client, scheduled } = setup(handler);
      await call(client, "POST", { json: { to: "+14155550100" } }).catch(() => {});
      assert.equal(server.requests.length, 1);
      assert.equal(scheduled.length, 0);
    }
    const { server, client } = setup(hang, {}, { timeout: 5 });
    assert.equal((await failure(call(client, "POST", { json: {} }))).code, "TIMEOUT");
    assert.equal(server.requests.length, 1);
  });

  test("a POST is retried after a 429 (rejected before it ran), with the same body", async () => {
    const { server, client, scheduled } = setup(failFirst(1, status(429)));
    assert.deepEqual(await call(client, "POST", { json: { to: "+14155550100" } }), { ok: true });
    assert.equal(server.requests.length, 2);
    assert.equal(server.requests[1]?.body, JSON.stringify({ to: "+14155550100" }));
    assert.equal(scheduled[0]?.reason, "status 429");
  });

  test("a paid or keyed write is only retried after a 429", async () => {
    for (const options of [{ paid: true }, { idempotencyKey: "k-1" }] as RequestOptions[]) {
      for (const method of ["PUT", "DELETE", "POST"]) {
        const failed = setup(status(503));
        await call(failed.client, method, options).catch(() => {});
        assert.equal(failed.server.requests.length, 1, `${method} ${JSON.stringify(options)}`);
        const timedOut = setup(hang, {}, { timeout: 5 });
        await call(timedOut.client, method, options).catch(() => {});
        assert.equal(timedOut.server.requests.length, 1);
        const limited = setup(failFirst(1, status(429)));
        await call(limited.client, method, options);
        assert.equal(limited.server.requests.length, 2);
      }
    }
  });

  test("the idempotency plugin can allow a retry through context.meta.idempotency", async () => {
    const asked: [string, number][] = [];
    const consent = (allow: boolean): VobizPlugin => ({
      name: "consent",
      setup: (host) =>
        host.hooks.hook("beforeRequest", ({ context }) => {
          const permission: RetryPermission = {
            allowRetry: (error, attempt) => {
              asked.push([(error as VobizHttpError).code, attempt]);
              return Promise.resolve(allow);
            },
          };
          context.meta["idempotency"] = permission;
        }),
    });
    const server = api(failFirst(1, status(503)));
    const client = createClient({
      ...base,
      fetch: server.fetch,
      plugins: [consent(true), retry({ baseDelayMs: 0 })],
    });
    await call(client, "POST", { paid: true, json: {} });
    assert.equal(server.requests.length, 2);
    assert.deepEqual(asked, [["HTTP_ERROR", 1]]);

    const refused = api(status(503));
    const strict = createClient({
      ...base,
      fetch: refused.fetch,
      plugins: [consent(false), retry({ baseDelayMs: 0 })],
    });
    await call(strict, "POST", { paid: true, json: {} }).catch(() => {});
    assert.equal(refused.requests.length, 1);
    // a write the idempotency plugin treats as paid is asked about even when not marked paid
    await call(strict, "PUT", { json: {} }).catch(() => {});
    assert.equal(refused.requests.length, 2);
    assert.deepEqual(asked, [["HTTP_ERROR", 1], ["HTTP_ERROR", 1], ["HTTP_ERROR", 1]]);
  });
});

describe("retry: delays", () => {
  test("exponential from baseDelayMs, doubling, capped by backoffLimit, then jittered", async () => {
    const backoffs: number[] = [];
    const { client, scheduled } = setup(status(503), {
      limit: 7,
      baseDelayMs: 1000,
      backoffLimit: 20_000,
      jitter: (delayMs) => {
        backoffs.push(delayMs);
        return 0; // waits 0 ms for real
      },
    });
    await call(client).catch(() => {});
    assert.deepEqual(backoffs, [1000, 2000, 4000, 8000, 16_000, 20_000, 20_000]);
    assert.deepEqual(scheduled.map((e) => e.delayMs), [0, 0, 0, 0, 0, 0, 0]);
  });

  test("full jitter by default: each delay in [0, base × 2^(n-1))", async () => {
    // a tiny base keeps the real waits at a few milliseconds
    const { client, scheduled } = setup(status(503), { baseDelayMs: 2 });
    await call(client).catch(() => {});
    assert.equal(scheduled.length, 3);
    scheduled.forEach((event, i) => {
      assert.ok(event.delayMs >= 0 && event.delayMs < 2 * 2 ** i, String(event.delayMs));
    });
  });

  test("jitter: false waits the backoff itself", async () => {
    const { client, scheduled } = setup(status(503), { baseDelayMs: 1, jitter: false });
    await call(client).catch(() => {});
    assert.deepEqual(scheduled.map((e) => e.delayMs), [1, 2, 4]);
  });

  test("Retry-After: 0 on a 503 retries at once, without backoff or jitter", async () => {
    const jittered: number[] = [];
    const { server, client, scheduled } = setup(
      failFirst(2, status(503, { "retry-after": "0" })),
      {
        baseDelayMs: 60_000,
        jitter: (d) => {
          jittered.push(d);
          return d;
        },
      },
    );
    assert.deepEqual(await call(client), { ok: true });
    assert.equal(server.requests.length, 3);
    assert.deepEqual(scheduled.map((e) => e.delayMs), [0, 0]);
    assert.deepEqual(jittered, []);
  });

  test("a Retry-After HTTP date in the past retries at once", async () => {
    const clock = fakeClock();
    const past = new Date(clock.now() - 5000).toUTCString();
    const { server, client, scheduled } = setup(
      failFirst(1, status(429, { "retry-after": past })),
      { baseDelayMs: 60_000 },
      { clock },
    );
    await call(client);
    assert.equal(server.requests.length, 2);
    assert.equal(scheduled[0]?.delayMs, 0);
  });

  test("Retry-After longer than maxRetryAfter ends the call with RATE_LIMITED", async () => {
    const { server, client, scheduled, errors } = setup(status(429, { "retry-after": "120" }));
    const error = await call(client).catch((e) => e);
    assert.ok(error instanceof VobizRateLimitedError);
    assert.equal(error.code, "RATE_LIMITED");
    assert.equal(error.retryAfterMs, 120_000);
    assert.equal(error.method, "GET");
    assert.equal(error.route, "/Account/{auth_id}/thing");
    assert.ok(error.cause instanceof VobizHttpError);
    assert.equal(server.requests.length, 1);
    assert.equal(scheduled.length, 0);
    assert.deepEqual(errors.map((e) => e.error), [error]);
  });

  test("an HTTP-date Retry-After is read with the client's clock", async () => {
    const clock = fakeClock();
    const later = new Date(clock.now() + 30_000).toUTCString();
    const { server, client } = setup(
      status(503, { "retry-after": later }),
      { maxRetryAfter: 10_000 },
      { clock },
    );
    const error = await call(client).catch((e) => e);
    assert.ok(error instanceof VobizRateLimitedError);
    assert.equal(error.retryAfterMs, 30_000);
    assert.equal(server.requests.length, 1);
  });

  test("Retry-After is ignored on statuses outside afterStatusCodes", async () => {
    const { server, client } = setup(failFirst(1, status(500, { "retry-after": "120" })));
    await call(client);
    assert.equal(server.requests.length, 2);
  });
});

describe("retry: budget", () => {
  test("1,000 calls against an always-503 API cost 1,100 requests, not 4,000", async () => {
    const { server, client, plugin, scheduled } = setup(status(503));
    assert.deepEqual(plugin.budget(), { tokens: 500, capacity: 500 });
    for (let i = 0; i < 1000; i++) await call(client).catch(() => {});
    // 500 tokens / 5 per retry = 100 retries in all, then every call fails at its first attempt
    assert.equal(server.requests.length, 1100);
    assert.equal(scheduled.length, 100);
    assert.deepEqual(plugin.budget(), { tokens: 0, capacity: 500 });
    // an exhausted budget fails the call with its own error
    const error = await call(client).catch((e) => e);
    assert.ok(error instanceof VobizHttpError);
    assert.equal(error.status, 503);
  });

  test("successes refill: 1 per first-attempt success, the retry's cost after a retry", async () => {
    let mode: "fail" | "once" | "ok" = "fail";
    let n = 0;
    const { plugin, client } = setup(() => {
      n++;
      if (mode === "fail" || (mode === "once" && n === 1)) return status(503)();
      return ok();
    });
    await call(client).catch(() => {});
    assert.equal(plugin.budget().tokens, 500 - 3 * 5);
    mode = "once";
    n = 0;
    await call(client);
    assert.equal(plugin.budget().tokens, 485); // took 5, gave 5 back
    mode = "ok";
    await call(client);
    assert.equal(plugin.budget().tokens, 486);
  });

  test("a timeout retry costs 10 tokens; budget options and budget: false", async () => {
    const { plugin, client } = setup(hang, { budget: { capacity: 25 } }, { timeout: 5 });
    await call(client).catch(() => {});
    assert.deepEqual(plugin.budget(), { tokens: 5, capacity: 25 });
    const unlimited = setup(status(503), { budget: false });
    for (let i = 0; i < 200; i++) await call(unlimited.client).catch(() => {});
    assert.equal(unlimited.server.requests.length, 800);
    assert.equal(unlimited.plugin.budget().tokens, Infinity);
  });
});

describe("retry: options", () => {
  test("malformed options are rejected with VALIDATION_ERROR", () => {
    assert.throws(() => retry({ limit: -1 }), VobizValidationError);
    assert.throws(() => retry({ limit: 1.5 }), VobizValidationError);
    assert.throws(() => retry({ budget: { capacity: -5 } }), VobizValidationError);
    assert.throws(() => retry({ nope: 1 } as RetryOptions), VobizValidationError);
  });

  test("a throwing retry:scheduled listener does not stop the retry", async () => {
    const { server, client } = setup(failFirst(1, status(503)));
    client.hooks.hook("retry:scheduled", () => {
      throw new Error("listener bug");
    });
    assert.deepEqual(await call(client), { ok: true });
    assert.equal(server.requests.length, 2);
  });
});

/** The error a call failed with (fails the test if it succeeded). */
async function failure(pending: Promise<unknown>): Promise<VobizError> {
  try {
    await pending;
  } catch (error) {
    return error as VobizError;
  }
  throw new assert.AssertionError({ message: "the call succeeded" });
}

describe("retry: against the mock Vobiz API", () => {
  const PURCHASE = "/Account/{auth_id}/numbers/purchase-from-inventory";
  const mockClient = (mock: ReturnType<typeof createMockVobiz>, options: RetryOptions = {}) =>
    createClient({
      authId: "MA_MOCK0001",
      authToken: "mock-auth-token",
      baseUrl: "https://api.vobiz.test/api/v1",
      fetch: mock.fetch,
      plugins: [retry({ baseDelayMs: 0, ...options })],
    });

  test("1,000 balance reads during a 503 outage cost 1,100 requests", async () => {
    const mock = createMockVobiz();
    mock.fault({ path: "/Account/{auth_id}/balance/{currency}", status: 503, times: Infinity });
    const client = mockClient(mock);
    for (let i = 0; i < 1000; i++) await client.balance.get().catch(() => {});
    assert.equal(mock.received.length, 1100);
  });

  test("a purchase dropped after it ran is not sent again; one rejected by a 429 is", async () => {
    const mock = createMockVobiz();
    const client = mockClient(mock);
    mock.fault({ method: "POST", path: PURCHASE, drop: "after" });
    const purchase = (e164: string) =>
      client.request("POST", PURCHASE, { json: { e164 }, paid: true });
    assert.equal((await failure(purchase("+918000000001"))).code, "NETWORK_ERROR");
    assert.equal(mock.received.length, 1);
    assert.equal(mock.effects.purchases.length, 1);
    mock.fault({ method: "POST", path: PURCHASE, status: 429, retryAfter: 0, times: 2 });
    await purchase("+918000000002");
    assert.equal(mock.received.length, 1 + 3);
    assert.deepEqual(mock.effects.purchases.map((p) => p.e164), ["+918000000001", "+918000000002"]);
  });
});
