// client.calls against the mock: create (a paid write), live/queued lists, get, hang up, in-call
// actions and streams; and the CDR and debit a call leaves behind.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ACCOUNT, last, lastBody, lines, rejectsInput, setup } from "./_setup.ts";

const CALL = {
  from: "+918000000001",
  to: "+919876543210",
  answer_url: "https://app.example.com/answer.xml",
};

describe("calls.create", () => {
  test("POST /Call/ with the body as given; marked paid; answers request_uuid", async () => {
    const { mock, vobiz } = setup();
    const paid: unknown[] = [];
    vobiz.hooks.hook("beforeRequest", ({ context }) => void paid.push(context.options.paid));
    const created = await vobiz.calls.create({ ...CALL, answer_method: "GET", time_limit: 60 });
    assert.equal(created.message, "Call fired");
    assert.equal(typeof created.request_uuid, "string");
    assert.deepEqual(lines(mock), [`POST ${ACCOUNT}/Call/`]);
    assert.deepEqual(lastBody(mock), { ...CALL, answer_method: "GET", time_limit: 60 });
    assert.deepEqual(paid, [true]);
    assert.equal(mock.effects.calls.length, 1);
  });

  test("several destinations joined with < and SIP URIs are accepted", async () => {
    const { mock, vobiz } = setup();
    await vobiz.calls.create({ ...CALL, to: "+919876543210<sip:alice@pbx.example.com" });
    assert.equal((lastBody(mock) as { to: string }).to, "+919876543210<sip:alice@pbx.example.com");
  });

  test("bad input is rejected before any request", async () => {
    const { mock, vobiz } = setup();
    await rejectsInput(mock, vobiz.calls.create({ ...CALL, from: "918000000001" }), "from");
    await rejectsInput(mock, vobiz.calls.create({ ...CALL, to: "+91<+0123" }), "to");
    await rejectsInput(
      mock,
      vobiz.calls.create({ ...CALL, answer_url: "http://169.254.169.254/latest" }),
      "answer_url",
    );
    await rejectsInput(
      mock,
      vobiz.calls.create({ ...CALL, hangup_url: "http://localhost/hangup" }),
      "hangup_url",
    );
    await rejectsInput(
      mock,
      vobiz.calls.create({ ...CALL, machine_detection_time: 1000 }),
      "machine_detection_time",
    );
    await rejectsInput(
      mock,
      vobiz.calls.create({ ...CALL, answer_url: `https://a.example.com/${"x".repeat(500)}` }),
      "answer_url",
    );
    assert.deepEqual(mock.effects.calls, []);
  });

  test("402 and 429 reach the caller as HTTP errors, and nothing is retried", async () => {
    const { mock, vobiz } = setup({ cpsLimit: 1 });
    await vobiz.calls.create(CALL);
    await assert.rejects(vobiz.calls.create(CALL), {
      code: "HTTP_ERROR",
      status: 429,
      vobizCode: "RATE_LIMIT_EXCEEDED",
    });
    const broke = setup({ balance: 0 });
    await assert.rejects(broke.vobiz.calls.create(CALL), { status: 402 });
    assert.equal(mock.received.length, 2);
  });
});

describe("live and queued calls", () => {
  test("listLive (no slash, status=live) and listQueued (slash, status=queued)", async () => {
    const { mock, vobiz } = setup();
    const { request_uuid } = await vobiz.calls.create(CALL);
    const live = await vobiz.calls.listLive();
    assert.deepEqual(live.items, [request_uuid]);
    assert.equal(live.hasMore, false);
    assert.equal(typeof live.body.api_id, "string");
    const queued = await vobiz.calls.listQueued();
    assert.deepEqual(queued.items, []);
    assert.deepEqual(lines(mock).slice(1), [
      `GET ${ACCOUNT}/Call?status=live`,
      `GET ${ACCOUNT}/Call/?status=queued`,
    ]);
  });

  test("get (live) and getQueued; hangup ends the call", async () => {
    const { mock, vobiz } = setup();
    const { request_uuid: uuid } = await vobiz.calls.create(CALL);
    const call = await vobiz.calls.get(uuid);
    assert.equal(call.call_uuid, uuid);
    assert.equal(call.from, CALL.from);
    assert.equal(`${last(mock).path}${last(mock).search}`, `${ACCOUNT}/Call/${uuid}?status=live`);
    await assert.rejects(vobiz.calls.getQueued(uuid), { status: 404 });
    assert.equal(
      `${last(mock).path}${last(mock).search}`,
      `${ACCOUNT}/Call/${uuid}/?status=queued`,
    );
    assert.equal(await vobiz.calls.hangup(uuid), undefined);
    assert.equal(`${last(mock).method} ${last(mock).path}`, `DELETE ${ACCOUNT}/Call/${uuid}`);
    await assert.rejects(vobiz.calls.hangup(uuid), { status: 404 });
    assert.deepEqual((await vobiz.calls.listLive()).items, []);
  });

  test("a call ended after answer leaves a CDR and a debit of its cost", async () => {
    const { mock, vobiz, clock } = setup({ callRatePerMinute: 0.6 });
    const { request_uuid: uuid } = await vobiz.calls.create(CALL);
    await clock.advance(62_000); // answered at +2 s, so 60 billed seconds
    await vobiz.calls.hangup(uuid);
    const { data: cdr } = await vobiz.cdrs.get(uuid);
    assert.equal(cdr.billsec, 60);
    assert.equal(cdr.total_cost, 0.6);
    assert.equal(cdr.hangup_source, "API");
    assert.equal((await vobiz.balance.get()).balance, 999.4);
    assert.deepEqual(mock.effects.debits.map((d) => d.amount), [0.6]);
  });
});

describe("in-call actions", () => {
  test("play, speak, dtmf, record and their stops hit the right routes", async () => {
    const { mock, vobiz } = setup();
    const { request_uuid: uuid } = await vobiz.calls.create(CALL);
    const at = `${ACCOUNT}/Call/${uuid}`;
    const bodies: unknown[] = [];

    const played = await vobiz.calls.play(uuid, {
      urls: ["https://cdn.example.com/a.mp3", "https://cdn.example.com/b.mp3"],
      legs: "both",
      loop: true,
    });
    bodies.push(lastBody(mock));
    assert.equal(played?.["message"], "Play started");
    await vobiz.calls.stopPlay(uuid);
    await vobiz.calls.speak(uuid, { text: "Hello", voice: "WOMAN", language: "en-US" });
    bodies.push(lastBody(mock));
    await vobiz.calls.stopSpeak(uuid);
    await vobiz.calls.dtmf(uuid, { digits: "1w2#", leg: "aleg" });
    bodies.push(lastBody(mock));
    const recording = await vobiz.calls.record(uuid, { file_format: "wav", time_limit: 30 });
    bodies.push(lastBody(mock));
    assert.equal(typeof recording?.["recording_id"], "string");
    await vobiz.calls.stopRecord(uuid);

    assert.deepEqual(lines(mock).slice(1), [
      `POST ${at}/Play/`,
      `DELETE ${at}/Play/`,
      `POST ${at}/Speak/`,
      `DELETE ${at}/Speak/`,
      `POST ${at}/DTMF/`,
      `POST ${at}/Record/`,
      `DELETE ${at}/Record/`,
    ]);
    assert.deepEqual(bodies, [
      {
        urls: "https://cdn.example.com/a.mp3,https://cdn.example.com/b.mp3",
        legs: "both",
        loop: true,
      },
      { text: "Hello", voice: "WOMAN", language: "en-US" },
      { digits: "1w2#", leg: "aleg" },
      { file_format: "wav", time_limit: 30 },
    ]);
  });

  test("streams: start, list, get, stop, stopAll", async () => {
    const { mock, vobiz } = setup();
    const { request_uuid: uuid } = await vobiz.calls.create(CALL);
    const started = await vobiz.calls.streams.start(uuid, {
      service_url: "wss://ai.example.com/stream",
      audio_track: "both",
      bidirectional: true,
    });
    const streamId = String(started?.["stream_id"]);
    assert.deepEqual(lastBody(mock), {
      service_url: "wss://ai.example.com/stream",
      audio_track: "both",
      bidirectional: true,
    });
    const listed = await vobiz.calls.streams.list(uuid);
    assert.equal((listed?.["objects"] as unknown[]).length, 1);
    const one = await vobiz.calls.streams.get(uuid, streamId);
    assert.equal(one?.["service_url"], "wss://ai.example.com/stream");
    await vobiz.calls.streams.stop(uuid, streamId);
    await vobiz.calls.streams.start(uuid, { service_url: "wss://ai.example.com/2" });
    await vobiz.calls.streams.stopAll(uuid);
    const at = `${ACCOUNT}/Call/${uuid}/Stream/`;
    assert.deepEqual(lines(mock).slice(1), [
      `POST ${at}`,
      `GET ${at}`,
      `GET ${at}${streamId}/`,
      `DELETE ${at}${streamId}/`,
      `POST ${at}`,
      `DELETE ${at}`,
    ]);
    assert.equal(((await vobiz.calls.streams.list(uuid))?.["objects"] as unknown[]).length, 0);
  });

  test("bad action input is rejected before any request", async () => {
    const { mock, vobiz } = setup();
    const uuid = "0b4e7c9e-5f0a-4c59-9d0e-2f4bb2f1a111";
    await rejectsInput(mock, vobiz.calls.play(uuid, { urls: [] }), "urls");
    await rejectsInput(mock, vobiz.calls.play(uuid, { urls: "ftp://x.example.com/a" }), "urls");
    await rejectsInput(mock, vobiz.calls.speak(uuid, { text: "" }), "text");
    await rejectsInput(
      mock,
      vobiz.calls.speak(uuid, { text: "hi", voice: "ROBOT" as "MAN" }),
      "voice",
    );
    await rejectsInput(mock, vobiz.calls.dtmf(uuid, { digits: "12x" }), "digits");
    await rejectsInput(
      mock,
      vobiz.calls.record(uuid, { file_format: "ogg" as "mp3" }),
      "file_format",
    );
    await rejectsInput(
      mock,
      vobiz.calls.streams.start(uuid, { service_url: "wss://10.0.0.5/stream" }),
      "service_url",
    );
    await rejectsInput(
      mock,
      vobiz.calls.streams.start(uuid, { service_url: "https://ai.example.com/stream" }),
      "service_url",
    );
    await rejectsInput(mock, vobiz.calls.hangup(""), "call_uuid");
    await rejectsInput(mock, vobiz.calls.streams.get(uuid, ".."), "stream_id");
  });
});
