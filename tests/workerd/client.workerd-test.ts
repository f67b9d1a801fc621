// The client inside the real Workers runtime (workerd via Miniflare), talking to the mock Vobiz API
// on 127.0.0.1 through workerd's own fetch. Node only (run by `npm run test:workerd`).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createMockVobiz, type MockServer } from "../../testing/mod.ts";
import { type RunningWorker, startWorker } from "../_support/workerd.ts";

const mock = createMockVobiz({ balance: 4321 });
let server: MockServer;
let worker: RunningWorker;

before(async () => {
  server = await mock.listen();
  worker = await startWorker(new URL("../../examples/workers/worker.ts", import.meta.url), {
    bindings: {
      VOBIZ_AUTH_ID: "MA_MOCK0001",
      VOBIZ_AUTH_TOKEN: "mock-auth-token",
      VOBIZ_BASE_URL: server.baseUrl,
    },
  });
});

after(async () => {
  await worker?.dispose();
  await server?.close();
});

test("the Workers example reads account and balance from bindings, inside workerd", async () => {
  const response = await worker.fetch("/");
  const body = await response.json() as Record<string, unknown>;
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.deepEqual(body, {
    account: "MA_MOCK0001",
    balance: 4321,
    events: body.events, // order of the two parallel calls is not fixed
  });
  assert.deepEqual((body.events as string[]).sort(), [
    "GET /Account/{auth_id}/balance/{currency} ok",
    "GET /auth/me ok",
  ]);
  const seen = mock.received.map((r) =>
    `${r.method} ${r.path} ${r.headers["cf-worker"] ? "from-workerd" : "not-workerd"}`
  ).sort();
  assert.deepEqual(seen, [
    "GET /api/v1/Account/MA_MOCK0001/balance/INR from-workerd",
    "GET /api/v1/auth/me from-workerd",
  ]);
});

test("a scripted 503 inside workerd becomes a typed error in the Worker", async () => {
  mock.fault({ path: "/Account/{auth_id}/balance/{currency}", status: 503 });
  const response = await worker.fetch("/");
  assert.equal(response.status, 502);
  assert.deepEqual((await response.json() as { error: string }).error, "HTTP_ERROR");
});
