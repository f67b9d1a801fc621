// Client overhead against a loopback server (bench/server.mjs in another process): client CPU time
// per request and requests per second for raw fetch, bare ky, ofetch, the vobiz-kit core (no
// plugins) and the core with every plugin enabled (cache on its miss path), side by side in one
// run, as ratios to raw fetch and to bare ky. Runs unchanged on Node, Deno and Bun.
//
//   node bench/overhead.ts http://127.0.0.1:PORT [requests=6000] [concurrency=32] [rounds=3]
import ky from "ky";
import { ofetch } from "ofetch";
import { createClient } from "../mod.ts";
import {
  everyPlugin,
  fmt,
  measure,
  type Measured,
  median,
  missClock,
  runtimeVersion,
} from "./clients.ts";

const [url = "", total = "6000", concurrencyArg = "32", roundsArg = "3"] = process.argv.slice(2);
if (!url) throw new Error("usage: overhead.ts <server url> [requests] [concurrency] [rounds]");
const requests = Number(total);
const concurrency = Number(concurrencyArg);
const path = "/api/v1/Account/MA_BENCH/balance/INR";
const credentials = { authId: "MA_BENCH", authToken: "bench-token" };
const headers = { "x-auth-id": "MA_BENCH", "x-auth-token": "bench-token" };

// Each with its defaults, except that none retries (the core does not without the retry plugin).
const kyClient = ky.create({ retry: 0, timeout: 30_000 });
const core = createClient({
  ...credentials,
  baseUrl: `${url}/api/v1`,
  allowInsecureLoopback: true,
});
const all = createClient({
  ...credentials,
  baseUrl: `${url}/api/v1`,
  allowInsecureLoopback: true,
  plugins: everyPlugin(),
  clock: missClock(),
});

const clients: Record<string, () => Promise<unknown>> = {
  "raw fetch": async () => (await fetch(url + path, { headers })).json(),
  "bare ky": () => kyClient.get(url + path, { headers }).json(),
  "ofetch": () => ofetch(url + path, { headers, retry: 0 }),
  "vobiz-kit core": () => core.balance.get("INR"),
  "every plugin (cache miss)": () => all.balance.get("INR"),
};

const results: Record<string, Measured[]> = {};
for (const call of Object.values(clients)) await measure(call, 2000, concurrency); // warm-up
for (let round = 0; round < Number(roundsArg); round++) {
  // interleaved rounds, so that machine noise hits every client alike
  for (const [name, call] of Object.entries(clients)) {
    (results[name] ??= []).push(await measure(call, requests, concurrency));
  }
}
const rows = Object.fromEntries(Object.entries(results).map(([name, r]) => [name, median(r)]));
const raw = rows["raw fetch"]!.cpuUs;
const bare = rows["bare ky"]!.cpuUs;
const target: Record<string, number> = {
  "vobiz-kit core": 1.05,
  "every plugin (cache miss)": 1.15,
};
console.log(
  `\n### Overhead: ${runtimeVersion}, ${requests} GETs × ${roundsArg} rounds (medians), concurrency ${concurrency}\n`,
);
console.log(
  "| client | CPU µs/req | × raw fetch | × bare ky | target × ky | req/s | p50 ms | p99 ms |",
);
console.log("|---|---|---|---|---|---|---|---|");
for (const [name, row] of Object.entries(rows)) {
  const ratio = row.cpuUs / bare;
  const goal = target[name];
  const verdict = goal === undefined ? "" : `≤ ${goal} ${ratio <= goal ? "met" : "**missed**"}`;
  console.log(
    `| ${name} | ${fmt(row.cpuUs)} | ${fmt(row.cpuUs / raw, 2)} | ${fmt(ratio, 2)} | ${verdict} | ${
      fmt(row.rps, 0)
    } | ${fmt(row.p50, 2)} | ${fmt(row.p99, 2)} |`,
  );
}
