// Account, balance, transactions and sub-accounts against the mock.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  ACCOUNT,
  API,
  AUTH_ID,
  collect,
  last,
  lastBody,
  lines,
  rejectsInput,
  setup,
} from "./_setup.ts";

const ACCOUNTS = `${API}/accounts/${AUTH_ID}`; // plural, lowercase (vobiz-api.md §1.1)

describe("account", () => {
  test("get: GET /auth/me, parsed; unknown fields pass through", async () => {
    const { mock, vobiz } = setup({ cpsLimit: 5 });
    const me = await vobiz.account.get();
    assert.equal(me.auth_id, AUTH_ID);
    assert.equal(me.cps_limit, 5);
    assert.equal(me["timezone"], "Asia/Kolkata");
    assert.deepEqual(lines(mock), [`GET ${API}/auth/me`]);
  });

  test("concurrency: GET /Account/{auth_id}/concurrency", async () => {
    const { mock, vobiz } = setup({ concurrentCallsLimit: 10 });
    await vobiz.calls.create({
      from: "+918000000001",
      to: "+919876543210",
      answer_url: "https://app.example.com/a.xml",
    });
    const concurrency = await vobiz.account.concurrency();
    assert.equal(concurrency.concurrent_calls, 1);
    assert.equal(concurrency.max_concurrent, 10);
    assert.equal(concurrency.utilization_pct, 10);
    assert.equal(last(mock).path, `${ACCOUNT}/concurrency`);
  });

  test("previewCapacity (query) and subscribeCapacity (paid body); money stays a string", async () => {
    const { mock, vobiz } = setup({ balance: 5000 });
    const paid: unknown[] = [];
    vobiz.hooks.hook("beforeRequest", ({ context }) => void paid.push(context.options.paid));
    const preview = await vobiz.account.previewCapacity({ resource_type: "cps", quantity: 3 });
    assert.equal(preview.monthly_cost, "1200.00");
    assert.equal(
      `${last(mock).path}${last(mock).search}`,
      `${ACCOUNTS}/channel-pricing-preview?resource_type=cps&quantity=3`,
    );
    const sub = await vobiz.account.subscribeCapacity({
      resource_type: "concurrent_calls",
      quantity: 10,
    });
    assert.equal(sub.monthly_cost, "1500.00");
    assert.equal(sub.status, "active");
    assert.equal(
      `${last(mock).method} ${last(mock).path}`,
      `POST ${ACCOUNTS}/channel-subscriptions`,
    );
    assert.deepEqual(lastBody(mock), { resource_type: "concurrent_calls", quantity: 10 });
    assert.deepEqual(paid, [undefined, true]);
    assert.equal(mock.balance(), 3500);
    await rejectsInput(
      mock,
      vobiz.account.previewCapacity({ resource_type: "minutes" as "cps", quantity: 1 }),
      "resource_type",
    );
    await rejectsInput(
      mock,
      vobiz.account.subscribeCapacity({ resource_type: "cps", quantity: 1.5 }),
      "quantity",
    );
  });

  test("rotateAuthToken: POST /auth-token/rotate, paid; the old token stops working", async () => {
    const { mock, vobiz } = setup();
    const paid: unknown[] = [];
    vobiz.hooks.hook("beforeRequest", ({ context }) => void paid.push(context.options.paid));
    const answer = await vobiz.account.rotateAuthToken();
    assert.equal(`${last(mock).method} ${last(mock).path}`, `POST ${API}/auth-token/rotate`);
    assert.deepEqual(paid, [true]);
    await assert.rejects(vobiz.account.get(), { status: 401 });
    const renewed = vobiz.withAccount({ authId: AUTH_ID, authToken: String(answer["auth_token"]) });
    assert.equal((await renewed.account.get()).auth_id, AUTH_ID);
  });
});

describe("balance and transactions", () => {
  test("balance.get: INR by default, the currency in the path", async () => {
    const { mock, vobiz } = setup({ balance: 750 });
    assert.equal((await vobiz.balance.get()).balance, 750);
    assert.equal((await vobiz.balance.get("USD")).balance, 0);
    assert.deepEqual(lines(mock), [`GET ${ACCOUNT}/balance/INR`, `GET ${ACCOUNT}/balance/USD`]);
    await rejectsInput(mock, vobiz.balance.get("usd"), "currency");
  });

  test("transactions: limit/offset in, page/total_pages out (style F); early stop", async () => {
    const inventory = Array.from({ length: 12 }, (_, i) => `+9180000000${String(i + 10)}`);
    const { mock, vobiz } = setup({ inventory, numberPrice: 10 });
    for (const e164 of inventory) await vobiz.numbers.purchase({ e164 });
    const before = mock.received.length;
    const all = await collect(vobiz.transactions.list({ limit: 5 }));
    assert.equal(all.length, 12);
    assert.equal(all[0]?.reference, inventory[11]); // newest first
    assert.deepEqual(
      lines(mock).slice(before),
      [0, 5, 10].map((offset) => `GET ${ACCOUNT}/transactions?offset=${offset}&limit=5`),
    );
    const page = await vobiz.transactions.listPage({ limit: 5, offset: 10 });
    assert.equal(page.items.length, 2);
    assert.equal(page.hasMore, false);
    assert.equal(page.body.total_pages, 3);
    assert.equal(page.body.summary?.["total_debit"], 120);
    const mark = mock.received.length;
    for await (const _t of vobiz.transactions.list({ limit: 5 })) break;
    assert.equal(mock.received.length - mark, 1);
    await rejectsInput(mock, vobiz.transactions.listPage({ limit: 101 }), "limit");
    await rejectsInput(mock, vobiz.transactions.listPage({ offset: -1 }), "offset");
  });
});

describe("subAccounts", () => {
  test("create, get, update, list (style E), delete on /accounts/{auth_id}/sub-accounts/", async () => {
    const { mock, vobiz } = setup();
    const created = await vobiz.subAccounts.create({ name: "Acme support", email: "ops@acme.in" });
    const subId = created.sub_account.auth_id;
    assert.match(subId, /^SA_/);
    assert.ok(created.auth_credentials?.auth_token);
    assert.deepEqual(lastBody(mock), { name: "Acme support", email: "ops@acme.in" });
    const got = await vobiz.subAccounts.get(subId);
    assert.equal(got.auth_token, "<redacted>");
    const updated = await vobiz.subAccounts.update(subId, { enabled: false });
    assert.equal(updated.enabled, false);
    await vobiz.subAccounts.create({ name: "Second" });
    const page = await vobiz.subAccounts.listPage({ size: 1, active_only: false });
    assert.equal(page.items.length, 1);
    assert.equal(page.total, 2);
    assert.deepEqual(page.next, { page: 2, size: 1, active_only: false });
    assert.equal((await collect(vobiz.subAccounts.list({ size: 1 }))).length, 2);
    assert.equal(
      (await vobiz.subAccounts.delete(subId))?.["message"],
      `Sub-account ${subId} deleted`,
    );
    assert.deepEqual(lines(mock).map((line) => line.replace(subId, "{sub}")), [
      `POST ${ACCOUNTS}/sub-accounts/`,
      `GET ${ACCOUNTS}/sub-accounts/{sub}`,
      `PUT ${ACCOUNTS}/sub-accounts/{sub}`,
      `POST ${ACCOUNTS}/sub-accounts/`,
      `GET ${ACCOUNTS}/sub-accounts/?page=1&size=1&active_only=false`,
      `GET ${ACCOUNTS}/sub-accounts/?page=1&size=1`,
      `GET ${ACCOUNTS}/sub-accounts/?page=2&size=1`,
      `DELETE ${ACCOUNTS}/sub-accounts/{sub}`,
    ]);
  });

  test("withAccount: the sub-account's own traffic goes out with its credentials", async () => {
    const { mock, vobiz } = setup();
    const { auth_credentials } = await vobiz.subAccounts.create({ name: "Acme" });
    const acme = vobiz.withAccount({
      authId: auth_credentials!.auth_id,
      authToken: auth_credentials!.auth_token,
    });
    const balance = await acme.balance.get();
    assert.equal(balance.balance, 1000); // the mock's sub-accounts share the main balance
    assert.equal(last(mock).path, `${API}/Account/${auth_credentials!.auth_id}/balance/INR`);
    assert.equal(last(mock).headers["x-auth-id"], auth_credentials!.auth_id);
    assert.equal(last(mock).authorized, true);
  });

  test("bad input is rejected before any request", async () => {
    const { mock, vobiz } = setup();
    await rejectsInput(mock, vobiz.subAccounts.create({ name: "" }), "name");
    await rejectsInput(
      mock,
      vobiz.subAccounts.create({ name: "x", email: "not-an-email" }),
      "email",
    );
    await rejectsInput(
      mock,
      vobiz.subAccounts.create({ name: "x", password: "short" }),
      "password",
    );
    await rejectsInput(
      mock,
      vobiz.subAccounts.create({ name: "x", kyc_mode: "customer_use" }),
      "email",
    );
    await rejectsInput(
      mock,
      vobiz.subAccounts.update("SA_1", { name: "<img src=x onerror=alert(1)>" }),
      "name",
    );
    await rejectsInput(mock, vobiz.subAccounts.listPage({ size: 1000 }), "size");
    await rejectsInput(mock, vobiz.subAccounts.get(""), "sub_auth_id");
  });
});
