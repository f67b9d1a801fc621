import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  type CacheLike,
  type KvNamespaceLike,
  kvStore,
  memoryStore,
  workersCacheStore,
} from "../mod.ts";
import { fakeClock } from "./_support/fake_clock.ts";

describe("memoryStore", () => {
  test("stores JSON values, with a TTL in seconds checked on access", async () => {
    const clock = fakeClock();
    const store = memoryStore({ clock });
    await store.setItem("a", { n: 1 }, { ttl: 2 });
    await store.setItem("b", "text");
    assert.deepEqual(await store.getItem("a"), { n: 1 });
    await clock.advance(1999);
    assert.deepEqual(await store.getItem("a"), { n: 1 });
    await clock.advance(1);
    assert.equal(await store.getItem("a"), null);
    assert.equal(await store.getItem("b"), "text");
    assert.equal(await store.getItem("missing"), null);
  });

  test("getKeys lists live keys under a base; removeItem and clear remove", async () => {
    const clock = fakeClock();
    const store = memoryStore({ clock });
    await store.setItem("x:1", 1);
    await store.setItem("x:2", 2, { ttl: 1 });
    await store.setItem("y:1", 3);
    assert.deepEqual(await store.getKeys("x:"), ["x:1", "x:2"]);
    await clock.advance(1000);
    assert.deepEqual(await store.getKeys("x:"), ["x:1"]);
    await store.removeItem("x:1");
    assert.deepEqual(await store.getKeys(), ["y:1"]);
    await store.clear();
    assert.equal(store.size, 0);
    assert.equal(store.bytes, 0);
  });

  test("is bounded by entries: the least recently used goes first", async () => {
    const store = memoryStore({ maxEntries: 2 });
    await store.setItem("a", 1);
    await store.setItem("b", 2);
    await store.getItem("a"); // a is now the most recent
    await store.setItem("c", 3);
    assert.deepEqual(await store.getKeys(), ["a", "c"]);
  });

  test("is bounded by bytes; a value larger than the bound is not kept", async () => {
    const store = memoryStore({ maxBytes: 30 });
    await store.setItem("a", "x".repeat(10)); // 11 bytes with its key
    await store.setItem("b", "x".repeat(10));
    await store.setItem("c", "x".repeat(10)); // 33 > 30: a goes
    assert.deepEqual(await store.getKeys(), ["b", "c"]);
    assert.equal(store.bytes, 22);
    await store.setItem("big", "x".repeat(40));
    assert.equal(await store.getItem("big"), null);
    assert.deepEqual(await store.getKeys(), ["b", "c"]);
  });
});

/** An in-memory KV namespace with KV's rules: JSON text values, 60 s minimum TTL, paged lists. */
function fakeKv(clock: { now(): number }, pageSize = 2) {
  const data = new Map<string, { value: string; expires: number }>();
  const puts: { key: string; expirationTtl: number | undefined }[] = [];
  const live = (key: string) => {
    const item = data.get(key);
    return item !== undefined && item.expires > clock.now() ? item : undefined;
  };
  const namespace: KvNamespaceLike = {
    get: (key) => {
      const item = live(key);
      return Promise.resolve(item === undefined ? null : JSON.parse(item.value));
    },
    put: (key, value, options = {}) => {
      if (options.expirationTtl !== undefined && options.expirationTtl < 60) {
        return Promise.reject(new Error("KV: expirationTtl must be at least 60"));
      }
      puts.push({ key, expirationTtl: options.expirationTtl });
      const ttl = options.expirationTtl;
      data.set(key, { value, expires: ttl === undefined ? Infinity : clock.now() + ttl * 1000 });
      return Promise.resolve();
    },
    delete: (key) => {
      data.delete(key);
      return Promise.resolve();
    },
    list: ({ prefix = "", cursor } = {}) => {
      const names = [...data.keys()].filter((k) => k.startsWith(prefix) && live(k)).sort();
      const start = cursor === undefined ? 0 : Number(cursor);
      const page = names.slice(start, start + pageSize).map((name) => ({ name }));
      const done = start + pageSize >= names.length;
      return Promise.resolve(
        done
          ? { keys: page, list_complete: true }
          : { keys: page, list_complete: false, cursor: String(start + pageSize) },
      );
    },
  };
  return { namespace, puts };
}

describe("kvStore (Workers KV binding)", () => {
  test("stores JSON, raises TTLs below KV's 60 s minimum, lists every page", async () => {
    const clock = fakeClock();
    const { namespace, puts } = fakeKv(clock);
    const store = kvStore(namespace);
    await store.setItem("k:1", { status: 200, body: "{}" }, { ttl: 5 });
    await store.setItem("k:2", 2, { ttl: 300 });
    await store.setItem("k:3", 3);
    await store.setItem("other", 4);
    assert.deepEqual(puts.map((p) => p.expirationTtl), [60, 300, undefined, undefined]);
    assert.deepEqual(await store.getItem("k:1"), { status: 200, body: "{}" });
    assert.deepEqual((await store.getKeys("k:")).sort(), ["k:1", "k:2", "k:3"]);
    assert.equal((await store.getKeys()).length, 4);
    await store.removeItem("k:2");
    assert.equal(await store.getItem("k:2"), null);
    await clock.advance(60_000);
    assert.equal(await store.getItem("k:1"), null);
  });
});

describe("workersCacheStore (Cache API)", () => {
  function fakeCache() {
    const data = new Map<string, Response>();
    const cache: CacheLike = {
      match: (url) => Promise.resolve(data.get(url)?.clone()),
      put: (url, response) => {
        data.set(url, response);
        return Promise.resolve();
      },
      delete: (url) => Promise.resolve(data.delete(url)),
    };
    return { cache, data };
  }

  test("stores JSON under URLs with a max-age; cannot list keys", async () => {
    const { cache, data } = fakeCache();
    const store = workersCacheStore(cache);
    await store.setItem("vobiz:cache:a:@:MA_1", { n: 1 }, { ttl: 90 });
    await store.setItem("forever", 2);
    const [url, response] = [...data.entries()][0]!;
    assert.equal(url, "https://vobiz-kit.invalid/vobiz%3Acache%3Aa%3A%40%3AMA_1");
    assert.equal(response.headers.get("cache-control"), "max-age=90");
    assert.equal(
      data.get("https://vobiz-kit.invalid/forever")!.headers.get("cache-control"),
      "max-age=31536000",
    );
    assert.deepEqual(await store.getItem("vobiz:cache:a:@:MA_1"), { n: 1 });
    assert.deepEqual(await store.getKeys("vobiz:"), []);
    await store.removeItem("vobiz:cache:a:@:MA_1");
    assert.equal(await store.getItem("vobiz:cache:a:@:MA_1"), null);
  });
});
