/**
 * `cache()`: a response cache for GETs, with the Vobiz guidance as default lifetimes, eviction on
 * writes, coalescing of concurrent identical GETs, `staleWhileRevalidate` and `staleIfError`.
 *
 * | route | default TTL |
 * |---|---|
 * | `/auth/me` (account) | 15 min |
 * | `/Account/{auth_id}/trunks` (trunk list) | 5 min |
 * | `/Account/{auth_id}/balance/{currency}` | 1 min |
 * | `/Account/{auth_id}/cdr*` (CDRs) | never |
 * | anything else | `defaultTtl` (0: never) |
 *
 * - **Keys** hold the account id and the full URL with its query, never the token. **Entries** are
 *   plain JSON (status, content type and validators, body text); credential fields of a JSON body
 *   (`auth_secret`, `auth_token`, as in `/auth/me`) are left out of the stored copy, so a cached
 *   `account.get()` has no `auth_secret` — pass `{ plugins: { cache: false } }` when you need it.
 * - Only 2xx answers are stored, and not when they say `Cache-Control: no-store`.
 * - **Writes evict what they change**: a successful POST, PUT, PATCH or DELETE evicts its resource
 *   — the first segment under `/Account/{auth_id}/` (`trunks`, `numbers`, …) or under the base URL —
 *   with its list, items and sub-resources, for every account (and the trunk family's lists under
 *   `/trunks/`); a write marked `paid` (or given an `idempotencyKey`) also evicts the balance.
 *   `invalidate(pathPrefix)` and `clear()` do the rest.
 * - **Coalescing**: concurrent identical GETs of one client make one request; the others wait for
 *   its answer. On Cloudflare Workers a pending promise must not be shared between two incoming
 *   requests: create the client per request (the simplest), or pass `coalesce: "scoped"` and a
 *   per-call `scope` object (e.g. the incoming `Request`) so that only calls of one request share.
 * - **Stale entries**: within `staleWhileRevalidate` ms after expiry an entry is served at once and
 *   refreshed in the background (through `waitUntil` when given: on Workers pass
 *   `ctx.waitUntil.bind(ctx)`); within `staleIfError` ms it is served when the origin fails
 *   (network error, timeout, 5xx, 429, an open circuit) after every retry. Both refresh through the
 *   client itself, so retries, the circuit breaker and the other plugins apply; list `cache()`
 *   before them in `plugins`. Calls of a `withAccount` client are not refreshed that way (the
 *   plugin holds no token of theirs): for them an expired entry is a miss.
 * - **Stores**: in memory by default (bounded LRU); any {@link KeyValueStore} — an unstorage
 *   instance (Redis, Upstash, Deno KV, Cloudflare KV), `kvStore(env.KV)`,
 *   `workersCacheStore(caches.default)` — lets processes or isolates share entries. Freshness is
 *   judged by the time stored in the entry, so a store that keeps entries longer (KV's 60 s minimum)
 *   changes nothing. KV is eventually consistent: an eviction can take ~60 s to reach other
 *   locations. The Cache API cannot list keys: there `invalidate()` and `clear()` remove nothing,
 *   and a write evicts only the un-queried list and the item it wrote.
 * - Per call, `plugins: { cache: false }` bypasses the cache, `{ cache: { refresh: true } }` skips
 *   the lookup but stores the answer, `{ cache: { ttl: ms } }` accepts entries at most that old.
 * - `context.meta.cache` is `"hit"` when the cache answered (the network was not used by this call),
 *   `"miss"` when the call went to the network, `"refresh"` for the cache's own refreshes.
 * - Events: `cache:hit` (also for a coalesced answer), `cache:miss`, `cache:stale`,
 *   `cache:invalidate` (once per evicted prefix).
 *
 * @example
 * ```ts
 * import { createClient } from "vobiz-kit";
 * import { cache } from "vobiz-kit/plugins/cache";
 *
 * const c = cache({ ttl: { "/Account/{auth_id}/numbers": 60_000 }, staleIfError: 600_000 });
 * const vobiz = createClient({ plugins: [c] });
 * await vobiz.balance.get(); // network
 * await vobiz.balance.get(); // cache
 * await c.invalidate("/Account/{auth_id}/balance");
 * c.stats(); // { hits: 1, misses: 1, … }
 * ```
 *
 * @module
 */
import type {
  AfterResponseEvent,
  BeforeRequestEvent,
  CallContext,
  DoneEvent,
} from "../src/hooks.ts";
import type { RequestOptions } from "../src/options.ts";
import type { PluginHost, VobizPlugin } from "../src/plugin.ts";
import { isVobizError } from "../src/errors.ts";
import type { KeyValueStore } from "../src/store.ts";
import {
  checkOptions,
  hasMethods,
  isAtLeast,
  isBoolean,
  isFunction,
  isRecord,
  isString,
  option,
} from "../src/_internal/option_checks.ts";
import {
  asEntry,
  type CacheEntry,
  isNoStore,
  toEntry,
  toResponse,
} from "./_internal/cache_entry.ts";
import { entryKey, resourceUrls, subtreeBase } from "./_internal/cache_key.ts";
import { ttlLookup } from "./_internal/cache_ttl.ts";
import { entryStore } from "./_internal/cache_store.ts";

/**
 * The default time to live (ms) per route pattern: the Vobiz guidance.
 *
 * @example
 * ```ts
 * import { DEFAULT_CACHE_TTLS } from "vobiz-kit/plugins/cache";
 * DEFAULT_CACHE_TTLS["/auth/me"]; // 900000
 * ```
 */
export const DEFAULT_CACHE_TTLS: Readonly<Record<string, number>> = {
  "/auth/me": 15 * 60_000,
  "/Account/{auth_id}/trunks": 5 * 60_000,
  "/Account/{auth_id}/balance/{currency}": 60_000,
  "/Account/{auth_id}/cdr*": 0,
};

/** Options of {@link cache}. */
export interface CacheOptions {
  /**
   * Where entries live. Default: in memory, bounded like `memoryStore()` (the 1000 least recently
   * used entries, 8 MiB of bodies), private to this plugin.
   */
  store?: KeyValueStore;
  /**
   * Time to live (ms) per route pattern, before the defaults: `{name}` matches one path segment
   * (`"/Account/{auth_id}/trunks"`), `*` anything (`"/Account/{auth_id}/numbers*"`); a pattern is
   * tried on the route template, then on the concrete path. 0 means never cache.
   */
  ttl?: Record<string, number>;
  /** TTL (ms) of routes no pattern matches. Default 0: not cached. */
  defaultTtl?: number;
  /** Serve an entry this long (ms) after expiry while it is refreshed in the background. Default 0. */
  staleWhileRevalidate?: number;
  /** Serve an entry this long (ms) after expiry when the origin fails. Default 0. */
  staleIfError?: number;
  /**
   * Coalesce concurrent identical GETs: `true` (default) across the client, `"scoped"` only between
   * calls that pass the same per-call `scope` (Workers with a client shared by requests), `false`.
   */
  coalesce?: boolean | "scoped";
  /** Keeps background refreshes alive (Workers: `ctx.waitUntil.bind(ctx)`). Default: detached. */
  waitUntil?: (promise: Promise<unknown>) => void;
  /** First segments of every key (to share a store with other data). Default `vobiz:cache`. */
  prefix?: string;
}

/** Per-call settings, as `plugins: { cache: … }` in the call's options (or `false`: bypass). */
export interface CacheCallSettings {
  /** Skip the lookup, fetch, and store the answer. */
  refresh?: boolean;
  /** Accept an entry at most this old (ms), and store the answer for this long. */
  ttl?: number;
  /** Calls with the same scope object share one request for identical GETs. */
  scope?: object;
  /** Keeps this call's background refresh alive (Workers: `ctx.waitUntil.bind(ctx)`). */
  waitUntil?: (promise: Promise<unknown>) => void;
}

/** Counters of a cache (since it was created). */
export interface CacheStats {
  /** Answers served fresh from the store. */
  hits: number;
  /** GETs that found no fresh entry and went (or tried to go) to the network. */
  misses: number;
  /** Answers served stale (while revalidating, or because the origin failed). */
  stale: number;
  /** GETs answered by another identical GET in flight. */
  coalesced: number;
  /** Entries written. */
  stored: number;
  /** Keys removed by writes, `invalidate()` and `clear()`. */
  evicted: number;
  /** Store operations that failed (the call went on as a miss). */
  errors: number;
}

/** The cache plugin and its handle. */
export interface CachePlugin extends VobizPlugin {
  /**
   * Evicts every entry at or under a path (whole segments, relative to the base URL; `{auth_id}`
   * is the client's account), for every account. Resolves to the number of keys removed.
   *
   * @example
   * ```ts
   * await c.invalidate("/Account/{auth_id}/trunks"); // the trunk list and every trunk
   * ```
   */
  invalidate(pathPrefix: string): Promise<number>;
  /**
   * Evicts every entry of this cache (its `prefix`). Resolves to the number of keys removed.
   *
   * @example
   * ```ts
   * await c.clear();
   * ```
   */
  clear(): Promise<number>;
  /**
   * A copy of the counters.
   *
   * @example
   * ```ts
   * const { hits, misses } = c.stats();
   * ```
   */
  stats(): CacheStats;
}

interface CallState {
  readonly key: string;
  readonly ttl: number;
  /** Place in the order of lookups and evictions (a GET older than an eviction stores nothing). */
  readonly order: number;
  /** The cache answered this call itself (its response passes afterResponse: do not store it). */
  answered?: boolean;
  /** This call leads identical GETs (kept in `flights`): they wait for its `answer`. */
  flights?: Map<string, CallState>;
  answer?: Promise<CacheEntry | undefined>;
  resolve?: (entry?: CacheEntry) => void;
}

const writeMethods = /^(POST|PUT|PATCH|DELETE)$/;
// A refresh left unfinished (an isolate stopped mid-way) no longer blocks new ones after this.
const refreshLockMs = 60_000;
const recentEvictions = 100;
const knownUrls = 500;

// Durations in ms; a TTL is checked under its pattern (`ttl.<pattern>`).
const ms = option((value) => isAtLeast(value), "a number of milliseconds (≥ 0)");
const optionRules = {
  store: option(
    (value) => hasMethods(value, "getItem", "setItem", "removeItem", "getKeys"),
    "a store",
  ),
  ttl: option(isRecord, "an object"),
  defaultTtl: ms,
  staleWhileRevalidate: ms,
  staleIfError: ms,
  coalesce: option((value) => isBoolean(value) || value === "scoped", 'a boolean or "scoped"'),
  waitUntil: option(isFunction, "a function"),
  prefix: option((value) => isString(value) && value !== "", "a non-empty string"),
};

// Waits for another call's answer, unless this call is aborted first.
function waitFor<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  return signal === undefined ? promise : new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    void promise.then((value) => {
      signal.removeEventListener("abort", onAbort);
      resolve(value);
    });
  });
}

// Origin failures that a stale entry may answer for; a 4xx or an abort is the caller's answer.
function servesStale(error: unknown): boolean {
  if (!isVobizError(error)) return false;
  const status = (error as { status?: number }).status ?? 0;
  return error.code === "HTTP_ERROR"
    ? status >= 500 || status === 429
    : /^(NETWORK_ERROR|TIMEOUT|CIRCUIT_OPEN|RATE_LIMITED)$/.test(error.code);
}

/**
 * Creates the cache plugin (see the module documentation for the behaviour and defaults). Throws
 * `VALIDATION_ERROR` for malformed options.
 *
 * @example
 * ```ts
 * import { createClient } from "vobiz-kit";
 * import { cache } from "vobiz-kit/plugins/cache";
 * import { createStorage } from "unstorage";
 * import redisDriver from "unstorage/drivers/redis";
 *
 * const store = createStorage({ driver: redisDriver({ url: "redis://127.0.0.1:6379" }) });
 * const vobiz = createClient({ plugins: [cache({ store, staleWhileRevalidate: 30_000 })] });
 * ```
 */
export function cache(options: CacheOptions = {}): CachePlugin {
  const { ttl } = options;
  checkOptions(options, optionRules);
  if (ttl !== undefined) {
    checkOptions(ttl, Object.fromEntries(Object.keys(ttl).map((pattern) => [pattern, ms])), "ttl");
  }
  const {
    prefix = "vobiz:cache",
    defaultTtl = 0,
    staleWhileRevalidate: swr = 0,
    staleIfError: sie = 0,
    coalesce = true,
  } = options;
  const ttls = ttlLookup(ttl ?? {}, DEFAULT_CACHE_TTLS);
  const stats: CacheStats = {
    hits: 0,
    misses: 0,
    stale: 0,
    coalesced: 0,
    stored: 0,
    evicted: 0,
    errors: 0,
  };
  const calls = new WeakMap<CallContext, CallState>();
  // account, route and URL -> [key, TTL]: the same URL is asked for again and again
  const known = new Map<string, [string, number]>();
  const clientScope = {};
  const flightsByScope = new WeakMap<object, Map<string, CallState>>();
  const refreshing = new Map<string, number>();
  // [key base, order] of recent evictions
  const evictions: [string, number][] = [];
  let order = 0; // counts lookups and evictions, so that "before" does not depend on the clock
  let host: PluginHost | undefined;

  const now = () => host?.clock.now() ?? Date.now();
  const store = options.store ?? entryStore(now);
  const baseUrl = () => {
    if (host === undefined) throw new Error("cache(): add the plugin to a client first");
    return host.client.baseUrl;
  };
  // A call's URL is the client's base URL, the path, then the query.
  const pathOf = (url: string) => url.slice(baseUrl().length).split("?")[0]!;

  // Not async, and no await when no one listens (hookable answers undefined then).
  function emit(name: string, key: string, context?: CallContext): Promise<void> | undefined {
    try {
      return (host!.hooks.callHook as (name: string, event: unknown) => Promise<void> | undefined)(
        name,
        context === undefined ? { key } : { key, context },
      )?.catch(() => {});
    } catch {
      // a listener's error must not change the call's outcome
    }
  }

  // Removes every key under the bases (plus exact keys, for stores that cannot list).
  async function evict(bases: string[], exact: string[], context?: CallContext): Promise<number> {
    const at = ++order;
    for (const base of bases) evictions.push([base, at]);
    evictions.splice(0, evictions.length - recentEvictions);
    let removed = 0;
    try {
      const listed = new Set((await Promise.all(bases.map((base) => store.getKeys(base)))).flat());
      await Promise.all([...new Set([...listed, ...exact])].map((key) => store.removeItem(key)));
      stats.evicted += removed = listed.size;
    } catch {
      stats.errors++;
    }
    for (const base of bases) await emit("cache:invalidate", base, context);
    return removed;
  }

  const sameAccount = (context: CallContext) =>
    host!.client.resolveAuthId().then((id) => id === context.authId, () => false);

  // Makes the call again through the client (retries, circuit breaker, …), skipping the lookup.
  async function refetch(
    context: CallContext,
    settings: CacheCallSettings,
    signal?: AbortSignal,
  ): Promise<CacheEntry> {
    const response = await host!.client.request<Response>("GET", pathOf(context.url), {
      ...context.options,
      route: context.route,
      responseType: "response",
      plugins: { ...context.options.plugins, cache: { ...settings, refresh: true } },
      signal,
    } as RequestOptions);
    return toEntry(response, await response.text(), now());
  }

  // The cache answers the call itself; an answer counted under `stat` is also an event.
  function serve(
    { context, respondWith }: BeforeRequestEvent,
    state: CallState,
    entry: CacheEntry,
    how: "hit" | "stale",
    stat?: "hits" | "stale" | "coalesced",
  ): Promise<void> | undefined {
    state.answered = true;
    context.meta["cache"] = "hit";
    respondWith(toResponse(entry, now(), how));
    if (stat) {
      stats[stat]++;
      return emit(`cache:${how}`, state.key, context);
    }
  }

  async function beforeRequest(event: BeforeRequestEvent): Promise<void> {
    const { context } = event;
    const { url, authId, route, options: given } = context;
    const raw = given.plugins?.["cache"];
    if (context.method !== "GET" || raw === false) return;
    const settings = (typeof raw === "object" && raw !== null ? raw : {}) as CacheCallSettings;
    const id = `${authId}\n${route}\n${url}`; // no account id or route holds a line break
    let found = known.get(id);
    if (!found) {
      if (known.size >= knownUrls) known.clear();
      known.set(
        id,
        found = [entryKey(prefix, url, authId), ttls(route, pathOf(url)) ?? defaultTtl],
      );
    }
    const [key] = found;
    const ttl = settings.ttl ?? found[1];
    const state: CallState = { key, ttl, order: ++order };
    calls.set(context, state);
    if (settings.refresh === true) {
      context.meta["cache"] = "refresh";
      return;
    }

    let entry: CacheEntry | undefined;
    if (ttl > 0) {
      try {
        entry = asEntry(await store.getItem(key));
      } catch {
        stats.errors++;
      }
    }
    const age = entry ? now() - entry.storedAt : Infinity;
    if (age < ttl) return serve(event, state, entry!, "hit", "hits");
    if (age < ttl + swr && await sameAccount(context)) {
      const emitted = serve(event, state, entry!, "stale", "stale");
      const startedAt = now();
      if (!(startedAt - (refreshing.get(key) ?? -Infinity) < refreshLockMs)) {
        refreshing.set(key, startedAt);
        const work = refetch(context, settings).catch(() => {}).then(() => {
          // the stale entry stays on failure; the next expired lookup tries again
          if (refreshing.get(key) === startedAt) refreshing.delete(key);
        });
        (settings.waitUntil ?? options.waitUntil)?.(work);
      }
      return emitted;
    }

    const owner = coalesce && (settings.scope ?? (coalesce === true ? clientScope : undefined));
    let flights: Map<string, CallState> | undefined;
    if (owner) {
      flights = flightsByScope.get(owner);
      if (!flights) flightsByScope.set(owner, flights = new Map());
      const shared = flights.has(key)
        ? await waitFor(flights.get(key)!.answer!, given.signal)
        : undefined;
      if (shared) return serve(event, state, shared, "hit", "coalesced");
    }
    stats.misses++;
    context.meta["cache"] = "miss";
    if (flights && !flights.has(key)) {
      state.answer = new Promise((resolve) => (state.resolve = resolve));
      flights.set(key, state);
      state.flights = flights;
    }
    await emit("cache:miss", key, context);

    if (age < ttl + sie && await sameAccount(context)) {
      let fresh: CacheEntry;
      try {
        fresh = await refetch(context, settings, given.signal);
      } catch (error) {
        if (servesStale(error)) return serve(event, state, entry!, "stale", "stale");
        throw error;
      }
      state.resolve?.(fresh);
      serve(event, state, fresh, "hit");
    }
  }

  async function afterResponse({ context, response }: AfterResponseEvent): Promise<void> {
    const state = calls.get(context);
    if (!state) {
      if (writeMethods.test(context.method) && response.ok) await evictAfterWrite(context);
      return;
    }
    const { key, ttl, order: since, resolve } = state;
    if (state.answered || !response.ok || (ttl <= 0 && !resolve) || isNoStore(response)) return;
    const entry = toEntry(response, await response.text(), now());
    resolve?.(entry);
    if (ttl > 0 && !evictions.some(([base, at]) => at > since && key.startsWith(base))) {
      try {
        // kept past expiry for the stale windows; freshness is judged by entry.storedAt
        await store.setItem(key, entry, { ttl: Math.ceil((ttl + Math.max(swr, sie)) / 1000) });
        stats.stored++;
      } catch {
        stats.errors++;
      }
    }
  }

  function evictAfterWrite(context: CallContext): Promise<number> {
    const { url, authId, options: given } = context;
    const base = baseUrl();
    const resources = resourceUrls(base, url);
    if (given.paid === true || given.idempotencyKey !== undefined) {
      resources.push(`${base}/Account/${encodeURIComponent(authId)}/balance`);
    }
    // Stores that cannot list keys (the Cache API) still lose the plain list and the item.
    const exact = [resources[0]!, `${resources[0]}/`, url.split("?")[0]!].map((item) =>
      entryKey(prefix, item, authId)
    );
    return evict(resources.map((item) => subtreeBase(prefix, item)), exact, context);
  }

  // Only a call that leads identical GETs has something to do when it ends.
  function done({ context }: DoneEvent): void {
    const state = calls.get(context);
    if (state?.resolve) {
      state.resolve(); // no-op when it already had an answer
      if (state.flights!.get(state.key) === state) state.flights!.delete(state.key);
    }
  }

  return {
    name: "cache",
    setup(pluginHost) {
      host = pluginHost;
      const { hooks } = pluginHost;
      const offs = [
        hooks.hook("beforeRequest", beforeRequest),
        hooks.hook("afterResponse", afterResponse),
        // without coalescing no call leads others: nothing to do when a call ends
        ...(coalesce === false ? [] : [hooks.hook("done", done)]),
      ];
      return () => offs.forEach((off) => off());
    },
    async invalidate(pathPrefix) {
      const base = baseUrl();
      const path = pathPrefix.includes("{auth_id}")
        ? pathPrefix.replaceAll("{auth_id}", encodeURIComponent(await host!.client.resolveAuthId()))
        : pathPrefix;
      return evict([subtreeBase(prefix, `${base}/${path.replace(/^\//, "")}`)], []);
    },
    clear: () => evict([`${prefix}:`], []),
    stats: () => ({ ...stats }),
  };
}
