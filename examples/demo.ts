/**
 * `npm start`: the client against the built-in mock Vobiz API (in process: no account, no network).
 * Prints every request, a scripted fault and how the plugins handled it, the hook events, what the
 * mock received and did, and a metrics summary.
 *
 * @module
 */
import { createClient, isVobizError } from "../mod.ts";
import { createMockVobiz } from "../testing/mod.ts";
import { retry } from "../plugins/retry.ts";
import { circuitBreaker } from "../plugins/circuit_breaker.ts";
import { metrics } from "../plugins/metrics.ts";
import { alerts } from "../plugins/alerts.ts";

const mock = createMockVobiz({ balance: 250, numberPrice: 100 });
const m = metrics();
const a = alerts({ lowBalance: { threshold: 200 } });
const vobiz = createClient({
  authId: "MA_MOCK0001",
  authToken: "mock-auth-token",
  baseUrl: "https://api.vobiz.test/api/v1",
  fetch: mock.fetch,
  plugins: [retry({ baseDelayMs: 20 }), circuitBreaker(), m, a],
});

const print = (line: string) => console.log(line);
vobiz.hooks.hook("beforeRequest", ({ context }) => print(`  → ${context.method} ${context.url}`));
vobiz.hooks.hook("afterResponse", ({ response, attempt }) => {
  print(`  ← ${response.status} (attempt ${attempt})`);
});
vobiz.hooks.hook("retry:scheduled", ({ attempt, delayMs, reason }) => {
  print(`  ↻ retry ${attempt} in ${Math.round(delayMs)} ms after ${reason}`);
});
vobiz.hooks.hook(
  "circuit:state",
  ({ key, from, to }) => print(`  ⚡ circuit ${key}: ${from} → ${to}`),
);
vobiz.hooks.hook("alert:fired", ({ rule, message }) => print(`  🔔 alert ${rule}: ${message}`));
vobiz.hooks.hook("done", ({ context, error, durationMs }) => {
  print(`  ✓ done ${context.route} in ${durationMs} ms: ${error ? error.message : "ok"}`);
});

async function step(title: string, run: () => Promise<unknown>): Promise<void> {
  print(`\n${title}`);
  try {
    const value = await run();
    print(`  = ${JSON.stringify(value)}`);
  } catch (error) {
    print(`  ✗ ${isVobizError(error) ? `${error.code}: ${error.message}` : String(error)}`);
  }
}

await step("1. Who am I? (GET /auth/me)", async () => (await vobiz.account.get()).auth_id);

mock.fault({ path: "/Account/{auth_id}/balance/{currency}", status: 503, times: 2, retryAfter: 0 });
await step("2. Balance, with a scripted fault: two 503s, then success", async () => {
  const { balance, currency } = await vobiz.balance.get();
  return { balance, currency };
});

await step(
  "3. Buy a number (a paid write: POST, never retried blindly)",
  async () =>
    await vobiz.request("POST", "/Account/{auth_id}/numbers/purchase-from-inventory", {
      json: { e164: "+918000000001" },
      paid: true,
    }),
);

await step("4. Buy two more: the second one hits 402 insufficient balance", async () => {
  await vobiz.request("POST", "/Account/{auth_id}/numbers/purchase-from-inventory", {
    json: { e164: "+918000000002" },
    paid: true,
  });
  return await vobiz.request("POST", "/Account/{auth_id}/numbers/purchase-from-inventory", {
    json: { e164: "+918000000003" },
    paid: true,
  });
});

await step(
  "5. Balance again (the alert rule watches it)",
  async () => (await vobiz.balance.get()).balance,
);

print("\nWhat the mock received:");
for (const r of mock.received) print(`  ${r.method} ${r.path}${r.search}`);
print(`What it did: ${mock.effects.purchases.length} purchase(s), balance now ${mock.balance()}`);

print("\nMetrics:");
const snapshot = m.snapshot();
print(
  `  calls ${snapshot.calls.total}, failures ${snapshot.calls.failures}, retries ${snapshot.retries}`,
);
console.table(
  snapshot.routes.map((r) => ({
    route: `${r.method} ${r.route}`,
    calls: r.calls,
    failures: r.failures,
    p50_ms: r.latency.p50Ms,
    p99_ms: r.latency.p99Ms,
  })),
);
print(`Alerts fired: ${a.active().map((alert) => alert.rule).join(", ") || "none"}`);
