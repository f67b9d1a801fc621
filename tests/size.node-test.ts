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
  type Sizes,
  sizeTable,
  targetOf,
} from "../bench/size.ts";

let sizes: Sizes = { core: 0, client: 0, rows: [] };

before(async () => {
  sizes = await measureSizes();
});

test("every export subpath exists and has a budget", () => {
  const { rows } = sizes;
  assert.ok(rows.length >= 2 + 9 + 3, "the client, the core, nine plugins and three transports");
  for (const row of rows) {
    assert.notEqual(targetOf(row.subpath), undefined, `${row.subpath} has no budget`);
  }
  for (const subpath of Object.keys(OVER_TARGET)) {
    assert.ok(rows.some((row) => row.subpath === subpath), `${subpath} is not exported`);
  }
});

test("every subpath is within its budget", () => {
  const over = sizes.rows.filter((row) => {
    const limit = OVER_TARGET[row.subpath] ?? targetOf(row.subpath) ?? 0;
    return budgetedSize(row, sizes) > limit;
  }).map((row) => `${row.subpath}: ${budgetedSize(row, sizes)} bytes`);
  assert.deepEqual(over, [], sizeTable(sizes));
});

test("importing the client or the core pulls in no plugin, transport or mock code", async () => {
  const subpath = (key: string) => sizes.rows.find((row) => row.subpath === key)?.files ?? [];
  const justTheClient = await bundle(
    `import { createClient } from "./mod.ts"; globalThis.x = createClient;`,
  );
  for (const files of [subpath("."), subpath("./core"), justTheClient.files]) {
    assert.ok(files.includes("src/core_client.ts"));
    assert.deepEqual(files.filter((file) => /^(plugins|transports|testing)\//.test(file)), []);
  }
  assert.deepEqual(
    subpath("./core").filter((file) => file.startsWith("src/resources/")),
    [],
    "the core has no typed resources",
  );
});

test("a plugin bundles its own code and no other plugin's", () => {
  for (const row of sizes.rows.filter((r) => r.subpath.startsWith("./plugins/"))) {
    const own = row.source.replace(/^\.\//, "");
    const others = row.files.filter((file) =>
      file.startsWith("plugins/") && !file.startsWith("plugins/_internal/") && file !== own
    );
    assert.ok(row.files.includes(own), `${row.subpath} bundles ${own}`);
    assert.deepEqual(others, [], `${row.subpath} pulls in other plugins`);
  }
});
