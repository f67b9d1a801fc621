// `npm run bench`: every benchmark, on Node, Deno and Bun where it applies, printing Markdown tables
// with ratios (bench/README.md records one run). Makes a self-signed certificate with openssl,
// starts the loopback servers once (bench/server.mjs, its own process), and stops them at the end.
//
// Environment: BENCH_REQUESTS (overhead, per client and round; default 4000), BENCH_HEAP_CALLS (default
// 1000000), BENCH_HEAP_RUNTIME (default bun: a million calls through every plugin take it about a
// third of Node's time), BENCH_SCALE (connection benchmark request counts; default 1),
// BENCH_RUNTIMES (default "node,deno,bun").
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { cpus, totalmem } from "node:os";
import { createInterface } from "node:readline";

const requests = process.env.BENCH_REQUESTS ?? "4000";
const heapCalls = process.env.BENCH_HEAP_CALLS ?? "1000000";
const scale = process.env.BENCH_SCALE ?? "1";
const runtimes = (process.env.BENCH_RUNTIMES ?? "node,deno,bun").split(",");
const bin = (name) => existsSync(`node_modules/.bin/${name}`) ? `node_modules/.bin/${name}` : name;
const node = process.execPath;
const deno = bin("deno");
const bun = bin("bun");

// Throw-away certificates, made fresh on every run: a CA (what the clients trust) and a leaf for
// 127.0.0.1 signed by it (rustls, in Deno, refuses a self-signed CA certificate as a server's).
const tls = "bench/.tmp/tls";
mkdirSync(tls, { recursive: true });
const openssl = (...args) => execFileSync("openssl", args, { stdio: "ignore" });
const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
openssl(
  "req",
  "-x509",
  ...ec,
  "-keyout",
  `${tls}/ca.key`,
  "-out",
  `${tls}/ca.pem`,
  "-days",
  "1",
  "-subj",
  "/CN=vobiz-kit bench CA",
);
openssl(
  "req",
  ...ec,
  "-keyout",
  `${tls}/key.pem`,
  "-out",
  `${tls}/leaf.csr`,
  "-subj",
  "/CN=localhost",
);
writeFileSync(
  `${tls}/leaf.ext`,
  [
    "subjectAltName=IP:127.0.0.1,DNS:localhost",
    "basicConstraints=critical,CA:FALSE",
    "keyUsage=critical,digitalSignature",
    "extendedKeyUsage=serverAuth",
  ].join("\n"),
);
openssl(
  "x509",
  "-req",
  "-in",
  `${tls}/leaf.csr`,
  "-CA",
  `${tls}/ca.pem`,
  "-CAkey",
  `${tls}/ca.key`,
  "-CAcreateserial",
  "-out",
  `${tls}/cert.pem`,
  "-days",
  "1",
  "-extfile",
  `${tls}/leaf.ext`,
);

const version = (command, args) => execFileSync(command, args, { encoding: "utf8" }).trim();
const started = performance.now();
console.log("# vobiz-kit benchmarks\n");
console.log(
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, ${
    Math.round(totalmem() / 2 ** 30)
  } GB RAM. Server and client in separate processes on 127.0.0.1; 80-byte JSON GET.`,
);
console.log(
  `Versions: node ${process.version}, ${version(deno, ["--version"]).split("\n")[0]}, bun ${
    version(bun, ["--version"])
  }, ${version("openssl", ["version"])}.`,
);

const server = spawn(node, ["bench/server.mjs", `${tls}/cert.pem`, `${tls}/key.pem`], {
  stdio: ["ignore", "pipe", "inherit"],
});
const [line] = await once(createInterface({ input: server.stdout }), "line");
const origins = JSON.parse(line);
const run = (command, args) => execFileSync(command, args, { stdio: "inherit" });
const script = (runtime, file, args) =>
  runtime === "deno"
    ? run(deno, ["run", "-A", file, ...args])
    : run(runtime === "bun" ? bun : node, [file, ...args]);

try {
  console.log(
    "\n## Overhead (client CPU per request; targets: core ≤ 1.05 × bare ky, every plugin ≤ 1.15 ×)",
  );
  for (const runtime of runtimes) {
    script(runtime, "bench/overhead.ts", [origins.http, requests]);
  }
  for (const runtime of runtimes) script(runtime, "bench/overhead_warm.ts", [origins.http]);
  console.log("\n## What each plugin costs");
  for (const runtime of runtimes) script(runtime, "bench/plugins.ts", []);
  console.log("\n## Connection reuse");
  for (const runtime of runtimes) {
    script(runtime, "bench/connections.ts", [line, `${tls}/ca.pem`, scale]);
  }
  console.log("\n## Cache hit");
  for (const runtime of runtimes) script(runtime, "bench/cache_hit.ts", [origins.http, "2000"]);
  console.log("\n## Memory");
  const heapRuntime = process.env.BENCH_HEAP_RUNTIME ?? "bun";
  if (heapRuntime === "node") run(node, ["--expose-gc", "bench/heap.ts", heapCalls]);
  else if (heapRuntime === "deno") {
    run(deno, ["run", "-A", "--v8-flags=--expose-gc", "bench/heap.ts", heapCalls]);
  } else run(bun, ["bench/heap.ts", heapCalls]);
  console.log("\n## Bundle size (the budgets of tests/size.node-test.ts)\n");
  run(node, ["bench/size.ts"]);
} finally {
  server.kill("SIGTERM");
}
console.log(`\n(all benchmarks: ${Math.round((performance.now() - started) / 1000)} s)`);
