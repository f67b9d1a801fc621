// `pretest` step: installs the system programs the test suites run for real, when they are missing:
// `promtool` (Debian package `prometheus`; checks our Prometheus exposition) and `redis-server`
// (Debian package `redis-server`; the shared-state suite). Uses apt-get, as root, on Debian/Ubuntu;
// elsewhere it says what to install and fails, rather than letting those suites fail obscurely.
import { execFileSync, spawnSync } from "node:child_process";

const tools = [
  { binary: "promtool", pkg: "prometheus" },
  { binary: "redis-server", pkg: "redis-server" },
];
const has = (binary) => spawnSync("sh", ["-c", `command -v ${binary}`]).status === 0;
const missing = tools.filter((tool) => !has(tool.binary));
if (missing.length === 0) process.exit(0);

const packages = missing.map((tool) => tool.pkg);
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
if (!has("apt-get") || !isRoot) {
  console.error(
    `The tests need ${missing.map((t) => t.binary).join(" and ")}. Install the Debian/Ubuntu ` +
      `package(s) ${packages.join(" ")} (or your system's equivalent) and run npm test again.`,
  );
  process.exit(1);
}
console.log(`installing ${packages.join(" ")} with apt-get…`);
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages], {
  stdio: "inherit",
  env,
});
for (const tool of missing) {
  if (!has(tool.binary)) {
    console.error(`${tool.binary} is still missing after installing ${tool.pkg}`);
    process.exit(1);
  }
}
