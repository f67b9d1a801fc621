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
