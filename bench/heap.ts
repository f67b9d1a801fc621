// A million calls through every plugin leave the heap flat: bounded caches, metric series,
// circuit keys and idempotency records. The calls go to an in-process fetch (no network: memory is
// the point, and a million loopback requests would take minutes), and vary what the plugins key
// on: 17,576 cache keys, 6,000 raw routes (circuits and metric series), a new idempotency key per
// write, retried 503s. Heap figures after a forced GC.
//
//   bun bench/heap.ts [calls=1000000]    (or node --expose-gc, or deno run --v8-flags=--expose-gc)
import { createClient } from "../mod.ts";
import { everyPlugin, fmt, runtimeVersion } from "./clients.ts";

const total = Number(process.argv[2] ?? 1_000_000);
const bun = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun;
const gc = bun ? () => bun.gc(true) : (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with node --expose-gc (or on Bun)");

const body = JSON.stringify({ currency: "INR", balance: 1000, available_balance: 1000, id: 1 });
let served = 0;
const vobiz = createClient({
  authId: "MA_BENCH",
  authToken: "bench-token",
  baseUrl: "https://api.vobiz.test/api/v1",
  plugins: everyPlugin(),
  fetch: (input) => Promise.resolve(answer(input)),
});

// Every other request to a /flaky/ route answers 503 (Retry-After: 0): retried, then fine.
function answer(input: Request): Response {
  served++;
  if (input.url.includes("/flaky/") && served % 2 === 0) {
    return new Response('{"error":"busy"}', {
      status: 503,
      headers: { "content-type": "application/json", "retry-after": "0" },
    });
  }
  return new Response(body, { headers: { "content-type": "application/json" } });
}

const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const code = (i: number) =>
  letters[i % 26]! + letters[Math.floor(i / 26) % 26]! + letters[Math.floor(i / 676) % 26]!;
function call(i: number): Promise<unknown> {
  switch (i % 8) {
    case 0:
    case 4: // 17,576 distinct currencies: cache keys (misses, then stores), balance readings
      return vobiz.balance.get(code(i % 17_576));
    case 1:
    case 5: // 5,000 distinct raw routes: circuits and metric series
      return vobiz.request("GET", `/Account/{auth_id}/things/${i % 5_000}`);
    case 2: // a new idempotency key per write
      return vobiz.request("POST", "/Account/{auth_id}/things/", {
        json: { i },
        idempotencyKey: `key-${i}`,
      });
    case 3: // every other one answers 503 (Retry-After: 0) before it succeeds
      return vobiz.request("GET", `/Account/{auth_id}/flaky/${i % 1_000}`);
    default: // cache hits
      return vobiz.balance.get("INR");
  }
}

async function run(from: number, to: number): Promise<void> {
  let next = from;
  const worker = async () => {
    for (let i = next++; i < to; i = next++) await call(i).catch(() => undefined);
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

const heapMb = () => {
  gc();
  return process.memoryUsage().heapUsed / 1_048_576;
};
const warmUp = Math.min(100_000, total / 5);
const start = performance.now();
await run(0, warmUp); // fills every bounded structure once
const before = heapMb();
const checkpoints: string[] = [];
const step = (total - warmUp) / 4;
for (let done = warmUp; done < total; done += step) {
  await run(done, done + step);
  checkpoints.push(`${(done + step).toLocaleString("en")}: ${fmt(heapMb())} MB`);
}
const after = heapMb();
console.log(
  `\n### Heap: ${runtimeVersion}, ${total.toLocaleString("en")} calls through every plugin\n`,
);
console.log(`| after warm-up (${warmUp.toLocaleString("en")} calls) | after all calls | growth |`);
console.log("|---|---|---|");
console.log(`| ${fmt(before)} MB | ${fmt(after)} MB | ${fmt(after - before)} MB |`);
console.log(`\nHeap used at each checkpoint (after GC): ${checkpoints.join(" · ")}`);
console.log(
  `(${fmt((performance.now() - start) / 1000, 0)} s, ${served.toLocaleString("en")} fetches)`,
);
