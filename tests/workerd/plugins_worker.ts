/**
 * A Worker that builds a client with every plugin, in the README's order, and makes a few calls
 * against the mock API on loopback (VOBIZ_BASE_URL): a balance read the test scripts a 503 for
 * (retried), the same read again (a cache hit), the account read with a Bearer token the test
 * scripts a 401 TOKEN_EXPIRED for (refreshed once, replayed), and a paid purchase whose connection
 * the test drops after the side effect (reconciled), sent again with the same key (replayed).
 * Answers JSON with the results, the metrics snapshot's counters and what the other plugins saw.
 *
 * `/auth/refresh` is answered inside the Worker (the mock has no Bearer tokens); everything else
 * goes to the mock through workerd's own fetch.
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
}

const E164 = "+918000000001";

export default {
  async fetch(_request: Request, env: Env, ctx: { waitUntil(promise: Promise<unknown>): void }) {
    const seen: string[] = []; // method, path and bearer of each request sent
    const transport = (input: Request, init?: RequestInit): Promise<Response> => {
      const headers = new Headers(init?.headers ?? input.headers);
      const path = new URL(input.url).pathname.replace(/^\/api\/v1/, "");
      seen.push(`${input.method} ${path} ${headers.get("authorization") ?? "-"}`);
      if (path === "/auth/refresh") {
        return Promise.resolve(Response.json({
          access_token: "access-2",
          refresh_token: "refresh-2",
          expires_in: 1800,
        }));
      }
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
      accessToken: "access-1",
      refreshToken: "refresh-1",
      expiresAt: Date.now() + 3_600_000,
      routes: [/\/auth\/me$/],
    });
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
      const account = await vobiz.account.get();
      const bought = await vobiz.numbers.purchase({ e164: E164 }, { idempotencyKey: "order-1" });
      const again = await vobiz.numbers.purchase({ e164: E164 }, { idempotencyKey: "order-1" });
      const snapshot = m.snapshot();
      return Response.json({
        balance: balance.balance,
        cached: cached.balance,
        account: account.auth_id,
        bought: { e164: bought.e164, reconciled: bought["reconciled"] ?? false },
        again: { e164: again.e164, reconciled: again["reconciled"] ?? false },
        tokens: auth.tokens().accessToken,
        seen,
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
      return Response.json({ error: code, seen }, { status: 502 });
    }
  },
};
