/**
 * Serves a mock handler on loopback with `node:http` (available in Node, Deno and Bun). Not for
 * Workers: there, pass `mock.fetch` as the transport instead. This file is only loaded when
 * `listen()` is called, and loads nothing at import time, so bundling it for Workers is harmless.
 *
 * @module
 */

import type { MockServer } from "./mock_vobiz.ts";

/**
 * The handler being served; `null` means "drop the connection without an answer".
 *
 * @example
 * ```ts
 * import type { MockHandler } from "./listen.ts";
 * const ok: MockHandler = async () => new Response("{}");
 * ```
 */
export type MockHandler = (request: Request) => Promise<Response | null>;

// Only the parts of node:http used here, so this file needs no Node type definitions.
interface IncomingMessage extends AsyncIterable<Uint8Array> {
  method?: string;
  url?: string;
  rawHeaders: string[];
  socket: { destroy(): void };
}
interface ServerResponse {
  writableFinished: boolean;
  writeHead(status: number, headers: Record<string, string>): unknown;
  flushHeaders(): void;
  write(chunk: Uint8Array): boolean;
  end(): void;
  destroy(): void;
  on(event: "close", listener: () => void): unknown;
}
interface HttpServer {
  listen(port: number, hostname: string, listener: () => void): unknown;
  address(): { port: number } | string | null;
  on(event: "connection", listener: () => void): unknown;
  once(event: "error", listener: (error: Error) => void): unknown;
  close(callback: () => void): unknown;
  closeAllConnections?(): void;
}
interface NodeHttp {
  createServer(listener: (req: IncomingMessage, res: ServerResponse) => void): HttpServer;
}

/**
 * `node:http` through `process.getBuiltinModule` (Node 22.3+, Deno 2, Bun) rather than
 * `import("node:http")`: a literal import fails Workers/browser bundles ("Could not resolve"), and
 * a computed specifier is refused by Miniflare/workerd ("dynamic module specifiers are unsupported").
 */
function loadNodeHttp(): NodeHttp {
  const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
    .process;
  const http = runtime?.getBuiltinModule?.("node:http") as NodeHttp | undefined;
  if (http === undefined) {
    throw new Error("MockVobiz.listen() needs node:http (Node 22.3+, Deno 2 or Bun)");
  }
  return http;
}

/**
 * Starts a server for `handler` on `hostname` (default 127.0.0.1) and `port` (default ephemeral).
 *
 * @example
 * ```ts
 * import { serve } from "./listen.ts";
 * const server = await serve(async () => new Response("{}"));
 * await server.close();
 * ```
 */
export async function serve(
  handler: MockHandler,
  options: { port?: number; hostname?: string } = {},
): Promise<MockServer> {
  const http = loadNodeHttp();
  const hostname = options.hostname ?? "127.0.0.1";
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  let origin = "";
  let connections = 0;
  const server = http.createServer((req, res) => void respond(handler, origin, req, res));
  server.on("connection", () => connections++);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, hostname, resolve);
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;
  origin = `http://${host}:${port}`;
  return {
    url: origin,
    baseUrl: `${origin}/api/v1`,
    get connections(): number {
      return connections;
    },
    close(): Promise<void> {
      return new Promise((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive sockets (and hung slow responses) would otherwise hold close() open.
        server.closeAllConnections?.();
      });
    },
  };
}

/** IncomingMessage → Request → handler → Response → res (or a destroyed socket). */
async function respond(
  handler: MockHandler,
  origin: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const chunks: Uint8Array[] = [];
    for await (const chunk of req) chunks.push(chunk);
    const aborter = new AbortController();
    // The client went away before the answer was complete: stop any pending delay.
    res.on("close", () => {
      if (!res.writableFinished) aborter.abort(new Error("client disconnected"));
    });
    const headers = new Headers();
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      headers.append(req.rawHeaders[i] ?? "", req.rawHeaders[i + 1] ?? "");
    }
    const method = req.method ?? "GET";
    const init: RequestInit = { method, headers, signal: aborter.signal };
    if (method !== "GET" && method !== "HEAD") init.body = concat(chunks);
    const response = await handler(new Request(origin + (req.url ?? "/"), init));
    if (response === null) {
      req.socket.destroy();
      return;
    }
    const outHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => outHeaders[name] = value);
    res.writeHead(response.status, outHeaders);
    res.flushHeaders(); // a slow body must not hold back the headers
    if (response.body !== null) {
      const reader = response.body.getReader();
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        res.write(next.value);
      }
    }
    res.end();
  } catch {
    res.destroy();
  }
}

function concat(chunks: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
