// client.numbers against the mock: owned list and inventory (style D), purchase (paid, literal
// "+" in the body), release / cancel-release (a "+" in the path is %2B), trunk and sub-account
// assignment, health.
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

const NUMBER = "+918000000001";
const ENCODED = "%2B918000000001";
const LOWER = `${API}/account/${AUTH_ID}`; // the lowercase family (vobiz-api.md §1.1)

describe("numbers: inventory, purchase, owned list", () => {
  test("searchInventory pages at 100 and stops on break", async () => {
    const inventory = Array.from(
      { length: 230 },
      (_, i) => `+9180000${String(i).padStart(5, "0")}`,
    );
    const { mock, vobiz } = setup({ inventory });
    assert.equal((await collect(vobiz.numbers.searchInventory({ country: "IN" }))).length, 230);
    assert.deepEqual(
      lines(mock),
      [1, 2, 3].map((page) =>
        `GET ${ACCOUNT}/inventory/numbers?page=${page}&per_page=100&country=IN`
      ),
    );
    mock.reset();
    for await (const number of vobiz.numbers.searchInventory()) {
      if (number.e164 === "+918000000005") break;
    }
    assert.equal(mock.received.length, 1);
  });

  test("searchInventoryPage sends search and exclude (a list becomes a comma list)", async () => {
    const { mock, vobiz } = setup({
      inventory: ["+918000000001", "+918000000002", "+14155550100", "+14155550101"],
    });
    const page = await vobiz.numbers.searchInventoryPage({
      exclude: ["+1415", "+918000000001"],
      per_page: 10,
    });
    assert.deepEqual(page.items.map((n) => n.e164), ["+918000000002"]);
    assert.equal(page.total, 1);
    assert.equal(last(mock).search, "?page=1&per_page=10&exclude=%2B1415%2C%2B918000000001");
    await vobiz.numbers.searchInventoryPage({ search: "+1415" });
    assert.equal(last(mock).search, "?page=1&per_page=100&search=%2B1415");
  });

  test("purchase: a paid POST with the literal + in the body; then listed as owned", async () => {
    const { mock, vobiz } = setup({ numberPrice: 100 });
    const paid: unknown[] = [];
    vobiz.hooks.hook("beforeRequest", ({ context }) => void paid.push(context.options.paid));
    const bought = await vobiz.numbers.purchase({ e164: NUMBER });
    assert.equal(bought.e164, NUMBER);
    assert.equal(bought.status, "active");
    assert.equal(bought.monthly_fee, 100); // as sent, not converted
    assert.deepEqual(lines(mock), [`POST ${ACCOUNT}/numbers/purchase-from-inventory`]);
    assert.deepEqual(lastBody(mock), { e164: NUMBER });
    assert.deepEqual(paid, [true]);
    assert.equal(mock.balance(), 900);

    const owned = await vobiz.numbers.listPage({ search: "+91800" });
    assert.deepEqual(owned.items.map((n) => n.e164), [NUMBER]);
    assert.equal(last(mock).search, "?page=1&per_page=100&search=%2B91800");
    assert.deepEqual((await collect(vobiz.numbers.list())).map((n) => n.e164), [NUMBER]);
  });

  test("bad input is rejected before any request", async () => {
    const { mock, vobiz } = setup();
    await rejectsInput(mock, vobiz.numbers.purchase({ e164: "918000000001" }), "e164");
    await rejectsInput(mock, vobiz.numbers.purchase({ e164: "+0123456789" }), "e164");
    await rejectsInput(
      mock,
      vobiz.numbers.purchase({ e164: NUMBER, currency: "rupees" }),
      "currency",
    );
    await rejectsInput(mock, () => vobiz.numbers.searchInventory({ country: "India" }), "country");
    await rejectsInput(mock, vobiz.numbers.searchInventoryPage({ per_page: 500 }), "per_page");
    await rejectsInput(mock, vobiz.numbers.listPage({ search: "80' --" }), "search");
    await rejectsInput(mock, vobiz.numbers.release("8000000001"), "e164");
    await rejectsInput(
      mock,
      vobiz.numbers.health(NUMBER, { granularity: "weekly" as "daily" }),
      "granularity",
    );
    assert.deepEqual(mock.effects.purchases, []);
  });
});

describe("numbers: release and cancel-release", () => {
  test("release: DELETE with %2B, pending for 24 h, cancellable; immediate is final", async () => {
    const { mock, vobiz, clock } = setup();
    await vobiz.numbers.purchase({ e164: NUMBER });
    const paid: unknown[] = [];
    vobiz.hooks.hook("beforeRequest", ({ context }) => void paid.push(context.options.paid));

    const pending = await vobiz.numbers.release(NUMBER);
    assert.equal(pending.status, "pending_release");
    assert.equal(pending.cooldown_ends_at, new Date(clock.now() + 86_400_000).toISOString());
    assert.equal(`${last(mock).method} ${last(mock).path}`, `DELETE ${ACCOUNT}/numbers/${ENCODED}`);
    assert.deepEqual(paid, [true]);

    const cancelled = await vobiz.numbers.cancelRelease(NUMBER);
    assert.equal(cancelled.status, "active");
    assert.equal(cancelled.refund_status, "success");
    assert.equal(
      `${last(mock).method} ${last(mock).path}`,
      `POST ${LOWER}/numbers/${ENCODED}/cancel-release`,
    );
    await assert.rejects(vobiz.numbers.cancelRelease(NUMBER), { status: 409 });

    const gone = await vobiz.numbers.release(NUMBER, { immediate: true });
    assert.equal(gone.status, "released");
    assert.equal(last(mock).search, "?immediate=true");
    assert.equal((await vobiz.numbers.listPage()).total, 0);
  });

  test("a pending release completes once the cooldown has passed", async () => {
    const { vobiz, clock } = setup();
    await vobiz.numbers.purchase({ e164: NUMBER });
    await vobiz.numbers.release(NUMBER);
    await clock.advance(86_400_000);
    assert.equal((await vobiz.numbers.listPage()).total, 0);
    await assert.rejects(vobiz.numbers.cancelRelease(NUMBER), { status: 404 });
    const back = await vobiz.numbers.searchInventoryPage({ search: NUMBER });
    assert.deepEqual(back.items.map((n) => n.e164), [NUMBER]);
  });
});

describe("numbers: routing and health", () => {
  test("assignToTrunk / unassignFromTrunk", async () => {
    const { mock, vobiz } = setup();
    await vobiz.numbers.purchase({ e164: NUMBER });
    const trunk = await vobiz.trunks.create({ name: "primary" });
    assert.equal(
      await vobiz.numbers.assignToTrunk(NUMBER, { trunk_group_id: trunk.trunk_id }),
      undefined,
    );
    assert.equal(
      `${last(mock).method} ${last(mock).path}`,
      `POST ${ACCOUNT}/numbers/${ENCODED}/assign`,
    );
    assert.deepEqual(lastBody(mock), { trunk_group_id: trunk.trunk_id });
    assert.equal((await vobiz.numbers.listPage()).items[0]?.trunk_group_id, trunk.trunk_id);
    await vobiz.numbers.unassignFromTrunk(NUMBER);
    assert.equal(
      `${last(mock).method} ${last(mock).path}`,
      `DELETE ${ACCOUNT}/numbers/${ENCODED}/assign`,
    );
    assert.equal((await vobiz.numbers.listPage()).items[0]?.trunk_group_id, undefined);
    await rejectsInput(
      mock,
      vobiz.numbers.assignToTrunk(NUMBER, { trunk_group_id: "not-a-uuid" }),
      "trunk_group_id",
    );
  });

  test("assignToSubAccount / unassignFromSubAccount with the 15-day cool-off and force", async () => {
    const { mock, vobiz, clock } = setup({ cdrCount: 0 });
    await vobiz.numbers.purchase({ e164: NUMBER });
    const { sub_account } = await vobiz.subAccounts.create({ name: "Acme" });
    await vobiz.numbers.assignToSubAccount(NUMBER, { sub_account_id: sub_account.auth_id });
    assert.equal(
      `${last(mock).method} ${last(mock).path}`,
      `POST ${LOWER}/numbers/${ENCODED}/assign-subaccount`,
    );
    assert.deepEqual(lastBody(mock), { sub_account_id: sub_account.auth_id });

    // a call on the number starts the cool-off
    const { request_uuid } = await vobiz.calls.create({
      from: NUMBER,
      to: "+919876543210",
      answer_url: "https://app.example.com/a.xml",
    });
    await clock.advance(10_000);
    await vobiz.calls.hangup(request_uuid);
    await assert.rejects(
      vobiz.numbers.unassignFromSubAccount(NUMBER),
      (error: { status?: number; body?: { error?: string } }) => {
        assert.equal(error.status, 409);
        assert.equal(error.body?.error, "did_cool_off_in_effect");
        return true;
      },
    );
    await vobiz.numbers.unassignFromSubAccount(NUMBER, { force: true });
    assert.equal(
      `${last(mock).method} ${last(mock).path}${last(mock).search}`,
      `DELETE ${LOWER}/numbers/${ENCODED}/assign-subaccount?force=true`,
    );
    await rejectsInput(
      mock,
      vobiz.numbers.assignToSubAccount(NUMBER, { sub_account_id: "MA_MOCK0001" }),
      "sub_account_id",
    );
  });

  test("health: lowercase route, granularity and days in the query", async () => {
    const { mock, vobiz, clock } = setup({ cdrCount: 0 });
    await vobiz.numbers.purchase({ e164: NUMBER });
    for (let i = 0; i < 3; i++) {
      const { request_uuid } = await vobiz.calls.create({
        from: NUMBER,
        to: "+919876543210",
        answer_url: "https://app.example.com/a.xml",
      });
      await clock.advance(32_000);
      await vobiz.calls.hangup(request_uuid);
    }
    const health = await vobiz.numbers.health(NUMBER, { granularity: "hourly", days: 1 });
    assert.equal(
      `${last(mock).path}${last(mock).search}`,
      `${LOWER}/numbers/${ENCODED}/health?granularity=hourly&days=1`,
    );
    assert.equal(health.e164, NUMBER);
    assert.equal(health.summary?.["total_calls"], 3);
    assert.equal(health.summary?.["answered_calls"], 3);
    assert.equal(health.snapshots?.length, 1);
  });
});
