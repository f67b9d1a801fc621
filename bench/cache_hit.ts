// What a cache hit costs next to a loopback round trip: wall time per `balance.get()` through the
// client, one call at a time, for a loopback GET (no cache), a hit in the in-memory store, and a
// hit in Redis through unstorage (when redis-server, unstorage and ioredis are installed). Ratios
// come from one run, with interleaved rounds so that machine noise hits every path alike.
//
//   node bench/cache_hit.ts [calls=3000]
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { createClient, type KeyValueStore, type VobizPlugin } from "../mod.ts";
import { cache } from "../plugins/cache.ts";
import { findRedisServer, startRedis } from "../scripts/redis.mjs";

const calls = Number(process.argv[2] ?? "3000");
const server = spawn(process.execPath, [new URL("./server.mjs", import.meta.url).pathname], {
  stdio: ["ignore", "pipe", "inherit"],
});
const [url] = await once(createInterface({ input: server.stdout! }), "line") as [string];

const cleanups: (() => Promise<void>)[] = [];
const client = (plugins: VobizPlugin[]) =>
  createClient({
    authId: "MA_BENCH",
    authToken: "bench-token",
    baseUrl: `${url}/api/v1`,
    allowInsecureLoopback: true,
    plugins,
  });
const cached = (store?: KeyValueStore) =>
  client([
    cache({
      ttl: { "/Account/{auth_id}/balance/{currency}": 3_600_000 },
      ...(store ? { store } : {}),
    }),
  ]);

const paths: Record<string, ReturnType<typeof client>> = {
  "loopback round trip (no cache)": client([]),
  "cache hit, in memory": cached(),
};

try {
  if (findRedisServer() === undefined) throw new Error("redis-server is not installed");
  const { createStorage } = await import("unstorage");
  const { default: redisDriver } = await import("unstorage/drivers/redis");
  const redis = await startRedis();
  const storage = createStorage({ driver: redisDriver({ url: redis.url }) });
  cleanups.push(async () => {
    await storage.dispose();
    await redis.stop();
  });
  paths["cache hit, Redis (unstorage)"] = cached(storage);
} catch (error) {
  console.log(`(Redis skipped: ${(error as Error).message})`);
}

async function run(vobiz: ReturnType<typeof client>, count: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) await vobiz.balance.get();
  return ((performance.now() - start) * 1000) / count; // µs per call
}

try {
  for (const vobiz of Object.values(paths)) await run(vobiz, Math.ceil(calls / 5)); // warm-up
  const results: Record<string, number[]> = {};
  for (let round = 0; round < 3; round++) {
    for (const [name, vobiz] of Object.entries(paths)) {
      (results[name] ??= []).push(await run(vobiz, calls));
    }
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[1]!;
  const trip = median(results["loopback round trip (no cache)"]!);
  const g = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string } };
  const runtime = g.Deno
    ? `deno ${g.Deno.version.deno}`
    : g.Bun
    ? `bun ${g.Bun.version}`
    : `node ${process.version}`;
  console.log(`\n${runtime}: ${calls} sequential balance.get() x 3 rounds (median)`);
  console.log("| path | µs/call | calls/s | × loopback round trip |");
  console.log("|---|---|---|---|");
  for (const [name, rows] of Object.entries(results)) {
    const us = median(rows);
    console.log(
      `| ${name} | ${us.toFixed(1)} | ${(1e6 / us).toFixed(0)} | ${(us / trip).toFixed(3)} |`,
    );
  }
} finally {
  for (const cleanup of cleanups) await cleanup();
  server.kill("SIGTERM");
}
