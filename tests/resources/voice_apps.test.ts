// Applications, endpoints, recordings (Plivo-style routes: trailing slashes, updates by POST,
// style A paging) and conferences against the mock.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ACCOUNT, collect, last, lastBody, lines, rejectsInput, setup } from "./_setup.ts";

const ANSWER = "https://app.example.com/answer.xml";

describe("applications", () => {
  test("create, get, update (POST), list, delete with trailing slashes", async () => {
    const { mock, vobiz } = setup();
    const created = await vobiz.applications.create({
      app_name: "IVR",
      answer_url: ANSWER,
      answer_method: "GET",
    });
    const id = String(created.app_id);
    assert.equal(created.message, "created");
    assert.deepEqual(lastBody(mock), { app_name: "IVR", answer_url: ANSWER, answer_method: "GET" });
    const app = await vobiz.applications.get(id);
    assert.equal(app.app_name, "IVR");
    assert.equal(app.answer_method, "GET");
    assert.equal(app.hangup_url, ANSWER); // falls back to answer_url
    const changed = await vobiz.applications.update(id, {
      hangup_url: "https://app.example.com/h",
    });
    assert.equal(changed.message, "changed");
    assert.equal((await vobiz.applications.get(id)).hangup_url, "https://app.example.com/h");
    assert.deepEqual((await collect(vobiz.applications.list())).map((a) => a.app_id), [id]);
    assert.equal(await vobiz.applications.delete(id), undefined);
    assert.deepEqual(lines(mock), [
      `POST ${ACCOUNT}/Application/`,
      `GET ${ACCOUNT}/Application/${id}/`,
      `POST ${ACCOUNT}/Application/${id}/`,
      `GET ${ACCOUNT}/Application/${id}/`,
      `GET ${ACCOUNT}/Application/?offset=0&limit=100`,
      `DELETE ${ACCOUNT}/Application/${id}/`,
    ]);
  });

  test("list pages by meta.next (style A) and stops on break", async () => {
    const { mock, vobiz } = setup();
    for (let i = 0; i < 7; i++) {
      await vobiz.applications.create({ app_name: `a${i}`, answer_url: ANSWER });
    }
    const before = mock.received.length;
    assert.equal((await collect(vobiz.applications.list({ limit: 3 }))).length, 7);
    assert.deepEqual(
      lines(mock).slice(before),
      [0, 3, 6].map((offset) => `GET ${ACCOUNT}/Application/?offset=${offset}&limit=3`),
    );
    const page = await vobiz.applications.listPage({ limit: 3 });
    assert.equal(page.total, 7);
    assert.deepEqual(page.next, { offset: 3, limit: 3 });
    assert.equal(typeof page.body.api_id, "string");
    const mark = mock.received.length;
    for await (const _app of vobiz.applications.list({ limit: 3 })) break;
    assert.equal(mock.received.length - mark, 1);
  });

  test("bad input is rejected before any request", async () => {
    const { mock, vobiz } = setup();
    await rejectsInput(
      mock,
      vobiz.applications.create({ app_name: "x", answer_url: "ftp://a.example.com" }),
      "answer_url",
    );
    await rejectsInput(
      mock,
      vobiz.applications.create({ app_name: "", answer_url: ANSWER }),
      "app_name",
    );
    await rejectsInput(
      mock,
      vobiz.applications.update("1", { answer_method: "PUT" as "GET" }),
      "answer_method",
    );
    await rejectsInput(mock, vobiz.applications.get("."), "app_id");
  });
});

describe("endpoints", () => {
  test("create, get, update (POST, empty 202), list with filters, delete", async () => {
    const { mock, vobiz } = setup();
    const created = await vobiz.endpoints.create({
      username: "alice01",
      password: "long-secret-1",
      alias: "alice",
      application: 10000001,
    });
    const id = created.endpoint_id;
    assert.equal(created.sip_uri, "sip:alice01@registrar.vobiz.ai");
    await vobiz.endpoints.create({ username: "bob01", password: "long-secret-1", alias: "bob" });
    const endpoint = await vobiz.endpoints.get(id);
    assert.equal(endpoint.sip_registered, "false"); // a string, as sent
    assert.equal(endpoint["password"], undefined);
    assert.equal(await vobiz.endpoints.update(id, { alias: "alice-desk" }), undefined);
    assert.deepEqual(lastBody(mock), { alias: "alice-desk" });
    const found = await collect(vobiz.endpoints.list({ username__startswith: "ali" }));
    assert.deepEqual(found.map((e) => e.alias), ["alice-desk"]);
    assert.equal(last(mock).search, "?offset=0&limit=100&username__startswith=ali");
    assert.equal((await vobiz.endpoints.listPage({ application_id__isnull: true })).total, 1);
    await vobiz.endpoints.delete(id);
    assert.deepEqual(lines(mock).filter((line) => !line.startsWith("GET")), [
      `POST ${ACCOUNT}/Endpoint/`,
      `POST ${ACCOUNT}/Endpoint/`,
      `POST ${ACCOUNT}/Endpoint/${id}/`,
      `DELETE ${ACCOUNT}/Endpoint/${id}/`,
    ]);
  });

  test("bad input is rejected before any request", async () => {
    const { mock, vobiz } = setup();
    const good = { username: "alice01", password: "long-secret-1", alias: "alice" };
    await rejectsInput(mock, vobiz.endpoints.create({ ...good, username: "alice.01" }), "username");
    await rejectsInput(mock, vobiz.endpoints.create({ ...good, password: "1234" }), "password");
    await rejectsInput(mock, vobiz.endpoints.create({ ...good, alias: "alice smith" }), "alias");
    await rejectsInput(
      mock,
      vobiz.endpoints.create({ ...good, application: "app-1" }),
      "application",
    );
    await rejectsInput(mock, () => vobiz.endpoints.list({ sub_account: "MA_1" }), "sub_account");
  });
});

describe("recordings", () => {
  test("list (style A, filters), get, delete, export", async () => {
    const { mock, vobiz } = setup({ recordingCount: 5 });
    const all = await collect(vobiz.recordings.list({ limit: 2 }));
    assert.deepEqual(all.map((r) => r.recording_id), [
      "rec-0005",
      "rec-0004",
      "rec-0003",
      "rec-0002",
      "rec-0001",
    ]);
    assert.equal(mock.received.length, 3);
    const byCall = await vobiz.recordings.listPage({
      call_uuid: "00000000-0000-4000-8000-000000000002",
    });
    assert.deepEqual(byCall.items.map((r) => r.recording_id), ["rec-0002"]);
    const one = await vobiz.recordings.get("rec-0002");
    assert.equal(one.recording_duration_ms, "11000"); // a string, as sent
    await vobiz.recordings.delete("rec-0002");
    assert.equal((await vobiz.recordings.listPage()).total, 4);
    const exported = await vobiz.recordings.export({
      recipient: { customer_account: ["ops@example.com"] },
      from: "2026-11-01 00:00:00",
      recording_format: "mp3",
    });
    assert.match(String(exported?.["message"]), /ops@example\.com/);
    assert.deepEqual(lines(mock).slice(3), [
      `GET ${ACCOUNT}/Recording/?offset=0&limit=100&call_uuid=00000000-0000-4000-8000-000000000002`,
      `GET ${ACCOUNT}/Recording/rec-0002/`,
      `DELETE ${ACCOUNT}/Recording/rec-0002/`,
      `GET ${ACCOUNT}/Recording/?offset=0&limit=100`,
      `POST ${ACCOUNT}/export/recording/`,
    ]);
  });

  test("bad input is rejected before any request", async () => {
    const { mock, vobiz } = setup();
    await rejectsInput(
      mock,
      vobiz.recordings.export({ recipient: { customer_account: ["nope"] } }),
      "recipient.customer_account.0",
    );
    await rejectsInput(
      mock,
      vobiz.recordings.export({ recipient: { customer_account: [] } }),
      "recipient.customer_account",
    );
    await rejectsInput(
      mock,
      vobiz.recordings.export({ recipient: { customer_account: ["a@b.co"] }, from: "2026-11-01" }),
      "from",
    );
  });
});

describe("conferences", () => {
  test("list (style H), get, record, stopRecord, end, endAll", async () => {
    const { mock, vobiz } = setup({
      conferences: [{ name: "standup", members: 3 }, { name: "Sales Room", members: 1 }],
    });
    assert.deepEqual(await collect(vobiz.conferences.list()), ["standup", "Sales Room"]);
    const page = await vobiz.conferences.listPage();
    assert.deepEqual(page.items, ["standup", "Sales Room"]);
    const room = await vobiz.conferences.get("Sales Room");
    assert.equal(room.conference_name, "Sales Room");
    assert.equal(room.conference_member_count, "1");
    await vobiz.conferences.record("standup", { file_format: "wav" });
    assert.deepEqual(lastBody(mock), { file_format: "wav" });
    await vobiz.conferences.stopRecord("standup");
    await vobiz.conferences.end("Sales Room");
    await vobiz.conferences.endAll();
    assert.deepEqual(await collect(vobiz.conferences.list()), []);
    const room1 = `${ACCOUNT}/Conference/standup`;
    assert.deepEqual(lines(mock), [
      `GET ${ACCOUNT}/Conference/`,
      `GET ${ACCOUNT}/Conference/`,
      `GET ${ACCOUNT}/Conference/Sales%20Room/`,
      `POST ${room1}/Record/`,
      `DELETE ${room1}/Record/`,
      `DELETE ${ACCOUNT}/Conference/Sales%20Room/`,
      `DELETE ${ACCOUNT}/Conference/`,
      `GET ${ACCOUNT}/Conference/`,
    ]);
  });

  test("get: a 200 with an error object becomes a VobizHttpError", async () => {
    const { vobiz } = setup();
    await assert.rejects(vobiz.conferences.get("nobody-here"), (error: Record<string, unknown>) => {
      assert.equal(error["code"], "HTTP_ERROR");
      assert.equal(error["status"], 200);
      assert.equal((error["body"] as { error?: string }).error, "conference not found");
      return true;
    });
  });

  test("member actions: one id, a comma list, or all", async () => {
    const { mock, vobiz } = setup({ conferences: [{ name: "standup", members: 4 }] });
    const members = `${ACCOUNT}/Conference/standup/Member`;
    await vobiz.conferences.members.mute("standup", "all");
    await vobiz.conferences.members.unmute("standup", "1,2");
    await vobiz.conferences.members.deaf("standup", 3);
    await vobiz.conferences.members.undeaf("standup", 3);
    await vobiz.conferences.members.play("standup", "all", {
      url: "https://cdn.example.com/b.mp3",
    });
    assert.deepEqual(lastBody(mock), { url: "https://cdn.example.com/b.mp3" });
    await vobiz.conferences.members.stopPlay("standup", "all");
    await vobiz.conferences.members.kick("standup", 4);
    await vobiz.conferences.members.hangup("standup", 3);
    const room = await vobiz.conferences.get("standup");
    assert.deepEqual(
      room.members?.map((m) => [m["member_id"], m["muted"]]),
      [["1", false], ["2", false]],
    );
    assert.deepEqual(lines(mock).slice(0, 8), [
      `POST ${members}/all/Mute/`,
      `DELETE ${members}/1%2C2/Mute/`,
      `POST ${members}/3/Deaf/`,
      `DELETE ${members}/3/Deaf/`,
      `POST ${members}/all/Play/`,
      `DELETE ${members}/all/Play/`,
      `POST ${members}/4/Kick/`,
      `DELETE ${members}/3/`,
    ]);
  });

  test("bad input is rejected before any request", async () => {
    const { mock, vobiz } = setup();
    await rejectsInput(mock, vobiz.conferences.get(""), "name");
    await rejectsInput(mock, vobiz.conferences.end(".."), "name");
    await rejectsInput(mock, vobiz.conferences.members.mute("standup", "1; DROP"), "memberId");
    await rejectsInput(
      mock,
      vobiz.conferences.members.play("standup", 1, { url: "http://127.0.0.1/x.mp3" }),
      "url",
    );
    await rejectsInput(
      mock,
      vobiz.conferences.record("standup", { callback_url: "http://10.1.1.1/cb" }),
      "callback_url",
    );
  });
});
