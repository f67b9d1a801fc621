// Bundle size of every export subpath: esbuild (bundle, minify, ESM, browser platform; `undici`, the
// Node transport's optional peer, left external), then gzip -9 with node:zlib. Used by
// tests/size.node-test.ts (the budgets) and by `npm run bench` (the table).
//
//   node bench/size.ts
import { build, version } from "esbuild";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = fileURLToPath(new URL("..", import.meta.url));

/** One export subpath, measured. */
export interface SizeRow {
  /** The export key in package.json (`.`, `./core`, `./plugins/cache`, …). */
  subpath: string;
  /** Its source file (from deno.json, which names the same keys). */
  source: string;
  /** min+gzip bytes of everything the subpath exports, alone. */
  alone: number;
  /**
   * min+gzip bytes it adds to an app that already uses `createCoreClient` (0 for `./core`; for `.`,
   * what `createClient` adds: the typed resources).
   */
  added: number;
  /** Source files of this repository the bundle of the subpath contains. */
  files: string[];
}

/** The sizes the budgets apply to. */
export interface Sizes {
  /** `createCoreClient` from `vobiz-kit/core`, with its dependencies. */
  core: number;
  /** `createClient` from `vobiz-kit`: the core and the typed resources. */
  client: number;
  rows: SizeRow[];
}

/** min+gzip bytes and bundled files of an entry module given as text. */
export async function bundle(entry: string): Promise<{ gzip: number; files: string[] }> {
  const result = await build({
    stdin: { contents: entry, resolveDir: root, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    external: ["undici"],
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.contents;
  const files = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith("node_modules/"));
  return { gzip: gzipSync(code, { level: 9 }).length, files };
}

/** What an app that uses the core alone pays. */
export const CORE_ENTRY =
  `import { createCoreClient } from "./core.ts"; globalThis.vobiz = createCoreClient;`;

/** What an app that creates a client with the typed resources pays. */
export const CLIENT_ENTRY =
  `import { createClient } from "./mod.ts"; globalThis.vobiz = createClient;`;

/**
 * Measures every subpath that package.json exports. Throws when one has no source in deno.json or
 * its file is missing: every export is measured, none skipped.
 */
export async function measureSizes(): Promise<Sizes> {
  const pkg = JSON.parse(readFileSync(`${root}/package.json`, "utf8")) as {
    exports: Record<string, unknown>;
  };
  const deno = JSON.parse(readFileSync(`${root}/deno.json`, "utf8")) as {
    exports: Record<string, string>;
  };
  const core = (await bundle(CORE_ENTRY)).gzip;
  const client = (await bundle(CLIENT_ENTRY)).gzip;
  const rows: SizeRow[] = [];
  for (const subpath of Object.keys(pkg.exports)) {
    const source = deno.exports[subpath];
    if (source === undefined) throw new Error(`${subpath}: no source in deno.json exports`);
    if (!existsSync(`${root}/${source}`)) throw new Error(`${subpath}: ${source} does not exist`);
    const alone = await bundle(`export * from "${source}";`);
    const added = subpath === "./core"
      ? 0
      : subpath === "."
      ? client - core
      : (await bundle(`${CORE_ENTRY}\nexport * from "${source}";`)).gzip - core;
    rows.push({ subpath, source, alone: alone.gzip, added, files: alone.files });
  }
  return { core, client, rows };
}

/** The budgets (min+gzip bytes): the issue's, and a guard for the typed resources. */
export const TARGETS = {
  /** `createCoreClient` with its dependencies (the core). */
  core: 14 * 1024,
  /**
   * `createClient` with its dependencies: the core and the 15 typed resource namespaces with their
   * schemas. The issue sets no figure for it; this guard, at its size today, keeps it from growing.
   */
  client: 28 * 1024,
  /** Each plugin, on top of the core. */
  plugin: 2.5 * 1024,
  /** Each transport, on top of the core (its runtime's own client is not bundled). */
  transport: 1024,
  /** The mock API (`vobiz-kit/testing`), on top of the core: a dev dependency of tests. */
  testing: 20 * 1024,
};

/**
 * Subpaths over their target today (bench/README.md says why and what it would take), with the
 * ceiling they must not grow past. Remove an entry once its subpath meets the target.
 */
export const OVER_TARGET: Record<string, number> = {
  "./plugins/cache": 3 * 1024,
  "./plugins/idempotency": 2.9 * 1024,
  "./plugins/metrics": 3.75 * 1024,
};

/** The target of a subpath (its kind), or undefined for a subpath of no known kind. */
export function targetOf(subpath: string): number | undefined {
  if (subpath === "./core") return TARGETS.core;
  if (subpath === ".") return TARGETS.client;
  if (subpath === "./testing") return TARGETS.testing;
  if (subpath.startsWith("./plugins/")) return TARGETS.plugin;
  if (subpath.startsWith("./transports/")) return TARGETS.transport;
  return undefined;
}

/** The size a budget applies to: the whole bundle for `./core` and `.`, the bytes added for others. */
export function budgetedSize(row: SizeRow, sizes: Pick<Sizes, "core" | "client">): number {
  if (row.subpath === "./core") return sizes.core;
  if (row.subpath === ".") return sizes.client;
  return row.added;
}

const kb = (bytes: number) => (bytes / 1024).toFixed(2);

/** The table printed by `npm run bench`. */
export function sizeTable(sizes: Sizes): string {
  const lines = [
    "| subpath | alone | budgeted | on top of the core | target | ceiling | status |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const row of sizes.rows) {
    const size = budgetedSize(row, sizes);
    const target = targetOf(row.subpath) ?? 0;
    const ceiling = OVER_TARGET[row.subpath];
    const status = size <= target ? "within target" : `over target ×${(size / target).toFixed(2)}`;
    const what = row.subpath === "./core"
      ? "createCoreClient"
      : row.subpath === "."
      ? "createClient"
      : "added to the core";
    lines.push(
      `| \`${row.subpath}\` | ${kb(row.alone)} | ${kb(size)} (${what}) | ${
        row.subpath === "./core" ? "—" : kb(row.added)
      } | ${kb(target)} | ${ceiling === undefined ? "—" : kb(ceiling)} | ${status} |`,
    );
  }
  return `KB = 1024 bytes, min+gzip -9 (esbuild ${version}, browser platform)\n\n${
    lines.join("\n")
  }`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(sizeTable(await measureSizes()));
}
