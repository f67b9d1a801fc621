// A representative set of resource methods inside the real Workers runtime (workerd via Miniflare),
// talking to the mock Vobiz API on 127.0.0.1 through workerd's own fetch: account and balance,
// trunk CRUD with paged iteration, inventory search + purchase + release (%2B in the path), a CDR
// range with an early stop, the CSV export stream, a call created and hung up, input rejected
// before any request, and voice callback signatures across Node and workerd. The Worker is
// tests/workerd/resources_worker.ts. Node only (run by `npm run test:workerd`).
import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { createClient, signVoiceCallback, verifyVoiceSignature } from "../../mod.ts";
import { createMockVobiz, type MockServer } from "../../testing/mod.ts";
import { fakeClock } from "../_support/fake_clock.ts";
import { type RunningWorker, startWorker } from "../_support/workerd.ts";

const TOKEN = "mock-auth-token";
const ACCOUNT = "/api/v1/Account/MA_MOCK0001";
const RANGE = "start_date=2026-11-01&end_date=2026-11-26";
const clock = fakeClock(); // 2026-11-26T00:00Z, for the mock's timestamps
const mock = createMockVobiz({ balance: 4321, numberPrice: 100, cdrCount: 250, now: clock.now });
let server: MockServer;
let worker: RunningWorker;

before(async () => {
  server = await mock.listen();
  worker = await startWorker(new URL("./resources_worker.ts", import.meta.url), {
    bindings: {
      VOBIZ_AUTH_ID: "MA_MOCK0001",
      VOBIZ_AUTH_TOKEN: TOKEN,
      VOBIZ_BASE_URL: server.baseUrl,
    },
  });
});

after(async () => {
  await worker?.dispose();
  await server?.close();
});

beforeEach(() => mock.reset());

/** Runs one scenario of the Worker; asserts a 200 and returns its JSON. */
async function run(path: string, init?: RequestInit): Promise<Record<string, unknown>> {
  const response = await worker.fetch(path, init);
  const body = await response.json() as Record<string, unknown>;
  assert.equal(response.status, 200, JSON.stringify(body));
  return body;
}

/** `METHOD path?query` of every request the mock received, asserting each came from workerd. */
function received(): string[] {
  return mock.received.map((r) => {
    assert.ok(r.headers["cf-worker"], `${r.method} ${r.path} did not come from workerd`);
    assert.equal(r.authorized, true);
    return `${r.method} ${r.path}${r.search}`;
  });
}

test("account.get and balance.get inside workerd", async () => {
  assert.deepEqual(await run("/account"), {
    authId: "MA_MOCK0001",
    balance: 4321,
    currency: "INR",
  });
  assert.deepEqual(received(), ["GET /api/v1/auth/me", `GET ${ACCOUNT}/balance/INR`]);
});

test("trunks: create, list over pages of 2 (for await), get, delete inside workerd", async () => {
  const body = await run("/trunks");
  const ids = body.ids as string[];
  assert.equal(ids.length, 5);
  assert.deepEqual(mock.effects.trunksCreated, ids);
  assert.deepEqual(body, {
    ids,
    listed: ["trunk 1", "trunk 2", "trunk 3", "trunk 4", "trunk 5"],
    got: { id: ids[0], name: "trunk 1" },
    deleted: null, // an empty acknowledgement resolves to undefined
    after: ["trunk 2", "trunk 3", "trunk 4", "trunk 5"],
  });
  assert.deepEqual(mock.effects.trunksDeleted, [ids[0]]);
  assert.deepEqual(received(), [
    ...ids.map(() => `POST ${ACCOUNT}/trunks`),
    `GET ${ACCOUNT}/trunks?offset=0&limit=2`,
    `GET ${ACCOUNT}/trunks?offset=2&limit=2`,
    `GET ${ACCOUNT}/trunks?offset=4&limit=2`,
    `GET ${ACCOUNT}/trunks/${ids[0]}`,
    `DELETE ${ACCOUNT}/trunks/${ids[0]}`,
    `GET ${ACCOUNT}/trunks?offset=0&limit=100`,
  ]);
  assert.deepEqual(JSON.parse(mock.received[0]!.body), { name: "trunk 1" });
});

test("numbers: searchInventory (break after 5 of pages of 3), purchase, release with %2B", async () => {
  assert.deepEqual(await run("/numbers"), {
    available: [
      "+918000000001",
      "+918000000002",
      "+918000000003",
      "+918000000004",
      "+918000000005",
    ],
    bought: { e164: "+918000000001", status: "active" },
    released: { status: "pending_release", cooldownEndsAt: "2026-11-27T00:00:00.000Z" },
  });
  assert.deepEqual(received(), [
    `GET ${ACCOUNT}/inventory/numbers?page=1&per_page=3&country=IN`,
    `GET ${ACCOUNT}/inventory/numbers?page=2&per_page=3&country=IN`, // then break: no page 3
    `POST ${ACCOUNT}/numbers/purchase-from-inventory`,
    `DELETE ${ACCOUNT}/numbers/%2B918000000001`,
  ]);
  assert.deepEqual(JSON.parse(mock.received[2]!.body), { e164: "+918000000001" }); // literal +
  assert.deepEqual(mock.effects.purchases.map((p) => p.e164), ["+918000000001"]);
  assert.equal(mock.balance(), 4221);
});

test("cdrs.list over a date range: break after 150 CDRs sends exactly two requests", async () => {
  assert.deepEqual(await run("/cdrs/list"), { count: 150 });
  assert.deepEqual(received(), [
    `GET ${ACCOUNT}/cdr?page=1&per_page=100&${RANGE}`,
    `GET ${ACCOUNT}/cdr?page=2&per_page=100&${RANGE}`,
  ]);
});

test("cdrs.export is a ReadableStream read to its end inside workerd: the whole CSV", async () => {
  const body = await run("/cdrs/export");
  assert.deepEqual(received(), [`GET ${ACCOUNT}/cdr/export?${RANGE}&call_direction=outbound`]);
  assert.doesNotMatch(mock.received[0]!.headers["accept"] ?? "", /application\/json/);
  // The same export read on Node, in process: byte for byte what the Worker read.
  const local = createClient({
    authId: "MA_MOCK0001",
    authToken: TOKEN,
    baseUrl: "https://api.vobiz.test/api/v1",
    fetch: mock.fetch,
  });
  const expected = await new Response(
    await local.cdrs.export({
      start_date: "2026-11-01",
      end_date: "2026-11-26",
      call_direction: "outbound",
    }),
  ).text();
  const rows = expected.trimEnd().split("\r\n");
  assert.match(rows[0]!, /^uuid,start_time,/);
  assert.equal(rows.length, 1 + 166); // the header and every outbound CDR
  assert.deepEqual(body, { isStream: true, readChunks: true, csv: expected });
});

test("calls.create, get and hangup inside workerd", async () => {
  const body = await run("/calls");
  const uuid = body.uuid as string;
  assert.deepEqual(mock.effects.calls.map((c) => c.call_uuid), [uuid]);
  assert.deepEqual(body, {
    uuid,
    message: "Call fired",
    live: { uuid, from: "+918000000001", to: "+919876543210" },
    hungUp: null,
    stillLive: [],
  });
  assert.deepEqual(received(), [
    `POST ${ACCOUNT}/Call/`,
    `GET ${ACCOUNT}/Call/${uuid}?status=live`,
    `DELETE ${ACCOUNT}/Call/${uuid}`,
    `GET ${ACCOUNT}/Call?status=live`,
  ]);
  assert.deepEqual(JSON.parse(mock.received[0]!.body), {
    from: "+918000000001",
    to: "+919876543210",
    answer_url: "https://app.example.com/answer.xml",
  });
});

test("bad input is rejected inside workerd with VALIDATION_ERROR; the mock receives nothing", async () => {
  assert.deepEqual(await run("/validation"), {
    "trunks.create": { code: "VALIDATION_ERROR", paths: ["name"] },
    "numbers.purchase": { code: "VALIDATION_ERROR", paths: ["e164"] },
    "numbers.release": { code: "VALIDATION_ERROR", paths: ["e164"] },
    "calls.create": { code: "VALIDATION_ERROR", paths: ["answer_url"] },
    "cdrs.list": { code: "VALIDATION_ERROR", paths: ["end_date"] },
  });
  assert.deepEqual(mock.received, []);
  assert.deepEqual(mock.effects, {
    purchases: [],
    calls: [],
    trunksCreated: [],
    trunksDeleted: [],
    debits: [],
    refreshes: [],
  });
});

test("verifyVoiceSignature inside workerd: signed on Node, verified once, a replay is caught", async () => {
  const url = "http://worker.test/webhook/verify";
  const post = (headers: Record<string, string>) =>
    run("/webhook/verify?CallUUID=abc", { method: "POST", headers, body: "CallUUID=abc" });
  const headers = await signVoiceCallback({ url, authToken: TOKEN });
  assert.deepEqual(await post(headers), { valid: true, version: "v3" });
  assert.deepEqual(await post(headers), { valid: false, reason: "replayed", version: "v3" });
  const other = await signVoiceCallback({ url, authToken: "another-token" });
  assert.deepEqual(await post(other), { valid: false, reason: "mismatch" });
  const elsewhere = await signVoiceCallback({ url: "http://worker.test/other", authToken: TOKEN });
  assert.deepEqual(await post(elsewhere), { valid: false, reason: "mismatch" });
  assert.deepEqual(await post({}), { valid: false, reason: "unsigned" });
  assert.deepEqual(mock.received, []); // verification makes no request
});

test("signVoiceCallback inside workerd makes headers that Node verifies (V3 and V2)", async () => {
  const url = "https://hooks.example.com/vobiz/answer";
  const headers = await run(`/webhook/sign?url=${encodeURIComponent(url)}`) as Record<
    string,
    string
  >;
  assert.deepEqual(Object.keys(headers).sort(), [
    "X-Vobiz-Signature-V2",
    "X-Vobiz-Signature-V2-Nonce",
    "X-Vobiz-Signature-V3",
    "X-Vobiz-Signature-V3-Nonce",
  ]);
  assert.match(headers["X-Vobiz-Signature-V3-Nonce"]!, /^\d{20}$/);
  assert.deepEqual(await verifyVoiceSignature({ url, headers, authToken: TOKEN }), {
    valid: true,
    version: "v3",
  });
  assert.deepEqual(
    await verifyVoiceSignature({ url, headers, authToken: TOKEN, versions: ["v2"] }),
    { valid: true, version: "v2" },
  );
  assert.deepEqual(await verifyVoiceSignature({ url, headers, authToken: "wrong" }), {
    valid: false,
    reason: "mismatch",
  });
});
