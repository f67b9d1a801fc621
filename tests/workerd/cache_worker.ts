// A Worker for the workerd cache suite: reads through the cache plugin backed by a KV namespace
// binding (`?store=kv`) or the Cache API (`?store=cache`). A new client per incoming request, as
// on Workers; `?now=` sets the client's clock (so the test controls entry ages), `?ns=` the key
// prefix (so tests do not see each other's entries), `?swr=` the staleWhileRevalidate window.
import { type CacheLike, createClient, type KvNamespaceLike, kvStore } from "../../mod.ts";
import { workersCacheStore } from "../../mod.ts";
import { cache } from "../../plugins/cache.ts";

interface Env {
  CACHE: KvNamespaceLike & {
    list(): Promise<{ keys: { name: string; expiration?: number }[] }>;
    get(key: string): Promise<string | null>;
  };
  VOBIZ_AUTH_ID: string;
  VOBIZ_AUTH_TOKEN: string;
  VOBIZ_BASE_URL: string;
}

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

const TRUNKS = "/Account/{auth_id}/trunks";

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/kv") {
      const { keys } = await env.CACHE.list();
      const entries = await Promise.all(
        keys.map(async (key) => ({ ...key, value: await env.CACHE.get(key.name) })),
      );
      return Response.json(entries);
    }
    const now = url.searchParams.get("now");
    const store = url.searchParams.get("store") === "kv" ? kvStore(env.CACHE) : workersCacheStore(
      (globalThis as unknown as { caches: { default: CacheLike } }).caches.default,
    );
    const vobiz = createClient({
      env: env as unknown as Record<string, unknown>,
      baseUrl: env.VOBIZ_BASE_URL,
      allowInsecureLoopback: true,
      clock: {
        now: () => (now === null ? Date.now() : Number(now)),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      },
      plugins: [
        cache({
          store,
          prefix: `vobiz:cache:${url.searchParams.get("ns") ?? "default"}`,
          staleWhileRevalidate: Number(url.searchParams.get("swr") ?? 10 * 60_000),
          waitUntil: (promise) => ctx.waitUntil(promise),
        }),
      ],
    });
    const events: string[] = [];
    for (const name of ["hit", "miss", "stale"] as const) {
      vobiz.hooks.hook(`cache:${name}`, () => void events.push(name));
    }
    try {
      switch (url.pathname) {
        case "/balance": {
          // two identical GETs inside one incoming request: one request to the API
          const [a, b] = await Promise.all([vobiz.balance.get(), vobiz.balance.get()]);
          return Response.json({ balances: [a.balance, b.balance], events });
        }
        case "/trunks": {
          const list = await vobiz.request<{ objects: unknown[] }>("GET", TRUNKS);
          return Response.json({ trunks: list.objects.length, events });
        }
        case "/create-trunk": {
          await vobiz.request("POST", TRUNKS, { json: { name: "edge" } });
          return Response.json({ events });
        }
      }
      return new Response("not found", { status: 404 });
    } catch (error) {
      return Response.json({ error: String(error), events }, { status: 500 });
    }
  },
};
