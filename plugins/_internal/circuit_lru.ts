// A Map bounded to `max` entries that drops the least recently used one: it keeps the circuit
// breaker's memory bounded however many distinct keys (routes, hosts) it sees.

/** A bounded least-recently-used map. */
export interface LruMap<V> {
  /** The value, marked as most recently used. */
  get(key: string): V | undefined;
  /** Stores the value as most recently used, dropping the least recently used beyond `max`. */
  set(key: string, value: V): void;
  delete(key: string): void;
  clear(): void;
  keys(): IterableIterator<string>;
  readonly size: number;
}

/** An empty {@link LruMap} holding at most `max` entries. */
export function lruMap<V>(max: number): LruMap<V> {
  const entries = new Map<string, V>(); // insertion order = recency order
  return {
    get(key) {
      const value = entries.get(key);
      if (value === undefined) return undefined;
      entries.delete(key);
      entries.set(key, value);
      return value;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      if (entries.size > max) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
    },
    delete: (key) => void entries.delete(key),
    clear: () => entries.clear(),
    keys: () => entries.keys(),
    get size() {
      return entries.size;
    },
  };
}
