// The same comparison as bench/overhead.ts, warm and in one process: bare ky, the core's
// `request()` (the engine alone), `balance.get()` (the engine plus the typed resource: input and
// answer validation) and every plugin, against the loopback server, in interleaved rounds after a
// warm-up, so that each client is measured with its code compiled and the machine's noise hits
// every client alike. The fresh-process table (overhead.ts) includes each client's JIT warm-up
// and start-up; this one shows the steady state of a long-running app.
//
//   node bench/overhead_warm.ts http://127.0.0.1:PORT [requests=3000] [concurrency=32] [rounds=7]
import ky from "ky";
import { createClient } from "../mod.ts";
import { createCoreClient } from "../core.ts";
import {
  BALANCE_PATH,
  benchCredentials,
  everyPlugin,
  fmt,
  measure,
  type Measured,
  median,
  missClock,
  rawHeaders,
  runtimeVersion,
} from "./clients.ts";

const [url = "", total = "3000", concurrencyArg = "32", roundsArg = "7"] = process.argv.slice(2);
if (!url) throw new Error("usage: overhead_warm.ts <server url> [requests] [concurrency] [rounds]");
const requests = Number(total);
const concurrency = Number(concurrencyArg);
const route = "/Account/{auth_id}/balance/{currency}";
const options = { ...benchCredentials, baseUrl: `${url}/api/v1`, allowInsecureLoopback: true };

const bare = ky.create({ retry: 0, timeout: 30_000 });
const core = createCoreClient(options);
const client = createClient(options);
const all = createClient({ ...options, plugins: everyPlugin(), clock: missClock() });
const clients: Record<string, () => Promise<unknown>> = {
  "bare ky": () => bare.get(url + BALANCE_PATH, { headers: rawHeaders }).json(),
  "core request()": () => core.request("GET", route, { params: { currency: "INR" } }),
  "core balance.get()": () => client.balance.get("INR"),
  "every plugin (cache miss)": () => all.balance.get("INR"),
};

for (const call of Object.values(clients)) await measure(call, 2000, concurrency); // warm-up
const results: Record<string, Measured[]> = {};
for (let round = 0; round < Number(roundsArg); round++) {
  for (const [name, call] of Object.entries(clients)) {
    (results[name] ??= []).push(await measure(call, requests, concurrency));
  }
}
const rows = Object.fromEntries(Object.entries(results).map(([name, r]) => [name, median(r)]));
const ky1 = rows["bare ky"]!.cpuUs;
const target: Record<string, number> = {
  "core request()": 1.05,
  "core balance.get()": 1.05,
  "every plugin (cache miss)": 1.15,
};
console.log(
  `\n### Overhead, warm: ${runtimeVersion}, one process, ${requests} GETs × ${roundsArg} interleaved rounds, concurrency ${concurrency}, medians\n`,
);
console.log("| client | CPU µs/req | × bare ky | target | req/s |");
console.log("|---|---|---|---|---|");
for (const [name, row] of Object.entries(rows)) {
  const ratio = row.cpuUs / ky1;
  const goal = target[name];
  const verdict = goal === undefined ? "" : `≤ ${goal}: ${ratio <= goal ? "met" : "**missed**"}`;
  console.log(
    `| ${name} | ${fmt(row.cpuUs)} | ${fmt(ratio, 2)} | ${verdict} | ${fmt(row.rps, 0)} |`,
  );
}
