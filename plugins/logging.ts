/**
 * The `logging` plugin: one structured record per call (`info`, or `warn`/`error` when it failed) and
 * one per attempt (`debug`), redacted by default, written to a sink function (default: one JSON line
 * on the console), so pino, consola or a Workers `console` plug in unchanged.
 *
 * @example
 * ```ts
 * import { createClient } from "vobiz-kit";
 * import { logging } from "vobiz-kit/plugins/logging";
 *
 * const vobiz = createClient({ plugins: [logging({ level: "debug", sampleRate: 0.1 })] });
 * await vobiz.balance.get();
 * // {"time":"2026-11-26T10:00:00.000Z","level":"info","service":"vobiz-api",
 * //  "msg":"GET /Account/{auth_id}/balance/{currency} 200 in 84 ms","kind":"call",…}
 * ```
 *
 * @module
 */
import type { CallContext } from "../src/hooks.ts";
import type { PluginHost, VobizPlugin } from "../src/plugin.ts";
import { parseErrorBody } from "../src/_internal/error_body.ts";
import { createRedactor } from "./_internal/log_redact.ts";
import { readJson } from "./_internal/metric_answers.ts";

/**
 * Severity of a record, lowest first.
 *
 * @example
 * ```ts
 * const level: LogLevel = verbose ? "debug" : "info";
 * const plugin = logging({ level });
 * ```
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

/**
 * One log record: plain JSON, already redacted.
 *
 * @example
 * ```ts
 * const plugin = logging({
 *   sink: (record: LogRecord) => {
 *     if (record.kind === "call" && record.durationMs !== undefined) latency.push(record.durationMs);
 *   },
 * });
 * ```
 */
export interface LogRecord {
  /** ISO time, by the client's clock. */
  time: string;
  /** `debug` for attempts; `info`, `warn` or `error` for calls. */
  level: LogLevel;
  /** `vobiz-api` unless configured. */
  service: string;
  /** A one-line summary. */
  msg: string;
  /** `call` (once per call) or `attempt` (once per attempt). */
  kind: "call" | "attempt";
  /** Upper-case method. */
  method: string;
  /** Route template, e.g. `/Account/{auth_id}/cdr`. */
  route: string;
  /** Full URL with its query string (secret parameters redacted). */
  url: string;
  /** The client's `X-Request-Id` (the same on every attempt of a call). */
  requestId: string;
  /** The attempt (0 for the first); for a call record, the last one made. */
  attempt: number;
  /** Attempts made (call records). */
  attempts?: number;
  /** HTTP status of the answer, when there was one. */
  status?: number;
  /** Duration of the attempt, or of the whole call with its retries, in ms. */
  durationMs?: number;
  /** Vobiz's own id of the request (`api_id`, `requestId` or `request_id` in the answer). */
  vobizRequestId?: string;
  /** The library's error code on failure (`HTTP_ERROR`, `NETWORK_ERROR`, …). */
  errorCode?: string;
  /** Vobiz's error code (`TOKEN_EXPIRED`, `INSUFFICIENT_BALANCE`, …). */
  vobizCode?: string;
  /** The error message. */
  error?: string;
  /** Request headers (attempt records, with `headers: true`). */
  requestHeaders?: Record<string, string>;
  /** The JSON body sent (call records, with `bodies: true`). */
  requestBody?: unknown;
  /** The error answer's body (call records, with `bodies: true`). */
  errorBody?: unknown;
}

/**
 * Receives each record. Must not throw (a throwing sink is ignored).
 *
 * @example
 * ```ts
 * const sink: LogSink = (record) => consola[record.level](record.msg, record);
 * const plugin = logging({ sink });
 * ```
 */
export type LogSink = (record: LogRecord) => void;

/**
 * Options of {@link logging}.
 *
 * @example
 * ```ts
 * const options: LoggingOptions = { level: "debug", sampleRate: 0.05, redact: ["ssn"] };
 * const vobiz = createClient({ plugins: [logging(options)] });
 * ```
 */
export interface LoggingOptions {
  /** Where records go. Default: one JSON line, `console.log` for debug/info, `console.error` above. */
  sink?: LogSink;
  /** Lowest level written. Default `info` (so per-attempt records are off). */
  level?: LogLevel;
  /** Share of calls (0…1) whose per-attempt records are written, decided once per call. Default 1. */
  sampleRate?: number;
  /** Source of randomness for sampling, in [0, 1). Default `Math.random`. */
  random?: () => number;
  /**
   * More to redact, on top of the defaults (auth and cookie headers; `password`, `*_token`,
   * `*_secret` fields and query parameters at any depth; bearer tokens and JWTs in text): a name
   * (`ssn`) is redacted at any depth, a dotted record path (`requestBody.card.*`) only there.
   */
  redact?: readonly string[];
  /** Add the request headers to attempt records. Default false. */
  headers?: boolean;
  /** Add the request's JSON body and the error answer's body to call records. Default false. */
  bodies?: boolean;
  /** The `service` field. Default `vobiz-api`. */
  service?: string;
}

/**
 * The logging plugin.
 *
 * @example
 * ```ts
 * const plugin: LoggingPlugin = logging();
 * const vobiz = createClient({ plugins: [plugin] });
 * ```
 */
export type LoggingPlugin = VobizPlugin;

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

// Per-call bookkeeping, dropped with the call's context. The first attempt starts with the call.
interface CallState {
  attemptStart: number;
  lastLogged: number;
  lastStatus: number | undefined;
  failedAt: number | undefined;
  sampled: boolean | undefined;
}

/**
 * The default sink: the record as one JSON line, on `console.log` (debug, info) or `console.error`
 * (warn, error).
 *
 * @example
 * ```ts
 * import { consoleSink, logging } from "vobiz-kit/plugins/logging";
 * const plugin = logging({ sink: (record) => record.kind === "call" && consoleSink(record) });
 * ```
 */
export const consoleSink: LogSink = (record) => {
  const line = JSON.stringify(record);
  if (rank[record.level] >= rank.warn) console.error(line);
  else console.log(line);
};

/**
 * Creates the logging plugin.
 *
 * @example
 * ```ts
 * import pino from "pino";
 * import { logging } from "vobiz-kit/plugins/logging";
 * const log = pino();
 * const plugin = logging({ sink: (record) => log[record.level](record, record.msg), redact: ["ssn"] });
 * ```
 */
export function logging(options: LoggingOptions = {}): LoggingPlugin {
  const sink = options.sink ?? consoleSink;
  const threshold = rank[options.level ?? "info"];
  const sampleRate = options.sampleRate ?? 1;
  const random = options.random ?? Math.random;
  const service = options.service ?? "vobiz-api";
  const redact = createRedactor(options.redact);
  const states = new WeakMap<CallContext, CallState>();
  let now = (): number => Date.now();

  const enabled = (level: LogLevel) => rank[level] >= threshold;

  function stateOf(context: CallContext): CallState {
    let state = states.get(context);
    if (!state) {
      state = {
        attemptStart: context.startedAt,
        lastLogged: -1,
        lastStatus: undefined,
        failedAt: undefined,
        sampled: undefined,
      };
      states.set(context, state);
    }
    return state;
  }

  // Attempt records are wanted for this call: debug is on and the call is in the sample.
  function attemptsWanted(state: CallState): boolean {
    if (!enabled("debug")) return false;
    state.sampled ??= sampleRate >= 1 || random() < sampleRate;
    return state.sampled;
  }

  function write(record: LogRecord): void {
    try {
      sink(redact(record) as LogRecord);
    } catch {
      // a broken sink must not break the call
    }
  }

  function base(context: CallContext, level: LogLevel, kind: LogRecord["kind"]): LogRecord {
    return {
      time: new Date(now()).toISOString(),
      level,
      service,
      msg: "",
      kind,
      method: context.method,
      route: context.route,
      url: context.url,
      requestId: context.requestId,
      attempt: context.attempt,
    };
  }

  function attemptFailed(context: CallContext, state: CallState, attempt: number, error: Error) {
    const record = base(context, "debug", "attempt");
    record.attempt = attempt;
    record.durationMs = (state.failedAt ?? now()) - state.attemptStart;
    record.errorCode = codeOf(error);
    record.error = error.message;
    record.msg =
      `${context.method} ${context.route} attempt ${attempt} failed: ${record.errorCode}`;
    write(record);
    state.lastLogged = attempt;
  }

  async function attemptRecord(
    context: CallContext,
    request: Request,
    response: Response,
    attempt: number,
    state: CallState,
  ): Promise<void> {
    const record = base(context, "debug", "attempt");
    record.attempt = attempt;
    record.status = response.status;
    record.durationMs = now() - state.attemptStart;
    const parsed = parseErrorBody(await readJson(response));
    if (parsed.requestId !== undefined) record.vobizRequestId = parsed.requestId;
    if (!response.ok && parsed.code !== undefined) record.vobizCode = parsed.code;
    if (options.headers) record.requestHeaders = Object.fromEntries(request.headers);
    record.msg = `${context.method} ${context.route} attempt ${attempt} → ${response.status}`;
    write(record);
    state.lastLogged = attempt;
  }

  return {
    name: "logging",
    setup(host: PluginHost) {
      now = () => host.clock.now();
      const { hooks } = host;
      const offs = [
        // Not async: without attempt records (the default level) it only notes the status.
        hooks.hook("afterResponse", ({ context, request, response, attempt }) => {
          const state = stateOf(context);
          state.lastStatus = response.status;
          return attemptsWanted(state)
            ? attemptRecord(context, request, response, attempt, state)
            : undefined;
        }),
        hooks.hook("retry:scheduled", ({ context }) => {
          stateOf(context).failedAt = now();
        }),
        hooks.hook("beforeRetry", ({ context, error, attempt }) => {
          const state = stateOf(context);
          // The previous attempt got no answer (network error, timeout): afterResponse never saw it.
          if (state.lastLogged < attempt - 1 && attemptsWanted(state)) {
            attemptFailed(context, state, attempt - 1, error);
          }
          state.attemptStart = now();
          state.failedAt = undefined;
        }),
        hooks.hook("done", ({ context, data, error, durationMs }) => {
          const state = stateOf(context);
          const answered = state.lastLogged >= context.attempt;
          if (error && !answered && noAnswer(error) && attemptsWanted(state)) {
            attemptFailed(context, state, context.attempt, error);
          }
          const level = error ? levelOf(error) : "info";
          if (!enabled(level)) return;
          write(callRecord(context, base(context, level, "call"), state, data, error, durationMs));
        }),
      ];
      return () => {
        for (const off of offs) off();
      };
    },
  };

  function callRecord(
    context: CallContext,
    record: LogRecord,
    state: CallState,
    data: unknown,
    error: Error | undefined,
    durationMs: number,
  ): LogRecord {
    const details = (error ?? {}) as Record<string, unknown>;
    const status = error ? details["status"] : state.lastStatus;
    record.attempts = record.attempt + 1;
    if (typeof status === "number") record.status = status;
    record.durationMs = durationMs;
    const vobizRequestId = error ? details["vobizRequestId"] : parseErrorBody(data).requestId;
    if (typeof vobizRequestId === "string") record.vobizRequestId = vobizRequestId;
    if (options.bodies && context.options.json !== undefined) {
      record.requestBody = context.options.json;
    }
    if (error) {
      record.errorCode = codeOf(error);
      if (typeof details["vobizCode"] === "string") record.vobizCode = details["vobizCode"];
      record.error = error.message;
      if (options.bodies && details["body"] !== undefined) record.errorBody = details["body"];
    }
    const outcome = error
      ? `failed: ${[record.errorCode, record.status, record.vobizCode].filter(Boolean).join(" ")}`
      : `${record.status ?? "ok"}`;
    record.msg = `${record.method} ${record.route} ${outcome} in ${durationMs} ms`;
    return record;
  }
}

function codeOf(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : error.name;
}

// No answer was received: the attempt is invisible to afterResponse.
function noAnswer(error: Error): boolean {
  const code = codeOf(error);
  return code === "NETWORK_ERROR" || code === "TIMEOUT";
}

// warn for what the caller can fix or expect (4xx, bad input, an abort, a local rate limit);
// error for what is wrong on the way or on Vobiz's side (5xx, network, timeout, open circuit, …).
function levelOf(error: Error): LogLevel {
  const status = (error as { status?: unknown }).status;
  if (typeof status === "number") return status >= 500 ? "error" : "warn";
  const code = codeOf(error);
  return code === "VALIDATION_ERROR" || code === "ABORTED" || code === "RATE_LIMITED"
    ? "warn"
    : "error";
}
