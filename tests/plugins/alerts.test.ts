import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { type AlertEvent, createClient } from "../../mod.ts";
import { type AlertNotification, alerts, type AlertsOptions } from "../../plugins/alerts.ts";
import { slidingWindow } from "../../plugins/_internal/alert_window.ts";
import { metrics } from "../../plugins/metrics.ts";
import { fakeClock } from "../_support/fake_clock.ts";

const base = {
  authId: "MA_TEST0001",
  authToken: "s3cret-token",
  baseUrl: "https://api.vobiz.test/api/v1",
};
const MINUTE = 60_000;

type Answer = () => Response;

/** A client with the alerts plugin; `answer` is swapped by the test between calls. */
function setup(options: AlertsOptions = {}) {
  const clock = fakeClock();
  const notified: AlertNotification[] = [];
  const watch = alerts({ notify: (alert) => void notified.push(alert), ...options });
  let answer: Answer = () => Response.json({});
  const vobiz = createClient({
    ...base,
    clock,
    plugins: [watch],
    fetch: () => Promise.resolve(answer()),
  });
  const fired: AlertEvent[] = [];
  const resolved: AlertEvent[] = [];
  vobiz.hooks.hook("alert:fired", (event) => void fired.push(event));
  vobiz.hooks.hook("alert:resolved", (event) => void resolved.push(event));
  return {
    vobiz,
    watch,
    clock,
    notified,
    fired,
    resolved,
    answerWith(next: Answer) {
      answer = next;
    },
    /** The transitions seen so far, as `fired rule/subject` strings. */
    log: () => notified.map((n) => `${n.state} ${n.rule}${n.subject ? `/${n.subject}` : ""}`),
  };
}

const balance = (value: number, extra: Record<string, unknown> = {}): Answer => () =>
  Response.json({ currency: "INR", balance: value, ...extra });
const status = (code: number, body: unknown = {}): Answer => () =>
  Response.json(body, { status: code });

describe("lowBalance", () => {
  test("fires once below the account's own threshold and resolves above it", async () => {
    const t = setup();
    t.answerWith(balance(150, { low_balance_threshold: 200 }));
    await t.vobiz.balance.get();
    await t.vobiz.balance.get(); // still low: same episode, no new alert
    assert.deepEqual(t.fired, [{
      rule: "lowBalance",
      message: "Balance 150 INR is below 200 INR",
      at: t.clock.now(),
      subject: "INR",
      value: 150,
      threshold: 200,
    }]);
    assert.deepEqual(t.watch.active(), t.fired);
    t.answerWith(balance(500, { low_balance_threshold: 200 }));
    await t.vobiz.balance.get();
    assert.deepEqual(t.log(), ["fired lowBalance/INR", "resolved lowBalance/INR"]);
    assert.equal(t.resolved[0]?.message, "Balance 500 INR is back above 200 INR");
    assert.deepEqual(t.watch.active(), []);
  });

  test("uses available_balance, the configured threshold per currency, else 100", async () => {
    const configured = setup({ lowBalance: { threshold: { INR: 1000 } } });
    configured.answerWith(balance(900, { available_balance: 900, low_balance_threshold: 50 }));
    await configured.vobiz.balance.get();
    assert.equal(configured.fired[0]?.threshold, 1000);

    const fallback = setup();
    fallback.answerWith(balance(500, { available_balance: 99 }));
    await fallback.vobiz.balance.get();
    assert.deepEqual([fallback.fired[0]?.value, fallback.fired[0]?.threshold], [99, 100]);
  });

  test("a call refused for INSUFFICIENT_BALANCE fires it too", async () => {
    const t = setup();
    t.answerWith(status(402, {
      status: "error",
      error: {
        code: "INSUFFICIENT_BALANCE",
        message: "Insufficient balance",
        details: { required: 5, available: 1.5, currency: "INR" },
      },
    }));
    await assert.rejects(t.vobiz.request("POST", "/Account/{auth_id}/Call/", { json: {} }));
    assert.deepEqual(t.log(), ["fired lowBalance/INR"]);
    assert.equal(t.fired[0]?.value, 1.5);
  });

  test("can be turned off", async () => {
    const t = setup({ lowBalance: false });
    t.answerWith(balance(1));
    await t.vobiz.balance.get();
    assert.deepEqual(t.log(), []);
  });
});

describe("errorRate", () => {
  test("needs the minimum volume, then fires above 5 %; resolves once the window has passed", async () => {
    const t = setup();
    const call = (ok: boolean) => {
      t.answerWith(ok ? balance(1000) : status(503));
      return t.vobiz.balance.get().catch(() => undefined);
    };
    for (let i = 0; i < 19; i++) await call(i >= 5); // 5 failures in 19 calls: too few calls
    assert.deepEqual(t.log(), []);
    await call(true); // 5 of 20 = 25 %
    assert.deepEqual(t.log(), ["fired errorRate"]);
    assert.equal(t.fired[0]?.value, 0.25);
    assert.equal(t.fired[0]?.message, "Error rate 25 % (5 of 20 calls in 5 min) is above 5 %");
    for (let i = 0; i < 20; i++) await call(true); // 5 of 40: still above
    assert.deepEqual(t.log(), ["fired errorRate"]);
    await t.clock.advance(6 * MINUTE);
    for (let i = 0; i < 20; i++) await call(true);
    assert.deepEqual(t.log(), ["fired errorRate", "resolved errorRate"]);
  });

  test("exactly 5 % does not fire; calls the caller aborted are not counted", async () => {
    const t = setup();
    t.answerWith(balance(1000));
    for (let i = 0; i < 19; i++) await t.vobiz.balance.get();
    t.answerWith(status(500));
    await t.vobiz.balance.get().catch(() => undefined); // 1 of 20 = 5 %
    for (let i = 0; i < 5; i++) {
      const aborted = await t.vobiz.balance.get("INR", { signal: AbortSignal.abort() })
        .catch((error: { code?: string }) => error.code);
      assert.equal(aborted, "ABORTED");
    }
    assert.deepEqual(t.log(), []);
  });

  test("evaluate() resolves it when traffic has stopped", async () => {
    const t = setup({ errorRate: { minCalls: 2 } });
    t.answerWith(status(500));
    await t.vobiz.balance.get().catch(() => undefined);
    await t.vobiz.balance.get().catch(() => undefined);
    assert.deepEqual(t.log(), ["fired errorRate"]);
    await t.clock.advance(4 * MINUTE);
    await t.watch.evaluate();
    assert.equal(t.log().length, 1);
    await t.clock.advance(2 * MINUTE);
    await t.watch.evaluate();
    assert.deepEqual(t.log(), ["fired errorRate", "resolved errorRate"]);
  });
});

describe("episodes and cool-down", () => {
  test("a condition back within the cool-down starts no new episode until it is over", async () => {
    const t = setup({ cooldownMs: 10 * MINUTE });
    t.answerWith(balance(50));
    await t.vobiz.balance.get(); // fired
    t.answerWith(balance(500));
    await t.vobiz.balance.get(); // resolved
    await t.clock.advance(5 * MINUTE);
    t.answerWith(balance(50));
    await t.vobiz.balance.get(); // low again within the cool-down: quiet
    assert.deepEqual(t.log(), ["fired lowBalance/INR", "resolved lowBalance/INR"]);
    assert.deepEqual(t.watch.active(), []);
    await t.clock.advance(5 * MINUTE);
    await t.vobiz.balance.get(); // still low, cool-down over: a new episode
    assert.deepEqual(t.log(), [
      "fired lowBalance/INR",
      "resolved lowBalance/INR",
      "fired lowBalance/INR",
    ]);
  });

  test("a failing or slow notifier does not break the call; async ones go to waitUntil", async () => {
    const waited: Promise<unknown>[] = [];
    const throwing = setup({
      notify: () => {
        throw new Error("pager down");
      },
    });
    throwing.answerWith(balance(1));
    assert.equal((await throwing.vobiz.balance.get()).balance, 1);
    assert.equal(throwing.fired.length, 1);

    let settle = () => {};
    const slow = setup({
      notify: () => new Promise<void>((resolve) => (settle = resolve)),
      waitUntil: (promise) => void waited.push(promise),
    });
    slow.answerWith(balance(1));
    assert.equal((await slow.vobiz.balance.get()).balance, 1); // not held up by the notifier
    assert.equal(waited.length, 1);
    settle();
    await waited[0];
  });
});

describe("trunkDown", () => {
  const initiated = (trunk: string, allowed: boolean | string, reason = "auth_failed") => ({
    Event: "CallInitiated",
    CallUUID: crypto.randomUUID(),
    TrunkID: trunk,
    Domain: `${trunk}.sip.vobiz.ai`,
    Allowed: allowed,
    Reason: allowed === true ? "" : reason,
  });

  test("fires after repeated refused calls on one trunk; an accepted call resolves it", async () => {
    const t = setup();
    await t.watch.observeTrunkEvent(initiated("trunk-a", false));
    await t.watch.observeTrunkEvent(initiated("trunk-b", false));
    await t.watch.observeTrunkEvent(initiated("trunk-a", "false"));
    assert.deepEqual(t.log(), []);
    await t.watch.observeTrunkEvent(initiated("trunk-a", false, "sip_auth_failed"));
    await t.watch.observeTrunkEvent(initiated("trunk-a", false));
    assert.deepEqual(t.log(), ["fired trunkDown/trunk-a"]);
    assert.equal(
      t.fired[0]?.message,
      "Trunk trunk-a: 3 refused calls in 5 min (last: sip_auth_failed)",
    );
    assert.deepEqual([t.fired[0]?.value, t.fired[0]?.threshold], [3, 3]);
    await t.watch.observeTrunkEvent(initiated("trunk-a", true));
    assert.deepEqual(t.log(), ["fired trunkDown/trunk-a", "resolved trunkDown/trunk-a"]);
  });

  test("failures spread wider than the window do not fire; aged-out failures resolve", async () => {
    const t = setup();
    await t.watch.observeTrunkEvent(initiated("t1", false));
    await t.watch.observeTrunkEvent(initiated("t1", false));
    await t.clock.advance(6 * MINUTE);
    await t.watch.observeTrunkEvent(initiated("t1", false));
    assert.deepEqual(t.log(), []);
    await t.watch.observeTrunkEvent(initiated("t1", false));
    await t.watch.observeTrunkEvent(initiated("t1", false));
    assert.deepEqual(t.log(), ["fired trunkDown/t1"]);
    await t.clock.advance(6 * MINUTE);
    await t.watch.evaluate();
    assert.deepEqual(t.log(), ["fired trunkDown/t1", "resolved trunkDown/t1"]);
  });

  test("CDRs with an authentication failure cause count; answered CDRs clear", async () => {
    const t = setup({ trunkDown: { failures: 2 } });
    const cdr = (fields: Record<string, unknown>) => ({
      uuid: crypto.randomUUID(),
      trunk_id: "trunk-c",
      answer_time: null,
      billsec: 0,
      ...fields,
    });
    await t.watch.observeCdr(cdr({ hangup_cause: "USER_BUSY" })); // not an auth failure
    await t.watch.observeCdr(cdr({ failure_reason: "SIP 407 Proxy Authentication Required" }));
    assert.deepEqual(t.log(), []);
    await t.watch.observeCdr(cdr({ hangup_cause_name: "UNAUTHORIZED", failure_code: 401 }));
    assert.deepEqual(t.log(), ["fired trunkDown/trunk-c"]);
    await t.watch.observeCdr(cdr({ answer_time: "2026-11-26T10:00:00Z", billsec: 30 }));
    assert.deepEqual(t.log(), ["fired trunkDown/trunk-c", "resolved trunkDown/trunk-c"]);
  });
});

describe("rateLimit", () => {
  test("fires on repeated 429s within a minute and resolves when they stop", async () => {
    const t = setup();
    t.answerWith(status(429, { error: { code: "RATE_LIMIT_EXCEEDED" } }));
    await t.vobiz.request("POST", "/Account/{auth_id}/Call/", { json: {} }).catch(() => undefined);
    await t.vobiz.request("POST", "/Account/{auth_id}/Call/", { json: {} }).catch(() => undefined);
    assert.deepEqual(t.log(), []);
    await t.vobiz.request("POST", "/Account/{auth_id}/Call/", { json: {} }).catch(() => undefined);
    assert.deepEqual(t.log(), ["fired rateLimit"]);
    assert.equal(
      t.fired[0]?.message,
      "3 rate-limited (429) answers in 60 s: the CPS or concurrent-call limit is hit",
    );
    await t.clock.advance(2 * MINUTE);
    t.answerWith(balance(1000));
    await t.vobiz.balance.get();
    assert.deepEqual(t.log(), ["fired rateLimit", "resolved rateLimit"]);
  });

  test("fires when the rate limiter's queue passes 80 %", async () => {
    const t = setup();
    await t.vobiz.hooks.callHook("ratelimit:queued", { waitMs: 10, queued: 7, maxQueued: 10 });
    assert.deepEqual(t.log(), []);
    await t.vobiz.hooks.callHook("ratelimit:queued", { waitMs: 10, queued: 8, maxQueued: 10 });
    assert.deepEqual(t.log(), ["fired rateLimit"]);
    assert.equal(t.fired[0]?.message, "Rate limiter queue at 8 of 10 calls");
    await t.clock.advance(2 * MINUTE);
    await t.watch.evaluate();
    assert.deepEqual(t.log(), ["fired rateLimit", "resolved rateLimit"]);
  });

  test("takes the queue bound from the options when the events do not carry it", async () => {
    const t = setup({ rateLimit: { maxQueued: 5 } });
    await t.vobiz.hooks.callHook("ratelimit:queued", { waitMs: 10, queued: 4 });
    assert.deepEqual(t.log(), ["fired rateLimit"]);
  });
});

describe("without a client", () => {
  test("trunk events fed before any client exists still notify", async () => {
    const notified: AlertNotification[] = [];
    const watch = alerts({
      notify: (alert) => void notified.push(alert),
      trunkDown: { failures: 1 },
    });
    await watch.observeTrunkEvent({ Event: "CallInitiated", TrunkID: "x", Allowed: false });
    assert.deepEqual(notified.map((n) => [n.state, n.rule, n.subject]), [[
      "fired",
      "trunkDown",
      "x",
    ]]);
  });
});

describe("sliding window", () => {
  test("counts the slices that overlap the window, and nothing before it", () => {
    const window = slidingWindow(30_000); // slices of 1 s
    window.add(10_500, 1, 1); // slice 10
    window.add(11_000, 2, 0); // slice 11
    window.add(39_999, 1, 0); // slice 39
    // the window (10.999 s, 40.999 s] still overlaps slice 10; from 41 s on it does not
    assert.deepEqual(window.totals(40_999), { total: 4, bad: 1 });
    assert.deepEqual(window.totals(41_000), { total: 3, bad: 0 });
    window.add(5_000, 7, 7); // a clock set back past the window: not counted
    assert.deepEqual(window.totals(41_000), { total: 3, bad: 0 });
    window.add(41_000, 1, 1); // slice 41 reuses the slot of slice 10
    window.add(10_000, 7, 7); // which a time of slice 10 no longer touches
    assert.deepEqual(window.totals(41_000), { total: 4, bad: 1 });
    assert.deepEqual(window.totals(1_000_000), { total: 0, bad: 0 });
  });
});

describe("with the metrics plugin", () => {
  test("one balance answer feeds both plugins, from the call's own parsed answer", async () => {
    const clock = fakeClock();
    const m = metrics();
    const watch = alerts({ lowBalance: { threshold: 100 } });
    let reads = 0;
    const vobiz = createClient({
      ...base,
      clock,
      plugins: [m, watch],
      fetch: () => {
        const response = Response.json({ currency: "INR", balance: 40 });
        const text = response.text.bind(response);
        response.text = () => (reads++, text());
        return Promise.resolve(response);
      },
    });
    assert.deepEqual(await vobiz.balance.get(), { currency: "INR", balance: 40 });
    assert.equal(m.snapshot().balances["INR"]?.balance, 40);
    assert.deepEqual(watch.active().map((alert) => [alert.rule, alert.value]), [[
      "lowBalance",
      40,
    ]]);
    assert.ok(reads <= 1, `the body was read ${reads} times`);
  });
});
