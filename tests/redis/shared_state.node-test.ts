// Shared state on a real Redis (Node only): the run starts its own redis-server (installing the
// Debian package when missing) and reaches it through unstorage's Redis driver, as a user would.
// Several client instances stand for several processes of a fleet: each has its own plugins and
// shares only the store.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createStorage, type Storage } from "unstorage";
import redisDriver from "unstorage/drivers/redis";
import { Redis } from "ioredis";
import {
  createClient,
  VobizCircuitOpenError,
  type VobizClient,
  type VobizPlugin,
  VobizRateLimitedError,
} from "../../mod.ts";
import { cache, type CachePlugin } from "../../plugins/cache.ts";
import { circuitBreaker } from "../../plugins/circuit_breaker.ts";
import { idempotency } from "../../plugins/idempotency.ts";
import { rateLimit } from "../../plugins/rate_limit.ts";
import { createMockVobiz, type MockServer } from "../../testing/mod.ts";
import { startRedis } from "../../scripts/redis.mjs";
import { fakeClock } from "../_support/fake_clock.ts";

const mock = createMockVobiz({ balance: 1000, numberPrice: 100 });
const clock = fakeClock();
let redis: Awaited<ReturnType<typeof startRedis>>;
let server: MockServer;
let storage: Storage;
let inspect: Redis;

before(async () => {
  redis = await startRedis();
  server = await mock.listen();
  storage = createStorage({ driver: redisDriver({ url: redis.url }) });
  inspect = new Redis(redis.url);
});

after(async () => {
  await storage?.dispose();
  inspect?.disconnect();
  await server?.close();
  await redis?.stop();
});

beforeEach(async () => {
  mock.reset();
  await inspect.flushdb();
});

/** One "process": its own client and plugins, the shared Redis store. */
function instance(plugins: VobizPlugin[]): VobizClient {
  return createClient({
    authId: "MA_MOCK0001",
    authToken: "mock-auth-token",
    baseUrl: server.baseUrl,
    allowInsecureLoopback: true,
    clock,
    plugins,
  });
}

describe("Redis: a cache shared by two instances", () => {
  test("the second instance's GET is a hit: the mock received one request", async () => {
    const first = instance([cache({ store: storage })]);
    const second = instance([cache({ store: storage })]);
    const secondEvents: string[] = [];
    second.hooks.hook("cache:hit", () => void secondEvents.push("hit"));
    assert.equal((await first.balance.get()).balance, 1000);
    assert.equal((await second.balance.get()).balance, 1000);
    assert.deepEqual(secondEvents, ["hit"]);
    assert.deepEqual(mock.received.map((r) => `${r.method} ${r.path}`), [
      "GET /api/v1/Account/MA_MOCK0001/balance/INR",
    ]);
  });

  test("Redis holds plain JSON under a token-free key, expiring with the route's TTL", async () => {
    await instance([cache({ store: storage })]).balance.get();
    const keys = await inspect.keys("*");
    assert.deepEqual(keys, [
      `vobiz:cache:127.0.0.1%3A${server.url.split(":").at(-1)}:api:v1:account:MA_MOCK0001:` +
      "balance:INR:@:MA_MOCK0001",
    ]);
    const ttl = await inspect.ttl(keys[0]!);
    assert.ok(ttl > 55 && ttl <= 60, `TTL ${ttl}`); // balance: 1 minute
    const raw = (await inspect.get(keys[0]!))!;
    assert.equal(raw.includes("mock-auth-token"), false);
    const entry = JSON.parse(raw);
    assert.equal(entry.status, 200);
    assert.equal(JSON.parse(entry.body).balance, 1000);
  });

  test("a write through one instance evicts the other's entries (the trunk list is fresh)", async () => {
    const reader = instance([cache({ store: storage })]);
    const writer = instance([cache({ store: storage })]);
    const list = () => reader.request<{ objects: unknown[] }>("GET", "/Account/{auth_id}/trunks");
    assert.equal((await list()).objects.length, 0);
    assert.equal((await list()).objects.length, 0);
    await writer.request("POST", "/Account/{auth_id}/trunks", { json: { name: "edge" } });
    assert.equal((await list()).objects.length, 1);
    assert.equal(mock.received.filter((r) => r.method === "GET").length, 2);
  });

  test("invalidate() and clear() find every entry through unstorage's getKeys", async () => {
    const c: CachePlugin = cache({ store: storage, defaultTtl: 60_000 });
    const client = instance([c]);
    await client.balance.get();
    await client.request("GET", "/Account/{auth_id}/trunks", { searchParams: { limit: 5 } });
    await client.request("GET", "/Account/{auth_id}/trunks");
    await client.account.get();
    await storage.setItem("other:data", { kept: true });
    assert.equal(await c.invalidate("/Account/{auth_id}/trunks"), 2);
    assert.equal(await c.clear(), 2);
    assert.deepEqual(await inspect.keys("*"), ["other:data"]);
  });
});

describe("Redis: an idempotency record shared by two instances", () => {
  test("the second instance does not repeat a purchase made by the first", async () => {
    const first = instance([idempotency({ store: storage })]);
    const second = instance([idempotency({ store: storage })]);
    const key = "order-42";
    const bought = await first.numbers.purchase({ e164: "+918000000001" }, { idempotencyKey: key });
    const again = await second.numbers.purchase({ e164: "+918000000001" }, {
      idempotencyKey: key,
    });
    assert.deepEqual(again, bought);
    assert.equal(mock.effects.purchases.length, 1);
    assert.equal(mock.balance(), 900);
    assert.equal(mock.received.filter((r) => r.method === "POST").length, 1);
    const records = await inspect.keys("vobiz-kit:idempotency:*");
    assert.deepEqual(records, ["vobiz-kit:idempotency:MA_MOCK0001:order-42"]);
  });
});

describe("Redis: an open circuit", () => {
  test("with its circuit open, an instance answers from the entry another instance stored", async () => {
    const writer = instance([cache({ store: storage })]);
    const breaker = circuitBreaker({ failureThreshold: 1, openMs: 60_000 });
    const reader = instance([cache({ store: storage, staleIfError: 10 * 60_000 }), breaker]);
    assert.equal((await writer.balance.get()).balance, 1000);
    await clock.advance(60_000); // the entry is now stale
    mock.fault({ path: "/Account/{auth_id}/balance/{currency}", status: 503 });
    assert.equal((await reader.balance.get()).balance, 1000); // origin failed: stale entry
    assert.equal(breaker.state("GET /Account/{auth_id}/balance/{currency}"), "open");
    assert.equal((await reader.balance.get()).balance, 1000); // circuit open: stale entry
    assert.equal(mock.received.length, 2); // the writer's GET and the one that failed
  });
});

describe("Redis: an open circuit shared by two instances", () => {
  test("A's breaker opens; B fails fast with CIRCUIT_OPEN without sending", async () => {
    const key = "GET /Account/{auth_id}/balance/{currency}";
    const a = circuitBreaker({ store: storage, failureThreshold: 2 });
    const b = circuitBreaker({ store: storage, failureThreshold: 2 });
    const first = instance([a]);
    const second = instance([b]);
    mock.fault({ path: "/Account/{auth_id}/balance/{currency}", status: 503, times: Infinity });
    for (let i = 0; i < 2; i++) await assert.rejects(first.balance.get(), { status: 503 });
    assert.equal(a.state(key), "open");
    const sent = mock.received.length;
    const error = await second.balance.get().catch((e: unknown) => e);
    assert.ok(error instanceof VobizCircuitOpenError, String(error));
    assert.equal(error.key, key);
    assert.equal(error.retryAfterMs, 30_000);
    assert.equal(mock.received.length, sent);
    assert.equal(b.state(key), "open");
    const stored = JSON.parse(
      (await inspect.get(
        `vobiz-kit:circuit:${encodeURIComponent(key)}:open`,
      ))!,
    );
    assert.equal(stored.openUntil - stored.openedAt, 30_000);
  });
});

describe("Redis: a 429 pause shared by two instances", () => {
  test("after A's 429, B waits out the pause instead of sending", async () => {
    const first = instance([rateLimit({ store: storage })]);
    const second = instance([rateLimit({ store: storage, maxWaitMs: 1000 })]);
    mock.fault({ path: "/Account/{auth_id}/balance/{currency}", status: 429, retryAfter: 20 });
    await assert.rejects(first.balance.get(), { status: 429 });
    const sent = mock.received.length;
    const error = await second.balance.get().catch((e: unknown) => e);
    assert.ok(error instanceof VobizRateLimitedError, String(error));
    assert.equal(error.retryAfterMs, 20_000);
    assert.equal(mock.received.length, sent);
  });
});
