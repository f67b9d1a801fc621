/**
 * One small async key-value interface, with time-to-live, for all shared state: cache entries,
 * idempotency records, circuit-breaker state and the 429 pause. It is the subset of `unstorage`'s
 * `Storage` that we use, so an unstorage instance (Redis, Cloudflare KV, Deno KV, Upstash,
 * filesystem drivers) can be passed as is; {@link memoryStore} is the bounded in-memory default.
 *
 * @example
 * ```ts
 * import { createStorage } from "unstorage";
 * import redisDriver from "unstorage/drivers/redis";
 * import { cache } from "vobiz-kit/plugins/cache";
 * const store = createStorage({ driver: redisDriver({ url: "redis://127.0.0.1:6379" }) });
 * const c = cache({ store });
 * ```
 *
 * @module
 */
import { type Clock, systemClock } from "./clock.ts";

/** Options of {@link KeyValueStore.setItem}. */
export interface SetItemOptions {
  /** Time to live in **seconds** (unstorage's convention). */
  ttl?: number;
}

/** An async key-value store with TTL, compatible with unstorage's `Storage`. */
export interface KeyValueStore {
  /** The value, or `null` when absent or expired. */
  getItem<T = unknown>(key: string): Promise<T | null>;
  /** Stores a JSON-serialisable value. */
  setItem(key: string, value: unknown, options?: SetItemOptions): Promise<void>;
  /** Removes a key. */
  removeItem(key: string): Promise<void>;
  /** Keys starting with `base` (all keys when omitted). */
  getKeys(base?: string): Promise<string[]>;
}

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /** Most entries kept; the least recently used go first. Default 1000. */
  maxEntries?: number;
  /** Most bytes kept (by the JSON size of the values). Default 8 MiB. */
  maxBytes?: number;
  /** Time source for TTLs. Default: the system clock. */
  clock?: Pick<Clock, "now">;
}

/** A {@link KeyValueStore} in memory, with its size. */
export interface MemoryStore extends KeyValueStore {
  /** Entries held now (expired ones may linger until touched or evicted). */
  readonly size: number;
  /** Approximate bytes held. */
  readonly bytes: number;
  /** Drops everything. */
  clear(): Promise<void>;
}

interface Entry {
  value: unknown;
  bytes: number;
  expiresAt: number;
}

/**
 * A bounded LRU store in memory, with TTLs checked on access (no timers).
 *
 * @example
 * ```ts
 * import { memoryStore } from "vobiz-kit";
 * const store = memoryStore({ maxEntries: 100 });
 * await store.setItem("k", { a: 1 }, { ttl: 60 });
 * await store.getItem("k"); // { a: 1 }
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const maxEntries = options.maxEntries ?? 1000;
  const maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
  const clock = options.clock ?? systemClock;
  const entries = new Map<string, Entry>(); // insertion order = recency order
  let bytes = 0;

  const drop = (key: string) => {
    const entry = entries.get(key);
    if (entry === undefined) return;
    bytes -= entry.bytes;
    entries.delete(key);
  };
  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= clock.now()) {
      drop(key);
      return undefined;
    }
    return entry;
  };

  return {
    get size() {
      return entries.size;
    },
    get bytes() {
      return bytes;
    },
    getItem<T>(key: string): Promise<T | null> {
      const entry = live(key);
      if (entry === undefined) return Promise.resolve(null);
      entries.delete(key); // move to the most recent end
      entries.set(key, entry);
      return Promise.resolve(entry.value as T);
    },
    setItem(key, value, setOptions = {}) {
      drop(key);
      const size = key.length +
        (typeof value === "string" ? value.length : JSON.stringify(value)?.length ?? 0);
      if (size > maxBytes) return Promise.resolve(); // would evict everything and still not fit
      const ttl = setOptions.ttl;
      entries.set(key, {
        value,
        bytes: size,
        expiresAt: ttl === undefined || ttl <= 0 ? Infinity : clock.now() + ttl * 1000,
      });
      bytes += size;
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries && bytes <= maxBytes) break;
        drop(oldest);
      }
      return Promise.resolve();
    },
    removeItem(key) {
      drop(key);
      return Promise.resolve();
    },
    getKeys(base = "") {
      return Promise.resolve(
        [...entries.keys()].filter((key) => key.startsWith(base) && live(key)),
      );
    },
    clear() {
      entries.clear();
      bytes = 0;
      return Promise.resolve();
    },
  };
}

/** The part of a Cloudflare Workers KV namespace binding that {@link kvStore} uses. */
export interface KvNamespaceLike {
  get(key: string, type: "json"): Promise<unknown>;
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
  delete(key: string): Promise<void>;
  list(options?: { prefix?: string; cursor?: string }): Promise<{
    keys: { name: string }[];
    list_complete: boolean;
    cursor?: string;
  }>;
}

/** KV refuses a shorter `expirationTtl`. */
const kvMinTtl = 60;

/**
 * A {@link KeyValueStore} on a Cloudflare Workers KV namespace binding, shared by every isolate and
 * location. KV is eventually consistent (a write or delete can take ~60 s to be seen elsewhere) and
 * keeps a key at least 60 s: shorter TTLs are raised to 60 s (the cache judges freshness by the
 * time stored in the entry, so it serves nothing older than its TTL). Values are stored as JSON.
 *
 * @example
 * ```ts
 * import { createClient, kvStore } from "vobiz-kit";
 * import { cache } from "vobiz-kit/plugins/cache";
 * export default {
 *   async fetch(request: Request, env: Env, ctx: ExecutionContext) {
 *     const vobiz = createClient({
 *       env,
 *       plugins: [cache({ store: kvStore(env.CACHE), waitUntil: (p) => ctx.waitUntil(p) })],
 *     });
 *     return Response.json(await vobiz.balance.get());
 *   },
 * };
 * ```
 */
export function kvStore(namespace: KvNamespaceLike): KeyValueStore {
  return {
    async getItem<T>(key: string): Promise<T | null> {
      return (await namespace.get(key, "json") ?? null) as T | null;
    },
    async setItem(key, value, options = {}) {
      const ttl = options.ttl;
      await namespace.put(
        key,
        JSON.stringify(value),
        ttl === undefined || ttl <= 0 ? {} : { expirationTtl: Math.max(kvMinTtl, Math.ceil(ttl)) },
      );
    },
    async removeItem(key) {
      await namespace.delete(key);
    },
    async getKeys(base = "") {
      const keys: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await namespace.list(
          cursor === undefined ? { prefix: base } : {
            prefix: base,
            cursor,
          },
        );
        keys.push(...page.keys.map((key) => key.name));
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor !== undefined);
      return keys;
    },
  };
}

/** The part of a Workers `Cache` (the Cache API, e.g. `caches.default`) that {@link workersCacheStore} uses. */
export interface CacheLike {
  match(request: string): Promise<Response | undefined>;
  put(request: string, response: Response): Promise<void>;
  delete(request: string): Promise<boolean>;
}

/**
 * A {@link KeyValueStore} on the Cache API of Cloudflare Workers (`caches.default`, or
 * `await caches.open(name)`): local to one data centre, free, fast. It **cannot list keys**, so
 * `getKeys` always resolves to `[]`: prefix invalidation removes nothing there (entries end by
 * their TTL); exact keys are removed. On Workers the Cache API stores nothing on `*.workers.dev`
 * hosts: use it on a custom domain. Keys become URLs under `origin`.
 *
 * @example
 * ```ts
 * import { createClient, workersCacheStore } from "vobiz-kit";
 * import { cache } from "vobiz-kit/plugins/cache";
 * const store = workersCacheStore(caches.default);
 * const vobiz = createClient({ env, plugins: [cache({ store })] });
 * ```
 */
export function workersCacheStore(
  cache: CacheLike,
  options: { origin?: string } = {},
): KeyValueStore {
  const origin = options.origin ?? "https://vobiz-kit.invalid";
  const urlOf = (key: string) => `${origin}/${encodeURIComponent(key)}`;
  return {
    async getItem<T>(key: string): Promise<T | null> {
      const response = await cache.match(urlOf(key));
      return response === undefined ? null : await response.json() as T;
    },
    async setItem(key, value, setOptions = {}) {
      const ttl = setOptions.ttl;
      const maxAge = ttl === undefined || ttl <= 0 ? 365 * 24 * 3600 : Math.ceil(ttl);
      await cache.put(
        urlOf(key),
        new Response(JSON.stringify(value), {
          headers: { "content-type": "application/json", "cache-control": `max-age=${maxAge}` },
        }),
      );
    },
    async removeItem(key) {
      await cache.delete(urlOf(key));
    },
    getKeys: () => Promise.resolve([]),
  };
}
