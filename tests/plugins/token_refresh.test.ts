// The mock API has no /auth/refresh or Bearer tokens yet, so these tests use a small in-process
// auth server: it issues rotating token pairs and answers 401 TOKEN_EXPIRED for stale tokens.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { type AuthRefreshedEvent, createClient, isVobizError, memoryStore } from "../../mod.ts";
import {
  encryptedTokenStore,
  tokenRefresh,
  type TokenRefreshOptions,
  type Tokens,
} from "../../plugins/token_refresh.ts";
import { type FakeClock, fakeClock } from "../_support/fake_clock.ts";

const BASE = "https://api.vobiz.test/api/v1";
const PREVIEW = "/accounts/{auth_id}/channel-pricing-preview";
const SUBSCRIBE = "/accounts/{auth_id}/channel-subscriptions";
const LIFETIME = 1_800_000;

interface Seen {
  method: string;
  path: string;
  authorization: string | null;
  body: string;
}

function authServer(clock: FakeClock, options: { accessExpiresAt?: number } = {}) {
  let n = 1;
  let access = "A1";
  let accessExpiresAt = options.accessExpiresAt ?? clock.now() + LIFETIME;
  const refreshTokens = new Set(["R1"]);
  const seen: Seen[] = [];
  const state: { refuseRefresh: boolean; alwaysExpired: boolean; gate?: Promise<void> } = {
    refuseRefresh: false,
    alwaysExpired: false,
  };
  const fail = (status: number, code: string) =>
    Response.json({ status: "error", error: { code, message: code } }, { status });
  const fetch = async (input: Request, init?: RequestInit) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname.replace("/api/v1", "");
    const authorization = request.headers.get("authorization");
    seen.push({ method: request.method, path, authorization, body: await request.text() });
    if (path === "/auth/refresh") {
      await state.gate;
      const token = authorization?.replace("Bearer ", "") ?? "";
      if (state.refuseRefresh || !refreshTokens.has(token)) return fail(401, "INVALID_TOKEN");
      n++;
      access = `A${n}`;
      accessExpiresAt = clock.now() + LIFETIME;
      refreshTokens.add(`R${n}`);
      return Response.json({
        access_token: access,
        refresh_token: `R${n}`,
        token_type: "bearer",
        expires_in: LIFETIME / 1000,
      });
    }
    if (/channel-/.test(path)) {
      if (
        state.alwaysExpired || authorization !== `Bearer ${access}` ||
        clock.now() >= accessExpiresAt
      ) return fail(401, "TOKEN_EXPIRED");
      return Response.json({ ok: true, token: authorization, body: seen.at(-1)?.body });
    }
    return Response.json({ ok: true });
  };
  const refreshes = () => seen.filter((s) => s.path === "/auth/refresh");
  return { fetch, seen, state, refreshes };
}

function setup(
  clock: FakeClock,
  server: ReturnType<typeof authServer>,
  options: Partial<TokenRefreshOptions> = {},
) {
  const events: AuthRefreshedEvent[] = [];
  const saved: Tokens[] = [];
  const auth = tokenRefresh({
    accessToken: "A1",
    refreshToken: "R1",
    onTokens: (tokens) => {
      saved.push(tokens);
    },
    ...options,
  });
  const vobiz = createClient({
    authId: "MA_TEST0001",
    authToken: "s3cret",
    baseUrl: BASE,
    clock,
    fetch: server.fetch,
    plugins: [auth],
  });
  vobiz.hooks.hook("auth:refreshed", (event) => {
    events.push(event);
  });
  const preview = () =>
    vobiz.request<{ token: string }>("GET", PREVIEW, {
      searchParams: { resource_type: "cps", quantity: 3 },
    });
  return { auth, vobiz, events, saved, preview };
}

describe("the bearer", () => {
  test("goes to the capacity endpoints only, added after every hook", async () => {
    const clock = fakeClock();
    const server = authServer(clock);
    const { vobiz, preview } = setup(clock, server);
    const inHooks: (string | null)[] = [];
    vobiz.hooks.hook("beforeRequest", ({ request }) => {
      inHooks.push(request.headers.get("authorization"));
    });
    vobiz.hooks.hook("afterResponse", ({ request }) => {
      inHooks.push(request.headers.get("authorization"));
    });
    assert.equal((await preview()).token, "Bearer A1");
    await vobiz.request("GET", "/Account/{auth_id}/concurrency");
    assert.deepEqual(server.seen.map((s) => s.authorization), ["Bearer A1", null]);
    assert.deepEqual(inHooks, [null, null, null, null]);
  });

  test('goes to every call with routes: "all"', async () => {
    const clock = fakeClock();
    const server = authServer(clock);
    const { vobiz } = setup(clock, server, { routes: "all" });
    await vobiz.request("GET", "/Account/{auth_id}/concurrency");
    assert.equal(server.seen[0]?.authorization, "Bearer A1");
  });
});

describe("refreshing", () => {
  test("ahead of expiry: one refresh with the refresh token as bearer, then the call", async () => {
    const clock = fakeClock();
    const server = authServer(clock);
    const { auth, events, saved, preview } = setup(clock, server, {
      expiresAt: clock.now() + 4 * 60_000, // less than the 5 minutes before expiry
    });
    assert.equal((await preview()).token, "Bearer A2");
    assert.equal((await preview()).token, "Bearer A2");
    assert.deepEqual(server.seen.map((s) => `${s.path} ${s.authorization}`), [
      "/auth/refresh Bearer R1",
      "/accounts/MA_TEST0001/channel-pricing-preview Bearer A2",
      "/accounts/MA_TEST0001/channel-pricing-preview Bearer A2",
    ]);
    const expected = { accessToken: "A2", refreshToken: "R2", expiresAt: clock.now() + LIFETIME };
    assert.deepEqual(auth.tokens(), expected);
    assert.deepEqual(saved, [expected]);
    assert.deepEqual(events, [{
      at: clock.now(),
      expiresAt: expected.expiresAt,
      reason: "expiring",
    }]);
  });

  test("reads the expiry from a JWT access token", async () => {
    const clock = fakeClock();
    const server = authServer(clock);
    const claims = btoa(JSON.stringify({ exp: (clock.now() + 60_000) / 1000 }))
      .replaceAll("=", "").replaceAll("+", "-").replaceAll("/", "_");
    const { auth, preview } = setup(clock, server, { accessToken: `e30.${claims}.sig` });
    assert.equal(auth.tokens().expiresAt, clock.now() + 60_000);
    await preview();
    assert.equal(server.refreshes().length, 1);
  });

  test("100 concurrent calls with an expired token cause exactly one refresh", async () => {
    const clock = fakeClock();
    const server = authServer(clock);
    const { preview, events } = setup(clock, server, { expiresAt: clock.now() - 1 });
    const results = await Promise.all(Array.from({ length: 100 }, preview));
    assert.ok(results.every((r) => r.token === "Bearer A2"));
    assert.equal(server.refreshes().length, 1);
    assert.equal(server.seen.length, 101);
    assert.equal(events.length, 1);
  });

  test("after a 401 TOKEN_EXPIRED: one refresh for all, each call replayed once", async () => {
    const clock = fakeClock();
    const server = authServer(clock, { accessExpiresAt: clock.now() - 1 }); // expiry unknown here
    const { vobiz, events } = setup(clock, server);
    const subscribe = (quantity: number) =>
      vobiz.request<{ token: string; body: string }>("POST", SUBSCRIBE, {
        json: { resource_type: "cps", quantity },
      });
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => subscribe(i)));
    results.forEach((result, i) => {
      assert.equal(result.token, "Bearer A2");
      assert.deepEqual(JSON.parse(result.body), { resource_type: "cps", quantity: i });
    });
    assert.equal(server.refreshes().length, 1);
    assert.equal(server.seen.length, 201);
    assert.equal(events[0]?.reason, "expired");
  });

  test("a replay that is refused again goes to the caller: no second refresh, no loop", async () => {
    const clock = fakeClock();
    const server = authServer(clock);
    server.state.alwaysExpired = true;
    const { preview } = setup(clock, server);
    await assert.rejects(preview(), {
      code: "HTTP_ERROR",
      status: 401,
      vobizCode: "TOKEN_EXPIRED",
    });
    assert.equal(server.refreshes().length, 1);
    assert.equal(server.seen.length, 3);
  });

  test("a refused refresh is a typed error; it is not retried until setTokens", async () => {
    const clock = fakeClock();
    const server = authServer(clock);
    server.state.refuseRefresh = true;
    const { auth, preview } = setup(clock, server, { expiresAt: clock.now() - 1 });
    for (let i = 0; i < 3; i++) {
      await assert.rejects(preview(), (error) => {
        assert.ok(isVobizError(error));
        assert.equal(error.code, "HTTP_ERROR");
        assert.equal(error.route, "/auth/refresh");
        assert.equal((error as { status?: number }).status, 401);
        return true;
      });
    }
    assert.equal(server.refreshes().length, 1);
    assert.equal(server.seen.length, 1);
    auth.setTokens({ accessToken: "A1", refreshToken: "R1", expiresAt: clock.now() + LIFETIME });
    assert.equal((await preview()).token, "Bearer A1");
  });

  test("a refresh is shared within a scope, never across scopes (Workers requests)", async () => {
    const clock = fakeClock();
    const server = authServer(clock);
    let release!: () => void;
    server.state.gate = new Promise((resolve) => release = resolve);
    let scope = {};
    const { vobiz } = setup(clock, server, { expiresAt: clock.now() - 1, scope: () => scope });
    const preview = () => vobiz.request("GET", PREVIEW);
    const first = [preview(), preview()];
    for (let i = 0; i < 100 && server.refreshes().length === 0; i++) await tick();
    scope = {}; // the first scope's refresh is in flight; a new incoming request starts
    const second = [preview(), preview()];
    for (let i = 0; i < 100 && server.refreshes().length === 1; i++) await tick();
    release();
    await Promise.all([...first, ...second]);
    assert.equal(server.refreshes().length, 2);
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
    const clock = fakeClock();
    const server = authServer(clock, { accessExpiresAt: clock.now() - 1 });
    const store = encryptedTokenStore(memoryStore(), await aesKey());
    await store.save({ accessToken: "A0", refreshToken: "R1" });
    const { preview } = setup(clock, server, {
      accessToken: "stale",
      refreshToken: "stale",
      store,
    });
    assert.equal((await preview()).token, "Bearer A2");
    assert.equal(server.seen[0]?.authorization, "Bearer A0");
    assert.deepEqual(await store.load(), {
      accessToken: "A2",
      refreshToken: "R2",
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
