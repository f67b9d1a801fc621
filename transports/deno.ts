/**
 * `vobiz-kit/transports/deno`: a pooled transport for Deno, on `Deno.createHttpClient` with the
 * Vobiz connection guidance as defaults (up to 50 idle connections kept per host, for 60 s).
 *
 * Deno's global `fetch` already pools connections; use this transport to keep more of them for
 * longer, or to pass TLS and proxy options (`caCerts`, `proxy`, …) to this client only.
 *
 * @example
 * ```ts
 * import { createClient } from "vobiz-kit";
 * import { denoTransport } from "vobiz-kit/transports/deno";
 *
 * const transport = denoTransport();
 * const vobiz = createClient({ fetch: transport });
 * await vobiz.balance.get();
 * transport.close(); // at shutdown: closes the pooled connections
 * ```
 *
 * @module
 */
import type { FetchLike } from "../src/options.ts";

/** Options of {@link denoTransport}. */
export interface DenoTransportOptions {
  /** Most idle connections kept per host. Default 50. */
  connections?: number;
  /** How long an idle connection is kept for reuse, in ms. Default 60000. */
  idleTimeout?: number;
  /** Further `Deno.createHttpClient` options (`caCerts`, `proxy`, `http2`, …), applied last. */
  client?: Record<string, unknown>;
}

/** A `fetch` for the client, bound to its own connection pool. */
export interface DenoTransport extends FetchLike {
  /** Closes the pool's connections; later calls fail with a network error. */
  close(): void;
}

interface DenoHttpClient {
  close(): void;
}
interface DenoRuntime {
  createHttpClient(options: Record<string, unknown>): DenoHttpClient;
}

/**
 * Creates a pooled transport for `createClient({ fetch })`. Throws outside Deno.
 *
 * @example
 * ```ts
 * import { denoTransport } from "vobiz-kit/transports/deno";
 * const transport = denoTransport({ client: { caCerts: [await Deno.readTextFile("ca.pem")] } });
 * ```
 */
export function denoTransport(options: DenoTransportOptions = {}): DenoTransport {
  const deno = (globalThis as { Deno?: DenoRuntime }).Deno;
  if (typeof deno?.createHttpClient !== "function") {
    throw new Error("denoTransport() needs Deno (Deno.createHttpClient)");
  }
  const client = deno.createHttpClient({
    poolMaxIdlePerHost: options.connections ?? 50,
    poolIdleTimeout: options.idleTimeout ?? 60_000,
    ...options.client,
  });
  let closed = false;
  const transport = (input: Request, init?: RequestInit): Promise<Response> =>
    // A closed client fails with Deno's BadResource; a TypeError reads as a network error, as
    // everywhere else.
    closed
      ? Promise.reject(new TypeError("fetch failed: the transport was closed"))
      : fetch(input, { ...init, client } as RequestInit);
  const close = () => {
    closed = true;
    client.close();
  };
  return Object.assign(transport, { close });
}
