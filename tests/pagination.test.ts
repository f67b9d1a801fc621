// The pagination abstraction over the nine styles of vobiz-api.md §4, against in-process fake
// endpoints that answer each style's envelope. Requests are counted to show that a page is
// fetched only when needed.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  cappedList,
  cdrPage,
  firstQuery,
  hybridOffset,
  itemsPage,
  limitOnly,
  loadPage,
  messagingPage,
  pageSize,
  paginate,
  type PaginationStyle,
  plivoOffset,
  type SearchParams,
  trunkOffset,
} from "../mod.ts";

interface Item {
  id: number;
}

const TOTAL = 250;
const ALL: Item[] = Array.from({ length: TOTAL }, (_, i) => ({ id: i + 1 }));

type Answer = (query: SearchParams) => unknown;

const num = (value: unknown, fallback: number) => value === undefined ? fallback : Number(value);

// One fake endpoint per style: the envelope exactly as the reference describes it.
const ANSWERS: Record<string, Answer> = {
  A(query) {
    const limit = num(query.limit, 20);
    const offset = num(query.offset, 0);
    const more = offset + limit < TOTAL;
    return {
      api_id: "x",
      meta: {
        limit,
        offset,
        total_count: TOTAL,
        next: more ? `/Application/?limit=${limit}&offset=${offset + limit}` : null,
        previous: null,
      },
      objects: ALL.slice(offset, offset + limit),
    };
  },
  B(query) {
    const limit = num(query.limit, 20);
    const offset = num(query.offset, 0);
    return { meta: { limit, offset, total: TOTAL }, objects: ALL.slice(offset, offset + limit) };
  },
  C(query) {
    const page = num(query.page, 1);
    const perPage = num(query.per_page, 20);
    const pages = Math.ceil(TOTAL / perPage);
    const data = ALL.slice((page - 1) * perPage, page * perPage);
    return {
      data,
      count: data.length,
      pagination: {
        page,
        per_page: perPage,
        total: TOTAL,
        pages,
        has_next: page < pages,
        has_prev: page > 1,
      },
      success: true,
      summary: {},
    };
  },
  D(query) {
    const page = num(query.page, 1);
    const perPage = num(query.per_page, 20);
    return {
      items: ALL.slice((page - 1) * perPage, page * perPage),
      page,
      per_page: perPage,
      total: TOTAL,
    };
  },
  E(query) {
    const page = num(query.page, 1);
    const size = num(query.size, 20);
    return {
      sub_accounts: ALL.slice((page - 1) * size, page * size),
      total: TOTAL,
      page,
      size,
    };
  },
  F(query) {
    const limit = num(query.limit, 20);
    const offset = num(query.offset, 0);
    return {
      transactions: ALL.slice(offset, offset + limit),
      summary: {},
      total: TOTAL,
      page: Math.floor(offset / limit) + 1,
      per_page: limit,
      total_pages: Math.ceil(TOTAL / limit),
    };
  },
  I(query) {
    const page = num(query.page, 1);
    const limit = num(query.limit, 20);
    return {
      items: ALL.slice((page - 1) * limit, page * limit),
      total: TOTAL,
      page,
      limit,
      has_more: page * limit < TOTAL,
    };
  },
};

/** A fake endpoint that records the queries it was asked. */
function endpoint(
  answer: Answer,
): { load: (q: SearchParams) => Promise<unknown>; asked: SearchParams[] } {
  const asked: SearchParams[] = [];
  return {
    asked,
    load: (query) => {
      asked.push({ ...query });
      return Promise.resolve(answer(query));
    },
  };
}

async function take<T>(iterator: AsyncIterable<T>, count = Infinity): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterator) {
    out.push(item);
    if (out.length >= count) break;
  }
  return out;
}

const PAGED: Array<{ style: PaginationStyle; queries: SearchParams[] }> = [
  {
    style: plivoOffset(),
    queries: [
      { offset: 0, limit: 100 },
      { offset: 100, limit: 100 },
      { offset: 200, limit: 100 },
    ],
  },
  {
    style: trunkOffset(),
    queries: [
      { offset: 0, limit: 100 },
      { offset: 100, limit: 100 },
      { offset: 200, limit: 100 },
    ],
  },
  {
    style: cdrPage(),
    queries: [
      { page: 1, per_page: 100 },
      { page: 2, per_page: 100 },
      { page: 3, per_page: 100 },
    ],
  },
  {
    style: itemsPage(),
    queries: [
      { page: 1, per_page: 100 },
      { page: 2, per_page: 100 },
      { page: 3, per_page: 100 },
    ],
  },
  {
    style: pageSize("sub_accounts"),
    queries: [{ page: 1, size: 100 }, { page: 2, size: 100 }, { page: 3, size: 100 }],
  },
  {
    style: hybridOffset("transactions"),
    queries: [
      { offset: 0, limit: 100 },
      { offset: 100, limit: 100 },
      { offset: 200, limit: 100 },
    ],
  },
  {
    style: messagingPage(),
    queries: [{ page: 1, limit: 100 }, { page: 2, limit: 100 }, { page: 3, limit: 100 }],
  },
];

describe("paged styles (A–F, I)", () => {
  for (const { style, queries } of PAGED) {
    const answer = ANSWERS[style.name]!;

    test(`style ${style.name}: iterates every item in order, one request per page`, async () => {
      const api = endpoint(answer);
      const items = await take(paginate<Item>(style, api.load, firstQuery(style, 100)));
      assert.deepEqual(items.map((item) => item.id), ALL.map((item) => item.id));
      assert.deepEqual(api.asked, queries);
    });

    test(`style ${style.name}: break after 150 items stops at the second request`, async () => {
      const api = endpoint(answer);
      const items = await take(paginate<Item>(style, api.load, firstQuery(style, 100)), 150);
      assert.equal(items.length, 150);
      assert.equal(items.at(-1)?.id, 150);
      assert.equal(api.asked.length, 2);
    });

    test(`style ${style.name}: break inside the first page makes one request`, async () => {
      const api = endpoint(answer);
      await take(paginate<Item>(style, api.load, firstQuery(style, 100)), 1);
      assert.equal(api.asked.length, 1);
    });

    test(`style ${style.name}: loadPage gives one page and the next page's query`, async () => {
      const api = endpoint(answer);
      const first = await loadPage<Item>(style, api.load, firstQuery(style, 100, { q: "x" }));
      assert.equal(first.items.length, 100);
      assert.equal(first.hasMore, true);
      assert.equal(first.total, TOTAL);
      assert.deepEqual(first.next, { ...queries[1], q: "x" });
      const third = await loadPage<Item>(style, api.load, { ...queries[2], q: "x" });
      assert.equal(third.items.length, 50);
      assert.equal(third.hasMore, false);
      assert.equal(third.next, undefined);
      assert.equal(api.asked.length, 2);
    });
  }
});

describe("single-page styles (G, H)", () => {
  test("style G (limit only): one request with the limit, never a second", async () => {
    const api = endpoint((query) => ({
      data: ALL.slice(0, num(query.limit, 20)),
      count: num(query.limit, 20),
    }));
    const items = await take(paginate<Item>(limitOnly(), api.load, firstQuery(limitOnly(), 100)));
    assert.equal(items.length, 100);
    assert.deepEqual(api.asked, [{ limit: 100 }]);
  });

  test("style H (capped list): the envelope's array, or a bare array", async () => {
    const wrapped = endpoint(() => ({ api_id: "x", calls: ["a", "b"] }));
    assert.deepEqual(await take(paginate(cappedList("calls"), wrapped.load, {})), ["a", "b"]);
    const bare = endpoint(() => ["room1", "room2"]);
    const page = await loadPage(cappedList("conferences"), bare.load, {});
    assert.deepEqual(page.items, ["room1", "room2"]);
    assert.equal(page.hasMore, false);
    assert.deepEqual([wrapped.asked.length, bare.asked.length], [1, 1]);
  });
});

describe("edge cases", () => {
  test("filters override the style's paging parameters; undefined filters are dropped", () => {
    assert.deepEqual(firstQuery(cdrPage(), 100, { per_page: 10, page: 3, search: undefined }), {
      page: 3,
      per_page: 10,
    });
    assert.deepEqual(firstQuery(plivoOffset(), undefined), { offset: 0 });
  });

  test("an empty page ends the iteration even if the metadata says more", async () => {
    const api = endpoint(() => ({ data: [], pagination: { page: 1, has_next: true } }));
    assert.deepEqual(await take(paginate(cdrPage(), api.load, { page: 1 })), []);
    assert.equal(api.asked.length, 1);
  });

  test("style D: a short page ends the list when there is no total", async () => {
    const api = endpoint((query) => ({
      items: num(query.page, 1) === 1 ? ALL.slice(0, 100) : ALL.slice(100, 130),
      page: num(query.page, 1),
      per_page: 100,
    }));
    const items = await take(paginate<Item>(itemsPage(), api.load, firstQuery(itemsPage(), 100)));
    assert.equal(items.length, 130);
    assert.equal(api.asked.length, 2);
  });

  test("style B without a total is one page", async () => {
    const api = endpoint(() => ({ objects: ALL.slice(0, 3) }));
    const page = await loadPage(trunkOffset(), api.load, { offset: 0, limit: 100 });
    assert.equal(page.items.length, 3);
    assert.equal(page.hasMore, false);
  });

  test("style I follows a cursor when the answer has one", async () => {
    const api = endpoint((query) =>
      query.cursor === undefined
        ? { items: ALL.slice(0, 2), next_cursor: "abc" }
        : { items: ALL.slice(2, 3), next_cursor: null, has_more: false }
    );
    const items = await take(paginate<Item>(messagingPage(), api.load, { page: 1, limit: 2 }));
    assert.deepEqual(items.map((item) => item.id), [1, 2, 3]);
    assert.deepEqual(api.asked, [{ page: 1, limit: 2 }, { limit: 2, cursor: "abc" }]);
  });

  test("numeric strings in the envelope are read as numbers", async () => {
    const api = endpoint(() => ({ items: ALL.slice(0, 2), page: "1", per_page: "2", total: "5" }));
    const page = await loadPage(itemsPage(), api.load, { page: 1, per_page: 2 });
    assert.equal(page.total, 5);
    assert.deepEqual(page.next, { page: 2, per_page: 2 });
  });

  test("the page cap throws RESPONSE_VALIDATION_ERROR instead of ending short", async () => {
    // A server that ignores `page` and always says there is more.
    const api = endpoint(() => ({
      data: ALL.slice(0, 10),
      pagination: { page: 1, has_next: true },
    }));
    const seen: Item[] = [];
    await assert.rejects(
      async () => {
        for await (const item of paginate<Item>(cdrPage(), api.load, { page: 1 }, 3)) {
          seen.push(item);
        }
      },
      (error: { code?: string; message?: string }) => {
        assert.equal(error.code, "RESPONSE_VALIDATION_ERROR");
        assert.match(error.message ?? "", /after 3 pages/);
        return true;
      },
    );
    assert.equal(api.asked.length, 3);
    assert.equal(seen.length, 30);
  });

  test("an error from a page load reaches the iterating code", async () => {
    let calls = 0;
    const load = () => {
      calls++;
      return calls === 1
        ? Promise.resolve(ANSWERS.C!({ page: 1, per_page: 100 }))
        : Promise.reject(new Error("boom"));
    };
    const seen: unknown[] = [];
    await assert.rejects(async () => {
      for await (const item of paginate(cdrPage(), load, { page: 1, per_page: 100 })) {
        seen.push(item);
      }
    }, /boom/);
    assert.equal(seen.length, 100);
  });
});
