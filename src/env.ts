/**
 * Finds environment variables on whatever runtime we are on. This is the one file allowed to look
 * for runtime-specific globals (DESIGN.md §4), and it does so by feature detection only.
 *
 * @example
 * ```ts
 * import { readEnv } from "vobiz-kit";
 * readEnv("VOBIZ_AUTH_ID", { VOBIZ_AUTH_ID: "MA_1" }); // "MA_1" (explicit env wins)
 * readEnv("VOBIZ_AUTH_ID"); // from Deno.env, Bun.env or process.env
 * ```
 *
 * @module
 */

/** A record of environment values, e.g. a Workers `env` binding object. */
export type EnvRecord = Readonly<Record<string, unknown>>;

type EnvSource = (name: string) => unknown;

/**
 * Reads one environment variable: from `env` when given (Workers bindings or any record),
 * otherwise from `Deno.env`, `Bun.env` or `process.env`, whichever exists. Returns `undefined` for
 * a missing or empty value, or when the runtime denies access (Deno without `--allow-env`).
 *
 * @example
 * ```ts
 * const id = readEnv("VOBIZ_AUTH_ID", env); // in a Worker: the binding
 * ```
 */
export function readEnv(name: string, env?: EnvRecord): string | undefined {
  const value = env === undefined ? runtimeEnv(name) : env[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function runtimeEnv(name: string): unknown {
  // Looked up by string key so that no runtime-specific global is referenced by name.
  const g = globalThis as Record<string, unknown>;
  const deno = g["Deno"] as { env?: { get(name: string): string | undefined } } | undefined;
  const sources: EnvSource[] = [
    (key) => deno?.env?.get(key),
    (key) => (g["Bun"] as { env?: Record<string, unknown> } | undefined)?.env?.[key],
    (key) => (g["process"] as { env?: Record<string, unknown> } | undefined)?.env?.[key],
  ];
  for (const source of sources) {
    try {
      const value = source(name);
      if (value !== undefined) return value;
    } catch {
      // Deno without --allow-env throws NotCapable: treat as absent.
    }
  }
  return undefined;
}
