// What a cache hit costs, as a ratio to a loopback round trip: the core with the cache plugin
// answering from its store, against the same call going to bench/server.mjs, one at a time.
// Runs unchanged on Node, Deno and Bun.
//
//   node bench/cache_hit.ts http://127.0.0.1:PORT [requests=5000]
import { createClient } from "../mod.ts";
import { cache } from "../plugins/cache.ts";
import { fmt, measure, type Measured, median, runtimeVersion } from "./clients.ts";

const [url = "", total = "5000"] = process.argv.slice(2);
const requests = Number(total);
const options = {
  authId: "MA_BENCH",
  authToken: "bench-token",
  baseUrl: `${url}/api/v1`,
  allowInsecureLoopback: true,
};
const network = createClient(options);
const cached = createClient({ ...options, plugins: [cache()] });

const calls: Record<string, () => Promise<unknown>> = {
  "loopback round trip (core, no plugins)": () => network.balance.get("INR"),
  "cache hit (core + cache)": () => cached.balance.get("INR"),
};
for (const call of Object.values(calls)) await measure(call, 1000, 1); // warm-up; fills the cache
const rounds: Record<string, Measured[]> = {};
for (let round = 0; round < 3; round++) {
  for (const [name, call] of Object.entries(calls)) {
    (rounds[name] ??= []).push(await measure(call, requests, 1));
  }
}
const [trip, hit] = Object.values(rounds).map(median) as [Measured, Measured];
console.log(`\n### Cache hit vs loopback round trip: ${runtimeVersion}, concurrency 1\n`);
console.log("| call | p50 µs | p99 µs | CPU µs/call | calls/s |");
console.log("|---|---|---|---|---|");
for (const [name, row] of Object.entries(rounds).map(([n, r]) => [n, median(r)] as const)) {
  console.log(
    `| ${name} | ${fmt(row.p50 * 1000)} | ${fmt(row.p99 * 1000)} | ${fmt(row.cpuUs)} | ${
      fmt(row.rps, 0)
    } |`,
  );
}
console.log(
  `\nA cache hit takes ${fmt(hit.p50 / trip.p50, 2)}× the latency (p50) and ${
    fmt(hit.cpuUs / trip.cpuUs, 2)
  }× the client CPU of a loopback round trip.`,
);
