// What each plugin adds to a call, alone and all together: client CPU per `balance.get()` against an
// in-process fetch (no network, so that the plugins' own work is not lost in the noise of a round
// trip), minus the core's. The same plugin settings as the overhead table's "every plugin" row,
// with the cache on its miss path. Runs unchanged on Node, Deno and Bun.
//
//   node bench/plugins.ts [calls=3000] [rounds=3]
import { createClient } from "../mod.ts";
import { everyPlugin, fmt, inProcessFetch, measure, missClock, runtimeVersion } from "./clients.ts";

const [total = "3000", roundsArg = "3"] = process.argv.slice(2);
const calls = Number(total);
const options = {
  authId: "MA_BENCH",
  authToken: "bench-token",
  baseUrl: "https://api.vobiz.test/api/v1",
  fetch: inProcessFetch,
};
const variants: Record<string, () => Promise<unknown>> = {};
const core = createClient(options);
variants["core (no plugins)"] = () => core.balance.get("INR");
for (const [index, plugin] of everyPlugin().entries()) {
  const alone = createClient({ ...options, plugins: [everyPlugin()[index]!], clock: missClock() });
  variants[plugin.name] = () => alone.balance.get("INR");
}
const all = createClient({ ...options, plugins: everyPlugin(), clock: missClock() });
variants["every plugin"] = () => all.balance.get("INR");

for (const call of Object.values(variants)) await measure(call, 1000, 8); // warm-up
const rounds: Record<string, number[]> = {};
for (let round = 0; round < Number(roundsArg); round++) {
  for (const [name, call] of Object.entries(variants)) {
    (rounds[name] ??= []).push((await measure(call, calls, 8)).cpuUs);
  }
}
const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const base = median(rounds["core (no plugins)"]!);
console.log(
  `\n### Cost per plugin: ${runtimeVersion}, in-process fetch, ${calls} calls × ${roundsArg}\n`,
);
console.log("| plugins | CPU µs/call | added to the core, µs |");
console.log("|---|---|---|");
for (const [name, values] of Object.entries(rounds)) {
  const cpu = median(values);
  console.log(`| ${name} | ${fmt(cpu)} | ${name.startsWith("core") ? "—" : fmt(cpu - base)} |`);
}
