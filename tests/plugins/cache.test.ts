import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  createClient,
  type FetchLike,
  type KeyValueStore,
  memoryStore,
  VobizCircuitOpenError,
  type VobizPlugin,
} from "../../mod.ts";
import { cache, type CacheOptions } from "../../plugins/cache.ts";
import { asEntry, toEntry, toResponse } from "../../plugins/_internal/cache_entry.ts";
import { entryStore } from "../../plugins/_internal/cache_store.ts";
import { createMockVobiz, type MockVobiz } from "../../testing/mod.ts";
import { fakeClock } from "../_support/fake_clock.ts";

const BASE = "https://api.vobiz.test/api/v1";
const ACCOUNT = "MA_MOCK0001";
const BALANCE = "/Account/{auth_id}/balance/{currency}";
const TRUNKS = "/Account/{auth_id}/trunks";
const MIN = 60_000;

interface Setup {
  options?: CacheOptions;
  fetch?: (mock: MockVobiz) => FetchLike;
  plugins?: VobizPlugin[];
}

// Deno 2.9 with node:http loaded (as under `deno test`) drops the headers of a constructed Response
// that is cloned before its headers were read; answers of a real fetch are not affected.
const readHeaders = (fetch: FetchLike): FetchLike => async (input, init) => {
  const response = await fetch(input, init);
  void response.headers;
  return response;
};

function setup({ options = {}, fetch, plugins = [] }: Setup = {}) {
  const clock = fakeClock();
  const mock = createMockVobiz({ balance: 500, now: clock.now });
  const store = memoryStore({ clock });
  const c = cache({ store, ...options });
  const vobiz = createClient({
    authId: ACCOUNT,
    authToken: "mock-auth-token",
    baseUrl: BASE,
    clock,
    fetch: readHeaders(fetch?.(mock) ?? ((input, init) => mock.fetch(input, init))),
    plugins: [c, ...plugins],
  });
  const events: string[] = [];
  for (const name of ["hit", "miss", "stale", "invalidate"] as const) {
    vobiz.hooks.hook(`cache:${name}`, () => {
      events.push(name);
    });
  }
  const gets = () => mock.received.filter((r) => r.method === "GET").length;
  return { clock, mock, store, c, vobiz, events, gets };
}

/** Lets every pending microtask run (calls progress as far as they can without I/O). */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A transport that holds every request until `open()`. */
function gate(fetch: FetchLike) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  let waiting = 0;
  const gated: FetchLike = async (input, init) => {
    waiting++;
    await opened;
    return fetch(input, init);
  };
  return { fetch: gated, open: () => open(), waiting: () => waiting };
}

/** Answers each GET with `{ n }`, n counting up; `fail` makes the next answers 503. */
function counter() {
  let n = 0;
  let failing: Response | Error | undefined;
  const fetch: FetchLike = (input) => {
    if (failing instanceof Error) return Promise.reject(failing);
    if (failing !== undefined) return Promise.resolve(failing.clone());
    return Promise.resolve(Response.json({ n: ++n, url: new Request(input).url }));
  };
  return {
    fetch,
    count: () => n,
    fail: (with_: Response | Error | undefined) => (failing = with_),
  };
}

describe("cache: default lifetimes (the Vobiz guidance)", () => {
  test("balance is served from the cache for 1 minute, then fetched again", async () => {
    const { vobiz, clock, gets, events } = setup();
    assert.equal((await vobiz.balance.get()).balance, 500);
    await clock.advance(MIN - 1);
    assert.equal((await vobiz.balance.get()).balance, 500);
    assert.equal(gets(), 1);
    await clock.advance(1);
    await vobiz.balance.get();
    assert.equal(gets(), 2);
    assert.deepEqual(events, ["miss", "hit", "miss"]);
  });

  test("the account (/auth/me) lives 15 minutes, the trunk list 5 minutes", async () => {
    const { vobiz, clock, mock } = setup();
    const hits = () => mock.received.map((r) => r.path.replace(`/api/v1`, ""));
    await vobiz.account.get();
    await vobiz.request("GET", TRUNKS);
    await clock.advance(5 * MIN - 1);
    await vobiz.account.get();
    await vobiz.request("GET", TRUNKS);
    assert.deepEqual(hits(), ["/auth/me", `/Account/${ACCOUNT}/trunks`]);
    await clock.advance(1);
    await vobiz.request("GET", TRUNKS);
    await clock.advance(10 * MIN - 1);
    await vobiz.account.get();
    assert.equal(hits().length, 3);
    await clock.advance(1);
    await vobiz.account.get();
    assert.deepEqual(hits().slice(2), [`/Account/${ACCOUNT}/trunks`, "/auth/me"]);
  });

  test("CDRs and routes without a rule are never cached", async () => {
    const { vobiz, gets, store } = setup();
    for (let i = 0; i < 2; i++) {
      await vobiz.request("GET", "/Account/{auth_id}/cdr", { searchParams: { page: 1 } });
      await vobiz.request("GET", "/Account/{auth_id}/numbers");
    }
    assert.equal(gets(), 4);
    assert.equal(store.size, 0);
  });

  test("rules per route pattern override the defaults; defaultTtl covers the rest", async () => {
    const { vobiz, clock, gets } = setup({
      options: {
        ttl: { [BALANCE]: 1000, "/Account/{auth_id}/num*": 10 * MIN, "/auth/me": 0 },
        defaultTtl: 2 * MIN,
      },
    });
    await vobiz.balance.get();
    await vobiz.request("GET", "/Account/{auth_id}/numbers");
    await vobiz.account.get();
    await vobiz.request("GET", "/Account/{auth_id}/transactions");
    assert.equal(gets(), 4);
    await clock.advance(1000);
    await vobiz.balance.get(); // 1 s rule: expired
    await vobiz.request("GET", "/Account/{auth_id}/numbers"); // glob rule: hit
    await vobiz.account.get(); // 0: never cached
    await vobiz.request("GET", "/Account/{auth_id}/transactions"); // defaultTtl: hit
    assert.equal(gets(), 6);
  });

  test("a pattern also matches the concrete path of a raw request", async () => {
    const { vobiz, gets } = setup({ options: { ttl: { [`/Account/${ACCOUNT}/numbers`]: MIN } } });
    await vobiz.request("GET", "/Account/{auth_id}/numbers");
    await vobiz.request("GET", `/Account/${ACCOUNT}/numbers`);
    assert.equal(gets(), 1);
  });

  test("a per-call ttl accepts only entries younger than it", async () => {
    const { vobiz, clock, gets } = setup();
    await vobiz.balance.get();
    await clock.advance(10_000);
    await vobiz.balance.get("INR", { plugins: { cache: { ttl: 20_000 } } });
    assert.equal(gets(), 1);
    await vobiz.balance.get("INR", { plugins: { cache: { ttl: 5_000 } } });
    assert.equal(gets(), 2);
  });

  test("cache: false bypasses the cache; refresh: true skips the lookup and stores", async () => {
    const { vobiz, gets, events } = setup();
    await vobiz.balance.get();
    await vobiz.balance.get("INR", { plugins: { cache: false } });
    assert.equal(gets(), 2);
    await vobiz.balance.get("INR", { plugins: { cache: { refresh: true } } });
    assert.equal(gets(), 3);
    await vobiz.balance.get();
    assert.equal(gets(), 3);
    assert.deepEqual(events, ["miss", "hit"]);
  });
});

describe("cache: keys and entries", () => {
  test("keys hold the account and the full URL with its query, never the token", async () => {
    const { vobiz, store } = setup({ options: { ttl: { "/Account/{auth_id}/numbers": MIN } } });
    await vobiz.request("GET", "/Account/{auth_id}/numbers", { searchParams: { page: 1 } });
    await vobiz.request("GET", "/Account/{auth_id}/numbers", { searchParams: { page: 2 } });
    await vobiz.request("GET", "/Account/{auth_id}/numbers", { searchParams: { page: 1 } });
    const keys = await store.getKeys();
    assert.deepEqual(keys.sort(), [
      `vobiz:cache:api.vobiz.test:api:v1:account:${ACCOUNT}:numbers:@:${ACCOUNT}:%3Fpage%3D1`,
      `vobiz:cache:api.vobiz.test:api:v1:account:${ACCOUNT}:numbers:@:${ACCOUNT}:%3Fpage%3D2`,
    ]);
    assert.ok(keys.every((key) => !key.includes("mock-auth-token")));
  });

  test("an entry is plain data: status, the headers that matter, the body text, its time", async () => {
    const { vobiz, store, clock } = setup();
    await vobiz.balance.get();
    const [key] = await store.getKeys();
    const entry = await store.getItem<Record<string, unknown>>(key!);
    assert.deepEqual(Object.keys(entry!).sort(), ["body", "headers", "status", "storedAt", "v"]);
    assert.equal(entry!.status, 200);
    assert.equal(entry!.storedAt, clock.now());
    assert.deepEqual(entry!.headers, { "content-type": "application/json" });
    assert.equal(JSON.parse(entry!.body as string).balance, 500);
    assert.equal(JSON.stringify(entry).includes("mock-auth-token"), false);
  });

  test("credential fields of a body are not stored (the cached /auth/me has no auth_secret)", async () => {
    const { vobiz, store } = setup();
    const fresh = await vobiz.account.get();
    assert.equal("auth_secret" in fresh, true);
    const cached = await vobiz.account.get();
    assert.equal("auth_secret" in cached, false);
    assert.equal(cached.auth_id, ACCOUNT);
    const [key] = await store.getKeys();
    assert.equal(JSON.stringify(await store.getItem(key!)).includes("auth_secret"), false);
  });

  test("a hit is a new Response with the stored status, headers, age and x-vobiz-cache", async () => {
    const { vobiz, clock } = setup();
    await vobiz.balance.get();
    await clock.advance(30_000);
    const response = await vobiz.request<Response>("GET", BALANCE, {
      params: { currency: "INR" },
      responseType: "response",
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/json");
    assert.equal(response.headers.get("age"), "30");
    assert.equal(response.headers.get("x-vobiz-cache"), "hit");
    assert.equal((await response.json() as { balance: number }).balance, 500);
  });

  test("accounts do not share entries (withAccount)", async () => {
    const clock = fakeClock();
    const mock = createMockVobiz({
      now: clock.now,
      subAccounts: [{ authId: "SA_SUB0001", authToken: "sub-token" }],
    });
    const c = cache();
    const main = createClient({
      authId: ACCOUNT,
      authToken: "mock-auth-token",
      baseUrl: BASE,
      clock,
      fetch: (input, init) => mock.fetch(input, init),
      plugins: [c],
    });
    const sub = main.withAccount({ authId: "SA_SUB0001", authToken: "sub-token" });
    assert.equal((await main.account.get()).auth_id, ACCOUNT);
    assert.equal((await sub.account.get()).auth_id, "SA_SUB0001");
    assert.equal((await sub.account.get()).auth_id, "SA_SUB0001");
    assert.equal((await main.account.get()).auth_id, ACCOUNT);
    assert.equal(mock.received.length, 2);
  });

  test("only 2xx answers are stored", async () => {
    const { vobiz, mock, gets } = setup();
    mock.fault({ path: BALANCE, status: 404 });
    await assert.rejects(vobiz.balance.get(), { code: "HTTP_ERROR", status: 404 });
    await vobiz.balance.get();
    await vobiz.balance.get();
    assert.equal(gets(), 2);
  });

  test("an answer with Cache-Control: no-store is not stored", async () => {
    const { vobiz, mock, gets, store } = setup();
    mock.fault({
      path: BALANCE,
      body: JSON.stringify({ currency: "INR", balance: 7 }),
      headers: { "content-type": "application/json", "cache-control": "private, no-store" },
    });
    assert.equal((await vobiz.balance.get()).balance, 7);
    assert.equal(store.size, 0);
    assert.equal((await vobiz.balance.get()).balance, 500);
    assert.equal(gets(), 2);
  });

  test("a failing store turns lookups into misses and writes into no-ops", async () => {
    const broken: KeyValueStore = {
      getItem: () => Promise.reject(new Error("down")),
      setItem: () => Promise.reject(new Error("down")),
      removeItem: () => Promise.reject(new Error("down")),
      getKeys: () => Promise.reject(new Error("down")),
    };
    const { vobiz, c, gets } = setup({ options: { store: broken } });
    assert.equal((await vobiz.balance.get()).balance, 500);
    assert.equal((await vobiz.balance.get()).balance, 500);
    await vobiz.request("POST", TRUNKS, { json: { name: "t" } });
    assert.equal(gets(), 2);
    assert.deepEqual(c.stats(), {
      hits: 0,
      misses: 2,
      stale: 0,
      coalesced: 0,
      stored: 0,
      evicted: 0,
      errors: 5,
    });
  });
});

describe("cache: writes and invalidation", () => {
  test("creating a trunk makes the next trunk list fresh", async () => {
    const { vobiz, gets, events } = setup();
    const list = () => vobiz.request<{ objects: unknown[] }>("GET", TRUNKS);
    assert.equal((await list()).objects.length, 0);
    assert.equal((await list()).objects.length, 0);
    await vobiz.request("POST", TRUNKS, { json: { name: "first" } });
    assert.equal((await list()).objects.length, 1);
    assert.equal(gets(), 2);
    // one invalidation per evicted prefix: the trunks, and the trunk family's own resources
    assert.deepEqual(events, ["miss", "hit", ...Array(4).fill("invalidate"), "miss"]);
  });

  test("updating or deleting an item evicts the item and the list, every query", async () => {
    const { vobiz, gets, store } = setup({
      options: { ttl: { "/Account/{auth_id}/trunks*": MIN } },
    });
    const { trunk_id } = await vobiz.request<{ trunk_id: string }>("POST", TRUNKS, {
      json: { name: "a" },
    });
    const item = `${TRUNKS}/{trunk_id}`;
    await vobiz.request("GET", item, { params: { trunk_id } });
    await vobiz.request("GET", TRUNKS, { searchParams: { limit: 5 } });
    await vobiz.request("GET", TRUNKS);
    await vobiz.balance.get();
    assert.equal(store.size, 4);
    await vobiz.request("PUT", item, { params: { trunk_id }, json: { name: "b" } });
    assert.equal(store.size, 1); // the balance is another resource
    const renamed = await vobiz.request<{ name: string }>("GET", item, { params: { trunk_id } });
    assert.equal(renamed.name, "b");
    await vobiz.request("DELETE", item, { params: { trunk_id } });
    await assert.rejects(vobiz.request("GET", item, { params: { trunk_id } }), { status: 404 });
    assert.equal(gets(), 6);
  });

  test("the trunk family's lists under /trunks/ are evicted by writes at the account level", async () => {
    const origin = counter();
    const { vobiz, store } = setup({
      options: { ttl: { "/Account/{auth_id}/trunks/*": MIN } },
      fetch: () => (input, init) =>
        input.method === "POST"
          ? Promise.resolve(Response.json({ id: "acl1" }, { status: 201 }))
          : origin.fetch(input, init),
    });
    await vobiz.request("GET", "/Account/{auth_id}/trunks/credentials");
    await vobiz.request("GET", "/Account/{auth_id}/trunks/ip-acl");
    assert.equal(store.size, 2);
    await vobiz.request("POST", "/Account/{auth_id}/ip-acl", { json: { ip_address: "1.2.3.4" } });
    const left = await store.getKeys();
    assert.equal(left.length, 1);
    assert.match(left[0]!, /:trunks:credentials:@:/);
  });

  test("a failed write evicts nothing", async () => {
    const { vobiz, store } = setup();
    await vobiz.request("GET", TRUNKS);
    await assert.rejects(vobiz.request("POST", TRUNKS, { json: {} }), { status: 422 });
    assert.equal(store.size, 1);
  });

  test("a paid write also evicts the balance", async () => {
    const { vobiz, gets } = setup();
    assert.equal((await vobiz.balance.get()).balance, 500);
    await vobiz.request("POST", "/Account/{auth_id}/numbers/purchase-from-inventory", {
      json: { e164: "+918000000001" },
      paid: true,
    });
    assert.equal((await vobiz.balance.get()).balance, 400);
    assert.equal(gets(), 2);
  });

  test("a GET answered before a write but finished after it does not store its answer", async () => {
    let hold: ((response: Response) => Promise<Response>) | undefined;
    const { vobiz, store } = setup({
      fetch: (mock) => async (input, init) => {
        const response = await mock.fetch(input, init);
        return hold !== undefined && input.method === "GET" ? hold(response) : response;
      },
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    hold = async (response) => {
      await released;
      return response;
    };
    const before = vobiz.request<{ objects: unknown[] }>("GET", TRUNKS);
    await settle();
    hold = undefined;
    await vobiz.request("POST", TRUNKS, { json: { name: "new" } });
    release();
    assert.equal((await before).objects.length, 0); // the answer from before the write
    assert.equal(store.size, 0); // … is not stored
    assert.equal((await vobiz.request<{ objects: unknown[] }>("GET", TRUNKS)).objects.length, 1);
  });

  test("invalidate(prefix) evicts whole segments under a path, for every account", async () => {
    const { vobiz, c, store, events } = setup({ options: { defaultTtl: MIN } });
    const { trunk_id } = await vobiz.request<{ trunk_id: string }>("POST", TRUNKS, {
      json: { name: "a" },
    });
    events.length = 0;
    await vobiz.request("GET", TRUNKS);
    await vobiz.request("GET", `${TRUNKS}/{trunk_id}`, { params: { trunk_id } });
    await vobiz.request("GET", "/Account/{auth_id}/transactions");
    await vobiz.balance.get();
    assert.equal(await c.invalidate("/Account/{auth_id}/tr"), 0); // not a whole segment
    assert.equal(await c.invalidate("/Account/{auth_id}/trunks"), 2);
    assert.equal(await c.invalidate(`/Account/${ACCOUNT}/balance/INR`), 1);
    assert.equal(store.size, 1);
    assert.equal(await c.clear(), 1);
    assert.equal(store.size, 0);
    assert.equal(events.filter((e) => e === "invalidate").length, 4);
  });

  test("clear() leaves other data in a shared store alone", async () => {
    const { vobiz, c, store } = setup();
    await store.setItem("vobiz:idempotency:k", { state: "done" });
    await vobiz.balance.get();
    assert.equal(await c.clear(), 1);
    assert.deepEqual(await store.getKeys(), ["vobiz:idempotency:k"]);
  });
});

describe("cache: coalescing", () => {
  test("concurrent identical GETs make one request and share its answer", async () => {
    let g!: ReturnType<typeof gate>;
    const { vobiz, gets, c, events } = setup({
      fetch: (mock) => (g = gate((input, init) => mock.fetch(input, init))).fetch,
    });
    const calls = [vobiz.balance.get(), vobiz.balance.get(), vobiz.balance.get()];
    await settle();
    assert.equal(g.waiting(), 1);
    g.open();
    const answers = await Promise.all(calls);
    assert.deepEqual(answers.map((a) => a.balance), [500, 500, 500]);
    assert.equal(gets(), 1);
    assert.equal(c.stats().coalesced, 2);
    assert.deepEqual(events, ["miss", "hit", "hit"]);
  });

  test("routes that are never stored are coalesced too (CDR pages)", async () => {
    let g!: ReturnType<typeof gate>;
    const { vobiz, gets, store } = setup({
      fetch: (mock) => (g = gate((input, init) => mock.fetch(input, init))).fetch,
    });
    const page = () =>
      vobiz.request("GET", "/Account/{auth_id}/cdr", { searchParams: { page: 1 } });
    const calls = [page(), page(), vobiz.request("GET", "/Account/{auth_id}/cdr")];
    await settle();
    assert.equal(g.waiting(), 2); // a different query is a different request
    g.open();
    await Promise.all(calls);
    assert.equal(gets(), 2);
    assert.equal(store.size, 0);
  });

  test("when the first call fails, the waiting calls make their own request", async () => {
    let g!: ReturnType<typeof gate>;
    const { vobiz, gets, mock } = setup({
      fetch: (mock) => (g = gate((input, init) => mock.fetch(input, init))).fetch,
    });
    mock.fault({ path: BALANCE, status: 503 });
    const calls = [vobiz.balance.get(), vobiz.balance.get()];
    await settle();
    g.open();
    const [first, second] = await Promise.allSettled(calls);
    assert.equal(first?.status, "rejected");
    assert.equal(second?.status === "fulfilled" && second.value.balance, 500);
    assert.equal(gets(), 2);
  });

  test("coalesce: false sends every call", async () => {
    let g!: ReturnType<typeof gate>;
    const { vobiz, gets } = setup({
      options: { coalesce: false },
      fetch: (mock) => (g = gate((input, init) => mock.fetch(input, init))).fetch,
    });
    const calls = [vobiz.balance.get(), vobiz.balance.get()];
    await settle();
    g.open();
    await Promise.all(calls);
    assert.equal(gets(), 2);
  });

  test('coalesce: "scoped" shares only between calls of one scope (one Workers request)', async () => {
    let g!: ReturnType<typeof gate>;
    const { vobiz, gets } = setup({
      options: { coalesce: "scoped" },
      fetch: (mock) => (g = gate((input, init) => mock.fetch(input, init))).fetch,
    });
    const one = {};
    const two = {};
    const inScope = (scope?: object) =>
      vobiz.balance.get("INR", scope ? { plugins: { cache: { scope } } } : {});
    const calls = [inScope(one), inScope(one), inScope(two), inScope(), inScope()];
    await settle();
    assert.equal(g.waiting(), 4); // one + two + the two unscoped calls
    g.open();
    await Promise.all(calls);
    assert.equal(gets(), 4);
  });

  test("a waiting call can be aborted", async () => {
    let g!: ReturnType<typeof gate>;
    const { vobiz } = setup({
      fetch: (mock) => (g = gate((input, init) => mock.fetch(input, init))).fetch,
    });
    const controller = new AbortController();
    const first = vobiz.balance.get();
    const second = vobiz.balance.get("INR", { signal: controller.signal });
    await settle();
    controller.abort();
    await assert.rejects(second, { code: "ABORTED" });
    g.open();
    assert.equal((await first).balance, 500);
  });
});

describe("cache: stale entries", () => {
  test("staleWhileRevalidate serves the stale entry at once and refreshes through the client", async () => {
    const origin = counter();
    const hold = { until: Promise.resolve() };
    const background: Promise<unknown>[] = [];
    const seen: unknown[] = [];
    const spy: VobizPlugin = {
      name: "spy",
      setup: (host) =>
        host.hooks.hook("beforeRequest", ({ context }) => {
          seen.push(context.options.plugins?.["cache"]);
        }),
    };
    const { vobiz, clock, events } = setup({
      options: {
        ttl: { [BALANCE]: MIN },
        staleWhileRevalidate: MIN,
        waitUntil: (p) => background.push(p),
      },
      fetch: () => async (input, init) => {
        await hold.until;
        return origin.fetch(input, init);
      },
      plugins: [spy],
    });
    const get = () => vobiz.request<{ n: number }>("GET", BALANCE, { params: { currency: "INR" } });
    assert.equal((await get()).n, 1);
    await clock.advance(MIN + 10);
    let release!: () => void;
    hold.until = new Promise((resolve) => (release = resolve));
    assert.equal((await get()).n, 1); // stale, served at once
    assert.equal(background.length, 1);
    assert.equal((await get()).n, 1); // still stale: no second refresh while one runs
    assert.equal(background.length, 1);
    release();
    await Promise.all(background);
    assert.equal(origin.count(), 2);
    assert.equal((await get()).n, 2); // the refreshed entry
    assert.deepEqual(events, ["miss", "stale", "stale", "hit"]);
    assert.deepEqual(seen.filter((s) => s !== undefined), [{ refresh: true }]);
  });

  test("past the staleWhileRevalidate window an entry is a miss", async () => {
    const origin = counter();
    const { vobiz, clock } = setup({
      options: { ttl: { [BALANCE]: MIN }, staleWhileRevalidate: MIN },
      fetch: () => origin.fetch,
    });
    const get = () => vobiz.request<{ n: number }>("GET", BALANCE, { params: { currency: "INR" } });
    await get();
    await clock.advance(2 * MIN);
    assert.equal((await get()).n, 2);
  });

  test("a per-call waitUntil keeps the background refresh (Workers: ctx.waitUntil)", async () => {
    const origin = counter();
    const kept: Promise<unknown>[] = [];
    const { vobiz, clock } = setup({
      options: { ttl: { [BALANCE]: MIN }, staleWhileRevalidate: MIN },
      fetch: () => origin.fetch,
    });
    const get = (options = {}) =>
      vobiz.request<{ n: number }>("GET", BALANCE, { params: { currency: "INR" }, ...options });
    await get();
    await clock.advance(MIN);
    await get({ plugins: { cache: { waitUntil: (p: Promise<unknown>) => kept.push(p) } } });
    assert.equal(kept.length, 1);
    await kept[0];
    assert.equal((await get()).n, 2);
  });

  test("staleIfError serves the stale entry when the origin fails, and the error otherwise", async () => {
    const origin = counter();
    const { vobiz, clock, events, c } = setup({
      options: { ttl: { [BALANCE]: MIN }, staleIfError: 10 * MIN },
      fetch: () => origin.fetch,
    });
    const get = () => vobiz.request<{ n: number }>("GET", BALANCE, { params: { currency: "INR" } });
    assert.equal((await get()).n, 1);
    await clock.advance(MIN);
    origin.fail(new Response("{}", { status: 503 }));
    assert.equal((await get()).n, 1);
    origin.fail(new TypeError("fetch failed"));
    assert.equal((await get()).n, 1);
    origin.fail(new Response("{}", { status: 404 }));
    await assert.rejects(get(), { code: "HTTP_ERROR", status: 404 });
    origin.fail(undefined);
    assert.equal((await get()).n, 2); // the origin is back: fresh, and stored
    assert.equal((await get()).n, 2);
    assert.equal(c.stats().stale, 2);
    assert.deepEqual(events, ["miss", "miss", "stale", "miss", "stale", "miss", "miss", "hit"]);
    await clock.advance(11 * MIN);
    origin.fail(new Response("{}", { status: 503 }));
    await assert.rejects(get(), { code: "HTTP_ERROR", status: 503 }); // past the window
  });

  test("staleIfError answers for an open circuit", async () => {
    const origin = counter();
    let open = false;
    const breaker: VobizPlugin = {
      name: "breaker-stub",
      setup: (host) =>
        host.hooks.hook("beforeRequest", ({ context }) => {
          if (open && context.meta["cache"] !== "hit") {
            throw new VobizCircuitOpenError("GET balance", 1000);
          }
        }),
    };
    const { vobiz, clock } = setup({
      options: { ttl: { [BALANCE]: MIN }, staleIfError: MIN },
      fetch: () => origin.fetch,
      plugins: [breaker],
    });
    const get = () => vobiz.request<{ n: number }>("GET", BALANCE, { params: { currency: "INR" } });
    await get();
    open = true;
    assert.equal((await get()).n, 1); // fresh hit: the breaker is not asked
    await clock.advance(MIN);
    assert.equal((await get()).n, 1); // stale, because the circuit is open
    assert.equal(origin.count(), 1);
  });

  test("stale entries are not served to a withAccount client (no token to refresh with)", async () => {
    const origin = counter();
    const { vobiz, clock } = setup({
      options: { ttl: { [BALANCE]: MIN }, staleIfError: 10 * MIN },
      fetch: () => origin.fetch,
    });
    const sub = vobiz.withAccount({ authId: "SA_SUB0001", authToken: "sub-token" });
    const get = () => sub.request<{ n: number }>("GET", BALANCE, { params: { currency: "INR" } });
    await get();
    await clock.advance(MIN);
    origin.fail(new Response("{}", { status: 503 }));
    await assert.rejects(get(), { status: 503 });
  });
});

describe("cache: context and other plugins", () => {
  test("context.meta.cache says whether the cache answered; hits still pass afterResponse", async () => {
    const { vobiz } = setup();
    const seen: string[] = [];
    vobiz.hooks.hook("afterResponse", ({ context, response }) => {
      seen.push(`${context.meta["cache"]} ${response.status}`);
    });
    await vobiz.balance.get();
    await vobiz.balance.get();
    await vobiz.request("POST", TRUNKS, { json: { name: "x" } });
    assert.deepEqual(seen, ["miss 200", "hit 200", "undefined 201"]);
  });

  test("handlers of a client that was closed are removed", async () => {
    const { vobiz, gets } = setup();
    vobiz.close();
    await vobiz.balance.get();
    await vobiz.balance.get();
    assert.equal(gets(), 2);
  });

  test("malformed options are a VALIDATION_ERROR naming the option", () => {
    assert.throws(() => cache({ ttl: { "/auth/me": -1 } }), {
      code: "VALIDATION_ERROR",
      issues: [{
        path: "ttl./auth/me",
        message: "must be a number of milliseconds (≥ 0)",
        input: -1,
      }],
    });
    assert.throws(() => cache({ coalesce: "yes" as never }), { code: "VALIDATION_ERROR" });
    assert.throws(() => cache({ store: {} as never }), { code: "VALIDATION_ERROR" });
  });

  test("invalidate() before the plugin is on a client says so", async () => {
    await assert.rejects(cache().invalidate("/x"), /add the plugin to a client first/);
  });
});

describe("cache: default store and entry details", () => {
  const entry = (body: string) => ({ v: 1 as const, status: 200, headers: {}, body, storedAt: 0 });

  test("the default store keeps the 1000 most recently used entries", async () => {
    let time = 0;
    const store = entryStore(() => time);
    for (let i = 0; i < 1000; i++) await store.setItem(`k${i}`, entry(""), { ttl: 60 });
    await store.getItem("k0"); // used: k1 is now the least recently used
    await store.setItem("k1000", entry(""), { ttl: 60 });
    assert.equal((await store.getKeys("k")).length, 1000);
    assert.equal(await store.getItem("k1"), null);
    assert.deepEqual(await store.getItem("k0"), entry(""));
    time = 60_000; // every entry expired
    assert.deepEqual(await store.getKeys(""), []);
  });

  test("the default store keeps at most 8 MiB of bodies, and never one larger", async () => {
    const store = entryStore(() => 0);
    const mib = "x".repeat(1024 * 1024);
    for (let i = 0; i < 8; i++) await store.setItem(`k${i}`, entry(mib), { ttl: 60 });
    assert.deepEqual((await store.getKeys()).sort(), ["k1", "k2", "k3", "k4", "k5", "k6", "k7"]);
    await store.setItem("huge", entry(mib.repeat(9)), { ttl: 60 });
    assert.equal(await store.getItem("huge"), null);
    assert.equal((await store.getKeys()).length, 7);
    await store.removeItem("k7");
    assert.deepEqual(await store.getKeys("k7"), []);
  });

  test("a TTL pattern matches a path with or without its trailing slash", async () => {
    const origin = counter();
    const { vobiz } = setup({
      options: { ttl: { "/Account/{auth_id}/numbers/": MIN } },
      fetch: () => origin.fetch,
    });
    for (const path of ["/numbers", "/numbers", "/numbers/", "/numbers/"]) {
      await vobiz.request("GET", `/Account/{auth_id}${path}`);
    }
    assert.equal(origin.count(), 2); // "/numbers" and "/numbers/" are different requests, both cached
  });

  test("only credential fields of a JSON object are left out of an entry", () => {
    const response = new Response(null, { headers: { etag: '"1"', "x-other": "no" } });
    const stored = (body: string) => toEntry(response, body, 5).body;
    assert.equal(stored('{"auth_id":"MA","auth_secret":"s","auth_token":"t"}'), '{"auth_id":"MA"}');
    assert.equal(stored('"auth_secret"'), '"auth_secret"');
    assert.equal(stored('["auth_secret"]'), '["auth_secret"]');
    assert.equal(stored('{"auth_secret": '), '{"auth_secret": ');
    assert.deepEqual(toEntry(response, "", 5).headers, { etag: '"1"' });
  });

  test("entries of another shape are misses; an empty body is answered without one", async () => {
    assert.equal(asEntry({ v: 2, status: 200, headers: {}, body: "", storedAt: 0 }), undefined);
    assert.equal(asEntry({ v: 1, status: "200", headers: {}, body: "", storedAt: 0 }), undefined);
    assert.equal(asEntry(null), undefined);
    const response = toResponse({ ...entry(""), status: 204 }, 1500, "hit");
    assert.equal(response.status, 204);
    assert.equal(response.headers.get("age"), "1");
    assert.equal(await response.text(), "");
  });
});
