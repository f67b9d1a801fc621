// What a cache hit costs next to a loopback round trip: `balance.get()` through the client, one call
// at a time, for a loopback GET (no cache), a hit in the in-memory store, and a hit in Redis
// through unstorage (when redis-server, unstorage and ioredis are installed). Latency and client
// CPU per call, as ratios to the round trip; interleaved rounds so that machine noise hits every
// path alike. Runs unchanged on Node, Deno and Bun.
//
//   node bench/cache_hit.ts [http://127.0.0.1:PORT] [calls=3000]
// Without a URL it starts bench/server.mjs itself.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { createClient, type KeyValueStore, type VobizPlugin } from "../mod.ts";
import { cache } from "../plugins/cache.ts";
import { findRedisServer, startRedis } from "../scripts/redis.mjs";
import { fmt, measure, type Measured, median, runtimeVersion } from "./clients.ts";

const args = process.argv.slice(2);
const given = args[0]?.startsWith("http") ? args.shift() : undefined;
const calls = Number(args[0] ?? "3000");
const cleanups: (() => Promise<void> | void)[] = [];
let url = given ?? "";
if (given === undefined) {
  const server = spawn(process.execPath, [new URL("./server.mjs", import.meta.url).pathname], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [line] = await once(createInterface({ input: server.stdout! }), "line") as [string];
  url = (JSON.parse(line) as { http: string }).http;
  cleanups.push(() => void server.kill("SIGTERM"));
}

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

const ROUND_TRIP = "loopback round trip (no cache)";
const paths: Record<string, ReturnType<typeof client>> = {
  [ROUND_TRIP]: client([]),
  "cache hit, in memory": cached(),
};
const notes: string[] = [];
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
  notes.push(`(Redis skipped: ${(error as Error).message})`);
}

try {
  for (const vobiz of Object.values(paths)) {
    await measure(() => vobiz.balance.get(), Math.ceil(calls / 5), 1); // warm-up; fills the cache
  }
  const rounds: Record<string, Measured[]> = {};
  for (let round = 0; round < 3; round++) {
    for (const [name, vobiz] of Object.entries(paths)) {
      (rounds[name] ??= []).push(await measure(() => vobiz.balance.get(), calls, 1));
    }
  }
  const rows = Object.entries(rounds).map(([name, r]) => [name, median(r)] as const);
  const trip = median(rounds[ROUND_TRIP]!);
  console.log(
    `\n### Cache hit: ${runtimeVersion}, ${calls} sequential calls × 3 rounds (medians)\n`,
  );
  for (const note of notes) console.log(note);
  console.log(
    "| path | p50 µs | × round trip (p50) | CPU µs/call | × round trip (CPU) | calls/s |",
  );
  console.log("|---|---|---|---|---|---|");
  for (const [name, row] of rows) {
    console.log(
      `| ${name} | ${fmt(row.p50 * 1000)} | ${fmt(row.p50 / trip.p50, 3)} | ${fmt(row.cpuUs)} | ${
        fmt(row.cpuUs / trip.cpuUs, 3)
      } | ${fmt(row.rps, 0)} |`,
    );
  }
} finally {
  for (const cleanup of cleanups) await cleanup();
}
