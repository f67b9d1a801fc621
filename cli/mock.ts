/**
 * `vobiz-kit mock`: serves the mock Vobiz API on 127.0.0.1 for integration tests in any language,
 * with faults scripted from a JSON file and seed data from another; stops on Ctrl-C or SIGTERM.
 *
 * @module
 */
import { createMockVobiz, type MockVobizOptions } from "../testing/mod.ts";
import { numberOption, parseOptions, stringOption, UsageError } from "./_args.ts";
import { readFaults, readSeed } from "./_files.ts";
import { err, onStopSignal, out } from "./_process.ts";

/** The port `vobiz-kit mock` listens on when `--port` is not given. */
export const DEFAULT_MOCK_PORT = 4010;

/** `vobiz-kit mock --help`. */
export const MOCK_HELP: string = `Usage: vobiz-kit mock [options]

Serve the mock Vobiz API on 127.0.0.1 until Ctrl-C or SIGTERM. Prints the base URL (for
the client's baseUrl) as the first line on stdout; everything else goes to stderr.

Options:
  --port N                    port to listen on (default ${DEFAULT_MOCK_PORT}; 0 picks a free one)
  --faults FILE               JSON array of faults to script, e.g.
                              [{"method": "POST", "path": "/Account/{auth_id}/Call/",
                                "status": 429, "retryAfter": 1, "times": 2}]
                              fields: method, path, times (a count or "always"), status,
                              errorCode, errorShape, retryAfter, headers, latencyMs,
                              slowBodyMs, drop ("before" | "after"), malformed, body
  --seed FILE                 JSON object of mock options: balance, numberPrice, inventory,
                              cdrCount, cpsLimit, concurrentCallsLimit, callDurationMs,
                              postDialDelayMs, answerDelayMs, callMos, callPacketLoss,
                              callRatePerMinute, cdrDelayMs, recordingCount, authId,
                              authToken, subAccounts
  --cps-limit N               calls per second the account may create (default unlimited)
  --concurrent-calls-limit N  live calls the account may hold (default unlimited)
  -h, --help                  show this help

Credentials: X-Auth-ID MA_MOCK0001, X-Auth-Token mock-auth-token (unless the seed sets others).
`;

const OPTIONS = {
  port: { type: "string" },
  faults: { type: "string" },
  seed: { type: "string" },
  "cps-limit": { type: "string" },
  "concurrent-calls-limit": { type: "string" },
} as const;

/**
 * Runs `vobiz-kit mock`; resolves with the exit code once stopped.
 *
 * @example
 * ```ts
 * process.exitCode = await runMock(["--port", "0"]);
 * ```
 */
export async function runMock(args: readonly string[]): Promise<number> {
  const values = parseOptions(args, OPTIONS);
  if (values.help) {
    out(MOCK_HELP);
    return 0;
  }
  const port = numberOption(values, "port", { min: 0, max: 65535, integer: true }) ??
    DEFAULT_MOCK_PORT;
  const faultsFile = stringOption(values, "faults");
  const seedFile = stringOption(values, "seed");
  const options: MockVobizOptions = seedFile === undefined ? {} : await readSeed(seedFile);
  const cpsLimit = numberOption(values, "cps-limit", { min: 1, integer: true });
  const concurrent = numberOption(values, "concurrent-calls-limit", { min: 1, integer: true });
  if (cpsLimit !== undefined) options.cpsLimit = cpsLimit;
  if (concurrent !== undefined) options.concurrentCallsLimit = concurrent;
  const faults = faultsFile === undefined ? [] : await readFaults(faultsFile);

  const mock = createMockVobiz(options);
  for (const fault of faults) mock.fault(fault);
  let server;
  try {
    server = await mock.listen({ port, hostname: "127.0.0.1" });
  } catch (error) {
    if ((error as { code?: string }).code === "EADDRINUSE") {
      throw new UsageError(`port ${port} is in use; pass another --port (0 picks a free one)`);
    }
    throw error;
  }
  const stopped = new Promise<string>((resolve) => {
    const off = onStopSignal((signal) => {
      off();
      resolve(signal);
    });
  });
  out(server.baseUrl);
  err(`vobiz-kit mock: the mock Vobiz API is listening on ${server.baseUrl}`);
  err(
    `  credentials: VOBIZ_AUTH_ID=${options.authId ?? "MA_MOCK0001"} ` +
      `VOBIZ_AUTH_TOKEN=${options.authToken ?? "mock-auth-token"}`,
  );
  if (faultsFile !== undefined) err(`  ${faults.length} fault(s) scripted from ${faultsFile}`);
  err("  stop with Ctrl-C or SIGTERM");
  const signal = await stopped;
  await server.close();
  err(`vobiz-kit mock: stopped (${signal}) after ${mock.received.length} request(s)`);
  return 0;
}
