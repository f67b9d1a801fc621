// client.cdrs against the mock: one ranged query paged at 100 (never day by day), early stop,
// search/recent/get, the CSV export stream, and input validation that sends nothing.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ACCOUNT, collect, last, lines, rejectsInput, setup } from "./_setup.ts";

const RANGE = { start_date: "2026-11-01", end_date: "2026-11-26" };

describe("cdrs.list", () => {
  test("a date range is one ranged query paged at 100, never day by day", async () => {
    const { mock, vobiz } = setup({ cdrCount: 250 });
    const cdrs = await collect(vobiz.cdrs.list(RANGE));
    assert.equal(cdrs.length, 250);
    assert.equal(new Set(cdrs.map((cdr) => cdr.uuid)).size, 250);
    assert.deepEqual(
      lines(mock),
      [1, 2, 3].map((page) =>
        `GET ${ACCOUNT}/cdr?page=${page}&per_page=100&start_date=2026-11-01&end_date=2026-11-26`
      ),
    );
    // newest first, as the API sends them; costs and timestamps kept as sent
    assert.ok(String(cdrs[0]!.start_time) > String(cdrs[249]!.start_time));
    assert.equal(typeof cdrs[0]!.total_cost, "number");
  });

  test("break stops the requests: 150 CDRs take two pages", async () => {
    const { mock, vobiz } = setup({ cdrCount: 250 });
    let count = 0;
    for await (const _cdr of vobiz.cdrs.list(RANGE)) {
      if (++count === 150) break;
    }
    assert.equal(mock.received.length, 2);
  });

  test("a caller's per_page and page win over the defaults", async () => {
    const { mock, vobiz } = setup({ cdrCount: 30 });
    const cdrs = await collect(vobiz.cdrs.list({ per_page: 10, page: 2 }));
    assert.equal(cdrs.length, 20);
    assert.deepEqual(lines(mock), [
      `GET ${ACCOUNT}/cdr?page=2&per_page=10`,
      `GET ${ACCOUNT}/cdr?page=3&per_page=10`,
    ]);
  });

  test("listPage: one page with the summary and the next page's query", async () => {
    const { mock, vobiz } = setup({ cdrCount: 250 });
    const page = await vobiz.cdrs.listPage({ ...RANGE, call_direction: "inbound" });
    assert.equal(page.total, 84); // every 3rd seeded CDR is inbound
    assert.equal(page.items.length, 84);
    assert.equal(page.hasMore, false);
    assert.equal(page.body.summary?.["totalCalls"], 84);
    assert.match(String(page.body.summary?.["avgCallDuration"]), /^\d+s$/); // a string, as sent
    assert.equal(
      last(mock).search,
      "?page=1&per_page=100&start_date=2026-11-01&end_date=2026-11-26&call_direction=inbound",
    );
    const first = await vobiz.cdrs.listPage({ per_page: 100 });
    assert.deepEqual(first.next, { page: 2, per_page: 100 });
    const second = await vobiz.cdrs.listPage({ ...first.next });
    assert.equal(second.items.length, 100);
    assert.notEqual(second.items[0]!.uuid, first.items[0]!.uuid);
  });

  test("bad filters are rejected before any request", async () => {
    const { mock, vobiz } = setup();
    await rejectsInput(mock, () => vobiz.cdrs.list({ start_date: "2026-11-01" }), "end_date");
    await rejectsInput(mock, () => vobiz.cdrs.list({ end_date: "2026-11-01" }), "start_date");
    await rejectsInput(
      mock,
      () => vobiz.cdrs.list({ start_date: "2026-11-31", end_date: "2026-12-01" }),
      "start_date",
    );
    await rejectsInput(mock, vobiz.cdrs.listPage({ per_page: 101 }), "per_page");
    await rejectsInput(
      mock,
      vobiz.cdrs.listPage({ search: "' OR 1=1 --" }),
      "search",
    );
    await rejectsInput(mock, vobiz.cdrs.listPage({ from_number: "+91 98" }), "from_number");
    assert.deepEqual(mock.received, []);
  });
});

describe("cdrs.search, recent, get", () => {
  test("search pages like list, on /cdr/search, and echoes the filters", async () => {
    const { mock, vobiz } = setup({ cdrCount: 250 });
    const found = await collect(vobiz.cdrs.search({ hangup_cause: "NO_ANSWER" }));
    assert.equal(found.length, 50); // every 5th seeded call is unanswered
    assert.ok(found.every((cdr) => cdr.hangup_cause === "NO_ANSWER"));
    assert.deepEqual(lines(mock), [
      `GET ${ACCOUNT}/cdr/search?page=1&per_page=100&hangup_cause=NO_ANSWER`,
    ]);
    const page = await vobiz.cdrs.searchPage({ to_number: "+919800000001", per_page: 5 });
    assert.deepEqual(page.body["filters"], {
      call_direction: "",
      from_number: "",
      hangup_cause: "",
      to_number: "+919800000001",
    });
    assert.equal(last(mock).search, "?page=1&per_page=5&to_number=%2B919800000001");
  });

  test("recent: one request with limit, a single page", async () => {
    const { mock, vobiz } = setup({ cdrCount: 250 });
    const page = await vobiz.cdrs.recent({ limit: 5 });
    assert.equal(page.items.length, 5);
    assert.equal(page.hasMore, false);
    assert.equal(page.total, 5);
    assert.deepEqual(lines(mock), [`GET ${ACCOUNT}/cdr/recent?limit=5`]);
    await vobiz.cdrs.recent();
    assert.equal(last(mock).search, "?limit=100");
    await rejectsInput(mock, vobiz.cdrs.recent({ limit: 0 }), "limit");
  });

  test("get: by the call uuid; the answer wraps the CDR in data", async () => {
    const { mock, vobiz } = setup({ cdrCount: 3 });
    const uuid = "00000000-0000-4000-8000-000000000002";
    const { data, success } = await vobiz.cdrs.get(uuid);
    assert.equal(success, true);
    assert.equal(data.uuid, uuid);
    assert.equal(data.id, 2);
    assert.equal(last(mock).path, `${ACCOUNT}/cdr/${uuid}`);
    await assert.rejects(vobiz.cdrs.get("2"), { code: "HTTP_ERROR", status: 404 });
    await rejectsInput(mock, vobiz.cdrs.get(""), "call_id");
    await rejectsInput(mock, vobiz.cdrs.get(".."), "call_id");
  });
});

describe("cdrs.export", () => {
  test("streams the CSV; no Accept: application/json is sent", async () => {
    const { mock, vobiz } = setup({ cdrCount: 250 });
    const stream = await vobiz.cdrs.export({ ...RANGE, call_direction: "outbound" });
    assert.ok(stream instanceof ReadableStream);
    const csv = await new Response(stream).text();
    const rows = csv.trimEnd().split("\r\n");
    assert.match(rows[0]!, /^uuid,start_time,/);
    assert.equal(rows.length, 1 + 166);
    const request = last(mock);
    assert.equal(request.path, `${ACCOUNT}/cdr/export`);
    assert.equal(
      request.search,
      "?start_date=2026-11-01&end_date=2026-11-26&call_direction=outbound",
    );
    assert.doesNotMatch(request.headers["accept"] ?? "", /application\/json/);
  });

  test("export takes no paging and validates the range", async () => {
    const { mock, vobiz } = setup();
    await rejectsInput(mock, vobiz.cdrs.export({ start_date: "2026-11-01" }), "end_date");
    await rejectsInput(
      mock,
      vobiz.cdrs.export({ start_date: "2026-11-26", end_date: "2026-11-01" }),
      "end_date",
    );
  });

  test("an error status rejects with HTTP_ERROR and nothing to read", async () => {
    const { mock, vobiz } = setup();
    mock.fault({ path: "/Account/{auth_id}/cdr/export", status: 500 });
    await assert.rejects(vobiz.cdrs.export(), { code: "HTTP_ERROR", status: 500 });
  });
});
