// The mock's Bearer tokens: issueTokens, POST /auth/refresh, expiry on the mock's clock, and the
// capacity endpoints that accept an access token.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createMockVobiz, type MockTokenPair } from "../../testing/mod.ts";

const AUTH_ID = "MA_MOCK0001";
const AUTH = { "X-Auth-ID": AUTH_ID, "X-Auth-Token": "mock-auth-token" };
const BASE = "https://api.vobiz.ai/api/v1";
const PREVIEW = `/accounts/${AUTH_ID}/channel-pricing-preview?resource_type=cps&quantity=2`;
const SUBSCRIBE = `/accounts/${AUTH_ID}/channel-subscriptions`;
const MINUTE = 60_000;
const DAY = 86_400_000;

// deno-lint-ignore no-explicit-any -- test assertions read arbitrary JSON
type Json = Record<string, any>;

function clocked(options: Parameters<typeof createMockVobiz>[0] = {}) {
  let time = Date.UTC(2026, 10, 26, 12);
  const mock = createMockVobiz({ now: () => time, ...options });
  return { mock, now: () => time, advance: (ms: number) => void (time += ms) };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function call(
  mock: ReturnType<typeof createMockVobiz>,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const init: RequestInit = { method, headers };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...headers, "content-type": "application/json" };
  }
  const response = await mock.fetch(`${BASE}${path}`, init);
  return { status: response.status, body: await response.json() as Json };
}

const refresh = (mock: ReturnType<typeof createMockVobiz>, headers: Record<string, string>) =>
  call(mock, "POST", "/auth/refresh", headers);

/** The claims of a JWT-shaped token. */
function claims(token: string): Json {
  const part = (token.split(".")[1] ?? "").replaceAll("-", "+").replaceAll("_", "/");
  return JSON.parse(atob(part.padEnd(Math.ceil(part.length / 4) * 4, "="))) as Json;
}

/** A 401 envelope with this code. */
function assertRefused(result: { status: number; body: Json }, code: string): void {
  assert.equal(result.status, 401);
  assert.equal(result.body.status, "error");
  assert.equal(result.body.error.code, code);
}

describe("issueTokens", () => {
  test("a bearer pair: 30-minute access, 7-day refresh, JWT-shaped with exp", () => {
    const { mock, now } = clocked();
    const pair: MockTokenPair = mock.issueTokens();
    assert.deepEqual(Object.keys(pair).sort(), [
      "access_token",
      "expires_in",
      "refresh_token",
      "token_type",
    ]);
    assert.equal(pair.token_type, "bearer");
    assert.equal(pair.expires_in, 1800);
    assert.notEqual(pair.access_token, pair.refresh_token);
    assert.equal(claims(pair.access_token).exp, (now() + 30 * MINUTE) / 1000);
    assert.equal(claims(pair.refresh_token).exp, (now() + 7 * DAY) / 1000);
    assert.equal(claims(pair.access_token).sub, AUTH_ID);
    assert.notEqual(mock.issueTokens().access_token, pair.access_token);
  });

  test("lifetimes from the options; an unknown account throws", () => {
    const { mock, now } = clocked({
      accessTokenTtlMs: 5 * MINUTE,
      refreshTokenTtlMs: DAY,
      subAccounts: [{ authId: "SA_SUB1", authToken: "sub-token" }],
    });
    const pair = mock.issueTokens("SA_SUB1");
    assert.equal(pair.expires_in, 300);
    assert.equal(claims(pair.access_token).exp, (now() + 5 * MINUTE) / 1000);
    assert.equal(claims(pair.refresh_token).exp, (now() + DAY) / 1000);
    assert.equal(claims(pair.access_token).sub, "SA_SUB1");
    assert.throws(() => mock.issueTokens("MA_NOBODY"), /no account MA_NOBODY/);
  });
});

describe("the access token", () => {
  test("works alone on both capacity endpoints, and only there", async () => {
    const { mock } = clocked();
    const { access_token } = mock.issueTokens();
    const preview = await call(mock, "GET", PREVIEW, bearer(access_token));
    assert.equal(preview.status, 200);
    assert.equal(preview.body.monthly_cost, "800.00");
    const bought = await call(mock, "POST", SUBSCRIBE, bearer(access_token), {
      resource_type: "cps",
      quantity: 1,
    });
    assert.equal(bought.status, 201);
    assert.equal(mock.balance(), 600);
    const balance = await call(
      mock,
      "GET",
      `/Account/${AUTH_ID}/balance/INR`,
      bearer(access_token),
    );
    assertRefused(balance, "INVALID_CREDENTIALS");
    assert.deepEqual(mock.received.map((r) => r.authorized), [true, true, true]);
    assert.equal(mock.received[0]?.headers.authorization, "<redacted>");
  });

  test("expires after 30 minutes on the mock's clock: 401 TOKEN_EXPIRED, even with the header pair", async () => {
    const { mock, advance } = clocked();
    const { access_token } = mock.issueTokens();
    advance(30 * MINUTE - 1);
    assert.equal((await call(mock, "GET", PREVIEW, bearer(access_token))).status, 200);
    advance(1);
    assertRefused(await call(mock, "GET", PREVIEW, bearer(access_token)), "TOKEN_EXPIRED");
    const both = await call(mock, "GET", PREVIEW, { ...AUTH, ...bearer(access_token) });
    assertRefused(both, "TOKEN_EXPIRED");
    assert.equal((await call(mock, "GET", PREVIEW, AUTH)).status, 200); // the pair alone still works
    assert.deepEqual(mock.received.map((r) => r.authorized), [true, false, true, true]);
  });

  test("an unknown token, or a refresh token, is 401 INVALID_CREDENTIALS", async () => {
    const { mock } = clocked();
    const { refresh_token } = mock.issueTokens();
    for (const token of ["nope", refresh_token]) {
      assertRefused(await call(mock, "GET", PREVIEW, bearer(token)), "INVALID_CREDENTIALS");
    }
  });

  test("acts for its own account only: another account's path is 403", async () => {
    const { mock } = clocked({ subAccounts: [{ authId: "SA_SUB1", authToken: "sub-token" }] });
    const { access_token } = mock.issueTokens("SA_SUB1");
    const own = "/accounts/SA_SUB1/channel-pricing-preview?resource_type=cps&quantity=1";
    assert.equal((await call(mock, "GET", own, bearer(access_token))).status, 200);
    const other = await call(mock, "GET", PREVIEW, bearer(access_token));
    assert.equal(other.status, 403);
    assert.equal(other.body.error.code, "FORBIDDEN");
  });
});

describe("POST /auth/refresh", () => {
  test("takes the refresh token as bearer and returns a new pair; the old access token stops", async () => {
    const { mock, now, advance } = clocked();
    const first = mock.issueTokens();
    advance(10 * MINUTE);
    const result = await refresh(mock, bearer(first.refresh_token));
    assert.equal(result.status, 200);
    const next = result.body as MockTokenPair;
    assert.equal(next.token_type, "bearer");
    assert.equal(next.expires_in, 1800);
    assert.notEqual(next.access_token, first.access_token);
    assert.notEqual(next.refresh_token, first.refresh_token);
    assert.deepEqual(mock.effects.refreshes, [{ authId: AUTH_ID, at: now() }]);
    assertRefused(await call(mock, "GET", PREVIEW, bearer(first.access_token)), "TOKEN_EXPIRED");
    assert.equal((await call(mock, "GET", PREVIEW, bearer(next.access_token))).status, 200);
    // the new access token lives 30 minutes from the refresh; the refresh token's 7 days are kept
    assert.equal(claims(next.access_token).exp, (now() + 30 * MINUTE) / 1000);
    assert.equal(claims(next.refresh_token).exp, claims(first.refresh_token).exp);
  });

  test("the 7 days are not extended by refreshing", async () => {
    const { mock, advance } = clocked();
    let pair = mock.issueTokens();
    for (let day = 1; day < 7; day++) {
      advance(DAY);
      const result = await refresh(mock, bearer(pair.refresh_token));
      assert.equal(result.status, 200);
      pair = result.body as MockTokenPair;
    }
    advance(DAY);
    assertRefused(await refresh(mock, bearer(pair.refresh_token)), "TOKEN_EXPIRED");
    assert.equal(mock.effects.refreshes.length, 6);
  });

  test("refused with 401: no bearer, the token in the body, the header pair, an access token, an expired one", async () => {
    const { mock, advance } = clocked();
    const pair = mock.issueTokens();
    const body = await call(mock, "POST", "/auth/refresh", AUTH, {
      refresh_token: pair.refresh_token,
    });
    assertRefused(body, "INVALID_CREDENTIALS");
    assertRefused(await refresh(mock, {}), "INVALID_CREDENTIALS");
    assertRefused(await refresh(mock, bearer(pair.access_token)), "INVALID_CREDENTIALS");
    assertRefused(await refresh(mock, bearer("nope")), "INVALID_CREDENTIALS");
    advance(7 * DAY);
    assertRefused(await refresh(mock, bearer(pair.refresh_token)), "TOKEN_EXPIRED");
    assert.deepEqual(mock.effects.refreshes, []);
    assert.equal(
      (await call(mock, "GET", "/auth/refresh", bearer(pair.refresh_token))).status,
      405,
    );
  });

  test("sub-account tokens from creation work; deleting the sub-account ends them", async () => {
    const { mock } = clocked();
    const created = await call(mock, "POST", `/accounts/${AUTH_ID}/sub-accounts/`, AUTH, {
      name: "Team",
      email: "team@example.com",
      password: "Secret123!",
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const subId: string = created.body.sub_account.auth_id;
    const tokens = created.body.tokens as MockTokenPair;
    const path = `/accounts/${subId}/channel-pricing-preview?resource_type=cps&quantity=1`;
    assert.equal((await call(mock, "GET", path, bearer(tokens.access_token))).status, 200);
    const renewed = await refresh(mock, bearer(tokens.refresh_token));
    assert.equal(renewed.status, 200);
    assert.deepEqual(mock.effects.refreshes.map((r) => r.authId), [subId]);
    const deleted = await call(mock, "DELETE", `/accounts/${AUTH_ID}/sub-accounts/${subId}`, AUTH);
    assert.equal(deleted.status, 200);
    const access = (renewed.body as MockTokenPair).access_token;
    assertRefused(await call(mock, "GET", path, bearer(access)), "INVALID_CREDENTIALS");
    assertRefused(await refresh(mock, bearer(tokens.refresh_token)), "INVALID_CREDENTIALS");
  });

  test("reset forgets every token and the refreshes", async () => {
    const { mock } = clocked();
    const pair = mock.issueTokens();
    assert.equal((await refresh(mock, bearer(pair.refresh_token))).status, 200);
    const effects = mock.effects;
    mock.reset();
    assert.deepEqual(effects.refreshes, []);
    assertRefused(await refresh(mock, bearer(pair.refresh_token)), "INVALID_CREDENTIALS");
  });
});
