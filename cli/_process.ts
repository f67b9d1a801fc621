/**
 * The few process-level helpers the subcommands share: output lines and waiting for Ctrl-C or
 * SIGTERM. `process` is available in Node, Deno and Bun alike.
 *
 * @module
 */

/**
 * Writes one line to stdout (results, the mock's URL: what a script reads).
 *
 * @example
 * ```ts
 * out("http://127.0.0.1:4010/api/v1");
 * ```
 */
export function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * Writes one line to stderr (progress and messages for a person).
 *
 * @example
 * ```ts
 * err("vobiz-kit mock: stopped");
 * ```
 */
export function err(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** A signal that stops a subcommand. */
export type StopSignal = "SIGINT" | "SIGTERM";

/**
 * Calls `onStop` on the first SIGINT (Ctrl-C) or SIGTERM; returns a function that removes the
 * listeners. A second signal while stopping exits at once, as people expect from a second Ctrl-C.
 *
 * @example
 * ```ts
 * const off = onStopSignal((signal) => controller.abort(signal));
 * ```
 */
export function onStopSignal(onStop: (signal: StopSignal) => void): () => void {
  let stopping = false;
  const handler = (signal: StopSignal): void => {
    if (stopping) process.exit(130);
    stopping = true;
    onStop(signal);
  };
  const onInt = (): void => handler("SIGINT");
  const onTerm = (): void => handler("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  return () => {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
  };
}
