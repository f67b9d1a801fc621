// Connection reuse, through the vobiz-kit core and this runtime's pooled transport: HTTP and HTTPS
// (the self-signed certificate bench/run.mjs makes), keep-alive versus a new connection per
// request, at concurrency 1 and 32. Requests per second, p50/p99 latency, client CPU per request
// and the connections the server accepted. Runs unchanged on Node, Deno and Bun.
//
//   node bench/connections.ts '<origins JSON from bench/server.mjs>' ca.pem [scale=1]
import { readFileSync } from "node:fs";
import { createClient, type FetchLike } from "../mod.ts";
import { fmt, measure, runtime, runtimeVersion } from "./clients.ts";

const [originsJson = "", caFile = "", scaleArg = "1"] = process.argv.slice(2);
const origins = JSON.parse(originsJson) as { http: string; https: string; admin: string };
const ca = readFileSync(caFile, "utf8");
const scale = Number(scaleArg);

interface Transport extends FetchLike {
  close(): unknown;
}

// This runtime's transport, pooled (keep-alive) or opening a connection per request.
async function transport(reuse: boolean): Promise<Transport> {
  if (runtime === "deno") {
    const { denoTransport } = await import("../transports/deno.ts");
    return denoTransport({ connections: reuse ? 64 : 0, client: { caCerts: [ca] } });
  }
  if (runtime === "bun") {
    const { bunTransport } = await import("../transports/bun.ts");
    const session = reuse ? { tls: { ca } } : { tls: { ca }, keepAlive: false };
    return bunTransport({ connections: 64, session });
  }
  const { nodeTransport } = await import("../transports/node.ts");
  // pipelining 0: undici closes each connection after its response.
  return nodeTransport({
    connections: 64,
    agent: { connect: { ca }, ...(reuse ? {} : { pipelining: 0 }) },
  });
}

async function accepted(): Promise<{ http: number; https: number }> {
  return await (await fetch(`${origins.admin}/stats`)).json();
}

console.log(
  `\n### Connection reuse: ${runtimeVersion} (vobiz-kit core + this runtime's transport)\n`,
);
console.log(
  "| scheme | connections | concurrency | requests (warm-up + measured) | req/s | p50 ms | p99 ms | CPU µs/req | connections accepted |",
);
console.log("|---|---|---|---|---|---|---|---|---|");
const gains: string[] = [];
for (const scheme of ["http", "https"] as const) {
  for (const concurrency of [1, 32]) {
    const rps: Record<string, number> = {};
    for (const reuse of [true, false]) {
      const fetch = await transport(reuse);
      const vobiz = createClient({
        authId: "MA_BENCH",
        authToken: "bench-token",
        baseUrl: `${origins[scheme]}/api/v1`,
        allowInsecureLoopback: true,
        fetch,
      });
      const call = () => vobiz.balance.get("INR");
      const requests = Math.round((reuse ? 3000 : 300) * scale);
      const before = (await accepted())[scheme];
      const warmUp = Math.round(requests / 10);
      await measure(call, warmUp, concurrency); // JIT, TLS session cache
      const result = await measure(call, requests, concurrency);
      const opened = (await accepted())[scheme] - before; // warm-up included
      await fetch.close();
      const mode = reuse ? "keep-alive" : "new per request";
      rps[mode] = result.rps;
      console.log(
        `| ${scheme} | ${mode} | ${concurrency} | ${warmUp} + ${requests} | ${
          fmt(result.rps, 0)
        } | ${fmt(result.p50, 2)} | ${fmt(result.p99, 2)} | ${fmt(result.cpuUs)} | ${opened} |`,
      );
    }
    gains.push(
      `${scheme} c=${concurrency}: keep-alive ×${
        fmt(rps["keep-alive"]! / rps["new per request"]!, 1)
      } req/s`,
    );
  }
}
console.log(`\nReuse gain: ${gains.join("; ")}`);
