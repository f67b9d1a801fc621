// `npm run bench`: starts the loopback server once, then runs each benchmark on Node, Deno and Bun.
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";

const requests = process.env.BENCH_REQUESTS ?? "20000";
const server = spawn(process.execPath, ["bench/server.mjs"], {
  stdio: ["ignore", "pipe", "inherit"],
});
const [url] = await once(createInterface({ input: server.stdout }), "line");
const runtimes = [
  ["node", ["bench/overhead.ts", url, requests]],
  ["deno", ["run", "-A", "bench/overhead.ts", url, requests]],
  ["bun", ["bench/overhead.ts", url, requests]],
];
try {
  for (const [command, args] of runtimes) {
    execFileSync(command, args, { stdio: "inherit" });
  }
} finally {
  server.kill("SIGTERM");
}
