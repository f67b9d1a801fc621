// The route table: casing and trailing slashes as the reference gives them, and every route of
// the table reached by a resource method and served by the mock.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { routeLines } from "../../src/resources/routes.ts";
import { matchRoute } from "../../testing/routes.ts";
import { setup } from "./_setup.ts";

const ROUTES = routeLines(); // `namespace.method` → "METHOD /path/template"
const table = Object.entries(ROUTES);
const shape = (route: string) => route.replace(/\{\w+\}/g, "{}");

describe("route table", () => {
  test("voice resources use /Account/, except the routes every source gives in lowercase", () => {
    const lowercase = table.filter(([, route]) => route.includes(" /account/")).map(([name]) =>
      name
    );
    assert.deepEqual(lowercase.sort(), [
      "numbers.assignToSubAccount",
      "numbers.cancelRelease",
      "numbers.health",
      "numbers.unassignFromSubAccount",
    ]);
    const plural = table.filter(([, route]) => route.includes(" /accounts/")).map(([name]) => name);
    assert.deepEqual(plural.sort(), [
      "account.previewCapacity",
      "account.subscribeCapacity",
      "subAccounts.create",
      "subAccounts.delete",
      "subAccounts.get",
      "subAccounts.list",
      "subAccounts.update",
    ]);
  });

  test("trailing slashes: Plivo-style routes have one, /Call (live) and the rest do not", () => {
    const slashed = (name: string) => ROUTES[name]!.endsWith("/");
    for (const [name] of table) {
      const plivo = /^(applications|endpoints|recordings|conferences)\./.test(name) ||
        /^calls\.(create|listQueued|getQueued|play|stopPlay|speak|stopSpeak|dtmf|record|stopRecord|streams)/
          .test(name) ||
        name === "subAccounts.list" || name === "subAccounts.create";
      assert.equal(slashed(name), plivo, name);
    }
    assert.equal(ROUTES["calls.listLive"], "GET /Account/{auth_id}/Call");
    assert.equal(ROUTES["calls.listQueued"], "GET /Account/{auth_id}/Call/");
    assert.equal(ROUTES["calls.hangup"], "DELETE /Account/{auth_id}/Call/{call_uuid}");
  });

  test("trunk-family lists sit under /trunks/, their writes do not", () => {
    assert.equal(ROUTES["credentials.list"], "GET /Account/{auth_id}/trunks/credentials");
    assert.equal(ROUTES["credentials.create"], "POST /Account/{auth_id}/credentials");
    assert.equal(ROUTES["ipAcls.list"], "GET /Account/{auth_id}/trunks/ip-acl");
    assert.equal(ROUTES["ipAcls.create"], "POST /Account/{auth_id}/ip-acl");
    assert.equal(ROUTES["originationUris.list"], "GET /Account/{auth_id}/trunks/origination-uris");
    assert.equal(ROUTES["originationUris.create"], "POST /Account/{auth_id}/origination-uris");
  });

  test("every route of the table is served by the mock", () => {
    for (const [name, route] of table) {
      const [method = "", template = ""] = route.split(" ");
      const concrete = template.replace(/\{(\w+)\}/g, (_, key: string) => `x${key}`);
      assert.equal(matchRoute(method, concrete).kind, "found", `${name}: ${route}`);
    }
  });

  test("every route of the table is reached by a resource method", async () => {
    const { mock, vobiz } = setup({ conferences: [{ name: "room", members: 2 }] });
    const e164 = "+918000000001";
    const answer = "https://app.example.com/a.xml";
    const settle = async (calls: Array<() => Promise<unknown>>) => {
      for (const call of calls) await call().catch(() => undefined); // 4xx answers are fine here
    };
    const trunk = await vobiz.trunks.create({ name: "t" });
    const cred = await vobiz.credentials.create({ username: "u1", password: "long-secret" });
    const acl = await vobiz.ipAcls.create({ name: "a", ip_address: "34.1.2.3" });
    const uri = await vobiz.originationUris.create({
      name: "u",
      sip_uri: "sip:a.example.com",
      priority: 1,
    });
    const app = await vobiz.applications.create({ app_name: "a", answer_url: answer });
    const endpoint = await vobiz.endpoints.create({
      username: "e1",
      password: "long-secret",
      alias: "e",
    });
    const sub = await vobiz.subAccounts.create({ name: "s" });
    const call = await vobiz.calls.create({ from: e164, to: "+919876543210", answer_url: answer });
    const uuid = call.request_uuid;
    const stream = await vobiz.calls.streams.start(uuid, { service_url: "wss://a.example.com/s" });
    const streamId = String(stream?.["stream_id"]);
    await vobiz.numbers.purchase({ e164 });
    await settle([
      () => vobiz.account.get(),
      () => vobiz.account.concurrency(),
      () => vobiz.account.previewCapacity({ resource_type: "cps", quantity: 3 }),
      () => vobiz.account.subscribeCapacity({ resource_type: "cps", quantity: 1 }),
      () => vobiz.balance.get(),
      () => vobiz.transactions.listPage(),
      () => vobiz.subAccounts.listPage(),
      () => vobiz.subAccounts.get(sub.sub_account.auth_id),
      () => vobiz.subAccounts.update(sub.sub_account.auth_id, { enabled: true }),
      () => vobiz.trunks.listPage(),
      () => vobiz.trunks.get(trunk.trunk_id),
      () => vobiz.trunks.update(trunk.trunk_id, { name: "t2" }),
      () => vobiz.credentials.listPage(),
      () => vobiz.credentials.get(cred.id),
      () => vobiz.credentials.update(cred.id, { enabled: false }),
      () => vobiz.credentials.delete(cred.id),
      () => vobiz.ipAcls.listPage(),
      () => vobiz.ipAcls.update(acl.id, { enabled: false }),
      () => vobiz.ipAcls.delete(acl.id),
      () => vobiz.originationUris.listPage(),
      () => vobiz.originationUris.update(uri.id, { priority: 2 }),
      () => vobiz.originationUris.delete(uri.id),
      () => vobiz.numbers.listPage(),
      () => vobiz.numbers.searchInventoryPage(),
      () => vobiz.numbers.assignToTrunk(e164, { trunk_group_id: trunk.trunk_id }),
      () => vobiz.numbers.unassignFromTrunk(e164),
      () => vobiz.numbers.assignToSubAccount(e164, { sub_account_id: sub.sub_account.auth_id }),
      () => vobiz.numbers.unassignFromSubAccount(e164, { force: true }),
      () => vobiz.numbers.health(e164),
      () => vobiz.numbers.release(e164),
      () => vobiz.numbers.cancelRelease(e164),
      () => vobiz.cdrs.listPage(),
      () => vobiz.cdrs.searchPage(),
      () => vobiz.cdrs.recent(),
      () => vobiz.cdrs.get("00000000-0000-4000-8000-000000000001"),
      () => vobiz.cdrs.export().then((body) => body.cancel()),
      () => vobiz.calls.listLive(),
      () => vobiz.calls.listQueued(),
      () => vobiz.calls.get(uuid),
      () => vobiz.calls.getQueued(uuid),
      () => vobiz.calls.play(uuid, { urls: "https://cdn.example.com/a.mp3" }),
      () => vobiz.calls.stopPlay(uuid),
      () => vobiz.calls.speak(uuid, { text: "hi" }),
      () => vobiz.calls.stopSpeak(uuid),
      () => vobiz.calls.dtmf(uuid, { digits: "1" }),
      () => vobiz.calls.record(uuid),
      () => vobiz.calls.stopRecord(uuid),
      () => vobiz.calls.streams.list(uuid),
      () => vobiz.calls.streams.get(uuid, streamId),
      () => vobiz.calls.streams.stop(uuid, streamId),
      () => vobiz.calls.streams.stopAll(uuid),
      () => vobiz.applications.listPage(),
      () => vobiz.applications.get(String(app.app_id)),
      () => vobiz.applications.update(String(app.app_id), { app_name: "b" }),
      () => vobiz.applications.delete(String(app.app_id)),
      () => vobiz.endpoints.listPage(),
      () => vobiz.endpoints.get(endpoint.endpoint_id),
      () => vobiz.endpoints.update(endpoint.endpoint_id, { alias: "f" }),
      () => vobiz.endpoints.delete(endpoint.endpoint_id),
      () => vobiz.recordings.listPage(),
      () => vobiz.recordings.get("rec-0001"),
      () => vobiz.recordings.delete("rec-0001"),
      () => vobiz.recordings.export({ recipient: { customer_account: ["a@example.com"] } }),
      () => vobiz.conferences.listPage(),
      () => vobiz.conferences.get("room"),
      () => vobiz.conferences.record("room"),
      () => vobiz.conferences.stopRecord("room"),
      () => vobiz.conferences.members.mute("room", 1),
      () => vobiz.conferences.members.unmute("room", 1),
      () => vobiz.conferences.members.deaf("room", 1),
      () => vobiz.conferences.members.undeaf("room", 1),
      () => vobiz.conferences.members.play("room", 1, { url: "https://cdn.example.com/a.mp3" }),
      () => vobiz.conferences.members.stopPlay("room", 1),
      () => vobiz.conferences.members.kick("room", 1),
      () => vobiz.conferences.members.hangup("room", 2),
      () => vobiz.conferences.end("room"),
      () => vobiz.conferences.endAll(),
      () => vobiz.calls.hangup(uuid),
      () => vobiz.trunks.delete(trunk.trunk_id),
      () => vobiz.subAccounts.delete(sub.sub_account.auth_id),
      () => vobiz.account.rotateAuthToken(),
    ]);
    const reached = new Set(mock.received.map((request) => {
      const match = matchRoute(request.method, request.path.slice("/api/v1".length));
      assert.equal(match.kind, "found", `${request.method} ${request.path}`);
      return match.kind === "found" ? shape(`${match.route.method} ${match.route.path}`) : "";
    }));
    const missing = table.filter(([, route]) => !reached.has(shape(route))).map(([name]) => name);
    assert.deepEqual(missing, []);
    assert.equal(reached.size, new Set(table.map(([, route]) => shape(route))).size);
  });
});
