/**
 * `vobiz-kit/transports/bun`: a pooled transport for Bun, on a `Bun.FetchSession` (Bun 1.4+) with
 * the Vobiz connection guidance as defaults (up to 50 idle connections kept, for 60 s). The
 * session's pool is this client's own. On an older Bun without `FetchSession` it falls back to the
 * global `fetch`, which keeps connections alive in Bun's process-wide pool.
 *
 * Bun caps simultaneous requests per process at 256 (`BUN_CONFIG_MAX_HTTP_REQUESTS`, an
 * environment variable read at start-up); a library cannot change that.
 *
 * @example
 * ```ts
 * import { createClient } from "vobiz-kit";
 * import { bunTransport } from "vobiz-kit/transports/bun";
 *
 * const transport = bunTransport();
 * const vobiz = createClient({ fetch: transport });
 * await vobiz.balance.get();
 * transport.close(); // at shutdown: closes the idle connections
 * ```
 *
 * @module
 */
import type { FetchLike } from "../src/options.ts";

/** Options of {@link bunTransport}. */
export interface BunTransportOptions {
  /** Most idle connections kept (Bun does not cap busy ones). Default 50. */
  connections?: number;
  /** How long an idle connection is kept for reuse, in ms. Default 60000. */
  idleTimeout?: number;
  /** Further `Bun.FetchSession` options (`tls`, `proxy`, …), applied last. */
  session?: Record<string, unknown>;
}

/** A `fetch` for the client, bound to its own connection pool where Bun has one. */
export interface BunTransport extends FetchLike {
  /** Whether a `Bun.FetchSession` is used (false: the global `fetch`, on an older Bun). */
  readonly pooled: boolean;
  /** Closes the idle connections of the pool (the transport stays usable). */
  close(): void;
}

interface FetchSession {
  fetch(input: Request, init?: RequestInit): Promise<Response>;
  close(): void;
}
interface BunRuntime {
  FetchSession?: new (init: Record<string, unknown>) => FetchSession;
}

/**
 * Creates a pooled transport for `createClient({ fetch })`. Throws outside Bun.
 *
 * @example
 * ```ts
 * import { bunTransport } from "vobiz-kit/transports/bun";
 * const transport = bunTransport({ session: { tls: { ca: await Bun.file("ca.pem").text() } } });
 * ```
 */
export function bunTransport(options: BunTransportOptions = {}): BunTransport {
  const bun = (globalThis as { Bun?: BunRuntime }).Bun;
  if (bun === undefined) throw new Error("bunTransport() needs Bun");
  if (bun.FetchSession === undefined) {
    const transport = (input: Request, init?: RequestInit): Promise<Response> => fetch(input, init);
    return Object.assign(transport, { pooled: false, close: () => {} });
  }
  const session = new bun.FetchSession({
    // Bun takes the idle timeout in seconds (checked on Bun 1.4.5).
    keepAlive: {
      idleTimeout: Math.max(1, Math.ceil((options.idleTimeout ?? 60_000) / 1000)),
      maxIdleSockets: options.connections ?? 50,
    },
    ...options.session,
  });
  const transport = (input: Request, init?: RequestInit): Promise<Response> =>
    session.fetch(input, init);
  return Object.assign(transport, { pooled: true, close: () => session.close() });
}
