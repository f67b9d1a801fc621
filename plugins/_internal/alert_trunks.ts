// Trunk health from what the user feeds in: trunk webhook events (`CallInitiated` with
// `Allowed: false` is a refused call; `Allowed: true` an accepted one) and CDRs (a failure cause
// naming authentication is a failure; an answered call a success). Failures are counted per trunk
// in a sliding window; any success clears them.
import { isAnswered } from "./metric_answers.ts";
import { type SlidingWindow, slidingWindow } from "./alert_window.ts";

type Json = Record<string, unknown>;

/** What one event says about one trunk. */
export interface TrunkSignal {
  readonly trunk: string;
  readonly ok: boolean;
  /** Why it failed (the webhook's `Reason`, the CDR's cause). */
  readonly reason?: string;
}

/** The state of one trunk. */
export interface TrunkHealth {
  readonly failures: number;
  readonly lastReason: string | undefined;
}

/** Failure counts per trunk. */
export interface TrunkTracker {
  record(signal: TrunkSignal, at: number): void;
  health(trunk: string, at: number): TrunkHealth;
  trunks(): string[];
}

const authFailure = /auth|unauthori[sz]ed|forbidden|credential|\b40[137]\b/i;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== ""
    ? value.slice(0, 128)
    : typeof value === "number"
    ? String(value)
    : undefined;

/** Reads a trunk webhook payload (`CallInitiated` or `Hangup`, as JSON). */
export function trunkSignalOfEvent(payload: unknown): TrunkSignal | undefined {
  if (!isObject(payload)) return undefined;
  const trunk = text(payload["TrunkID"]) ?? text(payload["trunk_id"]) ?? text(payload["Domain"]);
  if (trunk === undefined) return undefined;
  const allowed = payload["Allowed"];
  if (allowed === false || allowed === "false") {
    const reason = text(payload["Reason"]);
    return reason === undefined ? { trunk, ok: false } : { trunk, ok: false, reason };
  }
  if (allowed === true || allowed === "true") return { trunk, ok: true };
  const cause = text(payload["HangupCauseName"]) ?? text(payload["HangupCauseCode"]);
  if (cause !== undefined && authFailure.test(cause)) return { trunk, ok: false, reason: cause };
  if (Number(payload["Billsec"]) > 0) return { trunk, ok: true };
  return undefined;
}

/** Reads a CDR: an authentication failure cause, or an answered call, on a trunk. */
export function trunkSignalOfCdr(cdr: unknown): TrunkSignal | undefined {
  if (!isObject(cdr)) return undefined;
  const trunk = text(cdr["trunk_id"]);
  if (trunk === undefined) return undefined;
  if (isAnswered(cdr)) return { trunk, ok: true };
  const causes = ["failure_reason", "failure_code", "hangup_cause_name", "hangup_cause"]
    .map((field) => text(cdr[field]))
    .filter((cause): cause is string => cause !== undefined);
  const cause = causes.find((candidate) => authFailure.test(candidate));
  return cause === undefined ? undefined : { trunk, ok: false, reason: cause };
}

/** A tracker with a window of `windowMs`, following at most `maxTrunks` trunks. */
export function trunkTracker(windowMs: number, maxTrunks = 1000): TrunkTracker {
  const trunks = new Map<string, { window: SlidingWindow; lastReason: string | undefined }>();
  return {
    record(signal, at) {
      let entry = trunks.get(signal.trunk);
      if (signal.ok) {
        if (entry) entry.window = slidingWindow(windowMs);
        return;
      }
      if (!entry) {
        if (trunks.size >= maxTrunks) trunks.delete(trunks.keys().next().value ?? "");
        entry = { window: slidingWindow(windowMs), lastReason: undefined };
        trunks.set(signal.trunk, entry);
      }
      entry.window.add(at, 1, 1);
      entry.lastReason = signal.reason ?? entry.lastReason;
    },
    health(trunk, at) {
      const entry = trunks.get(trunk);
      return { failures: entry?.window.totals(at).bad ?? 0, lastReason: entry?.lastReason };
    },
    trunks: () => [...trunks.keys()],
  };
}
