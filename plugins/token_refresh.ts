/**
 * `vobiz-kit/plugins/token-refresh`: a Bearer access token (30 min) for the endpoints that take
 * one, renewed with the refresh token (7 days) through `POST /auth/refresh`, which takes the
 * refresh token as its Bearer credential (vobiz-api.md §2.2).
 *
 * - By default only the capacity endpoints (`channel-pricing-preview`, `channel-subscriptions`)
 *   get the bearer, as the API documents; `routes: "all"` sends it on every call.
 * - Refreshed ahead of time when less than `refreshBeforeMs` (5 min) remain, or once after a 401
 *   `TOKEN_EXPIRED`, after which the call is replayed once with the new token.
 * - Single-flight: however many calls find the token expired, one refresh is made and they all
 *   wait for it. On Cloudflare Workers pass `scope` (e.g. the request's `ctx`) or create the client
 *   per request, so that this shared promise never crosses an incoming request.
 * - A refresh that fails ends the call with the refresh's own typed error (e.g. `HTTP_ERROR` 401
 *   on `POST /auth/refresh`), never a loop; a refresh token the server rejected is not tried again
 *   until `setTokens()`.
 * - Tokens live in memory; `onTokens` sees each new pair, and `store` persists them
 *   ({@link encryptedTokenStore} encrypts them at rest). The tokens are added by the transport,
 *   after every hook, so no hook payload or log line holds them. Emits `auth:refreshed`.
 *
 * @example
 * ```ts
 * import { createClient } from "vobiz-kit";
 * import { tokenRefresh } from "vobiz-kit/plugins/token-refresh";
 *
 * const auth = tokenRefresh({
 *   accessToken: session.access_token,
 *   refreshToken: session.refresh_token,
 *   onTokens: (tokens) => saveSession(tokens),
 * });
 * const vobiz = createClient({ plugins: [auth] });
 * const price = await vobiz.request("GET", "/accounts/{auth_id}/channel-pricing-preview", {
 *   searchParams: { resource_type: "cps", quantity: 3 },
 * });
 * ```
 *
 * @module
 */
import type { Options as KyOptions, StandardSchemaV1, StandardSchemaV1Issue } from "ky";
import { VobizHttpError } from "../src/errors.ts";
import type { CallContext } from "../src/hooks.ts";
import type { FetchLike } from "../src/options.ts";
import type { PluginHost, VobizPlugin } from "../src/plugin.ts";
import { isAtLeast, isRecord, isString } from "../src/_internal/option_checks.ts";
import { jwtExpiry } from "./_internal/token_jwt.ts";
import { bearerTransport, withBearer } from "./_internal/token_transport.ts";

export { encryptedTokenStore } from "./_internal/token_store.ts";

/**
 * An access/refresh token pair.
 *
 * @example
 * ```ts
 * import type { Tokens } from "vobiz-kit/plugins/token-refresh";
 * const tokens: Tokens = { accessToken: "eyJ…", refreshToken: "eyJ…", expiresAt: Date.now() + 1_800_000 };
 * ```
 */
export interface Tokens {
  /** Sent as `Authorization: Bearer` (30 minutes). */
  readonly accessToken: string;
  /** Sent as the Bearer credential of `POST /auth/refresh` only (7 days). */
  readonly refreshToken: string;
  /** When the access token expires (ms since the epoch, by the client's clock), when known. */
  readonly expiresAt?: number;
}

/**
 * Where the plugin keeps tokens between runs.
 *
 * @example
 * ```ts
 * import type { TokenStore, Tokens } from "vobiz-kit/plugins/token-refresh";
 * let saved: Tokens | null = null;
 * const store: TokenStore = { load: async () => saved, save: async (t) => void (saved = t) };
 * ```
 */
export interface TokenStore {
  /** The saved pair, or null. Saved tokens win over the ones in the options (they are newer). */
  load(): Promise<Tokens | null>;
  /** Saves a new pair. */
  save(tokens: Tokens): Promise<void>;
}

/**
 * Options of {@link tokenRefresh}.
 *
 * @example
 * ```ts
 * import { tokenRefresh, type TokenRefreshOptions } from "vobiz-kit/plugins/token-refresh";
 * const options: TokenRefreshOptions = { accessToken, refreshToken, routes: "all" };
 * tokenRefresh(options);
 * ```
 */
export interface TokenRefreshOptions {
  /** The current access token. */
  accessToken: string;
  /** The current refresh token. */
  refreshToken: string;
  /** When `accessToken` expires (ms since the epoch). Default: its JWT `exp`, else unknown. */
  expiresAt?: number;
  /** Refresh when less than this remains. Default 5 minutes. */
  refreshBeforeMs?: number;
  /** Called with every new pair (persist it). Errors are ignored: the call goes on. */
  onTokens?: (tokens: Tokens) => void | Promise<void>;
  /** Loads tokens at first use and saves each new pair. Errors are ignored. */
  store?: TokenStore;
  /**
   * Calls that get the bearer: `"all"`, or patterns for the URL path. Default: the capacity
   * endpoints, `channel-pricing-preview` and `channel-subscriptions`.
   */
  routes?: "all" | readonly RegExp[];
  /**
   * The unit a refresh is shared within (Workers: the incoming request's `ctx`). Default: the whole
   * client.
   */
  scope?: () => object;
}

/**
 * The plugin and its handle.
 *
 * @example
 * ```ts
 * import { tokenRefresh, type TokenRefreshPlugin } from "vobiz-kit/plugins/token-refresh";
 * const auth: TokenRefreshPlugin = tokenRefresh({ accessToken, refreshToken });
 * const { expiresAt } = await auth.refresh();
 * ```
 */
export interface TokenRefreshPlugin extends VobizPlugin {
  /** The current pair. */
  tokens(): Tokens;
  /** Replaces the pair (after a new login); also clears a rejected refresh token. */
  setTokens(tokens: Tokens): void;
  /** Refreshes now (joining a refresh in flight). */
  refresh(): Promise<Tokens>;
}

/**
 * The capacity endpoints, the only ones the API documents as taking a Bearer token.
 *
 * @example
 * ```ts
 * import { BEARER_ROUTES, tokenRefresh } from "vobiz-kit/plugins/token-refresh";
 * tokenRefresh({ accessToken, refreshToken, routes: [...BEARER_ROUTES, /\/messaging\//] });
 * ```
 */
export const BEARER_ROUTES: readonly RegExp[] = [
  /\/accounts\/[^/]+\/channel-pricing-preview$/,
  /\/accounts\/[^/]+\/channel-subscriptions$/,
];

const NAME = "token-refresh";
const REFRESH_PATH = "/auth/refresh";
const DEFAULT_LIFETIME_MS = 1_800_000; // `expires_in: 1800` (vobiz-api.md §2.2)

interface RefreshAnswer {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
}

// The refresh answer's shape, as a Standard Schema written by hand: the core validates with it as
// with any schema (a mismatch is RESPONSE_VALIDATION_ERROR), and no valibot object machinery comes
// into this plugin's bundle.
const token = (value: unknown) => isString(value) && value !== "";
const refreshAnswer: StandardSchemaV1<unknown, RefreshAnswer> = {
  "~standard": {
    version: 1,
    vendor: "vobiz-kit",
    validate(value) {
      if (!isRecord(value)) return { issues: [{ message: "must be an object" }] };
      const issues: StandardSchemaV1Issue[] = [];
      const expect = (ok: boolean, key: string, expected: string) => {
        if (!ok) issues.push({ message: `must be ${expected}`, path: [key] });
      };
      const refresh = value["refresh_token"];
      const expiresIn = value["expires_in"];
      expect(token(value["access_token"]), "access_token", "a non-empty string");
      expect(refresh === undefined || token(refresh), "refresh_token", "a non-empty string");
      expect(
        expiresIn === undefined || isAtLeast(expiresIn, 0, true),
        "expires_in",
        "a number ≥ 0",
      );
      return issues.length > 0 ? { issues } : { value: value as unknown as RefreshAnswer };
    },
  },
};

/**
 * Creates the token refresh plugin.
 *
 * @example
 * ```ts
 * import { createClient } from "vobiz-kit";
 * import { encryptedTokenStore, tokenRefresh } from "vobiz-kit/plugins/token-refresh";
 *
 * const vobiz = createClient({
 *   plugins: [tokenRefresh({ accessToken, refreshToken, store: encryptedTokenStore(kv, key) })],
 * });
 * await vobiz.request("POST", "/accounts/{auth_id}/channel-subscriptions", {
 *   json: { resource_type: "cps", quantity: 3 },
 * });
 * ```
 */
export function tokenRefresh(options: TokenRefreshOptions): TokenRefreshPlugin {
  const refreshBeforeMs = options.refreshBeforeMs ?? 300_000;
  const routes = options.routes ?? BEARER_ROUTES;
  const wholeClient = {};
  const inFlight = new WeakMap<object, Promise<Tokens>>();
  const refreshCalls = new WeakMap<object, string>(); // marker of a refresh call → refresh token
  let current: Tokens = withExpiry(options);
  let rejected: Error | undefined; // the server refused the refresh token: do not try again
  let loaded: Promise<void> | undefined;
  let run: ((reason: "expiring" | "expired") => Promise<Tokens>) | undefined;

  // Remembered per URL (bounded), so that repeated calls parse no URL and run no pattern.
  const verdicts = new Map<string, boolean>();
  const usesBearer = ({ url }: CallContext) => {
    if (routes === "all") return true;
    let verdict = verdicts.get(url);
    if (verdict === undefined) {
      if (verdicts.size >= 1000) verdicts.clear();
      const path = new URL(url).pathname;
      verdicts.set(url, verdict = routes.some((route) => route.test(path)));
    }
    return verdict;
  };

  // Saved tokens are newer than the ones the app started with (refresh tokens rotate).
  const load = () =>
    loaded ??= (async () => {
      const saved = await options.store?.load().catch(() => null);
      if (saved) current = withExpiry(saved);
    })();

  // One refresh per scope at a time; `stale` is the token a 401 came back for: when the current
  // one differs, someone already refreshed and there is nothing to do.
  async function refresh(reason: "expiring" | "expired", stale?: string): Promise<Tokens> {
    await load();
    if (stale !== undefined && current.accessToken !== stale) return current;
    if (rejected !== undefined) throw rejected;
    if (run === undefined) throw new Error("tokenRefresh: the plugin is not set up on a client");
    const scope = options.scope?.() ?? wholeClient;
    let pending = inFlight.get(scope);
    if (pending === undefined) {
      pending = run(reason).finally(() => {
        if (inFlight.get(scope) === pending) inFlight.delete(scope);
      });
      inFlight.set(scope, pending);
    }
    return pending;
  }

  // The token to send now: refreshed first when it is about to expire. A failed early refresh
  // does not fail the call while the old token is still valid.
  async function accessToken(now: () => number): Promise<string> {
    await load();
    const { expiresAt } = current;
    if (expiresAt === undefined || expiresAt - now() > refreshBeforeMs) return current.accessToken;
    try {
      return (await refresh("expiring")).accessToken;
    } catch (error) {
      if (now() < expiresAt) return current.accessToken;
      throw error;
    }
  }

  function setup(host: PluginHost): void {
    const now = () => host.clock.now();

    run = async (reason) => {
      const marker = {};
      refreshCalls.set(marker, current.refreshToken);
      let answer: RefreshAnswer;
      try {
        answer = await host.client.request("POST", REFRESH_PATH, {
          schema: refreshAnswer,
          plugins: { [NAME]: marker, "rate-limit": false, cache: false, idempotency: false },
        });
      } catch (error) {
        if (error instanceof VobizHttpError && [400, 401, 403].includes(error.status)) {
          rejected = error;
        }
        throw error;
      }
      const at = now();
      const tokens: Tokens = {
        accessToken: answer.access_token,
        refreshToken: answer.refresh_token ?? current.refreshToken,
        expiresAt: answer.expires_in !== undefined
          ? at + answer.expires_in * 1000
          : jwtExpiry(answer.access_token) ?? at + DEFAULT_LIFETIME_MS,
      };
      current = tokens;
      await Promise.allSettled([
        Promise.resolve().then(() => options.onTokens?.(tokens)),
        options.store?.save(tokens),
      ]);
      await host.hooks.callHook("auth:refreshed", {
        at,
        expiresAt: tokens.expiresAt ?? at + DEFAULT_LIFETIME_MS,
        reason,
      });
      return tokens;
    };

    // Per call, the transport gets the bearer (a ky `init` hook sees each call's own options).
    const init = (kyOptions: KyOptions) => {
      const context = kyOptions.context?.["vobiz"] as CallContext | undefined;
      if (context === undefined) return;
      const setting = context.options.plugins?.[NAME];
      const refreshToken = typeof setting === "object" && setting !== null
        ? refreshCalls.get(setting)
        : undefined;
      const transport = (kyOptions.fetch ?? globalThis.fetch) as FetchLike;
      if (refreshToken !== undefined) {
        kyOptions.fetch = ((request: Request, requestInit?: RequestInit) =>
          transport(withBearer(request, refreshToken), requestInit)) as NonNullable<
            KyOptions["fetch"]
          >;
        return;
      }
      if (setting === false || !usesBearer(context)) return;
      kyOptions.fetch = bearerTransport({
        transport,
        token: () => accessToken(now),
        refreshed: async (stale) => (await refresh("expired", stale)).accessToken,
      }) as NonNullable<KyOptions["fetch"]>;
    };
    host.eachCall(init);
  }

  return {
    name: NAME,
    setup,
    tokens: () => current,
    setTokens: (tokens) => {
      current = withExpiry(tokens);
      rejected = undefined;
      loaded = Promise.resolve(); // explicit tokens win over saved ones
    },
    refresh: () => refresh("expiring"),
  };
}

function withExpiry(tokens: Tokens): Tokens {
  const expiresAt = tokens.expiresAt ?? jwtExpiry(tokens.accessToken);
  return {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    ...(expiresAt === undefined ? {} : { expiresAt }),
  };
}
