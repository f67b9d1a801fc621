// Response schemas are open (new fields and enum values pass, decimal strings stay strings) but
// still catch an answer without its identifying fields; per-call options reach the request.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { CdrSchema, TrunkSchema } from "../../mod.ts";
import * as v from "valibot";
import { ACCOUNT, last, setup } from "./_setup.ts";

describe("response schemas", () => {
  test("unknown fields and enum values pass; decimal strings stay strings", async () => {
    const { mock, vobiz } = setup();
    mock.fault({
      path: "/Account/{auth_id}/trunks/{trunk_id}",
      status: 200,
      body: JSON.stringify({
        trunk_id: "t-1",
        trunk_status: "quarantined", // a value no source lists
        trunk_direction: "both",
        brand_new_field: { nested: true },
      }),
    });
    const trunk = await vobiz.trunks.get("t-1");
    assert.equal(trunk.trunk_status, "quarantined");
    assert.deepEqual(trunk["brand_new_field"], { nested: true });

    mock.fault({
      path: "/Account/{auth_id}/numbers",
      status: 200,
      body: JSON.stringify({
        items: [{ e164: "+918000000001", monthly_fee: "1.50000", setup_fee: 0 }],
        page: 1,
        per_page: 100,
        total: 1,
      }),
    });
    const { items } = await vobiz.numbers.listPage();
    assert.equal(items[0]?.monthly_fee, "1.50000");
    assert.equal(items[0]?.setup_fee, 0);
  });

  test("an answer without its identifier is RESPONSE_VALIDATION_ERROR", async () => {
    const { mock, vobiz } = setup();
    mock.fault({
      path: "/Account/{auth_id}/trunks/{trunk_id}",
      status: 200,
      body: JSON.stringify({ name: "no id" }),
    });
    await assert.rejects(vobiz.trunks.get("t-1"), { code: "RESPONSE_VALIDATION_ERROR" });
  });

  test("the exported schemas are Standard Schemas users can reuse", () => {
    assert.equal(TrunkSchema["~standard"].vendor, "valibot");
    assert.equal(v.safeParse(CdrSchema, { uuid: "u", mos: "4.2", cost: "0.10" }).success, true);
    assert.equal(v.safeParse(CdrSchema, { mos: 4.2 }).success, false);
  });
});

describe("per-call options", () => {
  test("headers, idempotencyKey and plugin settings reach the request", async () => {
    const { mock, vobiz } = setup();
    const seen: unknown[] = [];
    vobiz.hooks.hook("beforeRequest", ({ context }) => {
      seen.push([context.options.idempotencyKey, context.options.plugins, context.route]);
    });
    await vobiz.numbers.purchase({ e164: "+918000000001" }, {
      headers: { "x-trace": "abc" },
      idempotencyKey: "order-42",
      plugins: { cache: false },
    });
    assert.equal(last(mock).headers["x-trace"], "abc");
    assert.deepEqual(seen, [[
      "order-42",
      { cache: false },
      "/Account/{auth_id}/numbers/purchase-from-inventory",
    ]]);
  });

  test("an aborted signal sends nothing, for single calls and for lists", async () => {
    const { mock, vobiz } = setup();
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(vobiz.trunks.get("t-1", { signal: controller.signal }), {
      code: "ABORTED",
    });
    await assert.rejects(async () => {
      for await (const _cdr of vobiz.cdrs.list({}, { signal: controller.signal })) break;
    }, { code: "ABORTED" });
    assert.deepEqual(mock.received, []);
  });

  test("maxPages caps a list iteration", async () => {
    const { mock, vobiz } = setup({ cdrCount: 250 });
    await assert.rejects(async () => {
      for await (const _cdr of vobiz.cdrs.list({ per_page: 10 }, { maxPages: 2 })) {
        // read on
      }
    }, { code: "RESPONSE_VALIDATION_ERROR" });
    assert.deepEqual(mock.received.map((r) => `${r.path}${r.search}`), [
      `${ACCOUNT}/cdr?page=1&per_page=10`,
      `${ACCOUNT}/cdr?page=2&per_page=10`,
    ]);
  });
});
