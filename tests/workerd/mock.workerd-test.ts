// The mock's fetch handler inside a real Workers runtime (workerd through Miniflare), bundled with
// esbuild for the browser/workerd conditions as a Worker would be. Run by `node --test` (the
// *.workerd-test.ts suites), since Miniflare spawns the workerd binary.
import { test } from "node:test";
import assert from "node:assert/strict";

// The Worker exports the mock itself and a self-test route that uses faults from inside workerd.
const WORKER = `
import { createMockVobiz } from "./testing/mod.ts";
const mock = createMockVobiz({ balance: 500 });
const AUTH = { "X-Auth-ID": "MA_MOCK0001", "X-Auth-Token": "mock-auth-token" };
const API = "https://api.vobiz.ai/api/v1";
export default {
  async fetch(request) {
    if (new URL(request.url).pathname !== "/selftest") return mock.fetch(request);
    const out = {};
    mock.fault({ path: "/Account/{auth_id}/numbers/purchase-from-inventory", drop: "after" });
    await mock.fetch(API + "/Account/MA_MOCK0001/numbers/purchase-from-inventory", {
      method: "POST", headers: AUTH, body: JSON.stringify({ e164: "+918000000001" }),
    }).catch((error) => out.dropped = error.name + ": " + error.message);
    out.purchases = mock.effects.purchases.length;
    mock.fault({ path: "/auth/me", latencyMs: 5, slowBodyMs: 5 });
    out.slow = (await (await mock.fetch(API + "/auth/me", { headers: AUTH })).json()).auth_id;
    mock.fault({ path: "/auth/me", malformed: true });
    const text = await (await mock.fetch(API + "/auth/me", { headers: AUTH })).text();
    try { JSON.parse(text); out.malformed = false; } catch { out.malformed = true; }
    out.balance = mock.balance();
    return Response.json(out);
  },
};
`;

test("the fetch handler and its faults run inside workerd", async () => {
  const { build } = await import("esbuild");
  const { Miniflare } = await import("miniflare");
  const bundle = await build({
    stdin: { contents: WORKER, resolveDir: new URL("../..", import.meta.url).pathname },
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    write: false,
  });
  const script = bundle.outputFiles[0]?.text ?? "";
  const mf = new Miniflare({ modules: true, script, compatibilityDate: "2026-07-30", cf: false });
  try {
    const self = await mf.dispatchFetch("http://worker/selftest");
    assert.deepEqual(await self.json(), {
      dropped: "TypeError: fetch failed",
      purchases: 1,
      slow: "MA_MOCK0001",
      malformed: true,
      balance: 400,
    });
    const cdr = await mf.dispatchFetch("http://worker/api/v1/Account/MA_MOCK0001/cdr?per_page=2", {
      headers: { "X-Auth-ID": "MA_MOCK0001", "X-Auth-Token": "mock-auth-token" },
    });
    assert.equal(cdr.status, 200);
    const body = await cdr.json() as { pagination: { total: number; pages: number } };
    assert.equal(body.pagination.total, 250);
    assert.equal(body.pagination.pages, 125);
    const denied = await mf.dispatchFetch("http://worker/api/v1/auth/me");
    assert.equal(denied.status, 401);
    await denied.text();
  } finally {
    await mf.dispose();
  }
});
