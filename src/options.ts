/**
 * Options of {@link createClient} and of a single call. Library options are camelCase; request
 * bodies, filters and answers keep the API's own snake_case names.
 *
 * @example
 * ```ts
 * import { createClient } from "vobiz-kit";
 * const vobiz = createClient({
 *   authId: "MA_XXXXXXXX",
 *   authToken: () => secrets.get("vobiz/token"), // resolved per request: rotation needs no restart
 *   timeout: 10_000,
 * });
 * ```
 *
 * @module
 */
import type { StandardSchemaV1 } from "ky";
import type { Clock } from "./clock.ts";
import type { EnvRecord } from "./env.ts";
import type { VobizPlugin } from "./plugin.ts";

/** A credential: the value, or a function (a secrets manager) resolved before every call. */
export type Credential = string | (() => string | Promise<string>);

/** A `fetch`-compatible function. */
export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** Account Auth ID (`MA_…`, `SA_…`). Default: `VOBIZ_AUTH_ID` from `env` or the environment. */
  authId?: Credential;
  /** Account Auth Token. Default: `VOBIZ_AUTH_TOKEN` from `env` or the environment. */
  authToken?: Credential;
  /** REST base. Default `https://api.vobiz.ai/api/v1`. Must be https (see `allowInsecureLoopback`). */
  baseUrl?: string;
  /** Allow a plain-`http:` base URL to a loopback host (the mock API, local tests). Default false. */
  allowInsecureLoopback?: boolean;
  /** The transport. Default: the global `fetch` (pooled transports live in their own subpaths). */
  fetch?: FetchLike;
  /** Per-attempt timeout in ms (ky's `timeout`), or `false`. Default 30000. */
  timeout?: number | false;
  /** Deadline for the whole call, retries and waits included (ky's `totalTimeout`). Default none. */
  totalTimeout?: number | false;
  /** Where to read `VOBIZ_AUTH_ID`/`VOBIZ_AUTH_TOKEN` instead of the runtime's environment (Workers). */
  env?: EnvRecord;
  /** Plugins, in the order their handlers run. */
  plugins?: readonly VobizPlugin[];
  /** Headers sent with every call. */
  headers?: Record<string, string>;
  /** Time source for the client and its plugins. Default: the system clock. */
  clock?: Clock;
}

/** Query values; `undefined` entries are left out. */
export type SearchParams = Record<string, string | number | boolean | undefined>;

/** Options of one call through `client.request`. */
export interface RequestOptions {
  /** Values for `{placeholders}` of the path template; `{auth_id}` is filled in automatically. */
  params?: Record<string, string | number>;
  /** Query string. */
  searchParams?: SearchParams;
  /** JSON body. */
  json?: unknown;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
  /** Cancels the call. */
  signal?: AbortSignal;
  /** Key of a paid or irreversible write (see the idempotency plugin). */
  idempotencyKey?: string;
  /** Marks the call as a paid or irreversible write, so no plugin ever re-sends it blindly. */
  paid?: boolean;
  /** Standard Schema (e.g. valibot) the JSON answer is validated against. */
  schema?: StandardSchemaV1;
  /** Route template for logs and metrics. Default: the path as given (before expansion). */
  route?: string;
  /** Per-attempt timeout for this call. */
  timeout?: number | false;
  /** Deadline for this call. */
  totalTimeout?: number | false;
  /** `json` (default: parsed body, `undefined` when empty), `text`, or `response` (the raw answer;
   * the caller must read or cancel its body). */
  responseType?: "json" | "text" | "response";
  /** Per-call settings for plugins, keyed by plugin name (e.g. `{ cache: false }`). */
  plugins?: Record<string, unknown>;
}

/** The per-call options every resource method takes as its last argument. */
export type CallOptions = Pick<
  RequestOptions,
  "signal" | "idempotencyKey" | "headers" | "timeout" | "totalTimeout" | "plugins"
>;
