// The cache's default store: its entries in memory, bounded like `memoryStore` (1000 entries,
// 8 MiB) for a fraction of its bytes, since it holds only entries the cache wrote (a body size).
import type { KeyValueStore } from "../../src/store.ts";
import type { CacheEntry } from "./cache_entry.ts";

const maxEntries = 1000;
const maxBytes = 8 * 1024 * 1024;

/** A bounded LRU store of cache entries; an expired entry is dropped when it is read or listed. */
export function entryStore(now: () => number): KeyValueStore {
  // key -> [entry, expires at, size]; insertion order = recency order
  const entries = new Map<string, [CacheEntry, number, number]>();
  let bytes = 0;
  const drop = (key: string) => {
    bytes -= entries.get(key)?.[2] ?? 0;
    entries.delete(key);
  };
  const live = (key: string) => {
    const held = entries.get(key);
    if (held && held[1] <= now()) drop(key);
    else return held;
  };
  return {
    // deno-lint-ignore require-await
    async getItem<T>(key: string) {
      const held = live(key);
      if (!held) return null;
      entries.delete(key); // move to the most recent end
      entries.set(key, held);
      return held[0] as T;
    },
    // deno-lint-ignore require-await
    async setItem(key, entry, options) {
      drop(key);
      const size = key.length + (entry as CacheEntry).body.length;
      if (size > maxBytes) return; // would evict everything and still not fit
      entries.set(key, [entry as CacheEntry, now() + options!.ttl! * 1000, size]);
      bytes += size;
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries && bytes <= maxBytes) break;
        drop(oldest);
      }
    },
    // deno-lint-ignore require-await
    async removeItem(key) {
      drop(key);
    },
    // deno-lint-ignore require-await
    async getKeys(base = "") {
      return [...entries.keys()].filter((key) => key.startsWith(base) && live(key));
    },
  };
}
