/**
 * A Worker that builds a client with every plugin, in the README's order, and makes a few calls
 * against the mock API on loopback (VOBIZ_BASE_URL): a balance read the test scripts a 503 for
 * (retried), the same read again (a cache hit), a capacity price preview with the Bearer token
 * the mock issued (VOBIZ_ACCESS_TOKEN; the mock's clock has moved past its expiry, so it answers
 * 401 TOKEN_EXPIRED, and the plugin refreshes once through the mock's `/auth/refresh` and
 * replays), and a paid purchase whose connection the test drops after the side effect
 * (reconciled), sent again with the same key (replayed). Answers JSON with the results, the
 * metrics snapshot's counters and what the other plugins saw.
 *
 * Every request goes to the mock through workerd's own fetch; a thin wrapper notes each one.
 *
 * @module
 */
import { createClient, isVobizError } from "../../mod.ts";
import { cache } from "../../plugins/cache.ts";
import { idempotency } from "../../plugins/idempotency.ts";
import { tokenRefresh } from "../../plugins/token_refresh.ts";
import { retry } from "../../plugins/retry.ts";
import { circuitBreaker } from "../../plugins/circuit_breaker.ts";
import { rateLimit } from "../../plugins/rate_limit.ts";
import { metrics } from "../../plugins/metrics.ts";
import { logging } from "../../plugins/logging.ts";
import { alerts } from "../../plugins/alerts.ts";

/** The bindings this Worker expects. */
export interface Env {
  VOBIZ_AUTH_ID: string;
  VOBIZ_AUTH_TOKEN: string;
  VOBIZ_BASE_URL: string;
  /** A pair from `mock.issueTokens()`; the access token's expiry is read from its JWT `exp`. */
  VOBIZ_ACCESS_TOKEN: string;
  VOBIZ_REFRESH_TOKEN: string;
}

const E164 = "+918000000001";

export default {
  async fetch(_request: Request, env: Env, ctx: { waitUntil(promise: Promise<unknown>): void }) {
    const sent: Array<[string, string | undefined]> = []; // method and path, bearer token
    const transport = (input: Request, init?: RequestInit): Promise<Response> => {
      const headers = new Headers(init?.headers ?? input.headers);
      const path = new URL(input.url).pathname.replace(/^\/api\/v1/, "");
      const bearer = /^Bearer (.+)$/.exec(headers.get("authorization") ?? "")?.[1];
      sent.push([`${input.method} ${path}`, bearer]);
      return fetch(input, init);
    };
    const m = metrics();
    const fired: string[] = [];
    const logs: string[] = [];
    const watch = alerts({
      lowBalance: { threshold: { INR: 5000 } },
      notify: (alert) => void fired.push(`${alert.state} ${alert.rule} ${alert.subject ?? ""}`),
      waitUntil: (promise) => ctx.waitUntil(promise),
    });
    const limiter = rateLimit({ maxConcurrent: 6 });
    const auth = tokenRefresh({
      accessToken: env.VOBIZ_ACCESS_TOKEN,
      refreshToken: env.VOBIZ_REFRESH_TOKEN,
    });
    // The tokens by name: the issued pair is 1, the refreshed one 2.
    const names = (): Map<string | undefined, string> =>
      new Map([
        [undefined, "-"],
        [env.VOBIZ_ACCESS_TOKEN, "Bearer access-1"],
        [env.VOBIZ_REFRESH_TOKEN, "Bearer refresh-1"],
        [auth.tokens().accessToken, "Bearer access-2"],
        [auth.tokens().refreshToken, "Bearer refresh-2"],
      ]);
    const seen = () => sent.map(([call, token]) => `${call} ${names().get(token) ?? "Bearer ?"}`);
    const vobiz = createClient({
      env: env as unknown as Record<string, unknown>,
      baseUrl: env.VOBIZ_BASE_URL,
      allowInsecureLoopback: true,
      fetch: transport,
      plugins: [
        cache(),
        idempotency(),
        auth,
        retry({ baseDelayMs: 0 }),
        circuitBreaker(),
        limiter,
        m,
        logging({ sink: (record) => void logs.push(`${record.level} ${record.msg}`) }),
        watch,
      ],
    });
    try {
      const balance = await vobiz.balance.get("INR");
      const cached = await vobiz.balance.get("INR");
      const preview = await vobiz.account.previewCapacity({ resource_type: "cps", quantity: 3 });
      const bought = await vobiz.numbers.purchase({ e164: E164 }, { idempotencyKey: "order-1" });
      const again = await vobiz.numbers.purchase({ e164: E164 }, { idempotencyKey: "order-1" });
      const snapshot = m.snapshot();
      return Response.json({
        balance: balance.balance,
        cached: cached.balance,
        preview: preview.monthly_cost,
        bought: { e164: bought.e164, reconciled: bought["reconciled"] ?? false },
        again: { e164: again.e164, reconciled: again["reconciled"] ?? false },
        tokens: auth.tokens(),
        seen: seen(),
        metrics: {
          calls: snapshot.calls.total,
          successes: snapshot.calls.successes,
          retries: snapshot.retries,
          tokenRefreshes: snapshot.tokenRefreshes.total,
          cacheHits: snapshot.cache.hits,
          statusClasses: snapshot.statusClasses,
          circuits: snapshot.circuits.states,
        },
        limiter: limiter.state().active,
        alerts: fired,
        logged: logs.length > 0,
      });
    } catch (error) {
      const code = isVobizError(error) ? error.code : String(error);
      return Response.json({ error: code, seen: seen() }, { status: 502 });
    }
  },
};
