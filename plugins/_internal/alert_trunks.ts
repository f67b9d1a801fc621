// Trunk health from what the user feeds in: trunk webhook events (`CallInitiated` with
// `Allowed: false` is a refused call; `Allowed: true` an accepted one) and CDRs (a failure cause
// naming authentication is a failure; an answered call a success). Failures are counted per trunk
// in a sliding window; any success clears them.
import { isAnswered, isObject } from "./metric_answers.ts";
import { type SlidingWindow, slidingWindow } from "./alert_window.ts";

/** What one event says about one trunk. */
export interface TrunkSignal {
  readonly trunk: string;
  readonly ok: boolean;
  /** Why it failed (the webhook's `Reason`, the CDR's cause). */
  readonly reason?: string | undefined;
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

// ("auth" also matches "unauthorized")
const authFailure = /auth|forbidden|credential|\b40[137]\b/i;

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
    return { trunk, ok: false, reason: text(payload["Reason"]) };
  }
  if (allowed === true || allowed === "true") return { trunk, ok: true };
  const cause = text(payload["HangupCauseName"]) ?? text(payload["HangupCauseCode"]);
  if (cause !== undefined && authFailure.test(cause)) return { trunk, ok: false, reason: cause };
  return Number(payload["Billsec"]) > 0 ? { trunk, ok: true } : undefined;
}

/** Reads a CDR: an authentication failure cause, or an answered call, on a trunk. */
export function trunkSignalOfCdr(cdr: unknown): TrunkSignal | undefined {
  const trunk = isObject(cdr) ? text(cdr["trunk_id"]) : undefined;
  if (trunk === undefined) return undefined;
  if (isAnswered(cdr)) return { trunk, ok: true };
  for (const field of ["failure_reason", "failure_code", "hangup_cause_name", "hangup_cause"]) {
    const cause = text((cdr as Record<string, unknown>)[field]);
    if (cause !== undefined && authFailure.test(cause)) return { trunk, ok: false, reason: cause };
  }
  return undefined;
}

/** A tracker with a window of `windowMs`, following at most 1,000 trunks. */
export function trunkTracker(windowMs: number): TrunkTracker {
  const trunks = new Map<string, { window: SlidingWindow; lastReason: string | undefined }>();
  return {
    record({ trunk, ok, reason }, at) {
      let entry = trunks.get(trunk);
      if (ok) {
        if (entry) entry.window = slidingWindow(windowMs);
        return;
      }
      if (!entry) {
        if (trunks.size >= 1000) trunks.delete(trunks.keys().next().value!);
        trunks.set(trunk, entry = { window: slidingWindow(windowMs), lastReason: undefined });
      }
      entry.window.add(at, 1, 1);
      entry.lastReason = reason ?? entry.lastReason;
    },
    health(trunk, at) {
      const entry = trunks.get(trunk);
      return { failures: entry?.window.totals(at).bad ?? 0, lastReason: entry?.lastReason };
    },
    trunks: () => [...trunks.keys()],
  };
}
