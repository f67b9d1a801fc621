/**
 * Small web-standard response helpers shared by the mock's routes and fault handling.
 *
 * @module
 */

import { errorBody, type ErrorInfo, type ErrorShape } from "./faults.ts";

/**
 * A JSON response with `content-type: application/json`.
 *
 * @example
 * ```ts
 * import { json } from "./http.ts";
 * const response = json(201, { trunk_id: "t1" });
 * ```
 */
export function json(status: number, body: unknown, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/**
 * A Vobiz error response in the given body shape.
 *
 * @example
 * ```ts
 * import { vobizError } from "./http.ts";
 * const response = vobizError("envelope", { status: 404, code: "TRUNK_NOT_FOUND", message: "no trunk" });
 * ```
 */
export function vobizError(
  shape: ErrorShape,
  info: ErrorInfo,
  now: number = Date.now(),
  headers?: Record<string, string>,
): Response {
  return json(info.status, errorBody(shape, info, now), headers);
}

/**
 * A field-level validation failure, as listed in a 422 `VALIDATION_ERROR` body.
 *
 * @example
 * ```ts
 * import type { FieldError } from "./http.ts";
 * const issue: FieldError = { field: "per_page", message: "at most 100", code: "OUT_OF_RANGE", value: "500" };
 * ```
 */
export interface FieldError {
  /** The offending field. */
  field: string;
  /** What is wrong. */
  message: string;
  /** `MIN_LENGTH`, `INVALID_FORMAT`, `OUT_OF_RANGE`, `REQUIRED`. */
  code: string;
  /** The value received. */
  value?: unknown;
}

/**
 * A 422 `VALIDATION_ERROR` envelope listing the failed fields in `details.errors`.
 *
 * @example
 * ```ts
 * import { validationError } from "./http.ts";
 * const response = validationError([{ field: "name", message: "required", code: "REQUIRED" }]);
 * ```
 */
export function validationError(errors: FieldError[], now: number = Date.now()): Response {
  const message = errors.map((e) => `${e.field}: ${e.message}`).join("; ");
  return vobizError("envelope", {
    status: 422,
    code: "VALIDATION_ERROR",
    message,
    details: { errors },
  }, now);
}

/**
 * Copies a response with extra headers (later values win).
 *
 * @example
 * ```ts
 * import { json, withHeaders } from "./http.ts";
 * const response = withHeaders(json(503, {}), { "retry-after": "1" });
 * ```
 */
export function withHeaders(response: Response, extra: Record<string, string>): Response {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
