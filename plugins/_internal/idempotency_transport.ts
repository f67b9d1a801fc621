// The transport of a paid write: around-advice that hooks cannot give. It sends one attempt, reads
// the whole answer inside that attempt's timeout, and when the outcome is unknown (the connection
// failed, the attempt timed out, or a 5xx came back) it asks for a state check instead of letting
// anything resend the write.
import { TimeoutError } from "ky";
import type { Clock } from "../../src/clock.ts";
import type { FetchLike } from "../../src/options.ts";
import type { IdempotencyMeta } from "../idempotency.ts";
import { neverSent } from "./idempotency_checks.ts";
import { withBody } from "./idempotency_record.ts";

const decoder = new TextDecoder();

/**
 * `transport` for one paid write. `timeout`: the per-attempt timeout, taken over from ky so that
 * it bounds the attempt, not the check. `keep` gets a successful answer (2xx), read whole within
 * the attempt. `reconcile` answers with a success when the write took effect, undefined when it
 * did not, and throws otherwise. (Positional: property names would survive minification.)
 */
export function paidTransport(
  transport: FetchLike,
  timeout: number | false,
  clock: Clock,
  meta: IdempotencyMeta,
  keep: (status: number, contentType: string | null, body: string) => void,
  reconcile: (reason: string, cause: unknown) => Promise<Response | undefined>,
): FetchLike {
  return async (request, init) => {
    meta.sent = true;
    meta.settled = false;
    meta.safeToRetry = false;
    const timer = attemptTimer(clock, timeout);
    let reason: string;
    let cause: unknown;
    let fallback: () => Response;
    try {
      const response = await transport(request, {
        ...init,
        signal: AbortSignal.any([request.signal, timer.signal]),
      });
      // An answer that breaks off mid-body means the write ran and its answer was lost.
      const body = await response.arrayBuffer();
      if (response.status < 500) {
        meta.settled = true;
        meta.safeToRetry = response.status === 408 || response.status === 429;
        if (response.ok) {
          keep(response.status, response.headers.get("content-type"), decoder.decode(body));
        }
        return withBody(response, body);
      }
      reason = `the server answered ${response.status}`;
      cause = new Error(`HTTP ${response.status} ${response.statusText}`.trim());
      fallback = () => withBody(response, body);
    } catch (error) {
      // The caller or the total deadline gave up: the outcome stays unknown (recorded as such).
      if (request.signal.aborted) throw error;
      if (!timer.fired && neverSent(error)) {
        meta.settled = true;
        meta.safeToRetry = true;
        throw error;
      }
      const failure = timer.fired ? new TimeoutError(request) : error;
      reason = timer.fired ? "the attempt timed out" : "the connection failed";
      cause = failure;
      fallback = () => {
        throw failure;
      };
    } finally {
      timer.clear();
    }
    const reconciled = await reconcile(reason, cause);
    if (reconciled !== undefined) return reconciled;
    meta.settled = true; // the check found that the write did not happen
    meta.safeToRetry = true;
    return fallback();
  };
}

interface AttemptTimer {
  readonly signal: AbortSignal;
  readonly fired: boolean;
  clear(): void;
}

function attemptTimer(clock: Clock, ms: number | false): AttemptTimer {
  const fire = new AbortController();
  const stop = new AbortController();
  let fired = false;
  if (ms !== false) {
    clock.sleep(ms, stop.signal).then(() => {
      fired = true;
      fire.abort(new DOMException("The attempt timed out", "TimeoutError"));
    }, () => {});
  }
  return {
    signal: fire.signal,
    get fired() {
      return fired;
    },
    clear: () => stop.abort(),
  };
}
