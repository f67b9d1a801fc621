// checkTestCall against the mock, on fake time: the mock's calls end after callDurationMs, their
// CDR appears cdrDelayMs later and debits the balance; the check polls on the client's clock.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { checkTestCall, type TestCallReport } from "../../mod.ts";
import type { FakeClock } from "../_support/fake_clock.ts";
import { ACCOUNT, lines, rejectsInput, setup } from "./_setup.ts";

const CALL = {
  from: "+918000000001",
  to: "+919876543210",
  answer_url: "https://app.example.com/test-call.xml",
};

/** Runs the check, moving fake time forward only while it is waiting in a sleep. */
async function drive(clock: FakeClock, check: Promise<TestCallReport>): Promise<TestCallReport> {
  let settled = false;
  const outcome = check.finally(() => (settled = true));
  outcome.catch(() => {});
  while (!settled) {
    if (clock.pending > 0) await clock.advance(1000);
    else await new Promise((resolve) => setTimeout(resolve, 0)); // let in-process I/O finish
  }
  return await outcome;
}

describe("checkTestCall", () => {
  test("a good call: CDR found, PDD, MOS, packet loss, balance debited by the cost", async () => {
    const { mock, vobiz, clock } = setup({
      callDurationMs: 30_000,
      postDialDelayMs: 1_200,
      cdrDelayMs: 5_000,
      callRatePerMinute: 0.6,
    });
    const report = await drive(clock, checkTestCall(vobiz, { ...CALL, pollIntervalMs: 5_000 }));
    assert.deepEqual(report.issues, []);
    assert.equal(report.ok, true);
    assert.equal(report.cdrFound, true);
    assert.equal(report.cdr?.uuid, report.callUuid);
    assert.equal(report.postDialDelayMs, 1_200);
    assert.equal(report.mos, 4.3);
    assert.equal(report.packetLoss, 0);
    assert.equal(report.cost, 0.28); // answered at +2 s, ended at +30 s: 28 s at 0.6/min
    assert.equal(report.balanceBefore, 1000);
    assert.equal(report.balanceAfter, 999.72);
    assert.equal(report.debited, 0.28);
    assert.equal(report.balanceDebited, true);
    assert.equal(report.waitedMs, 35_000); // CDR visible 5 s after the 30 s call
    const uuid = report.callUuid;
    assert.deepEqual(lines(mock), [
      `GET ${ACCOUNT}/balance/INR`,
      `POST ${ACCOUNT}/Call/`,
      ...Array.from({ length: 7 }, () => `GET ${ACCOUNT}/cdr/${uuid}`), // 404 six times
      `GET ${ACCOUNT}/balance/INR`,
    ]);
    assert.equal(mock.effects.calls.length, 1);
  });

  test("post-dial delay over 3 s and a low MOS are flagged", async () => {
    const { vobiz, clock } = setup({
      callDurationMs: 10_000,
      postDialDelayMs: 4_200,
      callMos: 3.1,
    });
    const report = await drive(clock, checkTestCall(vobiz, CALL));
    assert.equal(report.ok, false);
    assert.equal(report.postDialDelayMs, 4_200);
    assert.deepEqual(report.issues, [
      "post-dial delay 4200 ms is over 3000 ms",
      "MOS 3.1 is below 3.5",
    ]);
    assert.equal(report.balanceDebited, true);
  });

  test("an unanswered call: MOS 0 means no media", async () => {
    const { vobiz, clock } = setup({ callDurationMs: 1_500, answerDelayMs: 2_000 });
    const report = await drive(clock, checkTestCall(vobiz, CALL));
    assert.equal(report.cost, 0);
    assert.equal(report.debited, 0);
    assert.equal(report.balanceDebited, true);
    assert.deepEqual(report.issues, ["MOS 0: the call had no media"]);
  });

  test("no CDR before the timeout: the call is hung up and the report says so", async () => {
    const { mock, vobiz, clock } = setup(); // calls stay live until hung up
    const report = await drive(
      clock,
      checkTestCall(vobiz, { ...CALL, timeoutMs: 20_000, pollIntervalMs: 10_000 }),
    );
    assert.equal(report.cdrFound, false);
    assert.equal(report.cdr, undefined);
    assert.equal(report.balanceDebited, undefined);
    assert.equal(report.waitedMs, 20_000);
    assert.deepEqual(report.issues, [
      `no CDR for call ${report.callUuid} after 20000 ms`,
      `call ${report.callUuid} was still live and has been hung up`,
    ]);
    assert.ok(lines(mock).includes(`DELETE ${ACCOUNT}/Call/${report.callUuid}`));
  });

  test("a balance that does not move is reported after polling until the deadline", async () => {
    const { mock, vobiz, clock } = setup({ callDurationMs: 60_000 });
    mock.fault({
      path: "/Account/{auth_id}/balance/{currency}",
      status: 200,
      body: JSON.stringify({ currency: "INR", balance: 1000 }),
      times: 1000,
    });
    const report = await drive(
      clock,
      checkTestCall(vobiz, { ...CALL, timeoutMs: 90_000, pollIntervalMs: 10_000 }),
    );
    assert.equal(report.cdrFound, true);
    assert.equal(report.cost, 0.4833);
    assert.equal(report.debited, 0);
    assert.equal(report.balanceDebited, false);
    assert.deepEqual(report.issues, ["the balance went down by 0 INR; the CDR costs 0.4833"]);
    assert.equal(report.waitedMs, 90_000);
  });

  test("a call that cannot be placed throws, and nothing is polled", async () => {
    const { mock, vobiz, clock } = setup({ balance: 0 });
    await assert.rejects(drive(clock, checkTestCall(vobiz, CALL)), { status: 402 });
    assert.deepEqual(lines(mock), [`GET ${ACCOUNT}/balance/INR`, `POST ${ACCOUNT}/Call/`]);
  });

  test("bad input is rejected before any request", async () => {
    const { mock, vobiz } = setup();
    await rejectsInput(mock, checkTestCall(vobiz, { ...CALL, to: "12345" }), "to");
    await rejectsInput(mock, checkTestCall(vobiz, { ...CALL, currency: "inr" }), "currency");
    await rejectsInput(
      mock,
      checkTestCall(vobiz, { ...CALL, pollIntervalMs: 0 }),
      "pollIntervalMs",
    );
  });
});
