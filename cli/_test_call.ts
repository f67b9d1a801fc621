/**
 * The test-call check of the Vobiz guidance ("make regular test calls and verify: the call
 * connects within 3 seconds, the CDR is generated, the balance is debited accurately"): place a
 * call, wait for its CDR, then compare the balance before and after with the CDR's cost.
 *
 * @module
 */
import type { VobizClient } from "../src/client.ts";
import { VobizHttpError } from "../src/errors.ts";

/** What to call, and how long to wait. */
export interface TestCallOptions {
  from: string;
  to: string;
  answer_url: string;
  /** Balance currency. Default `INR`. */
  currency?: string;
  /** Longest acceptable post-dial delay, in ms. Default 3000. */
  maxPostDialDelayMs?: number;
  /** How long to wait for the CDR and then the debit, in ms. Default 120000. */
  timeoutMs?: number;
  /** Time between two looks at the CDR or the balance, in ms. Default 2000. */
  pollMs?: number;
  /** Cancels the waits. */
  signal?: AbortSignal;
}

/** One verified property of the call. */
export interface TestCallCheck {
  name: "call placed" | "CDR present" | "post-dial delay" | "balance debited";
  passed: boolean;
  detail: string;
}

/** The outcome of a test call. */
export interface TestCallReport {
  passed: boolean;
  callUuid: string | undefined;
  checks: TestCallCheck[];
  /** Seconds from the call's start to its first ring (or answer), when known. */
  postDialDelaySeconds: number | null;
  mos: number | null;
  packetLoss: number | null;
  cost: number | null;
  balanceBefore: number | null;
  balanceAfter: number | null;
}

type Json = Record<string, unknown>;

/**
 * Places a test call and checks it.
 *
 * @example
 * ```ts
 * const report = await runTestCall(client, { from, to, answer_url });
 * if (!report.passed) process.exitCode = 1;
 * ```
 */
export async function runTestCall(
  client: VobizClient,
  options: TestCallOptions,
): Promise<TestCallReport> {
  const currency = options.currency ?? "INR";
  const maxPdd = (options.maxPostDialDelayMs ?? 3000) / 1000;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const pollMs = options.pollMs ?? 2000;
  const signal = options.signal;
  const report: TestCallReport = {
    passed: false,
    callUuid: undefined,
    checks: [],
    postDialDelaySeconds: null,
    mos: null,
    packetLoss: null,
    cost: null,
    balanceBefore: null,
    balanceAfter: null,
  };
  const check = (name: TestCallCheck["name"], passed: boolean, detail: string): boolean => {
    report.checks.push({ name, passed, detail });
    return passed;
  };
  const balance = async (): Promise<number> => {
    const answer = await client.request<Json>("GET", "/Account/{auth_id}/balance/{currency}", {
      params: { currency },
      ...(signal ? { signal } : {}),
    });
    return toNumber(answer?.["balance"]) ?? NaN;
  };

  report.balanceBefore = await balance();
  let created: Json;
  try {
    created = await client.request<Json>("POST", "/Account/{auth_id}/Call/", {
      json: { from: options.from, to: options.to, answer_url: options.answer_url },
      paid: true,
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    check("call placed", false, (error as Error).message);
    return report;
  }
  const uuid = String(created?.["request_uuid"] ?? created?.["call_uuid"] ?? "");
  if (!check("call placed", uuid !== "", uuid === "" ? "the answer had no request_uuid" : uuid)) {
    return report;
  }
  report.callUuid = uuid;

  const deadline = client.clock.now() + timeoutMs;
  const startedWaiting = client.clock.now();
  const cdr = await poll(client, deadline, pollMs, signal, async () => {
    try {
      const answer = await client.request<Json>("GET", "/Account/{auth_id}/cdr/{call_id}", {
        params: { call_id: uuid },
        ...(signal ? { signal } : {}),
      });
      return (answer?.["data"] ?? answer) as Json;
    } catch (error) {
      if (error instanceof VobizHttpError && error.status === 404) return undefined;
      throw error;
    }
  });
  const waited = ((client.clock.now() - startedWaiting) / 1000).toFixed(1);
  if (
    !check(
      "CDR present",
      cdr !== undefined,
      cdr === undefined
        ? `no CDR for ${uuid} within ${timeoutMs / 1000}s`
        : `after ${waited}s (hangup ${String(cdr["hangup_cause"] ?? "unknown")}, ` +
          `${String(cdr["billsec"] ?? "?")}s billed)`,
    ) || cdr === undefined
  ) {
    return report;
  }

  report.mos = toNumber(cdr["mos"]);
  report.packetLoss = toNumber(cdr["packet_loss"]);
  const pdd = postDialDelay(cdr);
  report.postDialDelaySeconds = pdd;
  check(
    "post-dial delay",
    pdd !== null && pdd <= maxPdd,
    pdd === null
      ? "unknown: the CDR has neither progress_time nor answer_time (the call never rang)"
      : `${pdd}s (limit ${maxPdd}s)`,
  );

  const cost = toNumber(cdr["total_cost"]) ?? toNumber(cdr["cost"]) ?? 0;
  report.cost = cost;
  const before = report.balanceBefore;
  const debited = (after: number): boolean => Math.abs(before - after - cost) < 0.005;
  // Billing may lag the CDR: look again until the debit shows or time is up.
  const after = await poll(client, deadline, pollMs, signal, async () => {
    const value = await balance();
    report.balanceAfter = value;
    return debited(value) ? value : undefined;
  });
  const seen = report.balanceAfter ?? NaN;
  check(
    "balance debited",
    after !== undefined,
    `by ${round(before - seen)} ${currency} (${before} → ${seen}); the CDR's cost is ${cost}`,
  );
  report.passed = report.checks.every((c) => c.passed);
  return report;
}

/** Calls `look` until it returns a value or the deadline passes. */
async function poll<T>(
  client: VobizClient,
  deadline: number,
  pollMs: number,
  signal: AbortSignal | undefined,
  look: () => Promise<T | undefined>,
): Promise<T | undefined> {
  for (;;) {
    const value = await look();
    if (value !== undefined) return value;
    const left = deadline - client.clock.now();
    if (left <= 0) return undefined;
    await client.clock.sleep(Math.min(pollMs, left), signal);
  }
}

/** Seconds from `start_time` to `progress_time` (first ring), else to `answer_time`. */
function postDialDelay(cdr: Json): number | null {
  const start = Date.parse(String(cdr["start_time"] ?? ""));
  const progress = Date.parse(String(cdr["progress_time"] ?? cdr["answer_time"] ?? ""));
  if (Number.isNaN(start) || Number.isNaN(progress)) return null;
  return round((progress - start) / 1000);
}

// Amounts may come as numbers or decimal strings.
function toNumber(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}
