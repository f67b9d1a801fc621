// Trunks and what they authenticate and route with (credentials, IP ACLs, origination URIs)
// against the mock: routes (lists under /trunks/, writes not), style B paging, bodies, parsing,
// validation; credentials.stale on fake time.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ACCOUNT, collect, last, lastBody, lines, rejectsInput, setup } from "./_setup.ts";

const DAY = 86_400_000;

describe("trunks", () => {
  test("create, get, update, delete; the answer is parsed and open to new fields", async () => {
    const { mock, vobiz } = setup();
    const created = await vobiz.trunks.create({
      name: "Mumbai primary",
      trunk_direction: "outbound",
      webhook_url: "https://ops.example.com/vobiz",
      concurrent_calls_limit: 20,
    });
    assert.match(created.trunk_domain ?? "", /^[0-9a-f]{8}\.sip\.vobiz\.ai$/);
    assert.equal(created["recording_webhook_enabled"], false); // a field the schema does not name
    assert.deepEqual(lastBody(mock), {
      name: "Mumbai primary",
      trunk_direction: "outbound",
      webhook_url: "https://ops.example.com/vobiz",
      concurrent_calls_limit: 20,
    });
    const id = created.trunk_id;
    assert.equal((await vobiz.trunks.get(id)).name, "Mumbai primary");
    const updated = await vobiz.trunks.update(id, { trunk_status: "disabled" });
    assert.equal(updated.trunk_status, "disabled");
    assert.deepEqual(lastBody(mock), { trunk_status: "disabled" });
    assert.equal(await vobiz.trunks.delete(id), undefined);
    await assert.rejects(vobiz.trunks.get(id), { status: 404, vobizCode: "TRUNK_NOT_FOUND" });
    assert.deepEqual(lines(mock), [
      `POST ${ACCOUNT}/trunks`,
      `GET ${ACCOUNT}/trunks/${id}`,
      `PUT ${ACCOUNT}/trunks/${id}`,
      `DELETE ${ACCOUNT}/trunks/${id}`,
      `GET ${ACCOUNT}/trunks/${id}`,
    ]);
  });

  test("list pages with limit/offset (style B) and stops on break", async () => {
    const { mock, vobiz } = setup();
    for (let i = 0; i < 205; i++) await vobiz.trunks.create({ name: `t${i}` });
    const before = mock.received.length;
    const trunks = await collect(vobiz.trunks.list());
    assert.equal(trunks.length, 205);
    assert.deepEqual(
      lines(mock).slice(before),
      [0, 100, 200].map((offset) => `GET ${ACCOUNT}/trunks?offset=${offset}&limit=100`),
    );
    const page = await vobiz.trunks.listPage({ limit: 5, offset: 200 });
    assert.deepEqual(page.items.map((t) => t.name), ["t200", "t201", "t202", "t203", "t204"]);
    assert.equal(page.total, 205);
    assert.equal(page.hasMore, false);
    const mark = mock.received.length;
    for await (const _trunk of vobiz.trunks.list()) break;
    assert.equal(mock.received.length - mark, 1);
  });

  test("bad input is rejected before any request", async () => {
    const { mock, vobiz } = setup();
    await rejectsInput(mock, vobiz.trunks.create({ name: "" }), "name");
    await rejectsInput(mock, vobiz.trunks.create({ name: "x".repeat(256) }), "name");
    await rejectsInput(mock, vobiz.trunks.create({ name: "<script>alert(1)</script>" }), "name");
    await rejectsInput(
      mock,
      vobiz.trunks.create({ name: "ok", webhook_url: "http://192.168.1.10/hook" }),
      "webhook_url",
    );
    await rejectsInput(
      mock,
      vobiz.trunks.create({ name: "ok", description: "x'; DROP TABLE trunks; --" }),
      "description",
    );
    await rejectsInput(
      mock,
      vobiz.trunks.create({ name: "ok", credential_uuid: "42" }),
      "credential_uuid",
    );
    await rejectsInput(mock, vobiz.trunks.update("..", { name: "ok" }), "trunk_id");
    await rejectsInput(mock, () => vobiz.trunks.list({ limit: 0 }), "limit");
    assert.deepEqual(mock.effects.trunksCreated, []);
  });
});

describe("credentials", () => {
  test("create (POST /credentials), list (GET /trunks/credentials), get, update, delete", async () => {
    const { mock, vobiz } = setup();
    const cred = await vobiz.credentials.create({ username: "pbx01", password: "long-secret-1" });
    assert.equal(cred.username, "pbx01");
    assert.equal(cred.password, "<redacted>");
    assert.equal(cred.realm, "MA_MOCK0001.sip.vobiz.ai");
    assert.deepEqual(lastBody(mock), { username: "pbx01", password: "long-secret-1" });
    const listed = await collect(vobiz.credentials.list());
    assert.deepEqual(listed.map((c) => c.id), [cred.id]);
    assert.equal((await vobiz.credentials.listPage()).total, 1);
    assert.equal((await vobiz.credentials.get(cred.id)).username, "pbx01");
    const rotated = await vobiz.credentials.update(cred.id, { password: "long-secret-2" });
    assert.equal(rotated.password, "<redacted>");
    await vobiz.credentials.delete(cred.id);
    assert.deepEqual(lines(mock), [
      `POST ${ACCOUNT}/credentials`,
      `GET ${ACCOUNT}/trunks/credentials?offset=0&limit=100`,
      `GET ${ACCOUNT}/trunks/credentials?offset=0&limit=100`,
      `GET ${ACCOUNT}/credentials/${cred.id}`,
      `PUT ${ACCOUNT}/credentials/${cred.id}`,
      `DELETE ${ACCOUNT}/credentials/${cred.id}`,
    ]);
    await assert.rejects(
      vobiz.credentials.create({ username: "pbx02", password: "long-secret-1" }).then(() =>
        vobiz.credentials.create({ username: "pbx02", password: "long-secret-1" })
      ),
      { status: 409, vobizCode: "DUPLICATE_USERNAME" },
    );
  });

  test("bad input is rejected before any request", async () => {
    const { mock, vobiz } = setup();
    await rejectsInput(
      mock,
      vobiz.credentials.create({ username: "pbx_01", password: "long-secret" }),
      "username",
    );
    await rejectsInput(
      mock,
      vobiz.credentials.create({ username: "pbx01", password: "short" }),
      "password",
    );
    await rejectsInput(mock, vobiz.credentials.update("id", { password: "1234567" }), "password");
    await rejectsInput(mock, vobiz.credentials.stale({ maxAgeDays: -1 }), "maxAgeDays");
  });

  test("stale: credentials last changed over maxAgeDays ago, oldest first", async () => {
    const { mock, vobiz, clock } = setup();
    const old = await vobiz.credentials.create({ username: "old01", password: "long-secret-1" });
    await clock.advance(30 * DAY);
    await vobiz.credentials.create({ username: "mid01", password: "long-secret-1" });
    await clock.advance(40 * DAY);
    await vobiz.credentials.create({ username: "new01", password: "long-secret-1" });
    await clock.advance(25 * DAY); // old: 95 days, mid: 65 days, fresh: 25 days
    const before = mock.received.length;

    const report = await vobiz.credentials.stale({ maxAgeDays: 60 });
    assert.deepEqual(
      report.credentials.map((s) => [s.credential.username, s.ageDays]),
      [["old01", 95], ["mid01", 65]],
    );
    assert.equal(report.credentials[0]?.lastChangedAt, old.updated_at);
    assert.equal(report.checkedAt, new Date(clock.now()).toISOString());
    assert.deepEqual(report.unknownAge, []);
    assert.deepEqual(lines(mock).slice(before), [
      `GET ${ACCOUNT}/trunks/credentials?offset=0&limit=100`,
      "GET /api/v1/auth/me",
    ]);

    // rotating the password resets the age
    await vobiz.credentials.update(old.id, { password: "long-secret-9" });
    const after = await vobiz.credentials.stale(); // 90 days by default
    assert.equal(after.maxAgeDays, 90);
    assert.deepEqual(after.credentials, []);
  });

  test("stale: the auth token is due when rotated too long ago or expired", async () => {
    const { mock, vobiz, clock } = setup();
    const unknown = await vobiz.credentials.stale();
    assert.equal(unknown.authToken.due, undefined);
    assert.match(unknown.authToken.reason, /authTokenRotatedAt/);

    const rotatedAt = new Date(clock.now() - 100 * DAY);
    const due = await vobiz.credentials.stale({ authTokenRotatedAt: rotatedAt });
    assert.equal(due.authToken.due, true);
    assert.equal(due.authToken.lastRotatedAt, rotatedAt.toISOString());
    const fine = await vobiz.credentials.stale({ authTokenRotatedAt: clock.now() - 10 * DAY });
    assert.equal(fine.authToken.due, false);

    const expired = new Date(clock.now() - 1000).toISOString();
    mock.fault({
      path: "/auth/me",
      status: 200,
      body: JSON.stringify({ auth_id: "MA_MOCK0001", auth_token_expire_time: expired }),
    });
    const report = await vobiz.credentials.stale({ authTokenRotatedAt: clock.now() });
    assert.equal(report.authToken.due, true);
    assert.equal(report.authToken.expiresAt, expired);
  });
});

describe("IP ACLs", () => {
  test("create (POST /ip-acl), list (GET /trunks/ip-acl), update, delete", async () => {
    const { mock, vobiz } = setup();
    const acl = await vobiz.ipAcls.create({ name: "office", ip_address: "34.120.5.0/24" });
    assert.equal(acl.description, "office");
    assert.equal(acl.ip_address, "34.120.5.0/24");
    const listed = await vobiz.ipAcls.listPage();
    assert.deepEqual(listed.items.map((a) => a.id), [acl.id]);
    assert.equal((await collect(vobiz.ipAcls.list())).length, 1);
    const updated = await vobiz.ipAcls.update(acl.id, { ip_address: "34.120.5.9", enabled: false });
    assert.equal(updated.enabled, false);
    assert.deepEqual(lastBody(mock), { ip_address: "34.120.5.9", enabled: false });
    await vobiz.ipAcls.delete(acl.id);
    assert.deepEqual(lines(mock), [
      `POST ${ACCOUNT}/ip-acl`,
      `GET ${ACCOUNT}/trunks/ip-acl?offset=0&limit=100`,
      `GET ${ACCOUNT}/trunks/ip-acl?offset=0&limit=100`,
      `PUT ${ACCOUNT}/ip-acl/${acl.id}`,
      `DELETE ${ACCOUNT}/ip-acl/${acl.id}`,
    ]);
  });

  test("IPv6, malformed and documentation ranges are rejected before any request", async () => {
    const { mock, vobiz } = setup();
    for (const ip_address of ["2001:db8::1", "10.0.0.256", "10.0.0.0/33", "203.0.113.0/24"]) {
      await rejectsInput(mock, vobiz.ipAcls.create({ name: "x", ip_address }), "ip_address");
    }
    await rejectsInput(mock, vobiz.ipAcls.create({ name: "", ip_address: "34.1.1.1" }), "name");
  });
});

describe("origination URIs", () => {
  test("create (POST /origination-uris), list (GET /trunks/origination-uris), update, delete", async () => {
    const { mock, vobiz } = setup();
    const uri = await vobiz.originationUris.create({
      name: "sbc1",
      sip_uri: "sip:sbc1.example.com:5060",
      priority: 1,
      weight: 50,
    });
    assert.equal(uri.uri, "sip:sbc1.example.com:5060"); // sip_uri comes back as uri
    assert.equal(uri.priority, 1);
    const page = await vobiz.originationUris.listPage();
    assert.deepEqual(page.items.map((u) => u.id), [uri.id]);
    assert.equal((await collect(vobiz.originationUris.list())).length, 1);
    assert.equal((await vobiz.originationUris.update(uri.id, { priority: 5 })).priority, 5);
    await vobiz.originationUris.delete(uri.id);
    assert.deepEqual(lines(mock), [
      `POST ${ACCOUNT}/origination-uris`,
      `GET ${ACCOUNT}/trunks/origination-uris?offset=0&limit=100`,
      `GET ${ACCOUNT}/trunks/origination-uris?offset=0&limit=100`,
      `PUT ${ACCOUNT}/origination-uris/${uri.id}`,
      `DELETE ${ACCOUNT}/origination-uris/${uri.id}`,
    ]);
    assert.equal(last(mock).body, "");
  });

  test("bad input is rejected before any request", async () => {
    const { mock, vobiz } = setup();
    await rejectsInput(
      mock,
      vobiz.originationUris.create({ name: "x", sip_uri: "http://sbc.example.com", priority: 1 }),
      "sip_uri",
    );
    await rejectsInput(
      mock,
      vobiz.originationUris.create({ name: "x", sip_uri: "sip:sbc.example.com", priority: -1 }),
      "priority",
    );
  });
});
