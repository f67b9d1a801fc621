// Fails when package.json (npm) and deno.json (JSR) disagree on the exported subpaths or the version,
// or when an export points at a file that does not exist.
import { existsSync, readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
const deno = JSON.parse(readFileSync("deno.json", "utf8"));
const npmKeys = Object.keys(pkg.exports).sort();
const jsrKeys = Object.keys(deno.exports).sort();
const problems = [];
for (const key of npmKeys) {
  if (!jsrKeys.includes(key)) problems.push(`only in package.json: ${key}`);
}
for (const key of jsrKeys) if (!npmKeys.includes(key)) problems.push(`only in deno.json: ${key}`);
if (pkg.version !== deno.version) {
  problems.push(`versions differ: ${pkg.version} vs ${deno.version}`);
}
for (const [key, source] of Object.entries(deno.exports)) {
  if (!existsSync(source)) problems.push(`deno.json export ${key} -> missing ${source}`);
  const built = pkg.exports[key]?.default;
  const expected = built && `./dist/${source.replace(/^\.\//, "").replace(/\.ts$/, ".js")}`;
  if (built && built !== expected) {
    problems.push(`package.json export ${key} -> ${built}, expected ${expected}`);
  }
}
if (problems.length > 0) {
  console.error(`manifest drift:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`manifests agree on ${npmKeys.length} subpaths (${npmKeys.join(", ")})`);
