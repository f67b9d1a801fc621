// Every plugin inside the real Workers runtime (workerd via Miniflare): a client with all nine, in
// the README's order, talking to the mock Vobiz API on 127.0.0.1 through workerd's own fetch, with
// a scripted 503 (retried), a Bearer token the mock has seen expire (401 TOKEN_EXPIRED, refreshed
// through the mock's /auth/refresh, replayed) and a connection dropped after a paid purchase ran
// (reconciled, bought once). Node only (run by `npm run test:workerd`).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createMockVobiz, type MockServer, type MockTokenPair } from "../../testing/mod.ts";
import { type RunningWorker, startWorker } from "../_support/workerd.ts";

let skew = 0; // how far the mock's clock runs ahead of the Worker's
const mock = createMockVobiz({ balance: 4321, numberPrice: 100, now: () => Date.now() + skew });
let server: MockServer;
let worker: RunningWorker;
let issued: MockTokenPair;

before(async () => {
  server = await mock.listen();
  issued = mock.issueTokens();
  worker = await startWorker(new URL("./plugins_worker.ts", import.meta.url), {
    bindings: {
      VOBIZ_AUTH_ID: "MA_MOCK0001",
      VOBIZ_AUTH_TOKEN: "mock-auth-token",
      VOBIZ_BASE_URL: server.baseUrl,
      VOBIZ_ACCESS_TOKEN: issued.access_token,
      VOBIZ_REFRESH_TOKEN: issued.refresh_token,
    },
  });
});

after(async () => {
  await worker?.dispose();
  await server?.close();
});

test("every plugin inside workerd: a retried 503, a cache hit, a token refresh, a reconciled purchase", async () => {
  mock.fault({ path: "/Account/{auth_id}/balance/{currency}", status: 503 });
  // 31 minutes on at the mock: the access token has expired there; its JWT exp tells the Worker
  // 30 minutes are left, so the Worker learns it from the 401 TOKEN_EXPIRED.
  skew = 31 * 60_000;
  mock.fault({
    method: "POST",
    path: "/Account/{auth_id}/numbers/purchase-from-inventory",
    drop: "after",
  });
  const response = await worker.fetch("/");
  const body = await response.json() as Record<string, unknown>;
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.deepEqual(body, {
    balance: 4321, // after one retried 503
    cached: 4321, // from the cache: no request
    preview: "1200.00", // after one refresh and one replay
    bought: { e164: "+918000000001", reconciled: true }, // the drop came after the purchase ran
    again: { e164: "+918000000001", reconciled: true }, // the same key: the stored answer
    tokens: body.tokens, // checked against the mock below
    seen: [
      "GET /Account/MA_MOCK0001/balance/INR -",
      "GET /Account/MA_MOCK0001/balance/INR -",
      "GET /accounts/MA_MOCK0001/channel-pricing-preview Bearer access-1",
      "POST /auth/refresh Bearer refresh-1",
      "GET /accounts/MA_MOCK0001/channel-pricing-preview Bearer access-2",
      "POST /Account/MA_MOCK0001/numbers/purchase-from-inventory -",
      "GET /Account/MA_MOCK0001/numbers -", // the state check
    ],
    metrics: {
      // balance twice, preview, refresh, purchase, its state check, the replayed purchase
      calls: 7,
      successes: 7,
      retries: 1,
      tokenRefreshes: 1,
      cacheHits: 1,
      statusClasses: { "2xx": 7 },
      circuits: {},
    },
    limiter: 0, // nothing left holding a slot
    alerts: ["fired lowBalance INR"], // 4321 < 5000
    logged: true,
  });
  // Everything reached the mock through workerd's fetch; one purchase, debited once.
  assert.deepEqual(
    mock.received.map((r) => `${r.method} ${r.path} ${r.headers["cf-worker"] ? "workerd" : "-"}`),
    [
      "GET /api/v1/Account/MA_MOCK0001/balance/INR workerd",
      "GET /api/v1/Account/MA_MOCK0001/balance/INR workerd",
      "GET /api/v1/accounts/MA_MOCK0001/channel-pricing-preview workerd",
      "POST /api/v1/auth/refresh workerd",
      "GET /api/v1/accounts/MA_MOCK0001/channel-pricing-preview workerd",
      "POST /api/v1/Account/MA_MOCK0001/numbers/purchase-from-inventory workerd",
      "GET /api/v1/Account/MA_MOCK0001/numbers workerd",
    ],
  );
  assert.deepEqual(mock.effects.purchases.map((p) => p.e164), ["+918000000001"]);
  assert.equal(mock.balance(), 4221);
  // One refresh, done by the mock; the Worker ended with the pair it issued: the new access token
  // works there, the old one no longer does.
  assert.deepEqual(mock.effects.refreshes.map((r) => r.authId), ["MA_MOCK0001"]);
  const tokens = body.tokens as { accessToken: string; refreshToken: string; expiresAt: number };
  assert.notEqual(tokens.accessToken, issued.access_token);
  assert.notEqual(tokens.refreshToken, issued.refresh_token);
  const preview = (token: string) =>
    fetch(
      `${server.baseUrl}/accounts/MA_MOCK0001/channel-pricing-preview?resource_type=cps&quantity=1`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
  const renewed = await preview(tokens.accessToken);
  assert.equal(renewed.status, 200);
  await renewed.body?.cancel();
  const old = await preview(issued.access_token);
  assert.equal(old.status, 401);
  assert.equal(((await old.json()) as { error: { code: string } }).error.code, "TOKEN_EXPIRED");
});
