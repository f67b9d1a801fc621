// A throw-away redis-server for the shared-state tests: installs the Debian package when the binary
// is missing (as root, or through password-less sudo), starts it on 127.0.0.1 on a free port with
// no persistence (no RDB, no AOF, a temporary working directory), and stops it.
//
//   import { startRedis } from "../../scripts/redis.mjs";
//   const redis = await startRedis(); // { url: "redis://127.0.0.1:PORT", port, stop() }
//   await redis.stop();
//
//   node scripts/redis.mjs install   # only make sure redis-server is installed (for CI setup)
//   node scripts/redis.mjs           # start one, print its URL, stop on Ctrl-C
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";

const candidates = ["redis-server", "/usr/bin/redis-server", "/usr/sbin/redis-server"];

/** The path of an installed redis-server, or undefined. */
export function findRedisServer() {
  for (const command of candidates) {
    try {
      execFileSync(command, ["--version"], { stdio: "ignore" });
      return command;
    } catch {
      // not this one
    }
  }
  return undefined;
}

function apt(args) {
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  const [command, prefix] = root ? ["apt-get", []] : ["sudo", ["-n", "apt-get"]];
  execFileSync(command, [...prefix, ...args], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}

/** The path of redis-server, installing the Debian package first when it is missing. */
export function ensureRedisServer() {
  const found = findRedisServer();
  if (found !== undefined) return found;
  try {
    apt(["install", "-y", "--no-install-recommends", "redis-server"]);
  } catch {
    // a fresh machine has no package lists yet
    apt(["update"]);
    apt(["install", "-y", "--no-install-recommends", "redis-server"]);
  }
  const installed = findRedisServer();
  if (installed === undefined) {
    throw new Error("redis-server is still missing after apt-get install");
  }
  return installed;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function ping(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let answer = "";
    socket.setTimeout(1000, () => socket.destroy());
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      answer += chunk;
      if (answer.includes("\r\n")) socket.end();
    });
    socket.on("close", () => resolve(answer.startsWith("+PONG")));
    socket.on("error", () => resolve(false));
  });
}

/**
 * Starts redis-server on 127.0.0.1 on a free port, without persistence. Resolves when it answers
 * PING; `stop()` ends it and removes its working directory.
 */
export async function startRedis() {
  const command = ensureRedisServer();
  const dir = mkdtempSync(join(tmpdir(), "vobiz-redis-"));
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(command, [
      "--bind",
      "127.0.0.1",
      "--port",
      String(port),
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
      "--daemonize",
      "no",
      "--protected-mode",
      "yes",
    ], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise((resolve) => child.once("exit", resolve));
    let up = false;
    for (let i = 0; i < 100 && child.exitCode === null && !up; i++) {
      up = await ping(port);
      if (!up) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (up) {
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        async stop() {
          if (child.exitCode === null) {
            child.kill("SIGTERM");
            await exited;
          }
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    child.kill("SIGKILL");
    await exited;
    if (attempt === 2) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`redis-server did not start: ${stderr.trim()}`);
    }
    // the port was taken between choosing it and binding it: try another one
  }
  throw new Error("unreachable");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === "install") {
    console.log(ensureRedisServer());
  } else {
    const redis = await startRedis();
    console.log(redis.url);
    const stop = () => redis.stop().then(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  }
}
