import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createClient, type VobizPlugin } from "../../mod.ts";
import {
  consoleSink,
  logging,
  type LoggingOptions,
  type LogRecord,
} from "../../plugins/logging.ts";
import { type FakeClock, fakeClock } from "../_support/fake_clock.ts";

const base = {
  authId: "MA_TEST0001",
  authToken: "s3cret-token",
  baseUrl: "https://api.vobiz.test/api/v1",
};
const BALANCE_URL = "https://api.vobiz.test/api/v1/Account/MA_TEST0001/balance/INR";
const BALANCE_ROUTE = "/Account/{auth_id}/balance/{currency}";

type Answer = (request: Request) => Response | Promise<Response>;

/** ky's own retry engine with no delay: the retries the retry plugin would configure. */
const kyRetry = (limit: number): VobizPlugin => ({
  name: "ky-retry",
  setup: (host) =>
    host.configureKy({
      retry: { limit, methods: ["get", "post"], statusCodes: [503], delay: () => 0, jitter: false },
    }),
});

/** Answers in turn (the last repeats); each answer takes `tookMs` of the fake clock. */
function scripted(clock: FakeClock, tookMs: number, ...answers: Answer[]) {
  const seen: Request[] = [];
  return {
    seen,
    fetch: async (input: Request, init?: RequestInit) => {
      const request = new Request(input, init);
      seen.push(request);
      await clock.advance(tookMs);
      const answer = answers[Math.min(seen.length - 1, answers.length - 1)];
      if (!answer) throw new Error("no scripted answer");
      return answer(request);
    },
  };
}

const ok = (body: unknown): Answer => () => Response.json(body);
const status = (code: number, body: unknown): Answer => () => Response.json(body, { status: code });
const drop: Answer = () => {
  throw new TypeError("fetch failed");
};

function setup(options: LoggingOptions, answers: Answer[], extra: VobizPlugin[] = []) {
  const clock = fakeClock();
  const records: LogRecord[] = [];
  const transport = scripted(clock, 25, ...answers);
  const vobiz = createClient({
    ...base,
    clock,
    fetch: transport.fetch,
    plugins: [...extra, logging({ sink: (record) => records.push(record), ...options })],
  });
  return { vobiz, records, clock, seen: transport.seen };
}

const calls = (records: LogRecord[]) => records.filter((r) => r.kind === "call");
const attempts = (records: LogRecord[]) => records.filter((r) => r.kind === "attempt");

describe("call records", () => {
  test("a success writes one info record with the issue's fields, Vobiz's id from the body", async () => {
    const { vobiz, records, seen, clock } = setup({}, [
      ok({ currency: "INR", balance: 100, api_id: "api-7f1" }),
    ]);
    const started = new Date(clock.now()).toISOString();
    await vobiz.balance.get();
    assert.deepEqual(records, [{
      time: new Date(Date.parse(started) + 25).toISOString(),
      level: "info",
      service: "vobiz-api",
      msg: `GET ${BALANCE_ROUTE} 200 in 25 ms`,
      kind: "call",
      method: "GET",
      route: BALANCE_ROUTE,
      url: BALANCE_URL,
      requestId: seen[0]?.headers.get("x-request-id"),
      attempt: 0,
      attempts: 1,
      status: 200,
      durationMs: 25,
      vobizRequestId: "api-7f1",
    }]);
  });

  test("a 4xx is a warn record with the error code, Vobiz's code and request id", async () => {
    const { vobiz, records } = setup({ service: "billing" }, [
      status(401, {
        status: "error",
        error: { code: "TOKEN_EXPIRED", message: "expired" },
        requestId: "req-9",
      }),
    ]);
    await assert.rejects(vobiz.balance.get());
    const [record] = calls(records);
    assert.equal(record?.level, "warn");
    assert.equal(record?.service, "billing");
    assert.equal(record?.status, 401);
    assert.equal(record?.errorCode, "HTTP_ERROR");
    assert.equal(record?.vobizCode, "TOKEN_EXPIRED");
    assert.equal(record?.vobizRequestId, "req-9");
    assert.equal(record?.msg, `GET ${BALANCE_ROUTE} failed: HTTP_ERROR 401 TOKEN_EXPIRED in 25 ms`);
    assert.match(record?.error ?? "", /TOKEN_EXPIRED/);
  });

  test("a 5xx and a network failure are error records; no answer means no status", async () => {
    const { vobiz, records } = setup({}, [status(503, { message: "down" }), drop]);
    await assert.rejects(vobiz.balance.get());
    await assert.rejects(vobiz.balance.get());
    const [server, network] = calls(records);
    assert.deepEqual([server?.level, server?.status, server?.errorCode], [
      "error",
      503,
      "HTTP_ERROR",
    ]);
    assert.deepEqual([network?.level, network?.status, network?.errorCode], [
      "error",
      undefined,
      "NETWORK_ERROR",
    ]);
    assert.ok(!("status" in (network ?? {})));
  });

  test("bodies: the JSON sent and the error answer are added, redacted", async () => {
    const { vobiz, records } = setup({ bodies: true }, [
      status(422, {
        status: "error",
        error: {
          code: "VALIDATION_ERROR",
          details: { errors: [{ field: "password", value: "hunter2" }] },
        },
      }),
    ]);
    await assert.rejects(
      vobiz.request("POST", "/Account/{auth_id}/Endpoint/", {
        json: { username: "alice", password: "hunter2", alias: "a" },
      }),
    );
    const [record] = calls(records);
    assert.deepEqual(record?.requestBody, {
      username: "alice",
      password: "[REDACTED]",
      alias: "a",
    });
    assert.equal(record?.level, "warn");
    assert.ok(!JSON.stringify(record).includes("hunter2"));
  });
});

describe("attempt records", () => {
  test("one debug record per attempt, with its own status and duration", async () => {
    const { vobiz, records } = setup({ level: "debug" }, [
      status(503, { message: "busy", api_id: "a-1" }),
      status(503, { message: "busy", api_id: "a-2" }),
      ok({ currency: "INR", balance: 1, api_id: "a-3" }),
    ], [kyRetry(2)]);
    await vobiz.balance.get();
    const tried = attempts(records);
    assert.deepEqual(
      tried.map((r) => [r.level, r.attempt, r.status, r.durationMs, r.vobizRequestId]),
      [["debug", 0, 503, 25, "a-1"], ["debug", 1, 503, 25, "a-2"], ["debug", 2, 200, 25, "a-3"]],
    );
    assert.equal(new Set(tried.map((r) => r.requestId)).size, 1);
    const [call] = calls(records);
    assert.deepEqual([call?.attempt, call?.attempts, call?.status, call?.durationMs], [
      2,
      3,
      200,
      75,
    ]);
    assert.equal(records.at(-1)?.kind, "call");
  });

  test("an attempt without an answer is recorded with its error code", async () => {
    const { vobiz, records } = setup({ level: "debug" }, [
      drop,
      ok({ currency: "INR", balance: 1 }),
    ], [
      kyRetry(1),
    ]);
    await vobiz.balance.get();
    const [first, second] = attempts(records);
    assert.equal(first?.attempt, 0);
    assert.equal(first?.errorCode, "NETWORK_ERROR");
    assert.ok(!("status" in (first ?? {})));
    assert.equal(first?.durationMs, 25);
    assert.equal(second?.attempt, 1);
    assert.equal(second?.status, 200);
  });

  test("a last attempt without an answer is recorded before the call record", async () => {
    const { vobiz, records } = setup({ level: "debug" }, [drop]);
    await assert.rejects(vobiz.balance.get());
    assert.deepEqual(records.map((r) => [r.kind, r.attempt, r.errorCode]), [
      ["attempt", 0, "NETWORK_ERROR"],
      ["call", 0, "NETWORK_ERROR"],
    ]);
  });

  test("are off at the default level (info)", async () => {
    const { vobiz, records } = setup({}, [ok({ currency: "INR", balance: 1 })]);
    await vobiz.balance.get();
    assert.deepEqual(records.map((r) => r.kind), ["call"]);
  });

  test("are sampled once per call with the injected random; call records are never sampled", async () => {
    const draws = [0.7, 0.2];
    const { vobiz, records } = setup(
      { level: "debug", sampleRate: 0.5, random: () => draws.shift() ?? 1 },
      [status(503, {}), ok({ currency: "INR", balance: 1 })],
      [kyRetry(1)],
    );
    await vobiz.balance.get(); // 0.7 ≥ 0.5: not sampled (its two attempts are left out)
    await vobiz.balance.get(); // 0.2 < 0.5: sampled
    assert.deepEqual(records.map((r) => r.kind), ["call", "attempt", "call"]);
    assert.equal(draws.length, 0);
  });

  test("headers: the request headers are added, the authorization redacted", async () => {
    const { vobiz, records } = setup({ level: "debug", headers: true }, [
      ok({ currency: "INR", balance: 1 }),
    ]);
    await vobiz.balance.get("INR", { headers: { authorization: "Bearer abc.def.ghi" } });
    const [attempt] = attempts(records);
    assert.equal(attempt?.requestHeaders?.["authorization"], "[REDACTED]");
    assert.equal(attempt?.requestHeaders?.["x-auth-id"], "MA_TEST0001");
    assert.ok(!("x-auth-token" in (attempt?.requestHeaders ?? {})));
  });
});

describe("level filter", () => {
  test("warn keeps failures only; error drops 4xx", async () => {
    const answers = [ok({ currency: "INR", balance: 1 }), status(404, {}), status(500, {})];
    for (
      const [level, expected] of [["warn", [404, 500]], ["error", [500]]] as const
    ) {
      const { vobiz, records } = setup({ level }, answers);
      for (let i = 0; i < 3; i++) await vobiz.balance.get().catch(() => undefined);
      assert.deepEqual(records.map((r) => r.status), expected);
    }
  });
});

describe("redaction", () => {
  test("secret query parameters are redacted in the URL", async () => {
    const { vobiz, records } = setup({}, [ok({ data: [] })]);
    await vobiz.request("GET", "/Account/{auth_id}/cdr", {
      searchParams: { page: 2, token: "t0k3n", refresh_token: "r3fr3sh" },
    });
    assert.equal(
      records[0]?.url,
      "https://api.vobiz.test/api/v1/Account/MA_TEST0001/cdr?page=2&token=[REDACTED]&refresh_token=[REDACTED]",
    );
  });

  test("user entries: a name at any depth, a dotted path only there", async () => {
    const { vobiz, records } = setup({ bodies: true, redact: ["ssn", "requestBody.card.*"] }, [
      ok({}),
    ]);
    await vobiz.request("POST", "/Account/{auth_id}/Call/", {
      json: { caller: { ssn: "123-45-6789" }, card: { number: "4111", cvc: "123" }, to: "+91" },
    });
    assert.deepEqual(records[0]?.requestBody, {
      caller: { ssn: "[REDACTED]" },
      card: { number: "[REDACTED]", cvc: "[REDACTED]" },
      to: "+91",
    });
  });
});

describe("sink", () => {
  test("a throwing sink does not break the call", async () => {
    const clock = fakeClock();
    const vobiz = createClient({
      ...base,
      clock,
      fetch: scripted(clock, 1, ok({ currency: "INR", balance: 5 })).fetch,
      plugins: [logging({
        sink: () => {
          throw new Error("sink down");
        },
      })],
    });
    assert.equal((await vobiz.balance.get()).balance, 5);
  });

  test("the default writes one JSON line: console.log for info, console.error for warn/error", () => {
    const lines: string[][] = [];
    const saved = { log: console.log, error: console.error };
    console.log = (line: string) => lines.push(["log", line]);
    console.error = (line: string) => lines.push(["error", line]);
    try {
      const record: LogRecord = {
        time: "2026-11-26T00:00:00.000Z",
        level: "info",
        service: "vobiz-api",
        msg: "m",
        kind: "call",
        method: "GET",
        route: "/r",
        url: "https://x/r",
        requestId: "id",
        attempt: 0,
      };
      consoleSink(record);
      consoleSink({ ...record, level: "warn" });
      consoleSink({ ...record, level: "error" });
      consoleSink({ ...record, level: "debug" });
    } finally {
      console.log = saved.log;
      console.error = saved.error;
    }
    assert.deepEqual(lines.map(([stream]) => stream), ["log", "error", "error", "log"]);
    assert.equal(JSON.parse(lines[0]?.[1] ?? "").msg, "m");
    assert.ok(lines.every(([, line]) => !line?.includes("\n")));
  });
});
