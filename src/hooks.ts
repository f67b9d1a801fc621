/**
 * The hook bus of a client: lifecycle hooks that the core calls, and namespaced events that
 * plugins emit. `client.hooks` is a `hookable` instance typed with {@link VobizHooks}; handlers run
 * in registration order and are awaited.
 *
 * @example
 * ```ts
 * const off = vobiz.hooks.hook("done", ({ context, error }) => {
 *   console.log(context.method, context.route, error?.code ?? "ok");
 * });
 * off(); // handlers can be removed at run time
 * ```
 *
 * @module
 */
import type { RequestOptions } from "./options.ts";

/**
 * What the hooks of one logical call share: identical across its retries. Holds no secret: the
 * auth token is added by the transport, after every hook, and never stored here.
 */
export interface CallContext {
  /** The `X-Request-Id` sent with every attempt of this call (a UUID). */
  readonly requestId: string;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Route template (e.g. `/Account/{auth_id}/cdr`): a bounded label for logs and metrics. */
  readonly route: string;
  /** Full URL of the call, with its query string. */
  readonly url: string;
  /** The account the call acts for (`X-Auth-ID`). Not a secret. */
  readonly authId: string;
  /** Clock time when the call started. */
  readonly startedAt: number;
  /** 0 for the first attempt, n for the n-th retry. */
  attempt: number;
  /** The per-call options the caller gave. */
  readonly options: Readonly<RequestOptions>;
  /** Scratch space for plugins (e.g. `meta.cache = "hit"`), namespaced by plugin name. */
  readonly meta: Record<string, unknown>;
}

/** Payload of `beforeRequest`: once per call, before the first attempt. */
export interface BeforeRequestEvent {
  readonly context: CallContext;
  /** The outgoing request (headers may be changed). */
  readonly request: Request;
  /** Answer the call without the network (a cache hit). The response still passes `afterResponse`. */
  respondWith(response: Response): void;
}

/** Payload of `beforeRetry`: before each retry. Throwing stops the retries with that error. */
export interface BeforeRetryEvent {
  readonly context: CallContext;
  readonly request: Request;
  /** Why the previous attempt failed. */
  readonly error: Error;
  /** The retry about to be made (1 for the first retry). */
  readonly attempt: number;
}

/**
 * Payload of `afterResponse`: once per attempt that got an answer, error statuses included, and
 * once for an answer given with `respondWith`. The core dispatches it from the transport (no copy
 * of the answer is made): handler time counts toward the attempt's `timeout`, and a handler that
 * throws fails the call with its error.
 */
export interface AfterResponseEvent {
  readonly context: CallContext;
  readonly request: Request;
  /**
   * The answer itself. `text()`, `json()`, `arrayBuffer()`, `bytes()` and `clone()` share one read
   * of its body, so every handler and then the caller can read it; read it while the handler runs.
   */
  readonly response: Response;
  /** 0 for the first attempt. */
  readonly attempt: number;
}

/** Payload of `onError`: once per failed call, with the final error. */
export interface ErrorEvent {
  readonly context: CallContext;
  readonly error: Error;
}

/** Payload of `done`: once per call, success or failure. */
export interface DoneEvent {
  readonly context: CallContext;
  /** The parsed answer on success. */
  readonly data?: unknown;
  /** The final error on failure. */
  readonly error?: Error;
  /** Wall time of the whole call, retries included, in milliseconds (by the client's clock). */
  readonly durationMs: number;
}

/** Payload of `retry:scheduled`: a retry will happen after `delayMs`. */
export interface RetryScheduledEvent {
  readonly context: CallContext;
  readonly attempt: number;
  readonly delayMs: number;
  /** `status 503`, `NETWORK_ERROR`, … */
  readonly reason: string;
}

/** Circuit breaker states. */
export type CircuitState = "closed" | "open" | "half-open";

/** Payload of `circuit:state`: a circuit changed state. */
export interface CircuitStateEvent {
  readonly key: string;
  readonly from: CircuitState;
  readonly to: CircuitState;
  readonly at: number;
}

/** Payload of the `cache:*` events. */
export interface CacheEvent {
  readonly key: string;
  readonly context?: CallContext;
}

/** Payload of `auth:refreshed`: a new access token was obtained. */
export interface AuthRefreshedEvent {
  readonly at: number;
  /** When the new access token expires (clock time, ms). */
  readonly expiresAt: number;
  /** `expiring` (proactive) or `expired` (after a 401 TOKEN_EXPIRED). */
  readonly reason: "expiring" | "expired";
}

/** Payload of the `ratelimit:*` events. */
export interface RateLimitEvent {
  readonly context?: CallContext;
  /** How long callers pause or wait, in ms. */
  readonly waitMs: number;
  /** Calls waiting in the limiter's queue. */
  readonly queued: number;
  /** Most calls the queue holds, when it is bounded (the alerts plugin warns past 80 % of it). */
  readonly maxQueued?: number;
}

/** Payload of the `idempotency:*` events. */
export interface IdempotencyEvent {
  readonly context: CallContext;
  readonly key: string;
}

/** Payload of `alert:fired` and `alert:resolved`. */
export interface AlertEvent {
  /** The rule's name (e.g. `lowBalance`). */
  readonly rule: string;
  readonly message: string;
  readonly value?: number;
  readonly at: number;
  /** What the alert is about, when a rule watches several things (a currency, a trunk id). */
  readonly subject?: string;
  /** The limit the value crossed. */
  readonly threshold?: number;
}

type Handler<T> = (event: T) => void | Promise<void>;

/** Every hook and event of a client, with its payload. */
export interface VobizHooks {
  beforeRequest: Handler<BeforeRequestEvent>;
  beforeRetry: Handler<BeforeRetryEvent>;
  afterResponse: Handler<AfterResponseEvent>;
  onError: Handler<ErrorEvent>;
  done: Handler<DoneEvent>;
  "retry:scheduled": Handler<RetryScheduledEvent>;
  "circuit:state": Handler<CircuitStateEvent>;
  "cache:hit": Handler<CacheEvent>;
  "cache:miss": Handler<CacheEvent>;
  "cache:stale": Handler<CacheEvent>;
  "cache:invalidate": Handler<CacheEvent>;
  "auth:refreshed": Handler<AuthRefreshedEvent>;
  "ratelimit:hit": Handler<RateLimitEvent>;
  "ratelimit:queued": Handler<RateLimitEvent>;
  "idempotency:joined": Handler<IdempotencyEvent>;
  "idempotency:replayed": Handler<IdempotencyEvent>;
  "idempotency:reconciled": Handler<IdempotencyEvent>;
  "alert:fired": Handler<AlertEvent>;
  "alert:resolved": Handler<AlertEvent>;
}
