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
    // The attempt's own timer, on the client's clock; `stop` ends it once the attempt is over.
    const fire = new AbortController();
    const stop = new AbortController();
    if (timeout !== false) {
      clock.sleep(timeout, stop.signal).then(
        () => fire.abort(new DOMException("The attempt timed out", "TimeoutError")),
        () => {},
      );
    }
    let failure: unknown; // a 5xx answer, or what the transport threw
    try {
      const response = await transport(request, {
        ...init,
        signal: AbortSignal.any([request.signal, fire.signal]),
      });
      // An answer that breaks off mid-body means the write ran and its answer was lost.
      const body = await response.arrayBuffer();
      const answer = withBody(response, body);
      if (response.status < 500) {
        meta.settled = true;
        meta.safeToRetry = response.status === 408 || response.status === 429;
        if (response.ok) {
          keep(response.status, response.headers.get("content-type"), decoder.decode(body));
        }
        return answer;
      }
      failure = answer;
    } catch (error) {
      // The caller or the total deadline gave up: the outcome stays unknown (recorded as such).
      if (request.signal.aborted) throw error;
      if (!fire.signal.aborted && neverSent(error)) {
        meta.settled = true;
        meta.safeToRetry = true;
        throw error;
      }
      failure = fire.signal.aborted ? new TimeoutError(request) : error;
    } finally {
      stop.abort();
    }
    const outcome = failure; // a const, so that `answered` narrows it
    const answered = outcome instanceof Response;
    const reconciled = await reconcile(
      answered
        ? `the server answered ${outcome.status}`
        : fire.signal.aborted
        ? "the attempt timed out"
        : "the connection failed",
      answered ? new Error(`HTTP ${outcome.status} ${outcome.statusText}`.trim()) : outcome,
    );
    if (reconciled !== undefined) return reconciled;
    meta.settled = true; // the check found that the write did not happen
    meta.safeToRetry = true;
    if (answered) return outcome;
    throw outcome;
  };
}
