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
  /** The export key in package.json (`.`, `./plugins/cache`, …). */
  subpath: string;
  /** Its source file (from deno.json, which names the same keys). */
  source: string;
  /** min+gzip bytes of everything the subpath exports, alone. */
  alone: number;
  /** min+gzip bytes it adds to an app that already uses `createClient` (0 for `.`). */
  added: number;
  /** Source files of this repository the bundle of the subpath contains. */
  files: string[];
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

/** What an app that only creates a client pays. */
export const CORE_ENTRY =
  `import { createClient } from "./mod.ts"; globalThis.vobiz = createClient;`;

/**
 * Measures every subpath that package.json exports. Throws when one has no source in deno.json or
 * its file is missing: every export is measured, none skipped.
 */
export async function measureSizes(): Promise<{ core: number; rows: SizeRow[] }> {
  const pkg = JSON.parse(readFileSync(`${root}/package.json`, "utf8")) as {
    exports: Record<string, unknown>;
  };
  const deno = JSON.parse(readFileSync(`${root}/deno.json`, "utf8")) as {
    exports: Record<string, string>;
  };
  const core = (await bundle(CORE_ENTRY)).gzip;
  const rows: SizeRow[] = [];
  for (const subpath of Object.keys(pkg.exports)) {
    const source = deno.exports[subpath];
    if (source === undefined) throw new Error(`${subpath}: no source in deno.json exports`);
    if (!existsSync(`${root}/${source}`)) throw new Error(`${subpath}: ${source} does not exist`);
    const alone = await bundle(`export * from "${source}";`);
    const added = subpath === "."
      ? 0
      : (await bundle(`${CORE_ENTRY}\nexport * from "${source}";`)).gzip - core;
    rows.push({ subpath, source, alone: alone.gzip, added, files: alone.files });
  }
  return { core, rows };
}

/** The budgets (min+gzip bytes). */
export const TARGETS = {
  /** `createClient` with its dependencies. */
  core: 14 * 1024,
  /** Each plugin, on top of `createClient`. */
  plugin: 2.5 * 1024,
  /** Each transport, on top of `createClient` (its runtime's own client is not bundled). */
  transport: 1024,
  /** The mock API (`vobiz-kit/testing`), on top of `createClient`: a dev dependency of tests. */
  testing: 20 * 1024,
};

/**
 * Subpaths over their target today (bench/README.md says why and what it would take), with the
 * ceiling they must not grow past. Remove an entry once its subpath meets the target.
 */
export const OVER_TARGET: Record<string, number> = {
  ".": 32 * 1024,
  "./plugins/cache": 3.75 * 1024,
  "./plugins/idempotency": 3.6 * 1024,
  "./plugins/metrics": 4.9 * 1024,
  "./plugins/alerts": 3 * 1024,
};

/** The target of a subpath (its kind), or undefined for a subpath of no known kind. */
export function targetOf(subpath: string): number | undefined {
  if (subpath === ".") return TARGETS.core;
  if (subpath === "./testing") return TARGETS.testing;
  if (subpath.startsWith("./plugins/")) return TARGETS.plugin;
  if (subpath.startsWith("./transports/")) return TARGETS.transport;
  return undefined;
}

/** The size a budget applies to: `createClient` for `.`, the bytes added for the others. */
export function budgetedSize(row: SizeRow, core: number): number {
  return row.subpath === "." ? core : row.added;
}

const kb = (bytes: number) => (bytes / 1024).toFixed(2);

/** The table printed by `npm run bench`. */
export function sizeTable({ core, rows }: { core: number; rows: SizeRow[] }): string {
  const lines = [
    "| subpath | alone | added to `createClient` | target | ceiling | status |",
    "|---|---|---|---|---|---|",
  ];
  for (const row of rows) {
    const size = budgetedSize(row, core);
    const target = targetOf(row.subpath) ?? 0;
    const ceiling = OVER_TARGET[row.subpath];
    const status = size <= target ? "within target" : `over target ×${(size / target).toFixed(2)}`;
    const added = row.subpath === "." ? `— (createClient: ${kb(core)})` : kb(row.added);
    lines.push(
      `| \`${row.subpath}\` | ${kb(row.alone)} | ${added} | ${kb(target)} | ${
        ceiling === undefined ? "—" : kb(ceiling)
      } | ${status} |`,
    );
  }
  return `KB = 1024 bytes, min+gzip -9 (esbuild ${version}, browser platform)\n\n${
    lines.join("\n")
  }`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(sizeTable(await measureSizes()));
}
