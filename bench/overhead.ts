// Client overhead against a loopback server (bench/server.mjs in another process): client CPU time
// per request and requests per second for raw fetch, bare ky, ofetch and the vobiz-kit core (no
// plugins), side by side in one run, as ratios to raw fetch. Runs unchanged on Node, Deno and Bun.
//
//   node bench/overhead.ts http://127.0.0.1:PORT [requests=20000] [concurrency=32]
import ky from "ky";
import { ofetch } from "ofetch";
import { createClient } from "../mod.ts";

const [url = "", total = "20000", concurrencyArg = "32"] = process.argv.slice(2);
if (!url) throw new Error("usage: overhead.ts <server url> [requests] [concurrency]");
const requests = Number(total);
const concurrency = Number(concurrencyArg);
const path = "/api/v1/Account/MA_BENCH/balance/INR";

const kyClient = ky.create({ retry: 0, timeout: 30_000 });
const vobiz = createClient({
  authId: "MA_BENCH",
  authToken: "bench-token",
  baseUrl: `${url}/api/v1`,
  allowInsecureLoopback: true,
});
const headers = { "x-auth-id": "MA_BENCH", "x-auth-token": "bench-token" };

const clients: Record<string, () => Promise<unknown>> = {
  "raw fetch": async () => (await fetch(url + path, { headers })).json(),
  "bare ky": () => kyClient.get(url + path, { headers }).json(),
  "ofetch": () => ofetch(url + path, { headers, retry: 0 }),
  "vobiz-kit core": () => vobiz.balance.get("INR"),
};

async function run(call: () => Promise<unknown>, count: number) {
  let next = 0;
  const worker = async () => {
    while (next++ < count) await call();
  };
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { cpuUsPerRequest: (used.user + used.system) / count, rps: count / (wall / 1000) };
}

const g = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string } };
const runtime = g.Deno
  ? `deno ${g.Deno.version.deno}`
  : g.Bun
  ? `bun ${g.Bun.version}`
  : `node ${process.version}`;
const results: Record<string, { cpuUsPerRequest: number; rps: number }[]> = {};
for (const name of Object.keys(clients)) await run(clients[name]!, 2000); // warm-up
for (let round = 0; round < 3; round++) {
  // interleaved rounds, so that machine noise hits every client alike
  for (const [name, call] of Object.entries(clients)) {
    (results[name] ??= []).push(await run(call, requests));
  }
}
const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rawCpu = median(results["raw fetch"]!.map((r) => r.cpuUsPerRequest));
const kyCpu = median(results["bare ky"]!.map((r) => r.cpuUsPerRequest));
console.log(`\n${runtime}: ${requests} GETs x 3 rounds, concurrency ${concurrency}`);
console.log("| client | CPU µs/req | × raw fetch | × bare ky | req/s |");
console.log("|---|---|---|---|---|");
for (const [name, rows] of Object.entries(results)) {
  const cpu = median(rows.map((r) => r.cpuUsPerRequest));
  const rps = median(rows.map((r) => r.rps));
  console.log(
    `| ${name} | ${cpu.toFixed(1)} | ${(cpu / rawCpu).toFixed(2)} | ${(cpu / kyCpu).toFixed(2)} | ${
      rps.toFixed(0)
    } |`,
  );
}
