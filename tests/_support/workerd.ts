// Runs a Worker module inside real workerd (Miniflare 4) for the workerd suites: bundles the entry
// in memory with esbuild, as a Workers build would, and starts it with the given bindings.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { Miniflare, type MiniflareOptions } from "miniflare";

export interface RunningWorker {
  fetch(path?: string, init?: RequestInit): Promise<Response>;
  dispose(): Promise<void>;
}

export async function startWorker(
  entry: URL,
  options: Partial<MiniflareOptions> & { bindings?: Record<string, string> } = {},
): Promise<RunningWorker> {
  const bundle = await build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    target: "es2022",
    write: false,
    logLevel: "warning",
  });
  const mf = new Miniflare({
    modules: true,
    script: bundle.outputFiles[0]!.text,
    // must be <= today and <= the bundled workerd's date; ky 2 needs >= 2022-11-30
    compatibilityDate: "2026-07-30",
    cf: false, // do not fetch Request.cf data from the internet
    ...options,
  } as MiniflareOptions);
  await mf.ready;
  return {
    fetch: async (path = "/", init) =>
      (await mf.dispatchFetch(`http://worker.test${path}`, init as never)) as unknown as Response,
    dispose: () => mf.dispose(),
  };
}
