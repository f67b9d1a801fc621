/**
 * The error taxonomy: one base class, {@link VobizError}, with a stable string `code`, and one
 * subclass per way a call can fail. Every call of the client ends in a value or one of these.
 *
 * @example
 * ```ts
 * import { isVobizError } from "vobiz-kit";
 * try {
 *   await vobiz.balance.get();
 * } catch (error) {
 *   if (isVobizError(error) && error.code === "HTTP_ERROR") console.log(error.status);
 * }
 * ```
 *
 * @module
 */

/** Stable machine-readable codes carried by every {@link VobizError}. */
export type VobizErrorCode =
  | "HTTP_ERROR"
  | "NETWORK_ERROR"
  | "TIMEOUT"
  | "ABORTED"
  | "VALIDATION_ERROR"
  | "RESPONSE_VALIDATION_ERROR"
  | "CIRCUIT_OPEN"
  | "RATE_LIMITED"
  | "INSECURE_URL"
  | "MISSING_CREDENTIALS"
  | "AMBIGUOUS_OUTCOME";

/** Options common to every {@link VobizError}. */
export interface VobizErrorOptions {
  /** The underlying error (a ky error, a `TypeError` from fetch, …). */
  cause?: unknown;
  /** The client's `X-Request-Id` of the call that failed, when there was a call. */
  requestId?: string | undefined;
  /** HTTP method of the call. */
  method?: string | undefined;
  /** Route template of the call (e.g. `/Account/{auth_id}/cdr`). */
  route?: string | undefined;
}

// A registered symbol survives realms (iframes, vm contexts, duplicated bundles), unlike instanceof.
const brand: unique symbol = Symbol.for("vobiz-kit.error") as never;

/**
 * Base class of every error the library throws.
 *
 * @example
 * ```ts
 * import { VobizError } from "vobiz-kit";
 * const error = new VobizError("NETWORK_ERROR", "socket hang up");
 * console.log(error.code); // "NETWORK_ERROR"
 * ```
 */
export class VobizError extends Error {
  /** Stable code; compare against it rather than the class or the message. */
  readonly code: VobizErrorCode;
  /** The client's `X-Request-Id` of the failed call (same on every retry of it). */
  readonly requestId: string | undefined;
  /** HTTP method of the failed call. */
  readonly method: string | undefined;
  /** Route template of the failed call. */
  readonly route: string | undefined;

  /**
   * @param code the stable error code
   * @param message a human-readable message (never contains secrets)
   * @param options cause and call details
   */
  constructor(code: VobizErrorCode, message: string, options: VobizErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "VobizError";
    this.code = code;
    this.requestId = options.requestId;
    this.method = options.method;
    this.route = options.route;
    Object.defineProperty(this, brand, { value: true });
  }

  /** A plain, secret-free summary for logs. */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = {
      name: this.name,
      code: this.code,
      message: this.message,
    };
    for (const [key, value] of Object.entries(this)) {
      if (value !== undefined && key !== "cause") json[key] = value;
    }
    return json;
  }
}

/**
 * True for any error thrown by vobiz-kit, also across realms and duplicated copies of the package.
 *
 * @example
 * ```ts
 * import { isVobizError } from "vobiz-kit";
 * isVobizError(new Error("x")); // false
 * ```
 */
export function isVobizError(value: unknown): value is VobizError {
  return typeof value === "object" && value !== null &&
    (value as Record<symbol, unknown>)[brand] === true;
}

/** Details of a non-2xx answer, parsed from any of the Vobiz error-body shapes. */
export interface VobizHttpErrorDetails extends VobizErrorOptions {
  /** HTTP status. */
  status: number;
  /** Vobiz's own error code (e.g. `TOKEN_EXPIRED`, `INSUFFICIENT_BALANCE`), when the body had one. */
  vobizCode?: string | undefined;
  /** Vobiz's message, when the body had one. */
  vobizMessage?: string | undefined;
  /** Vobiz's id of the request (`requestId`, `api_id` or `request_id` in the body). */
  vobizRequestId?: string | undefined;
  /** The parsed body (JSON value, or the text when it was not JSON). */
  body?: unknown;
  /** `Retry-After` in milliseconds, when the server sent one. */
  retryAfterMs?: number | undefined;
}

/**
 * The server answered with a non-2xx status.
 *
 * @example
 * ```ts
 * import { VobizHttpError } from "vobiz-kit";
 * try { await vobiz.numbers.purchase({ e164: "+14155550100" }); } catch (error) {
 *   if (error instanceof VobizHttpError && error.vobizCode === "INSUFFICIENT_BALANCE") { … }
 * }
 * ```
 */
export class VobizHttpError extends VobizError {
  /** HTTP status. */
  readonly status: number;
  /** Vobiz's own error code, when present. */
  readonly vobizCode: string | undefined;
  /** Vobiz's id of the request, when present. */
  readonly vobizRequestId: string | undefined;
  /** The parsed error body. */
  readonly body: unknown;
  /** `Retry-After` in milliseconds, when present. */
  readonly retryAfterMs: number | undefined;

  /** @param details the parsed answer */
  constructor(details: VobizHttpErrorDetails) {
    const what = [details.status, details.vobizCode, details.vobizMessage].filter(Boolean).join(
      " ",
    );
    super("HTTP_ERROR", `${callName(details)}failed: ${what}`, details);
    this.name = "VobizHttpError";
    this.status = details.status;
    this.vobizCode = details.vobizCode;
    this.vobizRequestId = details.vobizRequestId;
    this.body = details.body;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/**
 * The request never got an answer: DNS, refused or reset connection, TLS failure.
 *
 * @example
 * ```ts
 * import { VobizNetworkError } from "vobiz-kit";
 * new VobizNetworkError("connection reset").code; // "NETWORK_ERROR"
 * ```
 */
export class VobizNetworkError extends VobizError {
  /** @param message what happened @param options cause and call details */
  constructor(message: string, options: VobizErrorOptions = {}) {
    super("NETWORK_ERROR", message, options);
    this.name = "VobizNetworkError";
  }
}

/**
 * An attempt exceeded `timeout`, or the call exceeded `totalTimeout`.
 *
 * @example
 * ```ts
 * import { VobizTimeoutError } from "vobiz-kit";
 * new VobizTimeoutError("timed out").code; // "TIMEOUT"
 * ```
 */
export class VobizTimeoutError extends VobizError {
  /** @param message what happened @param options cause and call details */
  constructor(message: string, options: VobizErrorOptions = {}) {
    super("TIMEOUT", message, options);
    this.name = "VobizTimeoutError";
  }
}

/**
 * The caller's `AbortSignal` fired. `name` is `"AbortError"`, as with `fetch`; `cause` is the
 * signal's reason.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const pending = vobiz.balance.get("INR", { signal: controller.signal });
 * controller.abort();
 * await pending.catch((error) => error.code); // "ABORTED"
 * ```
 */
export class VobizAbortError extends VobizError {
  /** @param message what happened @param options cause (the abort reason) and call details */
  constructor(message: string, options: VobizErrorOptions = {}) {
    super("ABORTED", message, options);
    this.name = "AbortError";
  }
}

/** One problem found by input validation (a valibot issue, reduced to what users need). */
export interface ValidationIssue {
  /** Dotted path of the offending field (e.g. `to` or `ip_addresses.0`); empty for the root. */
  path: string;
  /** What is wrong with it. */
  message: string;
  /** The offending value. */
  input?: unknown;
}

/**
 * Bad input, rejected before any network call.
 *
 * @example
 * ```ts
 * import { VobizValidationError } from "vobiz-kit";
 * try { await vobiz.calls.create({ from: "12", to: "x", answer_url: "ftp://" }); } catch (error) {
 *   if (error instanceof VobizValidationError) console.log(error.issues.map((i) => i.path));
 * }
 * ```
 */
export class VobizValidationError extends VobizError {
  /** Every problem found, with the field path. */
  readonly issues: readonly ValidationIssue[];

  /** @param issues the problems @param options call details */
  constructor(issues: readonly ValidationIssue[], options: VobizErrorOptions = {}) {
    const summary = issues.map((issue) => `${issue.path || "(input)"}: ${issue.message}`);
    super("VALIDATION_ERROR", `Invalid input: ${summary.join("; ")}`, options);
    this.name = "VobizValidationError";
    this.issues = issues;
  }
}

/**
 * The server's answer could not be parsed or did not match its schema.
 *
 * @example
 * ```ts
 * import { VobizResponseValidationError } from "vobiz-kit";
 * new VobizResponseValidationError("malformed JSON", []).code; // "RESPONSE_VALIDATION_ERROR"
 * ```
 */
export class VobizResponseValidationError extends VobizError {
  /** The schema's issues (empty when the body was not valid JSON). */
  readonly issues: readonly ValidationIssue[];

  /** @param message what happened @param issues schema issues @param options cause and call details */
  constructor(
    message: string,
    issues: readonly ValidationIssue[],
    options: VobizErrorOptions = {},
  ) {
    super("RESPONSE_VALIDATION_ERROR", message, options);
    this.name = "VobizResponseValidationError";
    this.issues = issues;
  }
}

/**
 * The circuit breaker for this route is open: the call failed fast without touching the network.
 *
 * @example
 * ```ts
 * import { VobizCircuitOpenError } from "vobiz-kit";
 * const error = new VobizCircuitOpenError("route", 30_000);
 * error.retryAfterMs; // 30000
 * ```
 */
export class VobizCircuitOpenError extends VobizError {
  /** The circuit key that is open. */
  readonly key: string;
  /** Milliseconds until the breaker lets a probe through. */
  readonly retryAfterMs: number;

  /** @param key circuit key @param retryAfterMs time until the next probe @param options call details */
  constructor(key: string, retryAfterMs: number, options: VobizErrorOptions = {}) {
    super("CIRCUIT_OPEN", `Circuit "${key}" is open; next probe in ${retryAfterMs} ms`, options);
    this.name = "VobizCircuitOpenError";
    this.key = key;
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * Rate limited: the server asked to wait longer than allowed, or the client-side limiter's queue
 * was full or its maximum wait was exceeded.
 *
 * @example
 * ```ts
 * import { VobizRateLimitedError } from "vobiz-kit";
 * new VobizRateLimitedError("queue full", 1000).retryAfterMs; // 1000
 * ```
 */
export class VobizRateLimitedError extends VobizError {
  /** How long the server (or limiter) asked to wait, in milliseconds, when known. */
  readonly retryAfterMs: number | undefined;

  /** @param message what happened @param retryAfterMs requested delay @param options details */
  constructor(message: string, retryAfterMs?: number, options: VobizErrorOptions = {}) {
    super("RATE_LIMITED", message, options);
    this.name = "VobizRateLimitedError";
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * A plain-`http:` base URL was given (only loopback with `allowInsecureLoopback` is allowed).
 *
 * @example
 * ```ts
 * import { createClient } from "vobiz-kit";
 * createClient({ baseUrl: "http://api.vobiz.ai/api/v1" }); // throws code "INSECURE_URL"
 * ```
 */
export class VobizInsecureUrlError extends VobizError {
  /** @param message what happened */
  constructor(message: string) {
    super("INSECURE_URL", message);
    this.name = "VobizInsecureUrlError";
  }
}

/**
 * No credentials were given and none were found in the environment.
 *
 * @example
 * ```ts
 * import { createClient } from "vobiz-kit";
 * createClient({ env: {} }); // throws code "MISSING_CREDENTIALS"
 * ```
 */
export class VobizMissingCredentialsError extends VobizError {
  /** @param message what is missing and where it was looked for */
  constructor(message: string) {
    super("MISSING_CREDENTIALS", message);
    this.name = "VobizMissingCredentialsError";
  }
}

/**
 * A paid or irreversible write may or may not have been performed, and no state check could tell.
 * It was not re-sent. Check the account before trying again with the same `idempotencyKey`.
 *
 * @example
 * ```ts
 * import { VobizAmbiguousOutcomeError } from "vobiz-kit";
 * const error = new VobizAmbiguousOutcomeError("key-1", "no state check for this route");
 * error.idempotencyKey; // "key-1"
 * ```
 */
export class VobizAmbiguousOutcomeError extends VobizError {
  /** The idempotency key of the operation. */
  readonly idempotencyKey: string;
  /** What was checked to find the outcome, and what it found. */
  readonly checked: string;

  /** @param idempotencyKey the key @param checked what was checked @param options cause and details */
  constructor(idempotencyKey: string, checked: string, options: VobizErrorOptions = {}) {
    super(
      "AMBIGUOUS_OUTCOME",
      `${callName(options)}outcome unknown (idempotency key ${idempotencyKey}): ${checked}`,
      options,
    );
    this.name = "VobizAmbiguousOutcomeError";
    this.idempotencyKey = idempotencyKey;
    this.checked = checked;
  }
}

function callName(options: VobizErrorOptions): string {
  return options.method && options.route ? `${options.method} ${options.route} ` : "";
}
