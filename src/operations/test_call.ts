/**
 * `checkTestCall`: the test call Vobiz recommends after provisioning a trunk or number. It places
 * a call, waits for its CDR, and reports post-dial delay (flagged over 3 s), MOS, packet loss,
 * whether the CDR exists, and whether the balance went down by the CDR's cost.
 *
 * @example
 * ```ts
 * import { checkTestCall, createClient } from "vobiz-kit";
 * const vobiz = createClient();
 * const report = await checkTestCall(vobiz, {
 *   from: "+918000000001",
 *   to: "+919876543210",
 *   answer_url: "https://app.example.com/hangup-after-5s.xml",
 * });
 * if (!report.ok) console.error(report.issues);
 * ```
 *
 * @module
 */
import * as v from "valibot";
import type { VobizClient } from "../client.ts";
import { isVobizError, VobizHttpError } from "../errors.ts";
import { type CallCreate, CallCreateSchema } from "../resources/calls.ts";
import type { Cdr } from "../resources/cdrs.ts";
import { validateInput } from "../validation.ts";

/** What {@link checkTestCall} needs from a client. */
export type TestCallClient = Pick<VobizClient, "balance" | "calls" | "cdrs" | "clock">;

/** The call to place (its API fields) plus the check's own options (camelCase). */
export interface TestCallOptions extends CallCreate {
  /** Currency of the balance to compare. Default `INR`. */
  currency?: string | undefined;
  /** How long to wait for the CDR (and the debit), in ms. Default 120 000. */
  timeoutMs?: number | undefined;
  /** Time between CDR and balance checks, in ms. Default 5 000. */
  pollIntervalMs?: number | undefined;
  /** Post-dial delay above which the call is flagged, in ms. Default 3 000 (Vobiz guidance). */
  maxPostDialDelayMs?: number | undefined;
  /** MOS below which the call is flagged. Default 3.5. */
  minMos?: number | undefined;
  /** Largest difference between debit and CDR cost still taken as a match. Default 0.01. */
  debitTolerance?: number | undefined;
  /** Cancels the check (not the call: hang it up yourself if you abort). */
  signal?: AbortSignal | undefined;
}

/** The outcome of {@link checkTestCall}. */
export interface TestCallReport {
  /** No issue found. */
  ok: boolean;
  /** Everything that needs attention, in words. */
  issues: string[];
  /** The call's UUID (`request_uuid` of the create). */
  callUuid: string;
  /** Whether the CDR appeared before the timeout. */
  cdrFound: boolean;
  /** The CDR, when found. */
  cdr: Cdr | undefined;
  /** `progress_time` (or, without early media, `answer_time`) minus `start_time`, in ms. */
  postDialDelayMs: number | undefined;
  /** MOS of the call (`0` means no media). */
  mos: number | undefined;
  /** Packet loss as the CDR reports it. */
  packetLoss: number | undefined;
  /** The CDR's `total_cost` (else `cost`). */
  cost: number | undefined;
  /** Currency of the balance compared. */
  currency: string;
  /** Balance before the call. */
  balanceBefore: number;
  /** Balance at the last check. */
  balanceAfter: number;
  /** `balanceBefore - balanceAfter`, rounded to 5 decimals. */
  debited: number;
  /** Whether `debited` matches `cost`; `undefined` without a CDR or when currencies differ. */
  balanceDebited: boolean | undefined;
  /** Time spent waiting, on the client's clock. */
  waitedMs: number;
}

const positive = v.pipe(v.number(), v.minValue(0, "must not be negative"));
const CheckOptionsSchema = v.object({
  currency: v.optional(v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, "must be an ISO 4217 code"))),
  timeoutMs: v.optional(positive),
  pollIntervalMs: v.optional(v.pipe(v.number(), v.minValue(1, "must be at least 1"))),
  maxPostDialDelayMs: v.optional(positive),
  minMos: v.optional(positive),
  debitTolerance: v.optional(positive),
  signal: v.optional(v.instance(AbortSignal)),
});
const CHECK_KEYS = Object.keys(CheckOptionsSchema.entries);

/**
 * Places a test call and reports on it. The call is a paid write and is made once; the check
 * then polls `cdrs.get(uuid)` every `pollIntervalMs` on the client's clock until the CDR appears,
 * and the balance until it has gone down by the CDR's cost, both within `timeoutMs`. If no CDR
 * appears in time the call is hung up (it may still be ringing or connected).
 *
 * Throws when the call cannot be placed (validation, 402, 429, …) or a read fails with anything
 * other than "not found yet".
 *
 * @example
 * ```ts
 * const report = await checkTestCall(vobiz, {
 *   from: "+918000000001",
 *   to: "+919876543210",
 *   answer_url: "https://app.example.com/test.xml",
 *   timeoutMs: 60_000,
 * });
 * console.log(report.postDialDelayMs, report.mos, report.balanceDebited);
 * ```
 */
export async function checkTestCall(
  client: TestCallClient,
  options: TestCallOptions,
): Promise<TestCallReport> {
  const check = validateInput(
    CheckOptionsSchema,
    Object.fromEntries(Object.entries(options).filter(([key]) => CHECK_KEYS.includes(key))),
  );
  // Checked here too, so that bad input sends nothing (not even the first balance read).
  const call = validateInput(
    CallCreateSchema,
    Object.fromEntries(Object.entries(options).filter(([key]) => !CHECK_KEYS.includes(key))),
  );
  const currency = check.currency ?? "INR";
  const timeoutMs = check.timeoutMs ?? 120_000;
  const interval = check.pollIntervalMs ?? 5_000;
  const maxPdd = check.maxPostDialDelayMs ?? 3_000;
  const minMos = check.minMos ?? 3.5;
  const tolerance = check.debitTolerance ?? 0.01;
  const signal = check.signal;
  const callOptions = signal ? { signal } : {};
  const { clock } = client;

  const before = (await client.balance.get(currency, callOptions)).balance;
  const { request_uuid: callUuid } = await client.calls.create(call, callOptions);
  const started = clock.now();
  const deadline = started + timeoutMs;
  const issues: string[] = [];

  let cdr: Cdr | undefined;
  while (cdr === undefined && clock.now() < deadline) {
    await clock.sleep(Math.min(interval, deadline - clock.now()), signal);
    cdr = await findCdr(client, callUuid, callOptions);
  }
  if (cdr === undefined) {
    issues.push(`no CDR for call ${callUuid} after ${timeoutMs} ms`);
    await hangUp(client, callUuid, callOptions, issues);
  }

  const cost = cdr ? toNumber(cdr.total_cost ?? cdr.cost) : undefined;
  const comparable = cost !== undefined && (!cdr?.currency || cdr.currency === currency);
  if (cdr && cost !== undefined && !comparable) {
    issues.push(`the CDR is in ${cdr.currency}, the balance checked is ${currency}`);
  }
  const debitedBy = async () =>
    round(before - (await client.balance.get(currency, callOptions)).balance);
  let debited = await debitedBy();
  // Billing can trail the CDR: keep looking until the debit shows or time is up.
  while (comparable && Math.abs(debited - cost) > tolerance && clock.now() < deadline) {
    await clock.sleep(Math.min(interval, deadline - clock.now()), signal);
    debited = await debitedBy();
  }
  const balanceDebited = comparable ? Math.abs(debited - cost) <= tolerance : undefined;
  if (balanceDebited === false) {
    issues.push(`the balance went down by ${debited} ${currency}; the CDR costs ${cost}`);
  }

  const postDialDelayMs = cdr ? postDialDelay(cdr) : undefined;
  if (postDialDelayMs !== undefined && postDialDelayMs > maxPdd) {
    issues.push(`post-dial delay ${postDialDelayMs} ms is over ${maxPdd} ms`);
  }
  const mos = cdr ? toNumber(cdr.mos) : undefined;
  if (mos === 0) issues.push("MOS 0: the call had no media");
  else if (mos !== undefined && mos < minMos) issues.push(`MOS ${mos} is below ${minMos}`);

  return {
    ok: issues.length === 0,
    issues,
    callUuid,
    cdrFound: cdr !== undefined,
    cdr,
    postDialDelayMs,
    mos,
    packetLoss: cdr ? toNumber(cdr.packet_loss) : undefined,
    cost,
    currency,
    balanceBefore: before,
    balanceAfter: round(before - debited),
    debited,
    balanceDebited,
    waitedMs: clock.now() - started,
  };
}

// The CDR, or undefined while the API still answers 404 (the call has not ended yet).
async function findCdr(
  client: TestCallClient,
  uuid: string,
  options: { signal?: AbortSignal },
): Promise<Cdr | undefined> {
  try {
    return (await client.cdrs.get(uuid, options)).data;
  } catch (error) {
    if (error instanceof VobizHttpError && error.status === 404) return undefined;
    throw error;
  }
}

async function hangUp(
  client: TestCallClient,
  uuid: string,
  options: { signal?: AbortSignal },
  issues: string[],
): Promise<void> {
  try {
    await client.calls.hangup(uuid, options);
    issues.push(`call ${uuid} was still live and has been hung up`);
  } catch (error) {
    // 404: the call had already ended, only its CDR is late.
    if (!(error instanceof VobizHttpError && error.status === 404)) {
      issues.push(`hanging up ${uuid} failed: ${isVobizError(error) ? error.code : String(error)}`);
    }
  }
}

function postDialDelay(cdr: Cdr): number | undefined {
  const start = cdr.start_time ? Date.parse(cdr.start_time) : NaN;
  const reached = cdr.progress_time ?? cdr.answer_time;
  const end = reached ? Date.parse(reached) : NaN;
  return Number.isNaN(start) || Number.isNaN(end) ? undefined : end - start;
}

function toNumber(value: unknown): number | undefined {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) ? number : undefined;
}

function round(value: number): number {
  return Math.round(value * 100_000) / 100_000;
}
