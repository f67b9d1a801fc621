import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import {
  createClient,
  isVobizError,
  type VobizHooks,
  VobizHttpError,
  type VobizPlugin,
} from "../mod.ts";
import { createCoreClient } from "../core.ts";
import { base, stub } from "./_support/stub.ts";

const me = () => Response.json({ auth_id: "MA_TEST0001", name: "Test" });

/** A plugin that turns on ky's own retry engine, to exercise retries without the retry plugin. */
const kyRetry = (limit: number): VobizPlugin => ({
  name: "ky-retry",
  setup: (host) =>
    host.configureKy({
      retry: { limit, methods: ["get", "post"], statusCodes: [503], delay: () => 0, jitter: false },
    }),
});

describe("credentials", () => {
  test("are read from the env option (Workers bindings) and sent on every request", async () => {
    const s = stub(me());
    const vobiz = createClient({
      baseUrl: base.baseUrl,
      env: { VOBIZ_AUTH_ID: "MA_ENV", VOBIZ_AUTH_TOKEN: "env-token" },
      fetch: s.fetch,
    });
    await vobiz.account.get();
    assert.equal(s.seen[0]?.headers["x-auth-id"], "MA_ENV");
    assert.equal(s.seen[0]?.headers["x-auth-token"], "env-token");
  });

  test("are read from the runtime environment when no env option is given", async () => {
    const saved = { id: process.env.VOBIZ_AUTH_ID, token: process.env.VOBIZ_AUTH_TOKEN };
    process.env.VOBIZ_AUTH_ID = "MA_PROCESS";
    process.env.VOBIZ_AUTH_TOKEN = "process-token";
    try {
      const s = stub(me());
      await createClient({ baseUrl: base.baseUrl, fetch: s.fetch }).account.get();
      assert.equal(s.seen[0]?.headers["x-auth-id"], "MA_PROCESS");
      assert.equal(s.seen[0]?.headers["x-auth-token"], "process-token");
    } finally {
      if (saved.id === undefined) delete process.env.VOBIZ_AUTH_ID;
      else process.env.VOBIZ_AUTH_ID = saved.id;
      if (saved.token === undefined) delete process.env.VOBIZ_AUTH_TOKEN;
      else process.env.VOBIZ_AUTH_TOKEN = saved.token;
    }
  });

  test("suppliers are resolved per request, so a rotated token takes effect at once", async () => {
    const s = stub(me());
    let token = "old-token";
    const vobiz = createClient({
      ...base,
      authToken: () => Promise.resolve(token),
      fetch: s.fetch,
    });
    await vobiz.account.get();
    token = "new-token";
    await vobiz.account.get();
    assert.deepEqual(s.seen.map((r) => r.headers["x-auth-token"]), ["old-token", "new-token"]);
  });

  test("missing credentials fail at creation with MISSING_CREDENTIALS naming the variables", () => {
    assert.throws(() => createClient({ baseUrl: base.baseUrl, env: {} }), (error) => {
      assert.ok(isVobizError(error));
      assert.equal(error.code, "MISSING_CREDENTIALS");
      assert.match(error.message, /VOBIZ_AUTH_ID and VOBIZ_AUTH_TOKEN/);
      return true;
    });
    assert.throws(
      () => createClient({ baseUrl: base.baseUrl, env: { VOBIZ_AUTH_ID: "MA_1" } }),
      { code: "MISSING_CREDENTIALS", message: /VOBIZ_AUTH_TOKEN in the env option/ },
    );
  });

  test("a supplier that returns nothing fails the call with MISSING_CREDENTIALS, sending nothing", async () => {
    const s = stub(me());
    const vobiz = createClient({ ...base, authToken: () => "", fetch: s.fetch });
    await assert.rejects(vobiz.account.get(), { code: "MISSING_CREDENTIALS" });
    assert.equal(s.seen.length, 0);
  });

  test("withAccount acts for a sub-account and shares the hooks", async () => {
    const s = stub(me());
    const vobiz = createClient({ ...base, fetch: s.fetch });
    const routes: string[] = [];
    vobiz.hooks.hook("done", ({ context }) => {
      routes.push(`${context.authId} ${context.route}`);
    });
    const sub = vobiz.withAccount({ authId: "SA_SUB1", authToken: "sub-token" });
    await sub.balance.get("USD").catch(() => undefined);
    assert.equal(s.seen[0]?.url, "https://api.vobiz.test/api/v1/Account/SA_SUB1/balance/USD");
    assert.equal(s.seen[0]?.headers["x-auth-token"], "sub-token");
    assert.deepEqual(routes, ["SA_SUB1 /Account/{auth_id}/balance/{currency}"]);
  });
});

describe("secrets", () => {
  test("never appear in JSON of the client, errors, or the printable form of hook payloads", async () => {
    const s = stub(
      Response.json({ status: "error", error: { code: "TOKEN_EXPIRED", message: "expired" } }, {
        status: 401,
      }),
    );
    const vobiz = createClient({ ...base, fetch: s.fetch });
    const printed: string[] = [];
    for (const name of ["beforeRequest", "afterResponse", "onError", "done"] as const) {
      vobiz.hooks.hook(
        name,
        ((event: unknown) => {
          printed.push(inspect(event, { depth: 6 }), JSON.stringify(event) ?? "");
        }) as VobizHooks[typeof name],
      );
    }
    const error = await vobiz.account.get().catch((e: unknown) => e);
    printed.push(JSON.stringify(vobiz), inspect(vobiz, { depth: 6 }), String(error));
    printed.push(JSON.stringify(error), inspect(error, { depth: 6 }));
    assert.equal(s.seen[0]?.headers["x-auth-token"], base.authToken); // it was sent…
    for (const text of printed) assert.ok(!text.includes(base.authToken), text); // …never shown
  });
});

describe("base URL", () => {
  test("plain http is refused with INSECURE_URL", () => {
    assert.throws(() => createClient({ ...base, baseUrl: "http://api.vobiz.ai/api/v1" }), {
      code: "INSECURE_URL",
    });
    assert.throws(() => createClient({ ...base, baseUrl: "ftp://api.vobiz.ai/" }), {
      code: "INSECURE_URL",
    });
  });

  test("loopback http needs allowInsecureLoopback, and is refused for other hosts even then", () => {
    assert.throws(() => createClient({ ...base, baseUrl: "http://127.0.0.1:8080/api/v1" }), {
      code: "INSECURE_URL",
    });
    for (const url of ["http://127.0.0.1:8080/api/v1", "http://localhost:1/", "http://[::1]:2/"]) {
      assert.equal(
        createClient({ ...base, baseUrl: url, allowInsecureLoopback: true }).baseUrl,
        url.replace(/\/$/, ""),
      );
    }
    assert.throws(
      () => createClient({ ...base, baseUrl: "http://10.0.0.1/", allowInsecureLoopback: true }),
      { code: "INSECURE_URL" },
    );
  });

  test("malformed options are a VALIDATION_ERROR naming the option", () => {
    assert.throws(() => createClient({ ...base, timeout: -5 }), (error) => {
      assert.ok(isVobizError(error));
      assert.equal(error.code, "VALIDATION_ERROR");
      assert.match(error.message, /timeout/);
      return true;
    });
    assert.throws(() => createClient({ ...base, ...({ baseURL: "x" } as object) }), {
      code: "VALIDATION_ERROR",
    });
  });
});

describe("request id and hooks", () => {
  test("X-Request-Id is a UUID, identical on every retry of a call, and in its context", async () => {
    const s = stub(new Response("busy", { status: 503 }), me());
    const vobiz = createClient({ ...base, fetch: s.fetch, plugins: [kyRetry(2)] });
    let contextId = "";
    vobiz.hooks.hook("done", ({ context }) => {
      contextId = context.requestId;
    });
    await vobiz.account.get();
    const ids = s.seen.map((r) => r.headers["x-request-id"]);
    assert.equal(ids.length, 2);
    assert.equal(ids[0], ids[1]);
    assert.equal(ids[0], contextId);
    assert.match(
      contextId,
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    await vobiz.account.get();
    assert.notEqual(s.seen[2]?.headers["x-request-id"], ids[0]);
  });

  test("each lifecycle hook fires the right number of times", async () => {
    const s = stub(new Response("busy", { status: 503 }), new Response("", { status: 503 }), me());
    const vobiz = createClient({ ...base, fetch: s.fetch, plugins: [kyRetry(1)] });
    const counts = { beforeRequest: 0, beforeRetry: 0, afterResponse: 0, onError: 0, done: 0 };
    for (const name of Object.keys(counts) as (keyof typeof counts)[]) {
      vobiz.hooks.hook(name, () => {
        counts[name]++;
      });
    }
    const error = await vobiz.account.get().catch((e: unknown) => e);
    assert.ok(error instanceof VobizHttpError && error.status === 503);
    assert.deepEqual(counts, {
      beforeRequest: 1,
      beforeRetry: 1,
      afterResponse: 2,
      onError: 1,
      done: 1,
    });
    await vobiz.account.get();
    assert.deepEqual(counts, {
      beforeRequest: 2,
      beforeRetry: 1,
      afterResponse: 3,
      onError: 1,
      done: 2,
    });
  });

  test("onError and done fire once also when a handler throws; the caller gets that error", async () => {
    const s = stub(me());
    const vobiz = createClient({ ...base, fetch: s.fetch });
    let onError = 0;
    let done = 0;
    vobiz.hooks.hook("afterResponse", () => {
      throw new Error("handler failed");
    });
    vobiz.hooks.hook("onError", () => {
      onError++;
      throw new Error("onError handler failed too");
    });
    vobiz.hooks.hook("done", () => {
      done++;
      throw new Error("done handler failed too");
    });
    await assert.rejects(vobiz.account.get(), { message: "handler failed" });
    assert.deepEqual({ onError, done }, { onError: 1, done: 1 });
  });

  test("a done handler that throws does not turn a success into a failure", async () => {
    const vobiz = createClient({ ...base, fetch: stub(me()).fetch });
    vobiz.hooks.hook("done", () => {
      throw new Error("ignored");
    });
    assert.equal((await vobiz.account.get()).auth_id, "MA_TEST0001");
  });

  test("beforeRequest can answer without the network, and handlers can be removed", async () => {
    const s = stub(me());
    const vobiz = createClient({ ...base, fetch: s.fetch });
    const off = vobiz.hooks.hook("beforeRequest", ({ respondWith }) => {
      respondWith(Response.json({ auth_id: "MA_CACHED" }));
    });
    assert.equal((await vobiz.account.get()).auth_id, "MA_CACHED");
    assert.equal(s.seen.length, 0);
    off();
    assert.equal((await vobiz.account.get()).auth_id, "MA_TEST0001");
    assert.equal(s.seen.length, 1);
  });

  test("plugins run setup once, in order, and close() runs their teardowns", () => {
    const log: string[] = [];
    const plugin = (name: string): VobizPlugin => ({
      name,
      setup: () => {
        log.push(`setup ${name}`);
        return () => log.push(`teardown ${name}`);
      },
    });
    const vobiz = createClient({ ...base, plugins: [plugin("a"), plugin("b")] });
    vobiz.close();
    vobiz.close();
    assert.deepEqual(log, ["setup a", "setup b", "teardown a", "teardown b"]);
    assert.deepEqual(vobiz.toJSON().plugins, ["a", "b"]);
  });
});

describe("the core client (vobiz-kit/core)", () => {
  test("calls routes with request(), runs plugins, and has no typed resources", async () => {
    const s = stub(Response.json({ currency: "INR", balance: 12.5 }));
    let seen = "";
    const counter: VobizPlugin = {
      name: "counter",
      setup: (host) =>
        host.hooks.hook("done", ({ context }) => {
          seen = `${context.method} ${context.route}`;
        }),
    };
    const vobiz = createCoreClient({ ...base, fetch: s.fetch, plugins: [counter] });
    const route = "/Account/{auth_id}/balance/{currency}";
    assert.deepEqual(await vobiz.request("GET", route, { params: { currency: "INR" } }), {
      currency: "INR",
      balance: 12.5,
    });
    assert.equal(s.seen[0]?.url, "https://api.vobiz.test/api/v1/Account/MA_TEST0001/balance/INR");
    assert.equal(seen, `GET ${route}`);
    assert.equal("balance" in vobiz, false);
    const sub = vobiz.withAccount({ authId: "SA_1", authToken: "sub-token" });
    await sub.request("GET", route, { params: { currency: "USD" } });
    assert.equal(s.seen[1]?.url, "https://api.vobiz.test/api/v1/Account/SA_1/balance/USD");
    assert.equal("balance" in sub, false);
  });

  test("createClient's withAccount keeps the typed resources", async () => {
    const s = stub(Response.json({ currency: "INR", balance: 3 }));
    const sub = createClient({ ...base, fetch: s.fetch }).withAccount({
      authId: "SA_2",
      authToken: "sub-token",
    });
    assert.equal((await sub.balance.get("INR")).balance, 3);
    assert.equal(s.seen[0]?.url, "https://api.vobiz.test/api/v1/Account/SA_2/balance/INR");
  });
});

describe("afterResponse", () => {
  test("handlers get the answer itself, and all of them and the caller can read its body", async () => {
    const answer = me();
    const vobiz = createClient({ ...base, fetch: () => Promise.resolve(answer) });
    const read: unknown[] = [];
    let same = 0;
    for (let i = 0; i < 2; i++) {
      vobiz.hooks.hook("afterResponse", async ({ response }) => {
        if (response === answer) same++;
        read.push(await response.json(), await response.clone().text());
      });
    }
    assert.deepEqual(await vobiz.account.get(), { auth_id: "MA_TEST0001", name: "Test" });
    assert.equal(same, 2, "no copy of the answer is made for the handlers");
    const text = JSON.stringify({ auth_id: "MA_TEST0001", name: "Test" });
    assert.deepEqual(read, [JSON.parse(text), text, JSON.parse(text), text]);
  });

  test("an error answer a handler read still gives the caller its Vobiz error", async () => {
    const vobiz = createClient({
      ...base,
      fetch: stub(Response.json({
        status: "error",
        error: { code: "INSUFFICIENT_BALANCE", message: "Not enough" },
        requestId: "req_402",
      }, { status: 402 })).fetch,
    });
    let handlerSaw: unknown;
    vobiz.hooks.hook("afterResponse", async ({ response }) => {
      handlerSaw = ((await response.json()) as { error: { code: string } }).error.code;
    });
    const error = await vobiz.account.get().catch((e: unknown) => e);
    assert.ok(error instanceof VobizHttpError);
    assert.deepEqual(
      [handlerSaw, error.status, error.vobizCode, error.vobizRequestId],
      ["INSUFFICIENT_BALANCE", 402, "INSUFFICIENT_BALANCE", "req_402"],
    );
  });

  test("it sees the answer a plugin's transport settled on, and answers given in beforeRequest", async () => {
    const s = stub(new Response("token expired", { status: 401 }));
    // A plugin that wraps the transport (as token refresh and idempotency do) and replaces the
    // first answer: afterResponse sees only the replacement.
    const replacing: VobizPlugin = {
      name: "replacing",
      setup: (host) =>
        host.configureKy({
          hooks: {
            init: [(options) => {
              const send = options.fetch!;
              options.fetch = async (input, init) => {
                void (await send(input, init)).body?.cancel(); // a tee branch: do not wait
                return Response.json({ auth_id: "MA_REPLACED" });
              };
            }],
          },
        }),
    };
    const vobiz = createClient({ ...base, fetch: s.fetch, plugins: [replacing] });
    const seen: [number, unknown, number][] = [];
    vobiz.hooks.hook("afterResponse", async ({ response, attempt }) => {
      seen.push([response.status, await response.json(), attempt]);
    });
    assert.equal((await vobiz.account.get()).auth_id, "MA_REPLACED");
    const off = vobiz.hooks.hook("beforeRequest", ({ respondWith }) => {
      respondWith(Response.json({ auth_id: "MA_CACHED" }));
    });
    assert.equal((await vobiz.account.get()).auth_id, "MA_CACHED");
    off();
    assert.deepEqual(seen, [[200, { auth_id: "MA_REPLACED" }, 0], [
      200,
      { auth_id: "MA_CACHED" },
      0,
    ]]);
    assert.equal(s.seen.length, 1);
  });
});

describe("plugins adjusting each call (eachCall)", () => {
  test("see the call's context and attempt timeout, and may wrap its transport", async () => {
    const s = stub(me());
    const seen: unknown[] = [];
    const adjusting: VobizPlugin = {
      name: "adjusting",
      setup: (host) =>
        host.eachCall((options) => {
          const context = options.context?.["vobiz"] as { route: string } | undefined;
          seen.push([context?.route, options.timeout]);
          const send = options.fetch!;
          options.fetch = async (input, init) => {
            void (await send(input, init)).body?.cancel(); // a tee branch: do not wait
            return Response.json({ auth_id: "MA_WRAPPED" });
          };
        }),
    };
    const vobiz = createClient({ ...base, fetch: s.fetch, timeout: 1234, plugins: [adjusting] });
    const answers: unknown[] = [];
    vobiz.hooks.hook("afterResponse", async ({ response }) => {
      answers.push(await response.json());
    });
    assert.equal((await vobiz.account.get()).auth_id, "MA_WRAPPED");
    assert.equal((await vobiz.account.get({ timeout: 99 })).auth_id, "MA_WRAPPED");
    assert.deepEqual(seen, [["/auth/me", 1234], ["/auth/me", 99]]);
    assert.deepEqual(answers, [{ auth_id: "MA_WRAPPED" }, { auth_id: "MA_WRAPPED" }]);
    assert.equal(s.seen.length, 2);
  });
});

describe("error shapes", () => {
  const shapes: [string, Response, Record<string, unknown>][] = [
    [
      "documented envelope",
      Response.json({
        status: "error",
        error: { code: "INSUFFICIENT_BALANCE", message: "Not enough", details: { shortfall: 5 } },
        timestamp: "2026-11-26T00:00:00Z",
        requestId: "req_abc",
      }, { status: 402 }),
      {
        status: 402,
        vobizCode: "INSUFFICIENT_BALANCE",
        vobizRequestId: "req_abc",
        message: /Not enough/,
      },
    ],
    [
      "Plivo style",
      Response.json({ api_id: "5f1e-api", error: "not found", message: "Trunk not found" }, {
        status: 404,
      }),
      { status: 404, vobizCode: undefined, vobizRequestId: "5f1e-api", message: /Trunk not found/ },
    ],
    [
      "status and message",
      Response.json({ status: "failed", message: "Bad trunk name" }, { status: 400 }),
      { status: 400, vobizCode: undefined, message: /Bad trunk name/ },
    ],
    [
      "error plus numeric code",
      Response.json({ error: "Invalid IP address format", code: 400 }, { status: 400 }),
      { status: 400, vobizCode: undefined, message: /Invalid IP address format/ },
    ],
    [
      "HTML from a proxy",
      new Response("<html><body>502 Bad Gateway</body></html>", {
        status: 502,
        headers: { "content-type": "text/html" },
      }),
      { status: 502, message: /502 Bad Gateway/ },
    ],
    [
      "JSON content type with a malformed body",
      new Response("{not json", { status: 500, headers: { "content-type": "application/json" } }),
      { status: 500, vobizCode: undefined, body: undefined },
    ],
    ["empty body", new Response(null, { status: 503 }), { status: 503, body: undefined }],
  ];
  for (const [name, response, expected] of shapes) {
    test(`${name} becomes one VobizHttpError`, async () => {
      const vobiz = createClient({ ...base, fetch: stub(response).fetch });
      const error = await vobiz.account.get().catch((e: unknown) => e);
      assert.ok(error instanceof VobizHttpError, String(error));
      assert.equal(error.code, "HTTP_ERROR");
      assert.equal(error.route, "/auth/me");
      assert.match(error.requestId ?? "", /^[0-9a-f-]{36}$/);
      for (const [key, value] of Object.entries(expected)) {
        const actual: unknown = (error as unknown as Record<string, unknown>)[key];
        if (value instanceof RegExp) assert.match(String(actual), value);
        else assert.deepEqual(actual, value, key);
      }
    });
  }

  test("Retry-After is carried in milliseconds", async () => {
    const vobiz = createClient({
      ...base,
      fetch: stub(new Response("", { status: 429, headers: { "retry-after": "7" } })).fetch,
    });
    await assert.rejects(vobiz.account.get(), {
      code: "HTTP_ERROR",
      status: 429,
      retryAfterMs: 7000,
    });
  });
});

describe("answers", () => {
  test("malformed JSON in a 200 is a RESPONSE_VALIDATION_ERROR", async () => {
    const vobiz = createClient({
      ...base,
      fetch:
        stub(new Response('{"auth_id": "MA_', { headers: { "content-type": "application/json" } }))
          .fetch,
    });
    await assert.rejects(vobiz.account.get(), {
      code: "RESPONSE_VALIDATION_ERROR",
      message: /malformed JSON/,
    });
  });

  test("an answer that does not match its schema is a RESPONSE_VALIDATION_ERROR with the path", async () => {
    const vobiz = createClient({
      ...base,
      fetch: stub(Response.json({ name: "no auth id" })).fetch,
    });
    const error = await vobiz.account.get().catch((e: unknown) => e);
    assert.ok(isVobizError(error) && error.code === "RESPONSE_VALIDATION_ERROR");
    assert.deepEqual(
      (error as unknown as { issues: { path: string }[] }).issues.map((i) => i.path),
      [
        "auth_id",
      ],
    );
  });

  test("schemas are open: unknown fields and enum values pass through", async () => {
    const vobiz = createClient({
      ...base,
      fetch: stub(Response.json({ auth_id: "MA_1", account_type: "NEW_KIND", brand_new: { x: 1 } }))
        .fetch,
    });
    assert.deepEqual(await vobiz.account.get(), {
      auth_id: "MA_1",
      account_type: "NEW_KIND",
      brand_new: { x: 1 },
    });
  });

  test("an empty answer resolves to undefined; request() paths expand and encode", async () => {
    const s = stub(new Response(null, { status: 204 }));
    const vobiz = createClient({ ...base, fetch: s.fetch });
    const result = await vobiz.request("DELETE", "/Account/{auth_id}/Number/{number}", {
      params: { number: "+919876543210" },
    });
    assert.equal(result, undefined);
    assert.equal(
      s.seen[0]?.url,
      "https://api.vobiz.test/api/v1/Account/MA_TEST0001/Number/%2B919876543210",
    );
  });

  test("a missing path parameter is a VALIDATION_ERROR and nothing is sent", async () => {
    const s = stub(me());
    const vobiz = createClient({ ...base, fetch: s.fetch });
    await assert.rejects(vobiz.request("GET", "/Account/{auth_id}/cdr/{uuid}"), {
      code: "VALIDATION_ERROR",
      message: /uuid/,
    });
    await assert.rejects(vobiz.balance.get("rupees"), {
      code: "VALIDATION_ERROR",
      message: /currency/,
    });
    assert.equal(s.seen.length, 0);
  });
});

describe("failures without an answer", () => {
  test("a network error is NETWORK_ERROR", async () => {
    const vobiz = createClient({
      ...base,
      fetch: () =>
        Promise.reject(new TypeError("fetch failed", { cause: new Error("ECONNRESET") })),
    });
    await assert.rejects(vobiz.account.get(), { code: "NETWORK_ERROR", name: "VobizNetworkError" });
  });

  test("an attempt past `timeout` is TIMEOUT, and its request is aborted", async () => {
    let aborted = false;
    const vobiz = createClient({
      ...base,
      timeout: 20,
      fetch: (input, init) =>
        new Promise((_, reject) => {
          const signal = init?.signal ?? input.signal;
          signal.addEventListener("abort", () => {
            aborted = true;
            reject(signal.reason);
          });
        }),
    });
    await assert.rejects(vobiz.account.get(), { code: "TIMEOUT", name: "VobizTimeoutError" });
    assert.equal(aborted, true);
  });

  test("a per-call timeout overrides the client's", async () => {
    const vobiz = createClient({
      ...base,
      timeout: 60_000,
      fetch: (input, init) =>
        new Promise((_, reject) => {
          const signal = init?.signal ?? input.signal;
          signal.addEventListener("abort", () => reject(signal.reason));
        }),
    });
    await assert.rejects(vobiz.account.get({ timeout: 10 }), { code: "TIMEOUT" });
  });

  test("the caller's AbortSignal cancels the call with ABORTED (name AbortError)", async () => {
    const controller = new AbortController();
    let sawSignal = false;
    const vobiz = createClient({
      ...base,
      fetch: (input, init) =>
        new Promise((_, reject) => {
          const signal = init?.signal ?? input.signal;
          sawSignal = true;
          signal.addEventListener("abort", () => reject(signal.reason));
          controller.abort(new Error("user gave up"));
        }),
    });
    const error = await vobiz.account.get({ signal: controller.signal }).catch((e: unknown) => e);
    assert.ok(sawSignal);
    assert.ok(isVobizError(error));
    assert.equal(error.code, "ABORTED");
    assert.equal(error.name, "AbortError");
    assert.equal((error.cause as Error).message, "user gave up");
  });

  test("an already-aborted signal sends nothing", async () => {
    const s = stub(me());
    const vobiz = createClient({ ...base, fetch: s.fetch });
    await assert.rejects(vobiz.account.get({ signal: AbortSignal.abort() }), { code: "ABORTED" });
    assert.equal(s.seen.length, 0);
  });
});
