#!/usr/bin/env node
/// <reference types="node" />
/**
 * The `vobiz-kit` command: `mock` serves the mock Vobiz API, `load` load-tests an integration's
 * client against the mock or the live API, `check-call` places a test call and checks it.
 * Runs on Node (`npx vobiz-kit`), Bun (`bunx vobiz-kit`) and Deno (`deno run -A cli/main.ts`).
 *
 * @module
 */
import { UsageError } from "./_args.ts";
import { CHECK_CALL_HELP, runCheckCall } from "./check_call.ts";
import { LOAD_HELP, runLoad } from "./load.ts";
import { MOCK_HELP, runMock } from "./mock.ts";

const HELP = `Usage: vobiz-kit <command> [options]

Commands:
  mock         serve the mock Vobiz API on 127.0.0.1 (for your integration tests and CI)
  load         load-test your client against the mock or the live API
  check-call   place a test call and check PDD, CDR and the balance debit

Run "vobiz-kit <command> --help" for a command's options.
`;

const COMMANDS: Record<
  string,
  { run: (args: readonly string[]) => Promise<number>; help: string }
> = {
  mock: { run: runMock, help: MOCK_HELP },
  load: { run: runLoad, help: LOAD_HELP },
  "check-call": { run: runCheckCall, help: CHECK_CALL_HELP },
};

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(HELP);
    return 2;
  }
  if (name === "--help" || name === "-h") {
    process.stdout.write(HELP);
    return 0;
  }
  if (name === "help") {
    const topic = rest[0] === undefined ? undefined : COMMANDS[rest[0]];
    process.stdout.write(topic?.help ?? HELP);
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    throw new UsageError(`unknown command "${name}"; the commands are mock, load and check-call`);
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) error.hint = `vobiz-kit ${name} --help`;
    throw error;
  }
}

/** Runs the command line and exits with its code (after the output is flushed). */
async function exit(code: number): Promise<never> {
  await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
  process.exit(code);
}

try {
  await exit(await main(process.argv.slice(2)));
} catch (error) {
  if (error instanceof UsageError) {
    const hint = error.hint ?? "vobiz-kit --help";
    process.stderr.write(`vobiz-kit: ${error.message}\nRun "${hint}" for usage.\n`);
    await exit(2);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`vobiz-kit: ${message}\n`);
  await exit(1);
}
