// The token refresh plugin against the mock Vobiz API: it issues Bearer pairs (mock.issueTokens),
// answers POST /auth/refresh, judges expiry on its own clock (401 TOKEN_EXPIRED) and counts the
// refreshes it performed (mock.effects.refreshes). A thin spy in front of mock.fetch notes which
// token each request carried, named A1/R1 (the first pair), A2/R2 (the first refresh's), …
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { type AuthRefreshedEvent, createClient, isVobizError, memoryStore } from "../../mod.ts";
import {
  encryptedTokenStore,
  tokenRefresh,
  type TokenRefreshOptions,
  type Tokens,
} from "../../plugins/token_refresh.ts";
import { createMockVobiz, type MockTokenPair, type MockVobizOptions } from "../../testing/mod.ts";
import { fakeClock } from "../_support/fake_clock.ts";

const BASE = "https://api.vobiz.test/api/v1";
const AUTH_ID = "MA_MOCK0001";
const PREVIEW = "/accounts/{auth_id}/channel-pricing-preview";
const SUBSCRIBE = "/accounts/{auth_id}/channel-subscriptions";
const PREVIEW_PATH = `/accounts/${AUTH_ID}/channel-pricing-preview`;
const LIFETIME = 1_800_000;
const MINUTE = 60_000;
const DAY = 86_400_000;

interface SetupOptions {
  /** Leave the access token's expiry to its JWT `exp` claim (no `expiresAt`). */
  jwtExpiry?: boolean;
  mock?: MockVobizOptions;
  plugin?: Partial<TokenRefreshOptions>;
}

function setup(options: SetupOptions = {}) {
  const clock = fakeClock();
  let skew = 0;
  const mock = createMockVobiz({ now: () => clock.now() + skew, ...options.mock });
  const names = new Map<string, string>();
  const name = (pair: MockTokenPair) => {
    const n = names.size / 2 + 1;
    names.set(pair.access_token, `A${n}`);
    names.set(pair.refresh_token, `R${n}`);
  };
  /** A new login: a pair from the mock, named by the spy. */
  const login = () => {
    const issued = mock.issueTokens();
    name(issued);
    return issued;
  };
  const pair = login();
  const seen: string[] = []; // path and bearer of each request, in order of sending
  const spy = async (input: Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname.replace("/api/v1", "");
    const token = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
    seen.push(`${path} ${token === undefined ? "-" : `Bearer ${names.get(token) ?? "?"}`}`);
    const response = await mock.fetch(request);
    if (path === "/auth/refresh" && response.ok) name(await response.clone().json());
    return response;
  };
  const events: AuthRefreshedEvent[] = [];
  const saved: Tokens[] = [];
  const auth = tokenRefresh({
    accessToken: pair.access_token,
    refreshToken: pair.refresh_token,
    // as an app stores a login answer
    ...options.jwtExpiry ? {} : { expiresAt: clock.now() + pair.expires_in * 1000 },
    onTokens: (tokens) => {
      saved.push(tokens);
    },
    ...options.plugin,
  });
  const vobiz = createClient({
    authId: AUTH_ID,
    authToken: "mock-auth-token",
    baseUrl: BASE,
    clock,
    fetch: spy,
    plugins: [auth],
  });
  vobiz.hooks.hook("auth:refreshed", (event) => {
    events.push(event);
  });
  const preview = () =>
    vobiz.request<{ monthly_cost: string }>("GET", PREVIEW, {
      searchParams: { resource_type: "cps", quantity: 3 },
    });
  /** The token the spy named `label` (A1, R2, …). */
  const token = (label: string) => [...names].find(([, l]) => l === label)?.[0];
  const refreshes = () => seen.filter((s) => s.startsWith("/auth/refresh"));
  /** Moves the mock's clock ahead of the client's (time passed that the client did not see). */
  const skewMock = (ms: number) => void (skew = ms);
  return {
    clock,
    mock,
    pair,
    auth,
    vobiz,
    events,
    saved,
    seen,
    preview,
    token,
    refreshes,
    skewMock,
    login,
  };
}

describe("the bearer", () => {
  test("goes to the capacity endpoints only, added after every hook", async () => {
    const { vobiz, seen, preview, mock } = setup();
    const inHooks: (string | null)[] = [];
    vobiz.hooks.hook("beforeRequest", ({ request }) => {
      inHooks.push(request.headers.get("authorization"));
    });
    vobiz.hooks.hook("afterResponse", ({ request }) => {
      inHooks.push(request.headers.get("authorization"));
    });
    assert.equal((await preview()).monthly_cost, "1200.00");
    await vobiz.request("GET", "/Account/{auth_id}/concurrency");
    assert.deepEqual(seen, [`${PREVIEW_PATH} Bearer A1`, `/Account/${AUTH_ID}/concurrency -`]);
    assert.deepEqual(inHooks, [null, null, null, null]);
    assert.deepEqual(mock.effects.refreshes, []);
  });

  test('goes to every call with routes: "all"', async () => {
    const { vobiz, seen } = setup({ plugin: { routes: "all" } });
    await vobiz.request("GET", "/Account/{auth_id}/concurrency");
    assert.deepEqual(seen, [`/Account/${AUTH_ID}/concurrency Bearer A1`]);
  });
});

describe("refreshing", () => {
  test("ahead of expiry: within 5 minutes of it, one refresh with the refresh token as bearer", async () => {
    const { clock, mock, auth, events, saved, seen, preview, token } = setup();
    await clock.advance(24 * MINUTE); // 6 minutes left: nothing to do yet
    await preview();
    assert.deepEqual(seen, [`${PREVIEW_PATH} Bearer A1`]);
    await clock.advance(2 * MINUTE); // 4 minutes left: the old token still works, yet is renewed
    assert.equal((await preview()).monthly_cost, "1200.00");
    assert.equal((await preview()).monthly_cost, "1200.00");
    assert.deepEqual(seen, [
      `${PREVIEW_PATH} Bearer A1`,
      "/auth/refresh Bearer R1",
      `${PREVIEW_PATH} Bearer A2`,
      `${PREVIEW_PATH} Bearer A2`,
    ]);
    assert.deepEqual(mock.effects.refreshes, [{ authId: AUTH_ID, at: clock.now() }]);
    const expected = {
      accessToken: token("A2"),
      refreshToken: token("R2"),
      expiresAt: clock.now() + LIFETIME,
    };
    assert.deepEqual(auth.tokens(), expected);
    assert.deepEqual(saved, [expected]);
    assert.deepEqual(events, [{
      at: clock.now(),
      expiresAt: expected.expiresAt,
      reason: "expiring",
    }]);
    assert.equal(mock.received.length, 4);
  });

  test("reads the expiry from the mock's JWT access token", async () => {
    const { clock, mock, auth, preview, refreshes, pair } = setup({ jwtExpiry: true });
    assert.equal(auth.tokens().accessToken, pair.access_token);
    assert.equal(auth.tokens().expiresAt, clock.now() + LIFETIME);
    await clock.advance(29 * MINUTE);
    await preview();
    assert.equal(refreshes().length, 1);
    assert.equal(mock.effects.refreshes.length, 1);
  });

  test("100 concurrent calls with an expired token cause exactly one refresh", async () => {
    const { clock, mock, seen, preview, events } = setup();
    await clock.advance(31 * MINUTE); // expired on both clocks
    const results = await Promise.all(Array.from({ length: 100 }, preview));
    assert.ok(results.every((r) => r.monthly_cost === "1200.00"));
    assert.deepEqual(mock.effects.refreshes, [{ authId: AUTH_ID, at: clock.now() }]);
    assert.equal(mock.received.length, 101); // no call was sent with the expired token
    assert.deepEqual(seen, [
      "/auth/refresh Bearer R1",
      ...Array.from({ length: 100 }, () => `${PREVIEW_PATH} Bearer A2`),
    ]);
    assert.equal(events.length, 1);
  });

  test("after a 401 TOKEN_EXPIRED: one refresh for all, each call replayed once", async () => {
    const { mock, vobiz, events, seen, skewMock } = setup({ mock: { balance: 1_000_000 } });
    skewMock(31 * MINUTE); // expired on the server's clock; the client believes it still valid
    const subscribe = (quantity: number) =>
      vobiz.request<{ quantity: number; resource_type: string }>("POST", SUBSCRIBE, {
        json: { resource_type: "concurrent_calls", quantity },
      });
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => subscribe(i + 1)));
    results.forEach((result, i) => {
      assert.equal(result.quantity, i + 1);
      assert.equal(result.resource_type, "concurrent_calls");
    });
    assert.equal(mock.effects.refreshes.length, 1);
    assert.equal(mock.received.length, 201);
    const subscriptions = seen.filter((s) => s.includes("channel-subscriptions"));
    assert.deepEqual(subscriptions.filter((s) => s.endsWith("Bearer A1")).length, 100);
    assert.deepEqual(subscriptions.filter((s) => s.endsWith("Bearer A2")).length, 100);
    assert.deepEqual(seen.filter((s) => s.startsWith("/auth/refresh")), [
      "/auth/refresh Bearer R1",
    ]);
    // each subscription paid once: the refused attempts never reached the route
    assert.equal(mock.balance(), 1_000_000 - 150 * 5050);
    assert.equal(events[0]?.reason, "expired");
  });

  test("a replay that is refused again goes to the caller: no second refresh, no loop", async () => {
    const { mock, preview, seen } = setup();
    mock.fault({ path: PREVIEW, status: 401, errorCode: "TOKEN_EXPIRED", times: Infinity });
    await assert.rejects(preview(), {
      code: "HTTP_ERROR",
      status: 401,
      vobizCode: "TOKEN_EXPIRED",
    });
    assert.equal(mock.effects.refreshes.length, 1);
    assert.deepEqual(seen, [
      `${PREVIEW_PATH} Bearer A1`,
      "/auth/refresh Bearer R1",
      `${PREVIEW_PATH} Bearer A2`,
    ]);
    assert.equal(mock.received.length, 3);
  });

  for (
    const [why, code, sent, prepare] of [
      ["expired (7 days)", "TOKEN_EXPIRED", "R1", () => ({})],
      ["unknown to the server", "INVALID_CREDENTIALS", "?", () => ({ refreshToken: "revoked" })],
    ] as const
  ) {
    test(`a refused refresh token (${why}) is a typed error, not retried until setTokens`, async () => {
      const { clock, mock, auth, preview, seen, login } = setup({ plugin: prepare() });
      await clock.advance(7 * DAY);
      for (let i = 0; i < 3; i++) {
        await assert.rejects(preview(), (error) => {
          assert.ok(isVobizError(error));
          assert.equal(error.code, "HTTP_ERROR");
          assert.equal(error.route, "/auth/refresh");
          assert.equal((error as { status?: number }).status, 401);
          assert.equal((error as { vobizCode?: string }).vobizCode, code);
          return true;
        });
      }
      assert.equal(mock.received.length, 1);
      assert.deepEqual(mock.effects.refreshes, []);
      const fresh = login();
      auth.setTokens({
        accessToken: fresh.access_token,
        refreshToken: fresh.refresh_token,
        expiresAt: clock.now() + fresh.expires_in * 1000,
      });
      assert.equal((await preview()).monthly_cost, "1200.00");
      assert.deepEqual(seen, [`/auth/refresh Bearer ${sent}`, `${PREVIEW_PATH} Bearer A2`]);
      assert.equal(mock.received.length, 2);
    });
  }

  test("a refresh is shared within a scope, never across scopes (Workers requests)", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => release = resolve);
    let scope = {};
    const { clock, mock, vobiz, refreshes } = setup({
      mock: { sleep: () => gate },
      plugin: { scope: () => scope },
    });
    mock.fault({ path: "/auth/refresh", latencyMs: 1, times: Infinity }); // answers held at the gate
    await clock.advance(31 * MINUTE);
    const preview = () =>
      vobiz.request("GET", PREVIEW, { searchParams: { resource_type: "cps", quantity: 1 } });
    const first = [preview(), preview()];
    for (let i = 0; i < 100 && refreshes().length === 0; i++) await tick();
    scope = {}; // the first scope's refresh is in flight; a new incoming request starts
    const second = [preview(), preview()];
    for (let i = 0; i < 100 && refreshes().length === 1; i++) await tick();
    release();
    await Promise.all([...first, ...second]);
    assert.equal(refreshes().length, 2);
    assert.equal(mock.effects.refreshes.length, 2);
    assert.equal(mock.received.length, 6);
  });
});

describe("storage", () => {
  const aesKey = () =>
    crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
  const tokens: Tokens = {
    accessToken: "access-7f3a9c",
    refreshToken: "refresh-51be02",
    expiresAt: 1_800_000,
  };

  test("encryptedTokenStore round-trips, stores no token in the clear, and uses a fresh IV", async () => {
    const backing = memoryStore();
    const store = encryptedTokenStore(backing, await aesKey());
    assert.equal(await store.load(), null);
    await store.save(tokens);
    const first = JSON.stringify(await backing.getItem("vobiz-kit:tokens"));
    await store.save(tokens);
    const second = JSON.stringify(await backing.getItem("vobiz-kit:tokens"));
    assert.deepEqual(await store.load(), tokens);
    for (const stored of [first, second]) {
      assert.doesNotMatch(stored, /access-7f3a9c|refresh-51be02/);
      assert.doesNotMatch(atobAll(stored), /access-7f3a9c|refresh-51be02/);
    }
    assert.notEqual(first, second);
  });

  test("another key, or the entry copied under another name, does not decrypt", async () => {
    const backing = memoryStore();
    await encryptedTokenStore(backing, await aesKey()).save(tokens);
    await assert.rejects(encryptedTokenStore(backing, await aesKey()).load());
    await backing.setItem("copy", await backing.getItem("vobiz-kit:tokens"));
    const key = await aesKey();
    await encryptedTokenStore(backing, key).save(tokens);
    await backing.setItem("copy", await backing.getItem("vobiz-kit:tokens"));
    await assert.rejects(encryptedTokenStore(backing, key, { name: "copy" }).load());
  });

  test("the plugin starts from saved tokens and saves each new pair", async () => {
    const store = encryptedTokenStore(memoryStore(), await aesKey());
    const { mock, seen, preview, pair, token, clock, skewMock } = setup({
      jwtExpiry: true,
      plugin: { accessToken: "stale", refreshToken: "stale", store },
    });
    // saved before the first call (the plugin loads the store then), without an expiry
    await store.save({ accessToken: pair.access_token, refreshToken: pair.refresh_token });
    skewMock(31 * MINUTE); // expired on the server's clock; its JWT exp says 30 minutes are left
    assert.equal((await preview()).monthly_cost, "1200.00");
    assert.deepEqual(seen, [
      `${PREVIEW_PATH} Bearer A1`,
      "/auth/refresh Bearer R1",
      `${PREVIEW_PATH} Bearer A2`,
    ]);
    assert.equal(mock.effects.refreshes.length, 1);
    assert.deepEqual(await store.load(), {
      accessToken: token("A2"),
      refreshToken: token("R2"),
      expiresAt: clock.now() + LIFETIME,
    });
  });
});

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Every base64 run in `text`, decoded (to look inside the stored ciphertext). */
function atobAll(text: string): string {
  return (text.match(/[A-Za-z0-9+/=]{8,}/g) ?? []).map((part) => {
    try {
      return atob(part);
    } catch {
      return "";
    }
  }).join(" ");
}

describe("tokenRefresh: the refresh answer", () => {
  test("an answer without a usable access token fails RESPONSE_VALIDATION_ERROR, naming the fields", async () => {
    const auth = tokenRefresh({ accessToken: "a-1", refreshToken: "r-1", expiresAt: 0 });
    createClient({
      authId: AUTH_ID,
      authToken: "mock-auth-token",
      baseUrl: BASE,
      fetch: () => Promise.resolve(Response.json({ refresh_token: "", expires_in: -1 })),
      plugins: [auth],
    });
    await assert.rejects(auth.refresh(), (error) => {
      assert.ok(isVobizError(error));
      assert.equal(error.code, "RESPONSE_VALIDATION_ERROR");
      assert.deepEqual(
        (error as unknown as { issues: { path: string }[] }).issues.map((issue) => issue.path),
        ["access_token", "refresh_token", "expires_in"],
      );
      return true;
    });
    assert.equal(auth.tokens().accessToken, "a-1");
  });
});
