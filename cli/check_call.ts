/**
 * `vobiz-kit check-call`: places one test call and checks it (post-dial delay within the limit,
 * CDR present, balance debited by the CDR's cost), with a pass/fail exit code for CI or cron.
 *
 * @module
 */
import { writeFile } from "node:fs/promises";
import { retry } from "../plugins/retry.ts";
import {
  choiceOption,
  durationOption,
  parseOptions,
  requiredOption,
  stringOption,
  UsageError,
} from "./_args.ts";
import { readFaults, readSeed } from "./_files.ts";
import { err, onStopSignal, out } from "./_process.ts";
import { openTarget, requireConsent } from "./_target.ts";
import { runTestCall, type TestCallReport } from "./_test_call.ts";

/** `vobiz-kit check-call --help`. */
export const CHECK_CALL_HELP: string =
  `Usage: vobiz-kit check-call --from E164 --to E164 --answer-url URL [options]

Place one test call and verify what the Vobiz guidance asks: the post-dial delay is within
the limit, the CDR is generated, and the balance is debited by the CDR's cost. MOS and packet
loss are reported. Exit code 0 when every check passes, 1 when one fails.

Options:
  --from E164              caller number (one of your Vobiz numbers)
  --to E164                number or SIP URI to call (a test phone you control)
  --answer-url URL         URL returning the VobizXML that runs the call
  --target T               mock (default) | live
  --max-pdd D              longest acceptable post-dial delay (default 3s)
  --timeout D              how long to wait for the CDR and the debit (default 2m)
  --poll D                 time between two looks at the CDR or the balance (default 2s)
  --currency CODE          balance currency (default INR)
  --json FILE              also write the report as JSON
  -h, --help               show this help

Mock target: --faults FILE and --seed FILE, as for "vobiz-kit mock".
Live target: credentials from VOBIZ_AUTH_ID and VOBIZ_AUTH_TOKEN only; plain http is refused;
  --base-url URL (https) for another API base; --yes to confirm the call (it costs money).

Exit codes: 0 pass, 1 fail, 2 bad arguments, 130 interrupted.
`;

const OPTIONS = {
  from: { type: "string" },
  to: { type: "string" },
  "answer-url": { type: "string" },
  target: { type: "string" },
  "max-pdd": { type: "string" },
  timeout: { type: "string" },
  poll: { type: "string" },
  currency: { type: "string" },
  json: { type: "string" },
  faults: { type: "string" },
  seed: { type: "string" },
  "base-url": { type: "string" },
  yes: { type: "boolean", short: "y" },
} as const;

/**
 * Runs `vobiz-kit check-call`; resolves with the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await runCheckCall(["--from", "+918000000001", "--to", "+919800000001",
 *   "--answer-url", "https://example.com/answer.xml"]);
 * ```
 */
export async function runCheckCall(args: readonly string[]): Promise<number> {
  const values = parseOptions(args, OPTIONS);
  if (values.help) {
    out(CHECK_CALL_HELP);
    return 0;
  }
  const from = requiredOption(values, "from");
  const to = requiredOption(values, "to");
  const answerUrl = requiredOption(values, "answer-url");
  const kind = choiceOption(values, "target", ["mock", "live"] as const, "mock");
  const currency = stringOption(values, "currency") ?? "INR";
  if (!/^[A-Za-z]{3}$/.test(currency)) {
    throw new UsageError(`--currency must be an ISO 4217 code such as INR; got "${currency}"`);
  }
  for (const name of kind === "live" ? ["faults", "seed"] : ["base-url"]) {
    if (values[name] !== undefined) {
      throw new UsageError(
        `--${name} only applies to --target ${kind === "live" ? "mock" : "live"}`,
      );
    }
  }
  const maxPdd = durationOption(values, "max-pdd", 3000);
  const timeout = durationOption(values, "timeout", 120_000);
  const pollMs = durationOption(values, "poll", 2000);
  if (pollMs <= 0) throw new UsageError("--poll must be longer than 0");
  const seedFile = stringOption(values, "seed");
  const faultsFile = stringOption(values, "faults");
  const jsonFile = stringOption(values, "json");
  requireConsent(kind === "live", values.yes === true, `place a real call from ${from} to ${to}`);

  const target = await openTarget({
    kind,
    baseUrl: stringOption(values, "base-url"),
    mockOptions: seedFile === undefined ? {} : await readSeed(seedFile),
    faults: faultsFile === undefined ? [] : await readFaults(faultsFile),
  });
  const aborter = new AbortController();
  const offSignal = onStopSignal(() => aborter.abort(new Error("interrupted")));
  try {
    const client = target.connect([retry()]);
    err(
      `vobiz-kit check-call: calling ${to} from ${from} on the ${
        kind === "live" ? "live API" : "mock"
      }`,
    );
    const report = await runTestCall(client, {
      from,
      to,
      answer_url: answerUrl,
      currency: currency.toUpperCase(),
      maxPostDialDelayMs: maxPdd,
      timeoutMs: timeout,
      pollMs,
      signal: aborter.signal,
    });
    out(formatReport(report));
    if (jsonFile !== undefined) {
      await writeFile(jsonFile, `${JSON.stringify({ command: "check-call", report }, null, 2)}\n`);
    }
    return report.passed ? 0 : 1;
  } catch (error) {
    if (aborter.signal.aborted) return 130;
    throw error;
  } finally {
    offSignal();
    await target.close();
  }
}

function formatReport(report: TestCallReport): string {
  const lines = report.checks.map((c) =>
    `${c.passed ? "[pass]" : "[FAIL]"} ${c.name}: ${c.detail}`
  );
  if (report.mos !== null || report.packetLoss !== null) {
    lines.push(
      `[info] MOS ${report.mos ?? "unknown"}, packet loss ${report.packetLoss ?? "unknown"}`,
    );
  }
  lines.push(report.passed ? "PASS" : "FAIL");
  return lines.join("\n");
}
