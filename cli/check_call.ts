/**
 * `vobiz-kit check-call`: places one test call and checks it (post-dial delay within the limit,
 * CDR present, balance debited by the CDR's cost), with a pass/fail exit code for CI or cron.
 *
 * @module
 */
import { writeFile } from "node:fs/promises";
import * as v from "valibot";
import { isVobizError } from "../src/errors.ts";
import { checkTestCall, type TestCallReport } from "../src/operations/test_call.ts";
import { CallCreateSchema } from "../src/resources/calls.ts";
import { retry } from "../plugins/retry.ts";
import type { MockVobizOptions } from "../testing/mod.ts";
import {
  choiceOption,
  durationOption,
  numberOption,
  parseOptions,
  requiredOption,
  stringOption,
  UsageError,
} from "./_args.ts";
import { readFaults, readSeed } from "./_files.ts";
import { err, onStopSignal, out } from "./_process.ts";
import { openTarget, requireConsent } from "./_target.ts";

/** `vobiz-kit check-call --help`. */
export const CHECK_CALL_HELP: string =
  `Usage: vobiz-kit check-call --from E164 --to E164 --answer-url URL [options]

Place one test call and verify what the Vobiz guidance asks: the post-dial delay is within
the limit, the CDR is generated, the balance is debited by the CDR's cost, and the MOS is good
enough; packet loss is reported. Exit code 0 when every check passes, 1 when one fails.

Options:
  --from E164              caller number (one of your Vobiz numbers)
  --to E164                number or SIP URI to call (a test phone you control)
  --answer-url URL         URL returning the VobizXML that runs the call
  --target T               mock (default) | live
  --max-pdd D              longest acceptable post-dial delay (default 3s)
  --min-mos N              lowest acceptable MOS (default 3.5)
  --timeout D              how long to wait for the CDR and the debit (default 2m); a call
                           still live then is hung up
  --poll D                 time between two looks at the CDR or the balance (default 5s)
  --currency CODE          balance currency (default INR)
  --json FILE              also write the report as JSON
  -h, --help               show this help

Mock target: each call lasts 3s unless --seed sets callDurationMs; --faults FILE and
  --seed FILE as for "vobiz-kit mock".
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
  "min-mos": { type: "string" },
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
  const call = {
    from: requiredOption(values, "from"),
    to: requiredOption(values, "to"),
    answer_url: requiredOption(values, "answer-url"),
  };
  const checked = v.safeParse(CallCreateSchema, call);
  if (!checked.success) {
    const issue = checked.issues[0];
    const field = issue === undefined ? undefined : v.getDotPath(issue);
    const name = field === "answer_url" ? "answer-url" : field ?? "from";
    throw new UsageError(`--${name}: ${issue?.message ?? "invalid"}`);
  }
  const kind = choiceOption(values, "target", ["mock", "live"] as const, "mock");
  const currency = (stringOption(values, "currency") ?? "INR").toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) {
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
  const minMos = numberOption(values, "min-mos", { min: 0, max: 5 }) ?? 3.5;
  const timeoutMs = durationOption(values, "timeout", 120_000);
  const pollMs = durationOption(values, "poll", 5000);
  if (pollMs <= 0) throw new UsageError("--poll must be longer than 0");
  const seedFile = stringOption(values, "seed");
  const faultsFile = stringOption(values, "faults");
  const jsonFile = stringOption(values, "json");
  requireConsent(
    kind === "live",
    values.yes === true,
    `place a real call from ${call.from} to ${call.to}`,
  );
  // On the mock a call lasts until hung up unless told otherwise: end it, so that it has a CDR.
  const mockOptions: MockVobizOptions = { callDurationMs: 3000 };
  if (seedFile !== undefined) Object.assign(mockOptions, await readSeed(seedFile));

  const target = await openTarget({
    kind,
    baseUrl: stringOption(values, "base-url"),
    mockOptions,
    faults: faultsFile === undefined ? [] : await readFaults(faultsFile),
  });
  const aborter = new AbortController();
  const offSignal = onStopSignal(() => aborter.abort(new Error("interrupted")));
  try {
    const client = target.connect([retry()]);
    const where = kind === "live" ? "the live API" : "the mock";
    err(`vobiz-kit check-call: calling ${call.to} from ${call.from} on ${where}`);
    let report: TestCallReport;
    try {
      report = await checkTestCall(client, {
        ...call,
        currency,
        maxPostDialDelayMs: maxPdd,
        minMos,
        timeoutMs,
        pollIntervalMs: pollMs,
        signal: aborter.signal,
      });
    } catch (error) {
      if (aborter.signal.aborted) return 130;
      // The call could not be placed, or a read failed: the check fails.
      out(`[FAIL] ${describeError(error)}`);
      out("FAIL");
      return 1;
    }
    out(formatReport(report, maxPdd, minMos));
    if (jsonFile !== undefined) {
      const document = { command: "check-call", passed: report.ok, report };
      await writeFile(jsonFile, `${JSON.stringify(document, null, 2)}\n`);
    }
    return report.ok ? 0 : 1;
  } finally {
    offSignal();
    await target.close();
  }
}

function describeError(error: unknown): string {
  if (!isVobizError(error)) return error instanceof Error ? error.message : String(error);
  const where = error.method === undefined ? "" : `${error.method} ${error.route ?? ""}: `;
  return `${where}${error.code}: ${error.message}`;
}

function formatReport(report: TestCallReport, maxPddMs: number, minMos: number): string {
  const line = (passed: boolean | undefined, text: string) =>
    `${passed === true ? "[pass]" : passed === false ? "[FAIL]" : "[----]"} ${text}`;
  const { cdr } = report;
  const seconds = (ms: number) => `${Math.round(ms) / 1000}s`;
  const lines = [line(true, `call placed: ${report.callUuid}`)];
  lines.push(line(
    report.cdrFound,
    report.cdrFound
      ? `CDR present after ${seconds(report.waitedMs)} (${String(cdr?.hangup_cause ?? "?")}, ` +
        `${String(cdr?.billsec ?? "?")}s billed)`
      : `CDR present: none within ${seconds(report.waitedMs)}`,
  ));
  const pdd = report.postDialDelayMs;
  lines.push(line(
    pdd === undefined ? undefined : pdd <= maxPddMs,
    pdd === undefined
      ? "post-dial delay: unknown"
      : `post-dial delay ${seconds(pdd)} (limit ${seconds(maxPddMs)})`,
  ));
  lines.push(line(
    report.balanceDebited,
    `balance debited by ${report.debited} ${report.currency} ` +
      `(${report.balanceBefore} → ${report.balanceAfter}); the CDR's cost is ${
        report.cost ?? "unknown"
      }`,
  ));
  const mos = report.mos;
  lines.push(line(
    mos === undefined ? undefined : mos > 0 && mos >= minMos,
    `MOS ${mos ?? "unknown"} (limit ${minMos}), packet loss ${report.packetLoss ?? "unknown"}`,
  ));
  for (const issue of report.issues) lines.push(`  - ${issue}`);
  lines.push(report.ok ? "PASS" : "FAIL");
  return lines.join("\n");
}
