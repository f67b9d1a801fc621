// Size budgets: every subpath package.json exports is bundled (esbuild, minified, gzip -9) and must
// stay within its budget; importing the core alone must pull in no plugin, transport or mock code.
// Node only (esbuild and node:zlib): `node --test` runs *.node-test.ts.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import {
  budgetedSize,
  bundle,
  measureSizes,
  OVER_TARGET,
  type SizeRow,
  sizeTable,
  targetOf,
} from "../bench/size.ts";

let core = 0;
let rows: SizeRow[] = [];

before(async () => {
  ({ core, rows } = await measureSizes());
});

test("every export subpath exists and has a budget", () => {
  assert.ok(rows.length >= 1 + 9 + 3, "the core, nine plugins and three transports at least");
  for (const row of rows) {
    assert.notEqual(targetOf(row.subpath), undefined, `${row.subpath} has no budget`);
  }
  for (const subpath of Object.keys(OVER_TARGET)) {
    assert.ok(rows.some((row) => row.subpath === subpath), `${subpath} is not exported`);
  }
});

test("every subpath is within its budget", () => {
  const over = rows.filter((row) => {
    const limit = OVER_TARGET[row.subpath] ?? targetOf(row.subpath) ?? 0;
    return budgetedSize(row, core) > limit;
  }).map((row) => `${row.subpath}: ${budgetedSize(row, core)} bytes`);
  assert.deepEqual(over, [], sizeTable({ core, rows }));
});

test("importing the core pulls in no plugin, transport or mock code", async () => {
  const everything = rows.find((row) => row.subpath === ".");
  const justTheClient = await bundle(
    `import { createClient } from "./mod.ts"; globalThis.x = createClient;`,
  );
  for (const files of [everything?.files ?? [], justTheClient.files]) {
    assert.ok(files.includes("src/client.ts"));
    assert.deepEqual(files.filter((file) => /^(plugins|transports|testing)\//.test(file)), []);
  }
});

test("a plugin bundles its own code and no other plugin's", () => {
  for (const row of rows.filter((r) => r.subpath.startsWith("./plugins/"))) {
    const own = row.source.replace(/^\.\//, "");
    const others = row.files.filter((file) =>
      file.startsWith("plugins/") && !file.startsWith("plugins/_internal/") && file !== own
    );
    assert.ok(row.files.includes(own), `${row.subpath} bundles ${own}`);
    assert.deepEqual(others, [], `${row.subpath} pulls in other plugins`);
  }
});
