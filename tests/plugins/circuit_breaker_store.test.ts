// The circuit breaker shared through a store: two plugin instances (two "processes") on one
// memoryStore and one fake clock. A store without compare-and-set is made safe by the merge rules:
// the latest opening and the latest close are kept apart and the later event wins.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createClient, type KeyValueStore, memoryStore, VobizCircuitOpenError } from "../../mod.ts";
import { circuitBreaker, type CircuitBreakerOptions } from "../../plugins/circuit_breaker.ts";
import { type FakeClock, fakeClock } from "../_support/fake_clock.ts";

const base = {
  authId: "MA_TEST0001",
  authToken: "s3cret-token",
  baseUrl: "https://api.vobiz.test/api/v1",
};
const ROUTE = "/Account/{auth_id}/thing";
const KEY = `GET ${ROUTE}`;
const OPEN_KEY = `vobiz-kit:circuit:${encodeURIComponent(KEY)}:open`;

/** One API for every instance: answers with `status`, or waits for `release` when `held`. */
function api() {
  let status = 200;
  let held: ((status: number) => void)[] | undefined;
  const server = {
    count: 0,
    answer(next: number) {
      status = next;
    },
    hold() {
      held = [];
    },
    release(...statuses: number[]) {
      const waiting = held ?? [];
      held = undefined;
      waiting.forEach((answer, i) => answer(statuses[i] ?? status));
    },
    fetch: (_input: Request, _init?: RequestInit): Promise<Response> => {
      server.count++;
      const answer = (code: number) => Response.json({ status: code }, { status: code });
      if (held === undefined) return Promise.resolve(answer(status));
      const waiting = held;
      return new Promise((resolve) => waiting.push((code) => resolve(answer(code))));
    },
  };
  return server;
}

type Api = ReturnType<typeof api>;

function instance(
  clock: FakeClock,
  server: Api,
  store: KeyValueStore,
  options: CircuitBreakerOptions = {},
) {
  const breaker = circuitBreaker({ store, ...options });
  const client = createClient({ ...base, clock, fetch: server.fetch, plugins: [breaker] });
  const events: string[] = [];
  client.hooks.hook("circuit:state", (e) => void events.push(`${e.from}→${e.to}`));
  const call = () => client.request("GET", ROUTE).then(() => "ok", (e: unknown) => e);
  const fail = (n: number) => Promise.all(Array.from({ length: n }, call));
  return { breaker, client, events, call, fail };
}

function fleet(options: CircuitBreakerOptions = {}) {
  const clock = fakeClock();
  const server = api();
  const store = memoryStore({ clock });
  return {
    clock,
    server,
    store,
    a: instance(clock, server, store, options),
    b: instance(clock, server, store, options),
  };
}

/** Lets pending promises run until `done()`; fails (rather than spins) when it never holds. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !done(); i++) await Promise.resolve();
  assert.ok(done(), "the expected state was never reached");
}

const openError = (error: unknown): VobizCircuitOpenError => {
  assert.ok(error instanceof VobizCircuitOpenError, String(error));
  return error;
};

describe("circuitBreaker with a store: an opening reaches the other instances", () => {
  test("failures in A open the circuit for B at B's next sync, and B fails fast without sending", async () => {
    const { clock, server, a, b } = fleet();
    assert.equal(await b.call(), "ok"); // B has read the (empty) shared record now
    server.answer(503);
    await a.fail(5);
    assert.equal(a.breaker.state(KEY), "open");
    assert.equal(b.breaker.state(KEY), "closed"); // B has not read yet: syncMs bounds the lag
    server.answer(200);
    assert.equal(await b.call(), "ok"); // within syncMs B still trusts its own view
    await clock.advance(1000);
    const sent = server.count;
    const error = openError(await b.call());
    assert.equal(error.retryAfterMs, 29_000); // the opening's own end, not a fresh 30 s
    assert.equal(server.count, sent);
    assert.equal(b.breaker.state(KEY), "open");
    assert.deepEqual(b.events, ["closed→open"]);
  });

  test("the store holds the opening as plain timestamps, expiring with it", async () => {
    const { clock, server, store, a } = fleet();
    server.answer(503);
    await a.fail(5);
    const opened = clock.now();
    assert.deepEqual(await store.getItem(OPEN_KEY), {
      openedAt: opened,
      openUntil: opened + 30_000,
    });
    assert.deepEqual(await store.getKeys(), [OPEN_KEY]);
    await clock.advance(30_000);
    assert.equal(await store.getItem(OPEN_KEY), null);
  });

  test("a closed circuit reads the store at most once per syncMs and writes nothing", async () => {
    const clock = fakeClock();
    const inner = memoryStore({ clock });
    const traffic: string[] = [];
    const store: KeyValueStore = {
      ...inner,
      getItem: (key) => (traffic.push(`get ${key}`), inner.getItem(key)),
      setItem: (key, value, o) => (traffic.push(`set ${key}`), inner.setItem(key, value, o)),
    };
    const { call } = instance(clock, api(), store, { syncMs: 5000 });
    for (let i = 0; i < 20; i++) assert.equal(await call(), "ok");
    await clock.advance(4999);
    for (let i = 0; i < 20; i++) assert.equal(await call(), "ok");
    assert.equal(traffic.length, 2); // one read of the opening and the close keys
    await clock.advance(1);
    await call();
    assert.equal(traffic.length, 4);
    assert.ok(traffic.every((line) => line.startsWith("get ")));
  });

  test("failure streaks are per instance: 3 + 3 failures open neither circuit (threshold 5)", async () => {
    const { server, store, a, b } = fleet();
    server.answer(503);
    await a.fail(3);
    await b.fail(3);
    assert.equal(a.breaker.state(KEY), "closed");
    assert.equal(b.breaker.state(KEY), "closed");
    assert.deepEqual(await store.getKeys(), []);
  });
});

describe("circuitBreaker with a store: concurrent updates", () => {
  test("a close written last never erases a later opening", async () => {
    const { clock, server, store, a, b } = fleet();
    // A's writes are held, so that A's close lands after B's reopening.
    const held: (() => void)[] = [];
    const slowStore: KeyValueStore = {
      ...store,
      getItem: (key) => store.getItem(key),
      setItem: (key, value, o) =>
        new Promise<void>((resolve) =>
          held.push(() => void store.setItem(key, value, o).then(resolve))
        ),
    };
    const slowA = instance(clock, server, slowStore);
    server.answer(503);
    await a.fail(5); // opens A (and the shared record) …
    await clock.advance(1000);
    openError(await b.call()); // … and B adopts it
    openError(await slowA.call()); // … and slowA too
    await clock.advance(29_000);
    server.answer(200);
    const probeA = slowA.call(); // slowA's probe succeeds: its close write is held
    await until(() => held.length > 0);
    await clock.advance(1);
    server.answer(503);
    assert.ok((await b.call()) instanceof Error); // B's probe fails: B reopens for 60 s, written at once
    held.splice(0).forEach((write) => write()); // slowA's older close lands last
    assert.equal(await probeA, "ok");
    assert.equal(slowA.breaker.state(KEY), "closed");
    await clock.advance(1000);
    server.answer(200);
    const sent = server.count;
    const error = openError(await slowA.call()); // slowA adopts the later opening
    assert.equal(error.retryAfterMs, 59_000);
    assert.equal(server.count, sent);
    assert.deepEqual(slowA.events, [
      "closed→open",
      "open→half-open",
      "half-open→closed",
      "closed→open",
    ]);
  });

  test("openings racing from both instances leave the circuit open for everyone", async () => {
    const { clock, server, store, a, b } = fleet();
    server.answer(503);
    await Promise.all([a.fail(5), b.fail(5)]);
    assert.equal(a.breaker.state(KEY), "open");
    assert.equal(b.breaker.state(KEY), "open");
    const c = instance(clock, server, store);
    const sent = server.count;
    openError(await c.call());
    assert.equal(server.count, sent);
  });
});

describe("circuitBreaker with a store: expiry and half-open", () => {
  test("when the opening is over, a successful probe from B closes it for A, which then sends no probe", async () => {
    const { clock, server, a, b } = fleet();
    server.answer(503);
    await a.fail(5);
    await clock.advance(1000);
    openError(await b.call());
    await clock.advance(29_000);
    assert.equal(a.breaker.state(KEY), "half-open");
    assert.equal(b.breaker.state(KEY), "half-open");
    server.answer(200);
    assert.equal(await b.call(), "ok"); // B's probe
    assert.equal(b.breaker.state(KEY), "closed");
    server.hold(); // A would probe alone; having read B's close, it lets calls through together
    const calls = [a.call(), a.call()];
    await until(() => server.count >= 8);
    server.release();
    assert.deepEqual(await Promise.all(calls), ["ok", "ok"]);
    assert.deepEqual(a.events, ["closed→open", "open→closed"]);
  });

  test("each instance sends its own single probe: two instances, two probes at most", async () => {
    const { clock, server, store, a, b } = fleet();
    server.answer(503);
    await a.fail(5);
    await clock.advance(1000);
    openError(await b.call());
    await clock.advance(29_000);
    server.hold();
    const probes = [a.call(), b.call()];
    await until(() => server.count >= 7);
    const others = await Promise.all([a.call(), b.call(), a.call(), b.call()]);
    for (const error of others) assert.equal(openError(error).retryAfterMs, 0);
    assert.equal(server.count, 7); // 5 failures + one probe per instance
    server.release(503, 503);
    await Promise.all(probes);
    assert.equal(a.breaker.state(KEY), "open");
    assert.equal(b.breaker.state(KEY), "open");
    const reopened = await store.getItem<{ openedAt: number; openUntil: number }>(OPEN_KEY);
    assert.equal(reopened!.openUntil - reopened!.openedAt, 60_000); // doubled
  });

  test("reset() on one instance closes the circuit for the others at their next sync", async () => {
    const { clock, server, a, b } = fleet();
    server.answer(503);
    await a.fail(5);
    await clock.advance(1000);
    openError(await b.call());
    a.breaker.reset(KEY);
    assert.equal(a.breaker.state(KEY), "closed");
    await clock.advance(1000);
    server.answer(200);
    assert.equal(await b.call(), "ok");
    assert.deepEqual(b.events, ["closed→open", "open→closed"]);
  });
});

describe("circuitBreaker with a store: a failing store", () => {
  test("is ignored: each instance keeps working on its own state", async () => {
    const clock = fakeClock();
    const server = api();
    const broken: KeyValueStore = {
      getItem: () => Promise.reject(new Error("store down")),
      setItem: () => Promise.reject(new Error("store down")),
      removeItem: () => Promise.reject(new Error("store down")),
      getKeys: () => Promise.reject(new Error("store down")),
    };
    const { breaker, call, fail } = instance(clock, server, broken);
    assert.equal(await call(), "ok");
    server.answer(503);
    await fail(5);
    assert.equal(breaker.state(KEY), "open");
    openError(await call());
    assert.equal(server.count, 6);
  });

  test("rejects malformed store options", () => {
    assert.throws(
      () => circuitBreaker({ store: {} as KeyValueStore }),
      { code: "VALIDATION_ERROR" },
    );
    assert.throws(() => circuitBreaker({ syncMs: -1 }), { code: "VALIDATION_ERROR" });
  });
});
