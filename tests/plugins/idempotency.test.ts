import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  createClient,
  type FetchLike,
  type IdempotencyEvent,
  isVobizError,
  memoryStore,
  type VobizPlugin,
} from "../../mod.ts";
import { idempotency, type IdempotencyMeta } from "../../plugins/idempotency.ts";
import { retry } from "../../plugins/retry.ts";
import { createMockVobiz, type MockVobiz } from "../../testing/mod.ts";
import { fakeClock } from "../_support/fake_clock.ts";

const BASE = "https://api.vobiz.test/api/v1";
const PURCHASE = "/Account/{auth_id}/numbers/purchase-from-inventory";
const CALL = "/Account/{auth_id}/Call/";
const NUMBER = "+918000000001";
const PRICE = 100;
const call = { from: "+911234567890", to: "+919876543210", answer_url: "https://example.com/a" };

type Purchase = { e164: string; reconciled?: boolean };

function setup(options: { fetch?: FetchLike; plugins?: VobizPlugin[]; mock?: MockVobiz } = {}) {
  const mock = options.mock ?? createMockVobiz({ balance: 1000, numberPrice: PRICE });
  const events: string[] = [];
  const plugin = idempotency();
  const vobiz = createClient({
    authId: "MA_MOCK0001",
    authToken: "mock-auth-token",
    baseUrl: BASE,
    fetch: options.fetch ?? ((input, init) => mock.fetch(input, init)),
    plugins: options.plugins ?? [plugin],
  });
  for (const name of ["joined", "replayed", "reconciled"] as const) {
    vobiz.hooks.hook(`idempotency:${name}`, (event: IdempotencyEvent) => {
      events.push(`${name} ${event.key}`);
    });
  }
  const purchase = (key?: string, e164 = NUMBER) =>
    vobiz.request<Purchase>("POST", PURCHASE, {
      json: { e164 },
      ...(key === undefined ? {} : { idempotencyKey: key }),
    });
  const sent = (path: RegExp) => mock.received.filter((r) => path.test(r.path)).length;
  return { mock, vobiz, plugin, events, purchase, sent };
}

const purchases = /purchase-from-inventory$/;
const numberList = /\/numbers$/;
const calls = /\/Call\/$/;

/** Turns on ky's retry engine for 429s on every method, with no delay. */
const retry429: VobizPlugin = {
  name: "retry-429",
  setup: (host) =>
    host.configureKy({
      retry: { limit: 2, methods: ["post"], statusCodes: [429], delay: () => 0, jitter: false },
    }),
};

describe("idempotency keys", () => {
  test("a paid route gets a fresh UUID key; reads and other writes get none", async () => {
    const { mock, vobiz, purchase } = setup();
    await purchase();
    await vobiz.balance.get();
    const [write, read] = mock.received;
    assert.match(write?.headers["idempotency-key"] ?? "", /^[0-9a-f-]{36}$/);
    assert.equal(read?.headers["idempotency-key"], undefined);
  });

  test("the caller's key is sent, identical on every attempt", async () => {
    const { mock, purchase } = setup({ plugins: [idempotency(), retry429] });
    mock.fault({ method: "POST", path: PURCHASE, status: 429, times: 2 });
    const result = await purchase("order-1");
    assert.equal(result.e164, NUMBER);
    assert.deepEqual(mock.received.map((r) => r.headers["idempotency-key"]), [
      "order-1",
      "order-1",
      "order-1",
    ]);
  });

  test("calls marked paid or given a key are covered, whatever the route", async () => {
    const seen: (string | null)[] = [];
    const { vobiz } = setup({
      fetch: (input, init) => {
        seen.push(new Request(input, init).headers.get("idempotency-key"));
        return Promise.resolve(Response.json({ ok: true }));
      },
    });
    await vobiz.request("POST", "/Account/{auth_id}/custom", { paid: true });
    await vobiz.request("POST", "/Account/{auth_id}/custom", { idempotencyKey: "k-2" });
    await vobiz.request("POST", "/Account/{auth_id}/custom");
    await vobiz.request("POST", CALL, { json: call, plugins: { idempotency: false } });
    assert.match(seen[0] ?? "", /^[0-9a-f-]{36}$/);
    assert.deepEqual(seen.slice(1), ["k-2", null, null]);
  });
});

describe("de-duplication", () => {
  test("concurrent calls with one key join the first: one request, one purchase, one result", async () => {
    const { mock, purchase, events, sent } = setup();
    const results = await Promise.all(Array.from({ length: 20 }, () => purchase("same")));
    assert.equal(sent(purchases), 1);
    assert.equal(mock.effects.purchases.length, 1);
    assert.equal(mock.effects.debits.length, 1);
    assert.ok(results.every((r) => r.e164 === NUMBER));
    assert.equal(events.filter((e) => e === "joined same").length, 19);
  });

  test("a repeat within the retention window returns the first answer without sending", async () => {
    const { mock, purchase, events, sent } = setup();
    const first = await purchase("again");
    const second = await purchase("again");
    assert.deepEqual(second, first);
    assert.equal(sent(purchases), 1);
    assert.deepEqual(events, ["replayed again"]);
    assert.equal(mock.balance(), 1000 - PRICE);
  });

  test("after the retention window the key is forgotten", async () => {
    const clock = fakeClock();
    const mock = createMockVobiz({ now: clock.now });
    const store = memoryStore({ clock });
    const vobiz = createClient({
      authId: "MA_MOCK0001",
      authToken: "mock-auth-token",
      baseUrl: BASE,
      clock,
      fetch: (input, init) => mock.fetch(input, init),
      plugins: [idempotency({ store, retentionMs: 60_000 })],
    });
    const send = () => vobiz.request("POST", CALL, { json: call, idempotencyKey: "c-1" });
    await send();
    await clock.advance(59_000);
    await send();
    assert.equal(mock.effects.calls.length, 1);
    await clock.advance(1_000);
    await send();
    assert.equal(mock.effects.calls.length, 2);
  });

  test("a store shared by two clients (two processes) de-duplicates across them", async () => {
    const mock = createMockVobiz();
    const store = memoryStore();
    const make = () =>
      createClient({
        authId: "MA_MOCK0001",
        authToken: "mock-auth-token",
        baseUrl: BASE,
        fetch: (input, init) => mock.fetch(input, init),
        plugins: [idempotency({ store })],
      });
    const one = await make().request("POST", CALL, { json: call, idempotencyKey: "shared" });
    const two = await make().request("POST", CALL, { json: call, idempotencyKey: "shared" });
    assert.deepEqual(two, one);
    assert.equal(mock.effects.calls.length, 1);
  });

  test("a key reused for a different request is refused before sending", async () => {
    const { purchase, sent } = setup();
    await purchase("order-7", "+918000000001");
    await assert.rejects(purchase("order-7", "+918000000002"), (error) => {
      assert.ok(isVobizError(error));
      assert.equal(error.code, "VALIDATION_ERROR");
      assert.match(error.message, /idempotencyKey/);
      return true;
    });
    assert.equal(sent(purchases), 1);
  });

  test("a definite failure is shared with joiners and not remembered: the key can be sent again", async () => {
    const { mock, purchase, sent } = setup();
    mock.fault({ method: "POST", path: PURCHASE, status: 402, errorCode: "INSUFFICIENT_BALANCE" });
    const failures = await Promise.allSettled([purchase("topup"), purchase("topup")]);
    for (const failure of failures) {
      assert.equal(failure.status, "rejected");
      assert.equal((failure as PromiseRejectedResult).reason.status, 402);
    }
    assert.equal(sent(purchases), 1);
    assert.equal((await purchase("topup")).e164, NUMBER);
    assert.equal(mock.effects.purchases.length, 1);
  });

  test("a joiner honours its own signal", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => release = resolve);
    const mock = createMockVobiz();
    const { purchase, vobiz } = setup({
      mock,
      fetch: async (input, init) => {
        await gate;
        return mock.fetch(input, init);
      },
    });
    const first = purchase("slow");
    await new Promise((resolve) => setTimeout(resolve, 0));
    const controller = new AbortController();
    const joiner = vobiz.request("POST", PURCHASE, {
      json: { e164: NUMBER },
      idempotencyKey: "slow",
      signal: controller.signal,
    });
    controller.abort();
    await assert.rejects(joiner, { code: "ABORTED" });
    release();
    assert.equal((await first).e164, NUMBER);
  });

  test("forget() lets a key be sent again", async () => {
    const { mock, plugin, purchase } = setup();
    await purchase("k");
    await plugin.forget("k", "MA_MOCK0001");
    await assert.rejects(purchase("k"), { code: "HTTP_ERROR", status: 409 }); // already owned
    assert.equal(mock.effects.purchases.length, 1);
  });
});

describe("unknown outcomes", () => {
  test("a connection dropped after the purchase is reconciled: the caller gets it, flagged", async () => {
    const { mock, purchase, events, sent } = setup();
    mock.fault({ method: "POST", path: PURCHASE, drop: "after" });
    const result = await purchase("drop-after");
    assert.equal(result.e164, NUMBER);
    assert.equal(result.reconciled, true);
    assert.equal(sent(purchases), 1);
    assert.equal(sent(numberList), 1); // the state check
    assert.deepEqual(events, ["reconciled drop-after"]);
    assert.deepEqual(await purchase("drop-after"), result); // recorded: replayed
    assert.equal(sent(purchases), 1);
    assert.equal(mock.effects.debits.length, 1);
  });

  test("N concurrent and repeated purchases under dropped connections buy once and debit once", async () => {
    const { mock, purchase } = setup({ plugins: [idempotency(), retry429] });
    mock.fault({ method: "POST", path: PURCHASE, drop: "after", times: Infinity });
    const burst = await Promise.all(Array.from({ length: 25 }, () => purchase("order-9")));
    const repeats = [];
    for (let i = 0; i < 5; i++) repeats.push(await purchase("order-9"));
    for (const result of [...burst, ...repeats]) assert.equal(result.e164, NUMBER);
    assert.equal(mock.effects.purchases.length, 1);
    assert.equal(mock.effects.debits.length, 1);
    assert.equal(mock.balance(), 1000 - PRICE);
  });

  test("a drop before the request ran: the check finds nothing, the caller gets the error, a resend works", async () => {
    const { mock, purchase, sent } = setup();
    mock.fault({ method: "POST", path: PURCHASE, drop: "before" });
    await assert.rejects(purchase("drop-before"), { code: "NETWORK_ERROR" });
    assert.equal(mock.effects.purchases.length, 0);
    assert.equal(sent(numberList), 1);
    assert.equal((await purchase("drop-before")).e164, NUMBER);
    assert.equal(mock.effects.purchases.length, 1);
  });

  test("a 5xx after the purchase ran is reconciled to the purchase", async () => {
    const mock = createMockVobiz();
    let first = true;
    const { purchase } = setup({
      mock,
      fetch: async (input, init) => {
        const isPurchase = input.url.endsWith("purchase-from-inventory");
        const response = await mock.fetch(input, init);
        if (!first || !isPurchase) return response;
        first = false;
        await response.body?.cancel();
        return new Response("bad gateway", { status: 502 });
      },
    });
    const result = await purchase("five-oh-two");
    assert.equal(result.reconciled, true);
    assert.equal(mock.effects.purchases.length, 1);
  });

  test("a 5xx where the purchase did not run gives the caller the 5xx, and allows a retry", async () => {
    let meta: IdempotencyMeta | undefined;
    const { mock, purchase, vobiz } = setup();
    vobiz.hooks.hook("done", ({ context }) => {
      meta = context.meta["idempotency"] as IdempotencyMeta;
    });
    mock.fault({ method: "POST", path: PURCHASE, status: 503 });
    await assert.rejects(purchase("five-oh-three"), { code: "HTTP_ERROR", status: 503 });
    assert.equal(meta?.safeToRetry, true);
    assert.equal(meta?.allowRetry(new Error("x"), 1), true);
    assert.match(meta?.checked ?? "", /not among the account's numbers/);
    assert.equal(mock.effects.purchases.length, 0);
  });

  test("an attempt that times out after the purchase ran is reconciled (fake clock)", async () => {
    const clock = fakeClock();
    const mock = createMockVobiz({ now: clock.now, sleep: (ms) => clock.sleep(ms) });
    mock.fault({ method: "POST", path: PURCHASE, latencyMs: 60_000 });
    const vobiz = createClient({
      authId: "MA_MOCK0001",
      authToken: "mock-auth-token",
      baseUrl: BASE,
      clock,
      timeout: 5_000,
      fetch: (input, init) => mock.fetch(input, init),
      plugins: [idempotency()],
    });
    const pending = vobiz.request<Purchase>("POST", PURCHASE, { json: { e164: NUMBER } });
    while (mock.effects.purchases.length === 0) await tick();
    await clock.advance(5_000);
    const result = await pending;
    assert.equal(result.reconciled, true);
    assert.equal(mock.effects.purchases.length, 1);
  });

  test("a call whose outcome cannot be checked fails AMBIGUOUS_OUTCOME and is never resent", async () => {
    const { mock, vobiz, sent } = setup();
    mock.fault({ method: "POST", path: CALL, drop: "after" });
    const place = () => vobiz.request("POST", CALL, { json: call, idempotencyKey: "dial-1" });
    for (let i = 0; i < 2; i++) {
      await assert.rejects(place(), (error) => {
        assert.ok(isVobizError(error));
        assert.equal(error.code, "AMBIGUOUS_OUTCOME");
        assert.equal((error as { idempotencyKey?: string }).idempotencyKey, "dial-1");
        assert.match((error as { checked?: string }).checked ?? "", /no state check exists/);
        return true;
      });
    }
    assert.equal(sent(calls), 1);
    assert.equal(mock.effects.calls.length, 1);
  });

  test("a connection refused before sending is a plain NETWORK_ERROR that may be retried", async () => {
    let meta: IdempotencyMeta | undefined;
    const { vobiz } = setup({
      fetch: () => {
        const cause = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
        return Promise.reject(new TypeError("fetch failed", { cause }));
      },
    });
    vobiz.hooks.hook("done", ({ context }) => {
      meta = context.meta["idempotency"] as IdempotencyMeta;
    });
    await assert.rejects(vobiz.request("POST", CALL, { json: call }), { code: "NETWORK_ERROR" });
    assert.equal(meta?.safeToRetry, true);
  });

  test("a custom state check settles a write the built-ins cannot", async () => {
    const mock = createMockVobiz();
    mock.fault({ method: "POST", path: CALL, drop: "after" });
    const vobiz = createClient({
      authId: "MA_MOCK0001",
      authToken: "mock-auth-token",
      baseUrl: BASE,
      fetch: (input, init) => mock.fetch(input, init),
      plugins: [idempotency({
        reconcilers: [{
          method: "POST",
          path: /\/Call\/$/,
          check: async ({ request }) => {
            const live = await request("GET", "/Account/{auth_id}/Call", {
              searchParams: { status: "live" },
            }) as { calls: string[] };
            return live.calls.length === 1
              ? {
                outcome: "performed",
                checked: "one live call",
                result: { request_uuid: live.calls[0] },
              }
              : { outcome: "unknown", checked: `${live.calls.length} live calls` };
          },
        }],
      })],
    });
    const result = await vobiz.request<{ request_uuid: string; reconciled: boolean }>(
      "POST",
      CALL,
      { json: call },
    );
    assert.equal(result.request_uuid, mock.effects.calls[0]?.call_uuid);
    assert.equal(result.reconciled, true);
  });
});

describe("with the retry plugin", () => {
  const plugins = () => [idempotency(), retry({ baseDelayMs: 0, jitter: false })];

  test("a purchase found not to have run is retried with the same key and bought once", async () => {
    const { mock, purchase, sent } = setup({ plugins: plugins() });
    mock.fault({ method: "POST", path: PURCHASE, drop: "before" });
    mock.fault({ method: "POST", path: PURCHASE, status: 503 });
    assert.equal((await purchase("r-1")).e164, NUMBER);
    assert.equal(sent(purchases), 3);
    assert.deepEqual(
      new Set(mock.received.map((r) => r.headers["idempotency-key"])),
      new Set(["r-1", undefined]),
    );
    assert.equal(mock.effects.purchases.length, 1);
  });

  test("a purchase that ran is never re-sent: dropped answers are reconciled, 25 callers, one debit", async () => {
    const { mock, purchase, sent } = setup({ plugins: plugins() });
    mock.fault({ method: "POST", path: PURCHASE, drop: "after", times: Infinity });
    const results = await Promise.all(Array.from({ length: 25 }, () => purchase("r-2")));
    assert.ok(results.every((r) => r.e164 === NUMBER && r.reconciled === true));
    assert.equal(sent(purchases), 1);
    assert.equal(mock.effects.debits.length, 1);
  });

  test("a call creation that may have run is not retried: AMBIGUOUS_OUTCOME", async () => {
    const { mock, vobiz, sent } = setup({ plugins: plugins() });
    mock.fault({ method: "POST", path: CALL, status: 500 });
    await assert.rejects(vobiz.request("POST", CALL, { json: call }), {
      code: "AMBIGUOUS_OUTCOME",
    });
    assert.equal(sent(calls), 1);
  });
});

/** Lets in-process I/O (the mock's body reads) run. */
function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
