/**
 * A Cloudflare Worker that reads the Vobiz balance. Credentials come from the Worker's bindings
 * (`wrangler secret put VOBIZ_AUTH_TOKEN`), passed as `env`; nothing is read from a global
 * environment. Run by the workerd suite (tests/workerd/) against the mock API on loopback.
 *
 * In your project: `import { createClient } from "vobiz-kit";`
 *
 * @module
 */
import { createClient, isVobizError } from "../../mod.ts";

/** The bindings this Worker expects. */
export interface Env {
  VOBIZ_AUTH_ID: string;
  VOBIZ_AUTH_TOKEN: string;
  /** Optional: another base URL (the tests point it at the mock on 127.0.0.1). */
  VOBIZ_BASE_URL?: string;
}

export default {
  async fetch(_request: Request, env: Env): Promise<Response> {
    // One client per request keeps every promise and stream inside the request that created it.
    const vobiz = createClient({
      env: env as unknown as Record<string, unknown>,
      ...(env.VOBIZ_BASE_URL ? { baseUrl: env.VOBIZ_BASE_URL, allowInsecureLoopback: true } : {}),
    });
    const events: string[] = [];
    vobiz.hooks.hook("done", ({ context, error }) => {
      events.push(`${context.method} ${context.route} ${error ? error.name : "ok"}`);
    });
    try {
      const [account, balance] = await Promise.all([vobiz.account.get(), vobiz.balance.get("INR")]);
      return Response.json({ account: account.auth_id, balance: balance.balance, events });
    } catch (error) {
      const code = isVobizError(error) ? error.code : "UNEXPECTED";
      return Response.json({ error: code, events }, { status: 502 });
    }
  },
};
