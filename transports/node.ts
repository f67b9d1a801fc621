/**
 * `vobiz-kit/transports/node`: a pooled transport for Node, on an undici `Agent` with the Vobiz
 * connection guidance as defaults (up to 50 connections per origin, idle connections kept for 60 s,
 * 60 s header and body timeouts), through undici's own `fetch`. Needs the optional peer dependency
 * `undici` (`npm install undici`).
 *
 * Node's global `fetch` already pools connections (4 s idle timeout, no cap on connections); use
 * this transport to cap them, keep them longer, or to pass TLS options.
 *
 * @example
 * ```ts
 * import { createClient } from "vobiz-kit";
 * import { nodeTransport } from "vobiz-kit/transports/node";
 *
 * const transport = nodeTransport(); // or nodeTransport({ connections: 10 })
 * const vobiz = createClient({ fetch: transport });
 * await vobiz.balance.get();
 * await transport.close(); // at shutdown: closes the pooled connections
 * ```
 *
 * @module
 */
import { Agent, fetch as undiciFetch } from "undici";
import type { FetchLike } from "../src/options.ts";

/** Options of {@link nodeTransport}. */
export interface NodeTransportOptions {
  /** Most connections per origin. Default 50. */
  connections?: number;
  /** How long an idle connection is kept for reuse, in ms. Default 60000. */
  idleTimeout?: number;
  /**
   * Socket-level timeouts (waiting for the response headers, and between body chunks), in ms.
   * Default 60000. The client's own `timeout` is the per-attempt deadline on top of these.
   */
  timeout?: number;
  /** Further undici `Agent` options (TLS as `connect: { ca }`, `allowH2`, …), applied last. */
  agent?: Agent.Options;
}

/** A `fetch` for the client, bound to its own connection pool. */
export interface NodeTransport extends FetchLike {
  /** The undici `Agent` holding the pool (for its `stats`, or to compose interceptors). */
  readonly agent: Agent;
  /** Closes the pool: idle connections at once, busy ones after their response. */
  close(): Promise<void>;
}

/**
 * Creates a pooled transport for `createClient({ fetch })`.
 *
 * @example
 * ```ts
 * import { nodeTransport } from "vobiz-kit/transports/node";
 * const transport = nodeTransport({ connections: 10, agent: { connect: { ca: corporateCa } } });
 * ```
 */
export function nodeTransport(options: NodeTransportOptions = {}): NodeTransport {
  const idle = options.idleTimeout ?? 60_000;
  const timeout = options.timeout ?? 60_000;
  const agent = new Agent({
    connections: options.connections ?? 50,
    keepAliveTimeout: idle,
    keepAliveMaxTimeout: Math.max(idle, 1_000),
    headersTimeout: timeout,
    bodyTimeout: timeout,
    ...options.agent,
  });
  const transport = async (input: Request, init?: RequestInit): Promise<Response> => {
    // undici's fetch does not take a Request of the global realm as its input: pass its parts. A
    // body is sent buffered, so that it has a Content-Length (a JSON body is small).
    const response = await undiciFetch(input.url, {
      method: input.method,
      headers: input.headers as unknown as [string, string][], // undici iterates it as pairs
      body: input.body === null ? null : await input.arrayBuffer(),
      signal: input.signal,
      redirect: input.redirect,
      ...(init as Record<string, unknown>),
      dispatcher: agent,
    });
    return response as unknown as Response;
  };
  return Object.assign(transport, { agent, close: () => agent.close() });
}
