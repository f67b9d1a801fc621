// The cache plugin inside the real Workers runtime (workerd via Miniflare), backed by a KV namespace
// binding and by the Cache API, talking to the mock Vobiz API on 127.0.0.1. Node only.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createMockVobiz, type MockServer } from "../../testing/mod.ts";
import { type RunningWorker, startWorker } from "../_support/workerd.ts";

const mock = createMockVobiz({ balance: 777 });
let server: MockServer;
let worker: RunningWorker;

before(async () => {
  server = await mock.listen();
  worker = await startWorker(new URL("./cache_worker.ts", import.meta.url), {
    kvNamespaces: ["CACHE"],
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

beforeEach(() => mock.reset());

async function call(path: string): Promise<Record<string, unknown>> {
  const response = await worker.fetch(path);
  const body = await response.json() as Record<string, unknown>;
  assert.equal(response.status, 200, JSON.stringify(body));
  return body;
}

const gets = (path: string) =>
  mock.received.filter((r) => r.method === "GET" && r.path.endsWith(path)).length;

for (const store of ["kv", "cache"] as const) {
  describe(`cache on workerd, ${store === "kv" ? "KV namespace" : "Cache API"}`, () => {
    test("identical GETs of one request coalesce; the next request is a hit", async () => {
      const q = `store=${store}&ns=balance-${store}`;
      assert.deepEqual(await call(`/balance?${q}`), {
        balances: [777, 777],
        events: ["miss", "hit"],
      });
      assert.deepEqual(await call(`/balance?${q}`), {
        balances: [777, 777],
        events: ["hit", "hit"],
      });
      assert.equal(gets("/balance/INR"), 1);
    });

    test("creating a trunk makes the next trunk list fresh", async () => {
      const q = `store=${store}&ns=trunks-${store}`;
      assert.deepEqual(await call(`/trunks?${q}`), { trunks: 0, events: ["miss"] });
      assert.deepEqual(await call(`/trunks?${q}`), { trunks: 0, events: ["hit"] });
      await call(`/create-trunk?${q}`);
      assert.deepEqual(await call(`/trunks?${q}`), { trunks: 1, events: ["miss"] });
      assert.equal(gets("/trunks"), 2);
    });

    test("a stale entry is served while waitUntil refreshes it", async () => {
      const t0 = Date.UTC(2026, 10, 26, 12);
      const q = `store=${store}&ns=swr-${store}`;
      await call(`/trunks?${q}&now=${t0}`);
      await call(`/create-trunk?store=${store}&ns=elsewhere`); // the origin changes
      const stale = await call(`/trunks?${q}&now=${t0 + 5 * 60_000}`);
      assert.deepEqual(stale, { trunks: 0, events: ["stale"] });
      // dispatchFetch resolves after the response; the refresh runs under waitUntil
      for (let i = 0; i < 100 && gets("/trunks") < 2; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(gets("/trunks"), 2);
      // The refresh reached the origin; its store write lands a moment later (still under
      // waitUntil), so look until the refreshed entry answers. A look that still finds the stale
      // entry starts no refresh that matters: the assertion is on what is finally served.
      let refreshed: Record<string, unknown> = {};
      for (let i = 0; i < 100; i++) {
        refreshed = await call(`/trunks?${q}&now=${t0 + 5 * 60_000 + 1}`);
        if ((refreshed.events as string[])[0] === "hit") break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.deepEqual(refreshed, { trunks: 1, events: ["hit"] });
    });
  });
}

test("KV holds plain JSON under token-free keys, expiring with the route's TTL", async () => {
  await call("/balance?store=kv&ns=dump&swr=0");
  const entries = (await (await worker.fetch("/kv")).json() as {
    name: string;
    expiration?: number;
    value: string;
  }[]).filter((entry) => entry.name.startsWith("vobiz:cache:dump:"));
  assert.equal(entries.length, 1);
  const [entry] = entries;
  assert.match(entry!.name, /^vobiz:cache:dump:127\.0\.0\.1%3A\d+:api:v1:account:MA_MOCK0001:/);
  assert.equal(JSON.stringify(entries).includes("mock-auth-token"), false);
  const value = JSON.parse(entry!.value);
  assert.deepEqual(Object.keys(value).sort(), ["body", "headers", "status", "storedAt", "v"]);
  assert.equal(JSON.parse(value.body).balance, 777);
  const ttl = entry!.expiration! - Date.now() / 1000;
  assert.ok(ttl > 50 && ttl <= 61, `expires in ${ttl} s`);
});
