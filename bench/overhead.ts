// Client overhead against a loopback server (bench/server.mjs in another process): client CPU time
// per request and requests per second for raw fetch, bare ky, ofetch, the vobiz-kit core (no
// plugins) and the core with every plugin enabled (cache on its miss path), as ratios to raw fetch
// and to bare ky. Each client runs in a fresh process (as an app would: no other client's code
// warming or polluting the JIT's view of the shared code), in interleaved rounds, so that machine
// noise hits every client alike. Runs unchanged on Node, Deno and Bun.
//
//   node bench/overhead.ts http://127.0.0.1:PORT [requests=4000] [concurrency=32] [rounds=5]
// One client, one measurement, printed as JSON (what the runs above do):
//   node bench/overhead.ts http://127.0.0.1:PORT 6000 32 --client "bare ky"
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import ky from "ky";
import { ofetch } from "ofetch";
import { createClient } from "../mod.ts";
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
  runtime,
  runtimeVersion,
} from "./clients.ts";

const args = process.argv.slice(2);
const clientFlag = args.indexOf("--client");
const only = clientFlag === -1 ? undefined : args.splice(clientFlag, 2)[1];
const [url = "", total = "4000", concurrencyArg = "32", roundsArg = "5"] = args;
if (!url) throw new Error("usage: overhead.ts <server url> [requests] [concurrency] [rounds]");
const requests = Number(total);
const concurrency = Number(concurrencyArg);

// Each with its defaults, except that none retries (the core does not without the retry plugin).
const clients: Record<string, () => () => Promise<unknown>> = {
  "raw fetch": () => async () => (await fetch(url + BALANCE_PATH, { headers: rawHeaders })).json(),
  "bare ky": () => {
    const client = ky.create({ retry: 0, timeout: 30_000 });
    return () => client.get(url + BALANCE_PATH, { headers: rawHeaders }).json();
  },
  "ofetch": () => () => ofetch(url + BALANCE_PATH, { headers: rawHeaders, retry: 0 }),
  "vobiz-kit core": () => {
    const vobiz = createClient({
      ...benchCredentials,
      baseUrl: `${url}/api/v1`,
      allowInsecureLoopback: true,
    });
    return () => vobiz.balance.get("INR");
  },
  "every plugin (cache miss)": () => {
    const vobiz = createClient({
      ...benchCredentials,
      baseUrl: `${url}/api/v1`,
      allowInsecureLoopback: true,
      plugins: everyPlugin(),
      clock: missClock(),
    });
    return () => vobiz.balance.get("INR");
  },
};

if (only !== undefined) {
  const make = clients[only];
  if (make === undefined) throw new Error(`no client named ${only}`);
  const call = make();
  await measure(call, 2000, concurrency); // warm-up
  console.log(JSON.stringify(await measure(call, requests, concurrency)));
} else {
  const self = fileURLToPath(import.meta.url);
  const command = runtime === "deno" ? ["run", "-A", self] : [self];
  const results: Record<string, Measured[]> = {};
  for (let round = 0; round < Number(roundsArg); round++) {
    for (const name of Object.keys(clients)) {
      const out = execFileSync(process.execPath, [
        ...command,
        url,
        total,
        concurrencyArg,
        "--client",
        name,
      ], { encoding: "utf8" });
      (results[name] ??= []).push(JSON.parse(out.trim().split("\n").at(-1)!) as Measured);
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
    `\n### Overhead: ${runtimeVersion}, ${requests} GETs, concurrency ${concurrency}, each client in its own process, medians of ${roundsArg} rounds\n`,
  );
  console.log(
    "| client | CPU µs/req | × raw fetch | × bare ky | target | req/s | p50 ms | p99 ms |",
  );
  console.log("|---|---|---|---|---|---|---|---|");
  for (const [name, row] of Object.entries(rows)) {
    const ratio = row.cpuUs / bare;
    const goal = target[name];
    const verdict = goal === undefined
      ? ""
      : `≤ ${goal} × ky: ${ratio <= goal ? "met" : "**missed**"}`;
    console.log(
      `| ${name} | ${fmt(row.cpuUs)} | ${fmt(row.cpuUs / raw, 2)} | ${
        fmt(ratio, 2)
      } | ${verdict} | ${fmt(row.rps, 0)} | ${fmt(row.p50, 2)} | ${fmt(row.p99, 2)} |`,
    );
  }
}
