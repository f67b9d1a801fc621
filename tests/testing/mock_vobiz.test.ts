// Tests of the mock Vobiz API itself. node:test + node:assert only, so the same file runs under
// `node --test`, `deno test` and `bun test`.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createMockVobiz } from "../../testing/mod.ts";
import type { MockVobiz, MockVobizOptions } from "../../testing/mod.ts";

const AUTH_ID = "MA_MOCK0001";
const AUTH = { "X-Auth-ID": AUTH_ID, "X-Auth-Token": "mock-auth-token" };
const BASE = "https://api.vobiz.ai/api/v1";
const ACCOUNT = `/Account/${AUTH_ID}`;
const PURCHASE = `${ACCOUNT}/numbers/purchase-from-inventory`;
const PURCHASE_TEMPLATE = "/Account/{auth_id}/numbers/purchase-from-inventory";

// deno-lint-ignore no-explicit-any -- test assertions read arbitrary JSON
type Json = Record<string, any>;

/** A request through the mock's fetch handler, authenticated unless `headers` says otherwise. */
function send(
  mock: MockVobiz,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = AUTH,
  base: string = BASE,
): Promise<Response> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...headers, "content-type": "application/json" };
  }
  return mock.fetch(`${base}${path}`, init);
}

async function jsonOf(response: Response): Promise<Json> {
  assert.match(response.headers.get("content-type") ?? "", /application\/json/);
  return await response.json() as Json;
}

/** A clock the test moves by hand. */
function manualClock(
  start = Date.UTC(2026, 10, 26, 12),
): { now: () => number; advance(ms: number): void } {
  let time = start;
  return { now: () => time, advance: (ms) => void (time += ms) };
}

/** A `sleep` that records its calls and resolves only when the test opens the gate. */
function gatedSleep(): { sleep: (ms: number) => Promise<void>; calls: number[]; open(): void } {
  const calls: number[] = [];
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => release = resolve);
  return {
    calls,
    sleep: (ms) => {
      calls.push(ms);
      return gate;
    },
    open: () => release(),
  };
}

const instantSleep: Pick<MockVobizOptions, "sleep"> = { sleep: () => Promise.resolve() };

describe("auth and routing", () => {
  test("missing or wrong credentials give 401 INVALID_CREDENTIALS (envelope)", async () => {
    const mock = createMockVobiz();
    for (const headers of [{}, { ...AUTH, "X-Auth-Token": "nope" }, { "X-Auth-ID": AUTH_ID }]) {
      const response = await send(mock, "GET", "/auth/me", undefined, headers);
      assert.equal(response.status, 401);
      const body = await jsonOf(response);
      assert.equal(body.status, "error");
      assert.equal(body.error.code, "INVALID_CREDENTIALS");
      assert.equal(typeof body.requestId, "string");
    }
    assert.deepEqual(mock.received.map((r) => r.authorized), [false, false, false]);
  });

  test("auth/me answers the account without echoing the token; received redacts it", async () => {
    const mock = createMockVobiz({ cpsLimit: 5 });
    const response = await send(mock, "GET", "/auth/me");
    assert.equal(response.status, 200);
    const text = await response.text();
    assert.ok(!text.includes("mock-auth-token"));
    const body = JSON.parse(text) as Json;
    assert.equal(body.auth_id, AUTH_ID);
    assert.equal(body.cps_limit, 5);
    const [record] = mock.received;
    assert.ok(record);
    assert.equal(record.authorized, true);
    assert.equal(record.path, "/api/v1/auth/me");
    assert.equal(record.headers["x-auth-id"], AUTH_ID);
    assert.equal(record.headers["x-auth-token"], "<redacted>");
  });

  test("wrong casing or an unknown path gives 404 with a Plivo-style body", async () => {
    const mock = createMockVobiz();
    for (const path of ["/account/MA_MOCK0001/balance/INR", "/Account/MA_MOCK0001/nope"]) {
      const response = await send(mock, "GET", path);
      assert.equal(response.status, 404);
      const body = await jsonOf(response);
      assert.equal(typeof body.api_id, "string");
      assert.equal(body.error, "NOT_FOUND");
    }
    const outside = await send(mock, "GET", "/auth/me", undefined, AUTH, "https://api.vobiz.ai");
    assert.equal(outside.status, 404);
    await outside.body?.cancel();
  });

  test("the Call route keeps its trailing slash: POST /Call is not POST /Call/", async () => {
    const mock = createMockVobiz();
    const call = { from: "+918000000001", to: "+919800000001", answer_url: "https://x.test/a" };
    const wrong = await send(mock, "POST", `${ACCOUNT}/Call`, call);
    assert.equal(wrong.status, 405);
    assert.match(wrong.headers.get("allow") ?? "", /GET/);
    await wrong.body?.cancel();
    assert.equal(mock.effects.calls.length, 0);
    const right = await send(mock, "POST", `${ACCOUNT}/Call/`, call);
    assert.equal(right.status, 201);
    await right.body?.cancel();
  });

  test("{auth_id} must be the caller's own; sub-account credentials work on their path", async () => {
    const mock = createMockVobiz({ subAccounts: [{ authId: "SA_SUB1", authToken: "sub-token" }] });
    const sub = { "X-Auth-ID": "SA_SUB1", "X-Auth-Token": "sub-token" };
    const own = await send(mock, "GET", "/Account/SA_SUB1/balance/INR", undefined, sub);
    assert.equal(own.status, 200);
    assert.equal((await jsonOf(own)).account_id, "SA_SUB1");
    const other = await send(mock, "GET", `${ACCOUNT}/balance/INR`, undefined, sub);
    assert.equal(other.status, 403);
    assert.equal((await jsonOf(other)).error.code, "FORBIDDEN");
  });

  test("fetch takes (input, init) like fetch: init.headers override a Request's", async () => {
    const mock = createMockVobiz();
    const request = new Request(`${BASE}/auth/me`, { headers: { ...AUTH, "X-Auth-Token": "old" } });
    const response = await mock.fetch(request, { headers: AUTH });
    assert.equal(response.status, 200);
    await response.body?.cancel();
    const relative = await mock.fetch("/api/v1/auth/me", { headers: AUTH });
    assert.equal(relative.status, 200);
    await relative.body?.cancel();
    const url = await mock.fetch(new URL(`${BASE}/auth/me`), { headers: AUTH });
    assert.equal(url.status, 200);
    await url.body?.cancel();
  });
});

describe("account, balance, trunks", () => {
  test("balance object and transactions (hybrid envelope) follow purchases", async () => {
    const mock = createMockVobiz({ balance: 1000, numberPrice: 100 });
    const before = await jsonOf(await send(mock, "GET", `${ACCOUNT}/balance/INR`));
    assert.equal(before.balance, 1000);
    assert.equal(before.currency, "INR");
    assert.equal(before.available_balance, 1000);
    for (const e164 of ["+918000000001", "+918000000002", "+918000000003"]) {
      assert.equal((await send(mock, "POST", PURCHASE, { e164 })).status, 200);
    }
    const page = await jsonOf(await send(mock, "GET", `${ACCOUNT}/transactions?limit=2&offset=0`));
    assert.equal(page.total, 3);
    assert.equal(page.per_page, 2);
    assert.equal(page.total_pages, 2);
    assert.equal(page.page, 1);
    assert.equal(page.transactions.length, 2);
    assert.equal(page.transactions[0].reference, "+918000000003"); // newest first
    assert.equal(page.summary.total_debit, 300);
    const page2 = await jsonOf(await send(mock, "GET", `${ACCOUNT}/transactions?limit=2&offset=2`));
    assert.equal(page2.page, 2);
    assert.equal(page2.transactions.length, 1);
    assert.equal(mock.balance(), 700);
    assert.equal(mock.balance("USD"), 0);
  });

  test("trunks: create 201, list (meta/objects), get, delete 204", async () => {
    const mock = createMockVobiz();
    const created = await send(mock, "POST", `${ACCOUNT}/trunks`, { name: "main", password: "x" });
    assert.equal(created.status, 201);
    const trunk = await jsonOf(created);
    assert.equal(trunk.name, "main");
    assert.equal(trunk.password, undefined);
    assert.match(trunk.trunk_domain, /^[0-9a-f]{8}\.sip\.vobiz\.ai$/);
    const list = await jsonOf(await send(mock, "GET", `${ACCOUNT}/trunks`));
    assert.deepEqual(list.meta, { limit: 20, offset: 0, total: 1 });
    assert.equal(list.objects[0].trunk_id, trunk.trunk_id);
    const got = await jsonOf(await send(mock, "GET", `${ACCOUNT}/trunks/${trunk.trunk_id}`));
    assert.equal(got.trunk_id, trunk.trunk_id);
    const deleted = await send(mock, "DELETE", `${ACCOUNT}/trunks/${trunk.trunk_id}`);
    assert.equal(deleted.status, 204);
    assert.equal(await deleted.text(), "");
    const gone = await send(mock, "GET", `${ACCOUNT}/trunks/${trunk.trunk_id}`);
    assert.equal(gone.status, 404);
    assert.equal((await jsonOf(gone)).error.code, "TRUNK_NOT_FOUND");
    assert.deepEqual(mock.effects.trunksCreated, [trunk.trunk_id]);
    assert.deepEqual(mock.effects.trunksDeleted, [trunk.trunk_id]);
    const invalid = await send(mock, "POST", `${ACCOUNT}/trunks`, { description: "no name" });
    assert.equal(invalid.status, 422);
    assert.equal((await jsonOf(invalid)).error.code, "VALIDATION_ERROR");
  });
});

describe("numbers", () => {
  test("purchase removes from inventory, adds to owned, debits, records the effect", async () => {
    const clock = manualClock();
    const mock = createMockVobiz({ now: clock.now });
    const inventory = await jsonOf(await send(mock, "GET", `${ACCOUNT}/inventory/numbers`));
    assert.equal(inventory.total, 20);
    assert.equal(inventory.page, 1);
    assert.equal(inventory.per_page, 20);
    assert.equal(inventory.items[0].e164, "+918000000001");

    const response = await send(mock, "POST", PURCHASE, { e164: "+918000000005" }, {
      ...AUTH,
      "Idempotency-Key": "key-1",
    });
    assert.equal(response.status, 200);
    const bought = await jsonOf(response);
    assert.equal(bought.e164, "+918000000005");
    assert.equal(bought.monthly_fee, 100);

    assert.equal(mock.balance(), 900);
    assert.deepEqual(mock.effects.purchases, [
      { e164: "+918000000005", at: clock.now(), idempotencyKey: "key-1" },
    ]);
    assert.deepEqual(mock.effects.debits, [
      { amount: 100, reason: "number purchase +918000000005", at: clock.now() },
    ]);
    const after = await jsonOf(
      await send(mock, "GET", `${ACCOUNT}/inventory/numbers?search=%2B918000000005`),
    );
    assert.equal(after.total, 0);
    const owned = await jsonOf(await send(mock, "GET", `${ACCOUNT}/numbers`));
    assert.equal(owned.total, 1);
    assert.equal(owned.items[0].e164, "+918000000005");

    const again = await send(mock, "POST", PURCHASE, { e164: "+918000000005" });
    assert.equal(again.status, 409);
    await again.body?.cancel();
    const unknown = await send(mock, "POST", PURCHASE, { e164: "+15550000000" });
    assert.equal(unknown.status, 404);
    await unknown.body?.cancel();
    assert.equal(mock.effects.purchases.length, 1);

    const released = await send(
      mock,
      "DELETE",
      `${ACCOUNT}/numbers/%2B918000000005?immediate=true`,
    );
    assert.equal(released.status, 200);
    await released.body?.cancel();
    const back = await jsonOf(await send(mock, "GET", `${ACCOUNT}/inventory/numbers`));
    assert.equal(back.total, 20);
  });

  test("inventory filters: country, search, exclude, paging", async () => {
    const mock = createMockVobiz({
      inventory: ["+918000000001", "+918000000002", "+14155550100", "+14155550101"],
    });
    const us = await jsonOf(await send(mock, "GET", `${ACCOUNT}/inventory/numbers?country=US`));
    assert.deepEqual(us.items.map((n: Json) => n.e164), ["+14155550100", "+14155550101"]);
    const excluded = await jsonOf(
      await send(mock, "GET", `${ACCOUNT}/inventory/numbers?exclude=%2B1415,%2B918000000001`),
    );
    assert.deepEqual(excluded.items.map((n: Json) => n.e164), ["+918000000002"]);
    const paged = await jsonOf(
      await send(mock, "GET", `${ACCOUNT}/inventory/numbers?page=2&per_page=3`),
    );
    assert.equal(paged.total, 4);
    assert.equal(paged.items.length, 1);
  });

  test("402 INSUFFICIENT_BALANCE when the balance is too low; nothing is bought", async () => {
    const mock = createMockVobiz({ balance: 150, numberPrice: 100 });
    assert.equal((await send(mock, "POST", PURCHASE, { e164: "+918000000001" })).status, 200);
    const response = await send(mock, "POST", PURCHASE, { e164: "+918000000002" });
    assert.equal(response.status, 402);
    const body = await jsonOf(response);
    assert.equal(body.error.code, "INSUFFICIENT_BALANCE");
    assert.deepEqual(body.error.details, {
      required: 100,
      available: 50,
      currency: "INR",
      shortfall: 50,
    });
    assert.equal(mock.balance(), 50);
    assert.equal(mock.effects.purchases.length, 1);
  });
});

describe("CDRs", () => {
  test("page/per_page paging walks all 250 seeded CDRs (style C)", async () => {
    const mock = createMockVobiz();
    const seen = new Set<string>();
    let page = 1;
    let body: Json;
    do {
      body = await jsonOf(await send(mock, "GET", `${ACCOUNT}/cdr?page=${page}&per_page=100`));
      for (const cdr of body.data) seen.add(cdr.uuid);
      assert.equal(body.count, body.data.length);
      assert.equal(body.pagination.has_prev, page > 1);
      page++;
    } while (body.pagination.has_next);
    assert.equal(seen.size, 250);
    assert.equal(page, 4);
    assert.deepEqual(body.pagination, {
      page: 3,
      per_page: 100,
      total: 250,
      pages: 3,
      has_next: false,
      has_prev: true,
    });
    assert.equal(body.summary.totalCalls, 250);
    assert.match(body.summary.avgCallDuration, /^\d+s$/);

    const first = await jsonOf(await send(mock, "GET", `${ACCOUNT}/cdr`));
    assert.equal(first.pagination.per_page, 20);
    const uuid = first.data[0].uuid;
    const one = await jsonOf(await send(mock, "GET", `${ACCOUNT}/cdr/${uuid}`));
    assert.equal(one.data.uuid, uuid);
    assert.equal(one.success, true);
    const byId = await send(mock, "GET", `${ACCOUNT}/cdr/${first.data[0].id}`);
    assert.equal(byId.status, 404);
    await byId.body?.cancel();
  });

  test("per_page above 100 is 422 VALIDATION_ERROR", async () => {
    const mock = createMockVobiz();
    const response = await send(mock, "GET", `${ACCOUNT}/cdr?per_page=101`);
    assert.equal(response.status, 422);
    const body = await jsonOf(response);
    assert.equal(body.error.code, "VALIDATION_ERROR");
    assert.equal(body.error.details.errors[0].field, "per_page");
  });

  test("start_date and end_date: together, YYYY-MM-DD, inclusive filter", async () => {
    const mock = createMockVobiz();
    for (
      const query of [
        "start_date=2026-11-01",
        "end_date=2026-11-02",
        "start_date=2026/11/01&end_date=2026-11-02",
        "start_date=2026-11-31&end_date=2026-12-01",
        "start_date=2026-11-05&end_date=2026-11-01",
      ]
    ) {
      const response = await send(mock, "GET", `${ACCOUNT}/cdr?${query}`);
      assert.equal(response.status, 400, query);
      await response.body?.cancel();
    }
    const day = await jsonOf(
      await send(
        mock,
        "GET",
        `${ACCOUNT}/cdr?start_date=2026-11-26&end_date=2026-11-26&per_page=100`,
      ),
    );
    assert.ok(day.pagination.total > 0 && day.pagination.total < 250);
    assert.ok(day.data.every((c: Json) => c.start_time.startsWith("2026-11-26")));
    const all = await jsonOf(
      await send(mock, "GET", `${ACCOUNT}/cdr?start_date=2026-11-01&end_date=2026-11-26`),
    );
    assert.equal(all.pagination.total, 250);
  });
});

describe("calls", () => {
  const call = { from: "+918000000001", to: "+919800000001", answer_url: "https://x.test/a" };

  test("CPS limit: a sliding one-second window on the injected clock", async () => {
    const clock = manualClock();
    const mock = createMockVobiz({ cpsLimit: 2, now: clock.now });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await send(mock, "POST", `${ACCOUNT}/Call/`, call);
      statuses.push(response.status);
      if (response.status === 429) {
        const body = await jsonOf(response);
        assert.equal(body.error.code, "RATE_LIMIT_EXCEEDED");
        assert.equal(body.error.details.limitType, "cps");
        assert.equal(body.error.details.limit, 2);
      } else {
        const body = await jsonOf(response);
        assert.equal(body.message, "Call fired");
        assert.equal(typeof body.request_uuid, "string");
      }
    }
    assert.deepEqual(statuses, [201, 201, 429]);
    clock.advance(999);
    assert.equal((await send(mock, "POST", `${ACCOUNT}/Call/`, call)).status, 429);
    clock.advance(1);
    assert.equal((await send(mock, "POST", `${ACCOUNT}/Call/`, call)).status, 201);
    assert.equal(mock.effects.calls.length, 3);
  });

  test("concurrent-calls limit; hangup frees a slot; callDurationMs ends calls", async () => {
    const clock = manualClock();
    const mock = createMockVobiz({
      concurrentCallsLimit: 1,
      callDurationMs: 60_000,
      now: clock.now,
    });
    const first = await jsonOf(await send(mock, "POST", `${ACCOUNT}/Call/`, call));
    const limited = await send(mock, "POST", `${ACCOUNT}/Call/`, call);
    assert.equal(limited.status, 429);
    assert.equal((await jsonOf(limited)).error.details.limitType, "concurrent_calls");
    const live = await jsonOf(await send(mock, "GET", `${ACCOUNT}/Call?status=live`));
    assert.deepEqual(live.calls, [first.request_uuid]);
    const queued = await jsonOf(await send(mock, "GET", `${ACCOUNT}/Call/?status=queued`));
    assert.deepEqual(queued.calls, []);
    const hangup = await send(mock, "DELETE", `${ACCOUNT}/Call/${first.request_uuid}`);
    assert.equal(hangup.status, 204);
    const again = await send(mock, "DELETE", `${ACCOUNT}/Call/${first.request_uuid}`);
    assert.equal(again.status, 404);
    await again.body?.cancel();

    const second = await send(mock, "POST", `${ACCOUNT}/Call/`, call);
    assert.equal(second.status, 201);
    await second.body?.cancel();
    clock.advance(60_000);
    const ended = await jsonOf(await send(mock, "GET", `${ACCOUNT}/Call?status=live`));
    assert.deepEqual(ended.calls, []);
    assert.equal(mock.effects.calls.length, 2);
  });

  test("missing fields are 422", async () => {
    const mock = createMockVobiz();
    const response = await send(mock, "POST", `${ACCOUNT}/Call/`, { from: "+918000000001" });
    assert.equal(response.status, 422);
    const fields = (await jsonOf(response)).error.details.errors.map((e: Json) => e.field);
    assert.deepEqual(fields, ["to", "answer_url"]);
    assert.equal(mock.effects.calls.length, 0);
  });
});

describe("faults (fetch mode)", () => {
  test("status + times: two 503s then the real answer; the route is not run", async () => {
    const mock = createMockVobiz();
    mock.fault({ path: "/Account/{auth_id}/balance/{currency}", status: 503, times: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await send(mock, "GET", `${ACCOUNT}/balance/INR`);
      statuses.push(response.status);
      const body = await jsonOf(response);
      if (response.status === 503) assert.equal(body.error.code, "SERVICE_UNAVAILABLE");
    }
    assert.deepEqual(statuses, [503, 503, 200]);
    assert.equal(mock.received.length, 3);

    mock.fault({ method: "POST", path: PURCHASE_TEMPLATE, status: 500 });
    const failed = await send(mock, "POST", PURCHASE, { e164: "+918000000001" });
    assert.equal(failed.status, 500);
    await failed.body?.cancel();
    assert.equal(mock.effects.purchases.length, 0);
    assert.equal(mock.balance(), 1000);
  });

  test("error shapes and codes: envelope, plivo, simple, code", async () => {
    const mock = createMockVobiz();
    const path = "/auth/me";
    mock.fault({ path, status: 401, errorCode: "TOKEN_EXPIRED" });
    mock.fault({ path, status: 404, errorShape: "plivo" });
    mock.fault({ path, status: 400, errorShape: "simple" });
    mock.fault({ path, status: 400, errorShape: "code" });
    const envelope = await jsonOf(await send(mock, "GET", path));
    assert.equal(envelope.error.code, "TOKEN_EXPIRED");
    const plivo = await jsonOf(await send(mock, "GET", path));
    assert.deepEqual(Object.keys(plivo).sort(), ["api_id", "error", "message"]);
    const simple = await jsonOf(await send(mock, "GET", path));
    assert.deepEqual(Object.keys(simple).sort(), ["message", "status"]);
    const code = await jsonOf(await send(mock, "GET", path));
    assert.equal(code.code, 400);
    assert.equal(typeof code.error, "string");
  });

  test("Retry-After header and extra headers", async () => {
    const mock = createMockVobiz();
    mock.fault({
      path: `${ACCOUNT}/Call/`,
      status: 429,
      retryAfter: 2,
      headers: { "x-extra": "1" },
    });
    const response = await send(mock, "POST", `${ACCOUNT}/Call/`, {});
    assert.equal(response.status, 429);
    assert.equal(response.headers.get("retry-after"), "2");
    assert.equal(response.headers.get("x-extra"), "1");
    assert.equal((await jsonOf(response)).error.details.retryAfter, 2);
    mock.fault({ path: "/auth/me", retryAfter: "Wed, 26 Nov 2026 12:00:00 GMT" });
    const real = await send(mock, "GET", "/auth/me");
    assert.equal(real.status, 200); // no status: the real answer, with the header added
    assert.equal(real.headers.get("retry-after"), "Wed, 26 Nov 2026 12:00:00 GMT");
    await real.body?.cancel();
  });

  test("latency: waits through the injected sleep before answering", async () => {
    const gate = gatedSleep();
    const mock = createMockVobiz({ sleep: gate.sleep });
    mock.fault({ path: "/auth/me", latencyMs: 5000 });
    let settled = false;
    const pending = send(mock, "GET", "/auth/me").finally(() => settled = true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(gate.calls, [5000]);
    assert.equal(settled, false);
    gate.open();
    const response = await pending;
    assert.equal(response.status, 200);
    await response.body?.cancel();
  });

  test("latency: an abort during the delay rejects like fetch", async () => {
    const gate = gatedSleep();
    const mock = createMockVobiz({ sleep: gate.sleep });
    mock.fault({ path: "/auth/me", latencyMs: 5000 });
    const controller = new AbortController();
    const pending = mock.fetch(`${BASE}/auth/me`, { headers: AUTH, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    await assert.rejects(pending, (error: Error) => error.name === "AbortError");
    gate.open();
  });

  test("slow body: headers first, then the body once the delay is over", async () => {
    const gate = gatedSleep();
    const mock = createMockVobiz({ sleep: gate.sleep });
    mock.fault({ path: "/Account/{auth_id}/cdr", slowBodyMs: 3000 });
    const response = await send(mock, "GET", `${ACCOUNT}/cdr`);
    assert.equal(response.status, 200);
    let done = false;
    const body = response.json().finally(() => done = true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(done, false);
    assert.deepEqual(gate.calls, [3000]);
    gate.open();
    assert.equal((await body as Json).data.length, 20);
  });

  test("drop before: fetch rejects with TypeError, nothing was bought", async () => {
    const mock = createMockVobiz();
    mock.fault({ method: "POST", path: PURCHASE_TEMPLATE, drop: "before" });
    await assert.rejects(
      send(mock, "POST", PURCHASE, { e164: "+918000000001" }),
      (error: Error) => error instanceof TypeError && error.message === "fetch failed",
    );
    assert.equal(mock.effects.purchases.length, 0);
    assert.equal(mock.balance(), 1000);
    assert.equal(mock.received.length, 1);
    assert.equal(mock.received[0]?.body, JSON.stringify({ e164: "+918000000001" }));
  });

  test("drop after: fetch rejects, the purchase happened exactly once", async () => {
    const mock = createMockVobiz();
    mock.fault({ method: "POST", path: PURCHASE_TEMPLATE, drop: "after" });
    await assert.rejects(send(mock, "POST", PURCHASE, { e164: "+918000000001" }), TypeError);
    assert.equal(mock.effects.purchases.length, 1);
    assert.equal(mock.balance(), 900);
    // a blind retry is refused by the state, it does not buy twice
    const retry = await send(mock, "POST", PURCHASE, { e164: "+918000000001" });
    assert.equal(retry.status, 409);
    await retry.body?.cancel();
    assert.equal(mock.effects.purchases.length, 1);
  });

  test("malformed: 200 with truncated JSON, side effect performed", async () => {
    const mock = createMockVobiz();
    mock.fault({ path: PURCHASE_TEMPLATE, malformed: true });
    const response = await send(mock, "POST", PURCHASE, { e164: "+918000000001" });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/json");
    const text = await response.text();
    assert.ok(text.length > 0);
    assert.throws(() => JSON.parse(text), SyntaxError);
    assert.equal(mock.effects.purchases.length, 1);
  });

  test("raw body fault, removal, clearFaults, RegExp and Infinity", async () => {
    const mock = createMockVobiz();
    mock.fault({ path: "/auth/me", body: "<html>gateway</html>", status: 502 });
    const raw = await send(mock, "GET", "/auth/me");
    assert.equal(raw.status, 502);
    assert.equal(await raw.text(), "<html>gateway</html>");

    const remove = mock.fault({ path: /\/balance\//, status: 500, times: Infinity });
    for (let i = 0; i < 3; i++) {
      const response = await send(mock, "GET", `${ACCOUNT}/balance/INR`);
      assert.equal(response.status, 500);
      await response.body?.cancel();
    }
    remove();
    const ok = await send(mock, "GET", `${ACCOUNT}/balance/INR`);
    assert.equal(ok.status, 200);
    await ok.body?.cancel();

    mock.fault({ method: "DELETE", path: "/auth/me", status: 500 }); // other method: no match
    mock.fault({ path: `${ACCOUNT}/balance/INR`, status: 503, times: 5 });
    mock.clearFaults();
    const cleared = await send(mock, "GET", "/auth/me");
    assert.equal(cleared.status, 200);
    await cleared.body?.cancel();
  });

  test("reset clears received, effects, faults and state", async () => {
    const mock = createMockVobiz();
    const effects = mock.effects;
    await (await send(mock, "POST", PURCHASE, { e164: "+918000000001" })).body?.cancel();
    mock.fault({ path: "/auth/me", status: 500 });
    mock.reset();
    assert.equal(mock.received.length, 0);
    assert.equal(effects.purchases.length, 0);
    assert.equal(mock.effects, effects);
    assert.equal(mock.balance(), 1000);
    const response = await send(mock, "GET", "/auth/me");
    assert.equal(response.status, 200);
    await response.body?.cancel();
  });
});

describe("listen mode (real sockets)", () => {
  test("serves on 127.0.0.1, reuses keep-alive connections, closes cleanly", async () => {
    const mock = createMockVobiz();
    const server = await mock.listen();
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(server.baseUrl, `${server.url}/api/v1`);
      for (let i = 0; i < 5; i++) {
        const response = await fetch(`${server.baseUrl}/Account/${AUTH_ID}/balance/INR`, {
          headers: AUTH,
        });
        assert.equal(response.status, 200);
        assert.equal((await response.json() as Json).balance, 1000);
      }
      assert.ok(server.connections >= 1 && server.connections < 5, `${server.connections}`);
      const bad = await fetch(`${server.baseUrl}/account/${AUTH_ID}/balance/INR`, {
        headers: AUTH,
      });
      assert.equal(bad.status, 404);
      await bad.body?.cancel();
      const purchase = await fetch(`${server.baseUrl}${PURCHASE}`, {
        method: "POST",
        headers: { ...AUTH, "content-type": "application/json" },
        body: JSON.stringify({ e164: "+918000000001" }),
      });
      assert.equal(purchase.status, 200);
      assert.equal((await purchase.json() as Json).e164, "+918000000001");
      assert.equal(mock.received.at(-1)?.body, JSON.stringify({ e164: "+918000000001" }));
      assert.equal(mock.received.at(-1)?.headers["x-auth-token"], "<redacted>");
    } finally {
      await server.close(); // must not hang on the idle keep-alive socket
    }
    await assert.rejects(fetch(`${server.baseUrl}/auth/me`, { headers: AUTH }));
  });

  test("drop before / after destroy the socket; after-drop buys exactly once", async () => {
    const mock = createMockVobiz();
    const server = await mock.listen();
    const buy = () =>
      fetch(`${server.baseUrl}${PURCHASE}`, {
        method: "POST",
        headers: { ...AUTH, "content-type": "application/json" },
        body: JSON.stringify({ e164: "+918000000001" }),
      });
    try {
      mock.fault({ method: "POST", path: PURCHASE_TEMPLATE, drop: "before" });
      await assert.rejects(buy(), TypeError);
      assert.equal(mock.effects.purchases.length, 0);

      mock.fault({ method: "POST", path: PURCHASE_TEMPLATE, drop: "after" });
      await assert.rejects(buy(), TypeError);
      assert.equal(mock.effects.purchases.length, 1);
      assert.equal(mock.balance(), 900);

      const retry = await buy();
      assert.equal(retry.status, 409);
      await retry.body?.cancel();
      assert.equal(mock.effects.purchases.length, 1);
      assert.equal(mock.received.length, 3);
    } finally {
      await server.close();
    }
  });

  test("slow body and latency through a socket, with an injected sleep", async () => {
    const gate = gatedSleep();
    const mock = createMockVobiz({ sleep: gate.sleep });
    const server = await mock.listen();
    try {
      mock.fault({ path: "/Account/{auth_id}/cdr", slowBodyMs: 2000 });
      const response = await fetch(`${server.baseUrl}${ACCOUNT}/cdr`, { headers: AUTH });
      assert.equal(response.status, 200); // headers arrived while the body is held back
      let done = false;
      const body = response.json().finally(() => done = true);
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(done, false);
      gate.open();
      assert.equal((await body as Json).data.length, 20);

      const fast = createMockVobiz(instantSleep);
      const fastServer = await fast.listen();
      try {
        fast.fault({ path: "/auth/me", latencyMs: 10_000, status: 503, retryAfter: 1 });
        const slow = await fetch(`${fastServer.baseUrl}/auth/me`, { headers: AUTH });
        assert.equal(slow.status, 503);
        assert.equal(slow.headers.get("retry-after"), "1");
        await slow.body?.cancel();
      } finally {
        await fastServer.close();
      }
    } finally {
      await server.close();
    }
  });

  test("close() does not wait for a response held by a pending delay", async () => {
    const gate = gatedSleep();
    const mock = createMockVobiz({ sleep: gate.sleep });
    const server = await mock.listen();
    mock.fault({ path: "/auth/me", latencyMs: 60_000 });
    // settle into a value right away: a rejection seen before it is awaited counts as unhandled
    const outcome = fetch(`${server.baseUrl}/auth/me`, { headers: AUTH })
      .then(() => "answered", () => "failed");
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(gate.calls, [60_000]);
    await server.close();
    assert.equal(await outcome, "failed");
    gate.open();
  });
});
