// Turns whatever a call threw (ky's errors, fetch's TypeErrors, an abort, a malformed body) into
// the library's typed errors, so every call ends in a value or a VobizError.
import { isHTTPError, isKyError, isNetworkError, isTimeoutError, SchemaValidationError } from "ky";
import {
  isVobizError,
  VobizAbortError,
  VobizError,
  type VobizErrorOptions,
  VobizHttpError,
  VobizNetworkError,
  VobizResponseValidationError,
  VobizTimeoutError,
} from "../errors.ts";
import type { CallContext } from "../hooks.ts";
import { parseErrorBody } from "./error_body.ts";
import { retryAfterMs } from "./retry_after.ts";

export function toVobizError(error: unknown, context: CallContext, now: number): Error {
  if (isVobizError(error)) return error;
  const details: VobizErrorOptions = {
    cause: error,
    requestId: context.requestId,
    method: context.method,
    route: context.route,
  };
  const signal = context.options.signal;
  if (signal?.aborted) {
    return new VobizAbortError(`${call(context)} was aborted`, {
      ...details,
      cause: signal.reason,
    });
  }
  if (isHTTPError(error)) {
    const parsed = parseErrorBody(error.data);
    return new VobizHttpError({
      ...details,
      status: error.response.status,
      vobizCode: parsed.code,
      vobizMessage: parsed.message ?? error.response.statusText,
      vobizRequestId: parsed.requestId,
      body: error.data,
      retryAfterMs: retryAfterMs(error.response.headers, now),
    });
  }
  if (isTimeoutError(error)) return new VobizTimeoutError(`${call(context)} timed out`, details);
  if (isNetworkError(error)) {
    return new VobizNetworkError(`${call(context)} failed: ${describe(error.cause)}`, details);
  }
  if (error instanceof SchemaValidationError) {
    const issues = error.issues.map((issue) => ({
      path: (issue.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join("."),
      message: issue.message,
    }));
    return new VobizResponseValidationError(
      `${call(context)} answered with an unexpected shape`,
      issues,
      details,
    );
  }
  if (error instanceof SyntaxError) {
    return new VobizResponseValidationError(
      `${call(context)} answered with malformed JSON`,
      [],
      details,
    );
  }
  // A body that broke off mid-read, or a transport that threw a TypeError ky did not recognise.
  if (error instanceof TypeError || isKyError(error)) {
    return new VobizNetworkError(`${call(context)} failed: ${describe(error)}`, details);
  }
  if (error instanceof Error) return error; // thrown by a user's own hook handler: theirs to see
  return new VobizError("NETWORK_ERROR", `${call(context)} failed: ${String(error)}`, details);
}

function call(context: CallContext): string {
  return `${context.method} ${context.route}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
