// The redaction scan: a full fault matrix through a client with logging, then every record is
// searched for the auth token, access/refresh tokens and passwords.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createClient, type VobizPlugin } from "../../mod.ts";
import { createMockVobiz } from "../../testing/mod.ts";
import { logging, type LoggingOptions, type LogRecord } from "../../plugins/logging.ts";
import { fakeClock } from "../_support/fake_clock.ts";
import { createRedactor } from "../../plugins/_internal/log_redact.ts";

const SECRETS = {
  authToken: "auth-token-7Qe1c0ffee",
  accessToken: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJNQV9NT0NLMDAwMSJ9.YWNjZXNzLXNpZ25hdHVyZQ",
  refreshToken: "rt-3b9c1f7e2d8a55",
  password: "Hunter2!pass-word",
  sipPassword: "sip-Secr3t-55x",
  queryToken: "qt-9d2e7a41",
  subAccountToken: "sub-auth-token-41f0aa",
};

const kyRetry: VobizPlugin = {
  name: "ky-retry",
  setup: (host) =>
    host.configureKy({
      retry: { limit: 2, methods: ["get"], statusCodes: [503], delay: () => 0, jitter: false },
    }),
};

/** The mock API, plus the answers it lacks: token refresh, sub-accounts, endpoint validation. */
function transport(clock: { now(): number }) {
  const mock = createMockVobiz({ authToken: SECRETS.authToken, now: () => clock.now() });
  let refreshes = 0;
  const envelope = (code: string, message: string, details: unknown) => ({
    status: "error",
    error: { code, message, details },
    requestId: crypto.randomUUID(),
  });
  const fetch = async (input: Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    const local = ["/auth/refresh", "/Endpoint/", "/sub-accounts/"].some((end) =>
      path.endsWith(end)
    );
    if (local) await request.text(); // read what was sent, as a server would
    if (path.endsWith("/auth/refresh")) {
      return refreshes++ === 0
        ? Response.json({
          access_token: SECRETS.accessToken,
          refresh_token: SECRETS.refreshToken,
          token_type: "bearer",
          expires_in: 1800,
        })
        : Response.json(
          envelope("TOKEN_EXPIRED", "Refresh token expired", {
            refresh_token: SECRETS.refreshToken,
          }),
          { status: 401 },
        );
    }
    if (path.endsWith("/Endpoint/")) {
      return Response.json(
        envelope("VALIDATION_ERROR", "Validation failed", {
          errors: [{ field: "password", code: "MIN_LENGTH", value: SECRETS.password }],
        }),
        { status: 422 },
      );
    }
    if (path.endsWith("/sub-accounts/")) {
      return Response.json({
        api_id: crypto.randomUUID(),
        error: "DUPLICATE_NAME",
        message: "A sub-account with this name exists",
        sub_account: { auth_id: "SA_DUP00001", auth_token: SECRETS.subAccountToken },
        auth_credentials: { auth_id: "SA_DUP00001", auth_token: SECRETS.subAccountToken },
        tokens: { access_token: SECRETS.accessToken, refresh_token: SECRETS.refreshToken },
      }, { status: 409 });
    }
    return mock.fetch(request);
  };
  return { mock, fetch };
}

/** Every kind of call and failure, with secrets in headers, bodies, queries and answers. */
async function runMatrix(options: LoggingOptions) {
  const clock = fakeClock();
  const records: LogRecord[] = [];
  const { mock, fetch } = transport(clock);
  const vobiz = createClient({
    authId: "MA_MOCK0001",
    authToken: SECRETS.authToken,
    baseUrl: "https://api.vobiz.test/api/v1",
    clock,
    fetch,
    plugins: [kyRetry, logging({ ...options, sink: (record) => records.push(record) })],
  });
  const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });
  const outcomes: string[] = [];
  const run = async (call: () => Promise<unknown>) => {
    outcomes.push(await call().then(() => "ok", (error: { code?: string }) => error.code ?? "?"));
  };

  await run(() => vobiz.balance.get()); // success
  await run(() => vobiz.account.get(bearer(SECRETS.accessToken))); // success, bearer header
  await run(() =>
    vobiz.request("GET", "/Account/{auth_id}/trunks/{id}", { params: { id: "nope" } })
  );
  mock.fault({ path: "/Account/{auth_id}/balance/{currency}", status: 503, times: 3 });
  await run(() => vobiz.balance.get()); // 5xx, retried, fails
  mock.fault({ path: "/Account/{auth_id}/cdr", drop: "before", times: 1 });
  await run(() => vobiz.request("GET", "/Account/{auth_id}/cdr")); // network drop, then ok
  mock.fault({ path: "/Account/{auth_id}/cdr", drop: "before", times: 3 });
  await run(() => vobiz.request("GET", "/Account/{auth_id}/cdr")); // network drops: fails
  mock.fault({ path: "/auth/me", status: 401, errorCode: "TOKEN_EXPIRED" });
  await run(() => vobiz.account.get(bearer(SECRETS.accessToken))); // 401 TOKEN_EXPIRED
  mock.fault({ path: "/Account/{auth_id}/balance/{currency}", malformed: true });
  await run(() => vobiz.balance.get()); // malformed JSON
  await run(() =>
    vobiz.request("POST", "/Account/{auth_id}/trunks", {
      json: { name: "t1", username: "sip-user", password: SECRETS.sipPassword },
    })
  );
  await run(() =>
    vobiz.request("POST", "/Account/{auth_id}/Endpoint/", {
      json: { username: "alice", password: SECRETS.password, alias: "alice" },
    })
  ); // 422 echoing the password
  for (let i = 0; i < 2; i++) {
    await run(() =>
      vobiz.request("POST", "/auth/refresh", {
        ...bearer(SECRETS.refreshToken),
        json: { refresh_token: SECRETS.refreshToken },
      })
    ); // ok, then 401 echoing the refresh token
  }
  await run(() =>
    vobiz.request("POST", "/accounts/{auth_id}/sub-accounts/", {
      json: { name: "dup", email: "a@example.com", password: SECRETS.password },
    })
  ); // 409 echoing a sub-account token and a token pair
  await run(() =>
    vobiz.request("GET", "/Account/{auth_id}/cdr", {
      searchParams: {
        page: 1,
        token: SECRETS.queryToken,
        access_token: SECRETS.accessToken,
        auth_token: SECRETS.authToken,
        password: SECRETS.password,
      },
    })
  );
  return { records, outcomes, mock };
}

function assertNoSecret(records: LogRecord[]) {
  for (const record of records) {
    const text = JSON.stringify(record);
    for (const [name, secret] of Object.entries(SECRETS)) {
      assert.ok(!text.includes(secret), `record leaks ${name}: ${text}`);
    }
  }
}

describe("redaction scan over a fault matrix", () => {
  test("debug level, with headers and bodies: no record holds a token or a password", async () => {
    const { records, outcomes, mock } = await runMatrix({
      level: "debug",
      headers: true,
      bodies: true,
    });
    // the matrix really ran: every kind of outcome, the secrets really went out
    assert.deepEqual(outcomes, [
      "ok",
      "ok",
      "HTTP_ERROR",
      "HTTP_ERROR",
      "ok",
      "NETWORK_ERROR",
      "HTTP_ERROR",
      "RESPONSE_VALIDATION_ERROR",
      "ok",
      "HTTP_ERROR",
      "ok",
      "HTTP_ERROR",
      "HTTP_ERROR",
      "ok",
    ]);
    assert.ok(mock.received.every((request) => request.authorized));
    assert.ok(mock.received.some((request) => request.body.includes(SECRETS.sipPassword)));
    const statuses = new Set(records.map((r) => r.status));
    for (const status of [200, 401, 404, 409, 422, 503]) {
      assert.ok(statuses.has(status), `${status}`);
    }
    assert.ok(records.some((r) => r.kind === "attempt" && r.errorCode === "NETWORK_ERROR"));
    assert.equal(records.filter((r) => r.kind === "call").length, outcomes.length);

    assertNoSecret(records);

    // …because they were redacted where they appeared, not because they were left out
    const redacted = JSON.stringify(records).split("[REDACTED]").length - 1;
    assert.ok(redacted >= 20, `${redacted} redactions`);
    const calls = records.filter((r) => r.kind === "call");
    const endpoint = calls.find((r) => r.route === "/Account/{auth_id}/Endpoint/");
    assert.deepEqual(endpoint?.requestBody, {
      username: "alice",
      password: "[REDACTED]",
      alias: "alice",
    });
    assert.deepEqual(
      (endpoint?.errorBody as { error: { details: unknown } }).error.details,
      { errors: [{ field: "password", code: "MIN_LENGTH", value: "[REDACTED]" }] },
    );
    const subAccount = calls.find((r) => r.route === "/accounts/{auth_id}/sub-accounts/");
    assert.deepEqual((subAccount?.errorBody as { tokens: unknown }).tokens, {
      access_token: "[REDACTED]",
      refresh_token: "[REDACTED]",
    });
    const bearer = records.find((r) => r.kind === "attempt" && r.route === "/auth/me");
    assert.equal(bearer?.requestHeaders?.["authorization"], "[REDACTED]");
    const query = calls.at(-1);
    assert.equal(
      new URL(query?.url ?? "").search,
      "?page=1&token=[REDACTED]&access_token=[REDACTED]&auth_token=[REDACTED]&password=[REDACTED]",
    );
  });

  test("default options: the same matrix leaks nothing either", async () => {
    const { records } = await runMatrix({});
    assert.ok(records.length >= 14);
    assert.ok(records.every((r) => r.kind === "call"));
    assertNoSecret(records);
  });
});

describe("the redactor itself", () => {
  test("a text is judged afresh each time: a secret is redacted on every record, clean text kept", () => {
    const redact = createRedactor();
    const secretUrl = "https://h/x?page=1&token=t0k3n";
    const cleanUrl = "https://h/x?page=1";
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(redact({ url: secretUrl, other: cleanUrl }), {
        url: "https://h/x?page=1&token=[REDACTED]",
        other: cleanUrl,
      });
    }
  });

  test("copies: cycles, depth, an own __proto__ key; the input is unchanged", () => {
    const redact = createRedactor();
    const input: Record<string, unknown> = JSON.parse('{"__proto__":{"password":"p"},"a":1}');
    input["self"] = input;
    let deep: Record<string, unknown> = { password: "x" };
    for (let i = 0; i < 20; i++) deep = { next: deep };
    input["deep"] = deep;
    const copy = redact(input) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(copy), Object.prototype);
    assert.ok(Object.hasOwn(copy, "__proto__"));
    assert.deepEqual(Object.getOwnPropertyDescriptor(copy, "__proto__")?.value, {
      password: "[REDACTED]",
    });
    assert.equal(copy["self"], "[Circular]");
    assert.ok(JSON.stringify(copy).includes("[Truncated]"));
    assert.ok(!JSON.stringify(copy).includes('"x"'));
    assert.equal(
      (Object.getOwnPropertyDescriptor(input, "__proto__")?.value as { password: string }).password,
      "p",
    );
  });
});
