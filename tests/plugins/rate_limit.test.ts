import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  type CallOptions,
  createClient,
  type FetchLike,
  isVobizError,
  memoryStore,
  type RateLimitEvent,
  type VobizClient,
  type VobizPlugin,
} from "../../mod.ts";
import { idempotency } from "../../plugins/idempotency.ts";
import { rateLimit, type RateLimitOptions } from "../../plugins/rate_limit.ts";
import { createMockVobiz } from "../../testing/mod.ts";
import { type FakeClock, fakeClock } from "../_support/fake_clock.ts";

const BASE = "https://api.vobiz.test/api/v1";
const CALL = "/Account/{auth_id}/Call/";
const call = { from: "+911234567890", to: "+919876543210", answer_url: "https://example.com/a" };

/** A transport whose answers wait until the test releases them. */
function heldTransport(answer: (request: Request) => Response = () => Response.json({ ok: 1 })) {
  const held: { request: Request; release: () => void }[] = [];
  let sent = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const fetch: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    sent++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise<void>((release) => held.push({ request, release }));
    inFlight--;
    return answer(request);
  };
  return {
    fetch,
    held,
    get maxInFlight() {
      return maxInFlight;
    },
    get sent() {
      return sent;
    },
    releaseAll: () => held.splice(0).forEach((h) => h.release()),
  };
}

/** Counts requests; answers from `answer`. */
function countingTransport(answer: (n: number, request: Request) => Response) {
  const seen: Request[] = [];
  const fetch: FetchLike = (input, init) => {
    const request = new Request(input, init);
    seen.push(request);
    return Promise.resolve(answer(seen.length, request));
  };
  return { fetch, seen };
}

function client(clock: FakeClock, fetch: FetchLike, options: RateLimitOptions = {}) {
  const limiter = rateLimit(options);
  const events: string[] = [];
  const vobiz = createClient({
    authId: "MA_MOCK0001",
    authToken: "mock-auth-token",
    baseUrl: BASE,
    clock,
    fetch,
    plugins: [limiter],
  });
  vobiz.hooks.hook("ratelimit:queued", (e: RateLimitEvent) => {
    events.push(`queued ${e.queued}/${e.maxQueued}`);
  });
  vobiz.hooks.hook("ratelimit:hit", (e: RateLimitEvent) => {
    events.push(`hit ${e.waitMs}`);
  });
  return { vobiz, limiter, events };
}

/** A plain read. */
const get = (vobiz: VobizClient, options: CallOptions = {}) =>
  vobiz.request("GET", "/Account/{auth_id}/concurrency", options);

/** Lets in-process I/O run (the transport's body reads). */
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Moves fake time forward in steps until `done()` or the budget runs out. */
async function drive(clock: FakeClock, done: () => boolean, stepMs = 50, maxMs = 120_000) {
  for (let spent = 0; !done() && spent <= maxMs; spent += stepMs) {
    await tick();
    if (done()) break;
    await clock.advance(stepMs);
  }
}

function settled<T>(promises: Promise<T>[]) {
  let count = 0;
  const all = Promise.allSettled(promises.map((p) => p.finally(() => count++)));
  return { all, done: () => count === promises.length };
}

describe("pacing", () => {
  test("at the account's CPS, a burst of call creations gets no 429 (mock cpsLimit)", async () => {
    for (const limited of [false, true]) {
      const clock = fakeClock();
      const mock = createMockVobiz({ cpsLimit: 2, now: clock.now });
      const statuses: number[] = [];
      const vobiz = createClient({
        authId: "MA_MOCK0001",
        authToken: "mock-auth-token",
        baseUrl: BASE,
        clock,
        fetch: (input, init) => mock.fetch(input, init),
        plugins: limited ? [rateLimit({ callsPerSecond: 2 })] : [],
      });
      vobiz.hooks.hook("afterResponse", ({ response }) => {
        statuses.push(response.status);
      });
      const calls = settled(
        Array.from({ length: 20 }, () => vobiz.request("POST", CALL, { json: call })),
      );
      await drive(clock, calls.done);
      await calls.all;
      const rejected = statuses.filter((status) => status === 429).length;
      if (!limited) {
        assert.ok(rejected > 0, "without the limiter the burst is rejected"); // the control
        continue;
      }
      assert.equal(rejected, 0);
      assert.equal(mock.effects.calls.length, 20);
      const starts = mock.effects.calls.map((c) => c.at);
      for (const at of starts) {
        assert.ok(starts.filter((t) => t > at - 1000 && t <= at).length <= 2);
      }
    }
  });

  test("the token bucket lets a burst through, then paces to the rate", async () => {
    const clock = fakeClock();
    const t = countingTransport(() => Response.json({}));
    const { vobiz } = client(clock, t.fetch, { requestsPerSecond: 5, burst: 5 });
    const calls = settled(Array.from({ length: 12 }, () => get(vobiz)));
    await tick();
    assert.equal(t.seen.length, 5);
    await clock.advance(200);
    await tick();
    assert.equal(t.seen.length, 6);
    await clock.advance(800);
    await tick();
    assert.equal(t.seen.length, 10);
    await drive(clock, calls.done);
    assert.equal(t.seen.length, 12);
  });

  test("a concurrency cap holds calls until a slot frees, on success and on failure", async () => {
    const clock = fakeClock();
    let n = 0;
    const t = heldTransport(
      () => (++n === 1 ? Response.json({}, { status: 500 }) : Response.json({})),
    );
    const { vobiz, limiter } = client(clock, t.fetch, { maxConcurrent: 2 });
    const calls = settled(Array.from({ length: 5 }, () => get(vobiz)));
    await tick();
    assert.equal(t.held.length, 2);
    assert.deepEqual(limiter.state(), { active: 2, queued: 3, pausedForMs: 0 });
    t.held.shift()?.release(); // that one fails with a 500: its slot is freed too
    await tick();
    await tick();
    assert.equal(t.held.length, 2);
    for (let i = 0; i < 5 && !calls.done(); i++) {
      t.releaseAll();
      await tick();
      await tick();
    }
    const results = await calls.all;
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 4);
    assert.equal(t.maxInFlight, 2);
    assert.deepEqual(limiter.state(), { active: 0, queued: 0, pausedForMs: 0 });
  });
});

describe("bounded waiting", () => {
  test("beyond maxQueued a call fails at once with RATE_LIMITED, sending nothing", async () => {
    const clock = fakeClock();
    const t = heldTransport();
    const { vobiz, events } = client(clock, t.fetch, { maxConcurrent: 1, maxQueued: 2 });
    const calls = [get(vobiz), get(vobiz), get(vobiz)];
    await assert.rejects(get(vobiz), (error) => {
      assert.ok(isVobizError(error));
      assert.equal(error.code, "RATE_LIMITED");
      assert.match(error.message, /queue is full/);
      return true;
    });
    assert.deepEqual(events, ["queued 1/2", "queued 2/2"]);
    const all = settled(calls);
    for (let i = 0; i < 5 && !all.done(); i++) {
      await tick();
      t.releaseAll();
    }
    await Promise.all(calls);
    assert.equal(t.sent, 3);
  });

  test("a call that would wait longer than maxWaitMs fails RATE_LIMITED with the wait it needs", async () => {
    const clock = fakeClock();
    const t = countingTransport(() => Response.json({ api_id: "x" }));
    const { vobiz } = client(clock, t.fetch, { callsPerSecond: 1, maxWaitMs: 1500 });
    const calls = [1, 2, 3].map(() => vobiz.request("POST", CALL, { json: call }));
    const third = calls[2]!.then(() => undefined, (error: unknown) => error);
    const all = settled(calls.slice(0, 2));
    await drive(clock, all.done);
    const error = await third;
    assert.ok(isVobizError(error));
    assert.equal(error.code, "RATE_LIMITED");
    assert.equal((error as { retryAfterMs?: number }).retryAfterMs, 2000);
    assert.equal(t.seen.length, 2);
  });

  test("a call that finds no free slot within maxWaitMs fails RATE_LIMITED", async () => {
    const clock = fakeClock();
    const t = heldTransport();
    const { vobiz, limiter } = client(clock, t.fetch, { maxConcurrent: 1, maxWaitMs: 1000 });
    const first = get(vobiz);
    const second = get(vobiz);
    await tick();
    await clock.advance(1000);
    await assert.rejects(second, { code: "RATE_LIMITED", message: /no slot came free/ });
    assert.equal(limiter.state().queued, 0);
    t.releaseAll();
    await first;
  });

  test("a waiting call honours its signal and leaves the queue", async () => {
    const clock = fakeClock();
    const t = heldTransport();
    const { vobiz, limiter } = client(clock, t.fetch, { maxConcurrent: 1 });
    const first = get(vobiz);
    const controller = new AbortController();
    const second = get(vobiz, { signal: controller.signal });
    await tick();
    assert.equal(limiter.state().queued, 1);
    controller.abort();
    await assert.rejects(second, { code: "ABORTED" });
    assert.equal(limiter.state().queued, 0);
    await tick();
    t.releaseAll();
    await first;
    assert.equal(t.sent, 1);
  });
});

describe("429 pauses", () => {
  test("a 429 with Retry-After pauses every caller of the client together", async () => {
    const clock = fakeClock();
    const t = countingTransport((n) =>
      n === 1
        ? Response.json({ error: "slow down" }, { status: 429, headers: { "retry-after": "3" } })
        : Response.json({})
    );
    const { vobiz, events, limiter } = client(clock, t.fetch);
    await assert.rejects(get(vobiz), { code: "HTTP_ERROR", status: 429 });
    assert.equal(limiter.state().pausedForMs, 3000);
    const later = settled([get(vobiz), get(vobiz)]);
    await clock.advance(2999);
    await tick();
    assert.equal(t.seen.length, 1);
    await clock.advance(1);
    await drive(clock, later.done);
    assert.equal(t.seen.length, 3);
    assert.deepEqual(events, ["hit 3000", "queued 1/1000", "queued 2/1000"]);
  });

  test("without Retry-After the pause comes from the body, else doubles per 429 in a row", async () => {
    const clock = fakeClock();
    const answers = [
      Response.json({ error: { code: "RATE_LIMIT_EXCEEDED", details: { retryAfter: 2 } } }, {
        status: 429,
      }),
      new Response("busy", { status: 429 }),
      new Response("busy", { status: 429 }),
      Response.json({}),
      new Response("busy", { status: 429 }),
    ];
    const t = countingTransport((n) => answers[n - 1] ?? Response.json({}));
    const { vobiz, events } = client(clock, t.fetch, { backoffMs: 500 });
    for (let i = 0; i < answers.length; i++) {
      const pending = get(vobiz).catch(() => undefined);
      const state = settled([pending]);
      await drive(clock, state.done);
    }
    assert.deepEqual(events.filter((e) => e.startsWith("hit")), [
      "hit 2000",
      "hit 1000",
      "hit 2000",
      "hit 500",
    ]);
  });

  test("a retry waits out the pause and takes a token", async () => {
    const clock = fakeClock();
    const retry429: VobizPlugin = {
      name: "retry-429",
      setup: (host) =>
        host.configureKy({
          retry: {
            limit: 1,
            methods: ["get"],
            statusCodes: [429],
            afterStatusCodes: [],
            delay: () => 0,
          },
        }),
    };
    const t = countingTransport((n) =>
      n === 1
        ? new Response("busy", { status: 429, headers: { "retry-after": "2" } })
        : Response.json({ balance: 1 })
    );
    const vobiz = createClient({
      authId: "MA_MOCK0001",
      authToken: "x",
      baseUrl: BASE,
      clock,
      fetch: t.fetch,
      plugins: [rateLimit(), retry429],
    });
    const pending = get(vobiz);
    const state = settled([pending]);
    await tick();
    await tick();
    await clock.advance(1999);
    await tick();
    assert.equal(t.seen.length, 1);
    await drive(clock, state.done);
    assert.equal(t.seen.length, 2);
    assert.deepEqual(await pending, { balance: 1 });
  });
});

describe("a 429 pause shared through a store", () => {
  test("A's 429 pauses B from B's next read of the store (at most every syncMs)", async () => {
    const clock = fakeClock();
    const store = memoryStore({ clock });
    const t = countingTransport((n) =>
      n === 2
        ? Response.json({ error: "slow down" }, { status: 429, headers: { "retry-after": "5" } })
        : Response.json({})
    );
    const a = client(clock, t.fetch, { store });
    const b = client(clock, t.fetch, { store, syncMs: 1000 });
    await get(b.vobiz); // B has read the store now (nothing there)
    await assert.rejects(get(a.vobiz), { code: "HTTP_ERROR", status: 429 });
    assert.deepEqual(await store.getItem("vobiz-kit:rate-limit:pause:MA_MOCK0001"), {
      until: clock.now() + 5000,
    });
    assert.equal(b.limiter.state().pausedForMs, 0);
    await clock.advance(1000);
    const later = settled([get(b.vobiz)]);
    await tick();
    assert.equal(t.seen.length, 2); // B waits for A's pause to end
    assert.equal(b.limiter.state().pausedForMs, 4000);
    await clock.advance(3999);
    await tick();
    assert.equal(t.seen.length, 2);
    await clock.advance(1);
    await drive(clock, later.done);
    assert.equal(t.seen.length, 3);
    assert.deepEqual(b.events, ["queued 1/1000"]);
  });

  test("healthy calls read the store at most once per syncMs and write nothing", async () => {
    const clock = fakeClock();
    const inner = memoryStore({ clock });
    const traffic: string[] = [];
    const store = {
      ...inner,
      getItem: <T>(key: string) => (traffic.push(`get ${key}`), inner.getItem<T>(key)),
      setItem: (key: string, value: unknown, options?: { ttl?: number }) => (
        traffic.push(`set ${key}`), inner.setItem(key, value, options)
      ),
    };
    const t = countingTransport(() => Response.json({}));
    const { vobiz } = client(clock, t.fetch, { store, syncMs: 1000 });
    for (let i = 0; i < 5; i++) await get(vobiz);
    await clock.advance(999);
    await get(vobiz);
    await clock.advance(1);
    for (let i = 0; i < 5; i++) await get(vobiz);
    assert.equal(t.seen.length, 11);
    assert.deepEqual(traffic, Array(2).fill("get vobiz-kit:rate-limit:pause:MA_MOCK0001"));
  });

  test("a failing store is ignored", async () => {
    const clock = fakeClock();
    const down = () => Promise.reject(new Error("store down"));
    const store = { getItem: down, setItem: down, removeItem: down, getKeys: down };
    const t = countingTransport((n) =>
      n === 1
        ? new Response("busy", { status: 429, headers: { "retry-after": "2" } })
        : Response.json({})
    );
    const { vobiz, limiter } = client(clock, t.fetch, { store });
    await assert.rejects(get(vobiz), { code: "HTTP_ERROR", status: 429 });
    assert.equal(limiter.state().pausedForMs, 2000);
    await clock.advance(2000);
    await get(vobiz);
    assert.equal(t.seen.length, 2);
  });
});

describe("bypass", () => {
  test("replays answered by the idempotency plugin take no token", async () => {
    const clock = fakeClock();
    const mock = createMockVobiz({ now: clock.now });
    const vobiz = createClient({
      authId: "MA_MOCK0001",
      authToken: "mock-auth-token",
      baseUrl: BASE,
      clock,
      fetch: (input, init) => mock.fetch(input, init),
      plugins: [idempotency(), rateLimit({ requestsPerSecond: 1, burst: 1 })],
    });
    const send = () => vobiz.request("POST", CALL, { json: call, idempotencyKey: "k" });
    const first = await send();
    assert.deepEqual(await send(), first); // would wait a second for a token if it took one
    assert.deepEqual(await send(), first);
    assert.equal(mock.received.length, 1);
  });

  test('a call can opt out with plugins: { "rate-limit": false }', async () => {
    const clock = fakeClock();
    const t = heldTransport();
    const { vobiz } = client(clock, t.fetch, { maxConcurrent: 1 });
    const first = get(vobiz);
    const second = get(vobiz, { plugins: { "rate-limit": false } });
    await tick();
    assert.equal(t.held.length, 2);
    t.releaseAll();
    await Promise.all([first, second]);
  });

  test("bad options fail at creation with VALIDATION_ERROR", () => {
    assert.throws(() => rateLimit({ maxConcurrent: 0 }), { code: "VALIDATION_ERROR" });
    assert.throws(() => rateLimit({ requestsPerSecond: -1 }), { code: "VALIDATION_ERROR" });
  });
});
