/**
 * `createCoreClient`: the engine every client is made of, without the typed resources. ky does the
 * transport, timeouts and retries; a `hookable` bus that plugins and users listen on gets every
 * lifecycle hook (beforeRequest and beforeRetry through ky's hooks, afterResponse from the
 * transport); credentials are resolved per call; every failure is a typed error. For the smallest bundle (an edge function
 * that only needs a few routes), import it from `vobiz-kit/core` and call `request()`;
 * `createClient` from `vobiz-kit` is this plus the typed resources.
 *
 * @example
 * ```ts
 * import { createCoreClient } from "vobiz-kit/core";
 * const vobiz = createCoreClient(); // VOBIZ_AUTH_ID / VOBIZ_AUTH_TOKEN from the environment
 * const balance = await vobiz.request("GET", "/Account/{auth_id}/balance/{currency}", {
 *   params: { currency: "INR" },
 * });
 * ```
 *
 * @module
 */
import type { Hooks as KyHooks, KyInstance, Options as KyOptions } from "ky";
import ky from "ky";
import type { Hookable } from "hookable";
import { type Clock, systemClock } from "./clock.ts";
import { readEnv } from "./env.ts";
import { VobizMissingCredentialsError, VobizValidationError } from "./errors.ts";
import type { CallContext, VobizHooks } from "./hooks.ts";
import type { ClientOptions, Credential, FetchLike, RequestOptions } from "./options.ts";
import type { PluginHost } from "./plugin.ts";
import {
  checkOptions,
  hasMethods,
  isBoolean,
  isCount,
  isFunction,
  isRecord,
  isString,
  option,
} from "./_internal/option_checks.ts";
import { HookBus } from "./_internal/hook_bus.ts";
import { checkBaseUrl } from "./_internal/secure_url.ts";
import { toVobizError } from "./_internal/to_vobiz_error.ts";

/** The default REST base of the Vobiz API. */
export const DEFAULT_BASE_URL = "https://api.vobiz.ai/api/v1";

/** Credentials of one account: values or suppliers resolved per call. */
export interface AccountCredentials {
  authId: Credential;
  authToken: Credential;
}

/** The core of a Vobiz client: the raw `request`, the hook bus, and the plugins' lifecycle. */
export interface VobizCoreClient {
  /** The hook bus: lifecycle hooks and plugin events. */
  readonly hooks: Hookable<VobizHooks>;
  /** The REST base URL (no trailing slash). */
  readonly baseUrl: string;
  /** The client's clock. */
  readonly clock: Clock;
  /**
   * The escape hatch every resource method uses. Resolves to the parsed JSON answer (`undefined`
   * for an empty one), or as `responseType` says.
   *
   * @example
   * ```ts
   * const cdr = await vobiz.request("GET", "/Account/{auth_id}/cdr/{uuid}", { params: { uuid } });
   * ```
   */
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<T>;
  /**
   * A client acting for another account (a sub-account's own traffic) that shares plugins, hooks
   * and connections with this one.
   *
   * @example
   * ```ts
   * const sub = vobiz.withAccount({ authId: "SA_123", authToken: subToken });
   * await sub.request("GET", "/Account/{auth_id}/balance/{currency}", { params: { currency: "INR" } });
   * ```
   */
  withAccount(credentials: AccountCredentials): VobizCoreClient;
  /** The Auth ID calls are made for (resolves a supplier). */
  resolveAuthId(): Promise<string>;
  /** Runs the plugins' teardowns. */
  close(): void;
  /** A secret-free description. */
  toJSON(): Record<string, unknown>;
}

// Shared by a client and every client made from it with withAccount.
interface Core {
  readonly hooks: Hookable<VobizHooks>;
  readonly clock: Clock;
  readonly baseUrl: string;
  readonly fetch: FetchLike | undefined;
  readonly teardowns: (() => void)[];
  readonly pluginNames: string[];
  // The ky instance for a call: [0] without and [1] with the beforeRequest hook (whether the bus
  // has beforeRequest handlers is decided per call: handlers come and go at run time).
  readonly kys: KyInstance[];
  // The plugins' per-call adjustments of ky options (PluginHost.eachCall), in plugin order.
  readonly eachCall: ((kyOptions: KyOptions) => void)[];
  // The client's attempt timeout, told to eachCall adjustments when a call sets none.
  readonly timeout: number | false;
  // Whether a plugin configured ky or adjusts calls: only then can a call be retried.
  retries: boolean;
  // Whether a plugin configured ky: its `init` hooks may wrap the transport, so afterResponse is
  // dispatched from a last init hook, around their wrappers.
  kyInit: boolean;
}

const credential = option(
  (value) => (isString(value) && value !== "") || isFunction(value),
  "a non-empty string or a function returning one",
);
const timeout = option(
  (value) => value === false || isCount(value, 1),
  "a whole number of milliseconds (at least 1) or false",
);
const optionRules = {
  authId: credential,
  authToken: credential,
  baseUrl: option(isString, "a string"),
  allowInsecureLoopback: option(isBoolean, "a boolean"),
  fetch: option(isFunction, "a function"),
  timeout,
  totalTimeout: timeout,
  env: option(isRecord, "an object"),
  plugins: option(
    (value) =>
      Array.isArray(value) &&
      value.every((plugin) => hasMethods(plugin, "setup") && isString(plugin.name)),
    "an array of plugins ({ name, setup })",
  ),
  headers: option(
    (value) => isRecord(value) && Object.values(value).every(isString),
    "an object of string header values",
  ),
  clock: option((value) => hasMethods(value, "now", "sleep"), "a clock ({ now, sleep })"),
};

/**
 * Creates a core client: `request()`, hooks and plugins, without the typed resources. Takes the
 * same options as `createClient`. Throws `MISSING_CREDENTIALS` when no credentials are given or
 * found (naming the variables), `INSECURE_URL` for a non-https base URL, `VALIDATION_ERROR` for
 * malformed options.
 *
 * @example
 * ```ts
 * import { createCoreClient } from "vobiz-kit/core";
 * import { retry } from "vobiz-kit/plugins/retry";
 * const vobiz = createCoreClient({ env, plugins: [retry()] }); // Workers: env holds the bindings
 * const cdr = await vobiz.request("GET", "/Account/{auth_id}/cdr/{uuid}", { params: { uuid } });
 * ```
 */
export function createCoreClient(options: ClientOptions = {}): VobizCoreClient {
  return buildClient(options, () => ({}));
}

/**
 * A core client with extra members made from it (`createClient` adds the typed resources); the
 * members are made again for each `withAccount` client. Not part of the public API.
 *
 * @example
 * ```ts
 * const vobiz = buildClient(options, (core) => ({ ping: () => core.request("GET", "/ping") }));
 * ```
 */
export function buildClient<E extends object>(
  options: ClientOptions,
  extras: (client: VobizCoreClient) => E,
): VobizCoreClient & E {
  checkOptions(options, optionRules);
  const baseUrl = checkBaseUrl(
    options.baseUrl ?? DEFAULT_BASE_URL,
    options.allowInsecureLoopback ?? false,
  );
  const credentials = {
    authId: options.authId ?? readEnv("VOBIZ_AUTH_ID", options.env),
    authToken: options.authToken ?? readEnv("VOBIZ_AUTH_TOKEN", options.env),
  };
  const missing = Object.entries({
    VOBIZ_AUTH_ID: credentials.authId,
    VOBIZ_AUTH_TOKEN: credentials.authToken,
  })
    .filter(([, value]) => value === undefined).map(([name]) => name);
  if (missing.length > 0) {
    const where = options.env === undefined ? "the environment" : "the env option";
    throw new VobizMissingCredentialsError(
      `Missing Vobiz credentials: set ${
        missing.join(" and ")
      } in ${where}, or pass authId and authToken`,
    );
  }

  const hooks = new HookBus();
  const clock = options.clock ?? systemClock;
  const kyOptions: KyOptions[] = [];
  const teardowns: (() => void)[] = [];
  const core: Core = {
    hooks,
    clock,
    baseUrl,
    teardowns,
    fetch: options.fetch, // undefined: the runtime's fetch (see withToken)
    pluginNames: (options.plugins ?? []).map((plugin) => plugin.name),
    kys: [],
    eachCall: [],
    timeout: options.timeout ?? 30_000,
    retries: false,
    kyInit: false,
  };
  const client = makeClient(core, credentials as AccountCredentials, extras);
  const host: PluginHost = {
    hooks,
    clock,
    client,
    configureKy: (extra) => kyOptions.push(extra),
    eachCall: (adjust) => core.eachCall.push(adjust),
  };
  for (const plugin of options.plugins ?? []) {
    const teardown = plugin.setup(host);
    if (typeof teardown === "function") teardowns.push(teardown);
  }
  core.kyInit = kyOptions.length > 0;
  core.retries = core.kyInit || core.eachCall.length > 0;
  const { beforeRequest, beforeRetry } = kyHooks(core);
  let instance = createKy(options, core.timeout);
  for (const extra of kyOptions) instance = instance.extend(extra);
  if (core.retries) instance = instance.extend({ hooks: { beforeRetry } });
  if (core.kyInit) {
    // Last init hook: wraps the transport as the plugins' init hooks left it, so afterResponse
    // sees each attempt's final answer.
    instance = instance.extend({
      hooks: {
        init: [(kyOptions) => {
          const context = (kyOptions.context as { vobiz: CallContext }).vobiz;
          kyOptions.fetch = afterEachAttempt(
            core.hooks,
            context,
            kyOptions.fetch as FetchLike,
          ) as NonNullable<KyOptions["fetch"]>;
        }],
      },
    });
  }
  core.kys.push(instance, instance.extend({ hooks: { beforeRequest } }));
  return client;
}

// ky hooks that dispatch to the bus. Ky instances are made with them (see buildClient), not given
// per call: ky merges per-call hooks on every call. beforeRequest is used only while the bus has
// handlers for it; beforeRetry, which also keeps `context.attempt` current, whenever a plugin
// configured ky or adjusts calls (only then can a call be retried). afterResponse is not a ky hook: ky clones every
// response for its afterResponse hooks (a tee per call); the core dispatches it from the transport
// instead (afterEachAttempt).
function kyHooks(core: Core): Required<Pick<KyHooks, "beforeRequest" | "beforeRetry">> {
  const { hooks } = core;
  const contextOf = (kyOptions: { context: Record<string, unknown> }) =>
    kyOptions.context["vobiz"] as CallContext;
  const beforeRequest: KyHooks["beforeRequest"] = [
    async ({ request, options }) => {
      const context = contextOf(options);
      let answer: Response | undefined;
      await hooks.callHook("beforeRequest", {
        context,
        request,
        respondWith: (response) => {
          answer = response;
        },
      });
      // An answer given in beforeRequest (a cache hit, a replay) still passes afterResponse.
      if (answer !== undefined) await dispatchAfterResponse(hooks, context, request, answer);
      return answer;
    },
  ];
  const beforeRetry: KyHooks["beforeRetry"] = [
    async ({ request, options, error, retryCount }) => {
      const context = contextOf(options);
      context.attempt = retryCount;
      await hooks.callHook("beforeRetry", {
        context,
        request,
        error: toVobizError(error, context, core.clock.now()),
        attempt: retryCount,
      });
    },
  ];
  return { beforeRequest, beforeRetry };
}

function createKy(options: ClientOptions, timeout: number | false): KyInstance {
  return ky.create({
    retry: 0, // retrying is the retry plugin's job, through ky's own engine
    timeout,
    // ky's default is already false; every extra default costs a little in ky's per-call merge.
    ...(options.totalTimeout ? { totalTimeout: options.totalTimeout } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    // An empty body (204, or a 200 with nothing) is `undefined`, not a JSON syntax error.
    parseJson: parseBody,
  });
}

function makeClient<E extends object>(
  core: Core,
  credentials: AccountCredentials,
  extras: (client: VobizCoreClient) => E,
): VobizCoreClient & E {
  const resolveAuthId = () => resolveCredential(credentials.authId, "VOBIZ_AUTH_ID");

  async function request<T>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<T> {
    // Plain string credentials need no await (the common case, and the hot path).
    const { authId: id, authToken: token } = credentials;
    const [authId, authToken] = typeof id === "string" && id !== "" &&
        typeof token === "string" && token !== ""
      ? [id, token]
      : await Promise.all([
        resolveAuthId(),
        resolveCredential(token, "VOBIZ_AUTH_TOKEN"),
      ]);
    const upperMethod = method.toUpperCase();
    const url = core.baseUrl + expandPath(path, authId, options.params);
    const context: CallContext = {
      requestId: crypto.randomUUID(),
      method: upperMethod,
      route: options.route ?? path,
      url: withQuery(url, options),
      authId,
      startedAt: core.clock.now(),
      attempt: 0,
      options,
      meta: {},
    };
    const { hooks } = core;
    try {
      options.signal?.throwIfAborted(); // an aborted call sends nothing, whatever the transport
      const kyOptions = kyOptionsFor(options, {
        method: upperMethod,
        headers: { ...options.headers, "x-auth-id": authId, "x-request-id": context.requestId },
        context: { vobiz: context },
        fetch: withToken(core.fetch, authToken) as NonNullable<KyOptions["fetch"]>,
      });
      if (core.eachCall.length > 0) {
        kyOptions.timeout ??= core.timeout;
        for (const adjust of core.eachCall) adjust(kyOptions);
      }
      // With plugins that configured ky, the last init hook adds the afterResponse dispatch.
      if (!core.kyInit) {
        kyOptions.fetch = afterEachAttempt(
          hooks,
          context,
          kyOptions.fetch as FetchLike,
        ) as NonNullable<
          KyOptions["fetch"]
        >;
      }
      const instance = core.kys[listening(hooks, "beforeRequest") ? 1 : 0];
      if (instance === undefined) {
        throw new Error("The client is not ready until every plugin's setup has returned");
      }
      const pending = instance(url, kyOptions);
      const type = options.responseType ?? "json";
      const data = type === "json"
        ? await (options.schema ? pending.json(options.schema) : pending.json())
        : type === "text"
        ? await pending.text()
        : await pending;
      if (listening(hooks, "done")) {
        const settling = settle(hooks, "done", {
          context,
          data,
          durationMs: core.clock.now() - context.startedAt,
        });
        if (settling) await settling;
      }
      return data as T;
    } catch (thrown) {
      const error = toVobizError(thrown, context, core.clock.now());
      if (listening(hooks, "onError")) await settle(hooks, "onError", { context, error });
      if (listening(hooks, "done")) {
        await settle(hooks, "done", {
          context,
          error,
          durationMs: core.clock.now() - context.startedAt,
        });
      }
      throw error;
    }
  }

  const client: VobizCoreClient = {
    hooks: core.hooks,
    baseUrl: core.baseUrl,
    clock: core.clock,
    request,
    resolveAuthId,
    withAccount: (other) => makeClient(core, other, extras),
    close: () => {
      for (const teardown of core.teardowns.splice(0)) teardown();
    },
    toJSON: () => ({
      baseUrl: core.baseUrl,
      authId: typeof credentials.authId === "string" ? credentials.authId : "(supplier)",
      plugins: core.pluginNames,
    }),
  };
  return Object.assign(client, extras(client));
}

const decoder = new TextDecoder();
const parseBody = (text: string): unknown => (text === "" ? undefined : JSON.parse(text));

// afterResponse is dispatched from the transport, per attempt: the handlers get the answer itself,
// not a copy (ky's own afterResponse hook would tee every response). Handler time counts toward the
// attempt's timeout; a handler that throws fails the call with its error (ky retries only HTTP,
// network and timeout errors), and the answer's body is cancelled.
function afterEachAttempt(
  hooks: Hookable<VobizHooks>,
  context: CallContext,
  send: FetchLike,
): FetchLike {
  if (!listening(hooks, "afterResponse")) return send;
  return (request, init) =>
    send(request, init).then((response) =>
      dispatchAfterResponse(hooks, context, request, response)?.then(() => response) ?? response
    );
}

// Runs the afterResponse handlers; a promise only when one of them returned one.
function dispatchAfterResponse(
  hooks: Hookable<VobizHooks>,
  context: CallContext,
  request: Request,
  response: Response,
): Promise<void> | void {
  const failed = (error: unknown): never => {
    void rawBody(response)?.cancel().catch(() => {}); // a body being read is locked: nothing to do
    throw error;
  };
  try {
    return hooks.callHook("afterResponse", {
      context,
      request,
      response: shareBody(response),
      attempt: context.attempt,
    })?.catch(failed);
  } catch (error) {
    failed(error);
  }
}

// The handlers and, after them, ky share one read of the body: text(), json(), arrayBuffer() and
// bytes() answer from that read, so a handler that reads the body leaves it readable for the next
// one and for ky (bodyUsed stays false); clone() and body give a new stream fed from that read
// rather than a tee (~30 µs each on Node). Before any read, body is the answer's own stream.
const reads = new WeakMap<Response, Promise<ArrayBuffer>>();
const rawBody = (response: Response): ReadableStream<Uint8Array<ArrayBuffer>> | null =>
  Reflect.get(Response.prototype, "body", response);

function sharedRead(response: Response): Promise<ArrayBuffer> {
  let read = reads.get(response);
  if (read === undefined) reads.set(response, read = Response.prototype.arrayBuffer.call(response));
  return read;
}

// A stream of the shared read, pulled only when read.
function streamOf(read: Promise<ArrayBuffer>): ReadableStream<Uint8Array<ArrayBuffer>> {
  return new ReadableStream<Uint8Array<ArrayBuffer>>({
    pull: async (controller) => {
      controller.enqueue(new Uint8Array(await read));
      controller.close();
    },
  }, { highWaterMark: 0 });
}

class SharedBodyResponse extends Response {
  override arrayBuffer(): Promise<ArrayBuffer> {
    return sharedRead(this);
  }
  override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await sharedRead(this));
  }
  override async text(): Promise<string> {
    return decoder.decode(await sharedRead(this));
  }
  override async json(): Promise<unknown> {
    return parseBody(await this.text());
  }
  override get bodyUsed(): boolean {
    return false;
  }
  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    const read = reads.get(this);
    return read === undefined ? rawBody(this) : streamOf(read);
  }
  override clone(): Response {
    const { status, statusText, headers } = this;
    return new Response(streamOf(sharedRead(this)), { status, statusText, headers });
  }
}

function shareBody(response: Response): Response {
  return rawBody(response) === null || response instanceof SharedBodyResponse
    ? response
    : Object.setPrototypeOf(response, SharedBodyResponse.prototype);
}

// Whether calling a bus hook can do anything: a handler for it, or a beforeEach/afterEach observer.
// Reads hookable's internals (handler lists are `undefined` when empty); if they ever change shape,
// it answers true, which only costs the skipped work back.
function listening(hooks: Hookable<VobizHooks>, name: keyof VobizHooks): boolean {
  const bus = hooks as unknown as {
    _hooks?: Record<string, unknown>;
    _before?: unknown;
    _after?: unknown;
  };
  return typeof bus._hooks !== "object" || bus._hooks[name] !== undefined ||
    bus._before !== undefined || bus._after !== undefined;
}

// The final-outcome hooks must not change the outcome: a throwing handler is ignored here so that
// `done` still fires once and the caller still gets the call's own value or error. Synchronous
// handlers (the usual case) cost no promise: the bus answers undefined when none returned one.
function settle<K extends "done" | "onError">(
  hooks: Hookable<VobizHooks>,
  name: K,
  event: Parameters<VobizHooks[K]>[0],
): Promise<void> | void {
  try {
    return (hooks.callHook as (name: string, event: unknown) => Promise<void> | void)(name, event)
      ?.catch(() => {}); // ignored by design (see above)
  } catch {
    // ignored by design (see above)
  }
}

// Per-call ky options: only what the caller set (exactOptionalPropertyTypes forbids undefined).
function kyOptionsFor(options: RequestOptions, base: KyOptions): KyOptions {
  const result: KyOptions = base;
  if (options.json !== undefined) result.json = options.json;
  if (options.searchParams !== undefined) result.searchParams = options.searchParams;
  if (options.signal !== undefined) result.signal = options.signal;
  if (options.timeout !== undefined) result.timeout = options.timeout;
  if (options.totalTimeout !== undefined) result.totalTimeout = options.totalTimeout;
  return result;
}

// The token is added by the transport, after every hook has run, so no hook payload, log line or
// error ever holds it.
function withToken(fetch: FetchLike | undefined, token: string): FetchLike {
  if (fetch === undefined) {
    // The runtime's own fetch copies its Request before it returns (step 1 of fetch() in the Fetch
    // standard), so the token can sit on ky's request for the length of that synchronous call, and
    // be gone before any other code runs: no copy of the headers, and still no hook ever sees it.
    return (input, init) => {
      input.headers.set("x-auth-token", token);
      try {
        return globalThis.fetch(input, init);
      } finally {
        input.headers.delete("x-auth-token");
      }
    };
  }
  // Another transport may read the request later (after an await): it gets a copy with the token.
  return (input, init) => {
    const headers = new Headers(input.headers);
    headers.set("x-auth-token", token);
    return fetch(input, { ...init, headers });
  };
}

async function resolveCredential(credential: Credential, variable: string): Promise<string> {
  const value = typeof credential === "function" ? await credential() : credential;
  if (typeof value !== "string" || value === "") {
    throw new VobizMissingCredentialsError(`The ${variable} supplier returned no value`);
  }
  return value;
}

const placeholder = /\{(\w+)\}/;
// Templates split once ("/Account/{auth_id}/cdr" -> ["/Account/", "auth_id", "/cdr"]: odd entries
// are names). Bounded: request() also takes paths that are not templates.
const templates = new Map<string, string[]>();

function expandPath(path: string, authId: string, params: RequestOptions["params"]): string {
  let parts = templates.get(path);
  if (parts === undefined) {
    if (templates.size >= 500) templates.clear();
    parts = (path.startsWith("/") ? path : `/${path}`).split(placeholder);
    templates.set(path, parts);
  }
  let expanded = parts[0]!;
  let absent: string[] | undefined;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    const value = name === "auth_id" ? (params?.["auth_id"] ?? authId) : params?.[name];
    if (value === undefined || value === "") (absent ??= []).push(name);
    // encodeURIComponent turns the "+" of an E.164 number into %2B, as the API requires.
    else expanded += encodeURIComponent(String(value));
    expanded += parts[i + 1]!;
  }
  if (absent !== undefined) {
    throw new VobizValidationError(
      absent.map((name) => ({ path: name, message: `path parameter {${name}} is required` })),
    );
  }
  return expanded;
}

function withQuery(url: string, options: RequestOptions): string {
  if (options.searchParams === undefined) return url; // most calls: no entries() per call
  const entries = Object.entries(options.searchParams).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return url;
  return `${url}?${new URLSearchParams(entries.map(([key, value]) => [key, String(value)]))}`;
}
