// No path of the client leaves a response body unread: 10,000 mixed calls (successes, 4xx, 5xx
// with retries, cache hits, open-circuit rejections, POST bodies) through every plugin, over a
// keep-alive pool of N connections, make the server accept at most N connections, and leave no
// body open. A count, not a time.
//
// The pool is a `node:http` Agent (keep-alive, at most N sockets), which Node, Deno and Bun all
// implement with the same semantics: a socket goes back to the pool only once its response was read
// to the end, and a body cancelled half-read destroys its socket. So an unread body shows as a body
// still open at the end (and, past N of them, as calls that time out), and a body cancelled
// instead of drained shows as a connection over N. The runtimes' own fetch pools cap idle
// connections only, so they could not give an exact count (see tests/transports/).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  createClient,
  type FetchLike,
  VobizCircuitOpenError,
  VobizHttpError,
  type VobizPlugin,
} from "../mod.ts";
import { createMockVobiz, type MockServer, type MockVobiz } from "../testing/mod.ts";
import { cache } from "../plugins/cache.ts";
import { circuitBreaker } from "../plugins/circuit_breaker.ts";
import { idempotency } from "../plugins/idempotency.ts";
import { logging } from "../plugins/logging.ts";
import { metrics } from "../plugins/metrics.ts";
import { retry } from "../plugins/retry.ts";
import { fakeClock } from "./_support/fake_clock.ts";

const POOL = 8; // N: connections in the pool
const WORKERS = 16; // callers at once: twice the pool, so calls queue for a connection
const CALLS = 10_000;

// --- a fetch over a node:http keep-alive Agent, counting bodies not yet read to the end ---------

interface NodeHttp {
  Agent: new (options: { keepAlive: boolean; maxSockets: number }) => { destroy(): void };
  request(url: string, options: Record<string, unknown>): HttpRequest;
}
interface HttpRequest {
  on(event: "response", listener: (response: HttpResponse) => void): void;
  on(event: "error", listener: (error: Error) => void): void;
  end(body?: Uint8Array): void;
}
interface HttpResponse extends AsyncIterable<Uint8Array> {
  statusCode?: number;
  statusMessage?: string;
  rawHeaders: string[];
  destroy(): void;
}

function pooledFetch(maxSockets: number): FetchLike & { open: () => number; close(): void } {
  // Through getBuiltinModule, as testing/listen.ts does: node:http exists in Node, Deno and Bun.
  const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
    .process;
  const http = runtime?.getBuiltinModule?.("node:http") as NodeHttp;
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  let open = 0;
  const fetch = async (input: Request, init?: RequestInit): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers ?? input.headers).forEach((value, name) => headers[name] = value);
    const body = input.body === null ? undefined : new Uint8Array(await input.arrayBuffer());
    const response = await new Promise<HttpResponse>((resolve, reject) => {
      const request = http.request(input.url, {
        method: input.method,
        headers,
        agent,
        signal: input.signal,
      });
      request.on("response", resolve);
      request.on("error", reject);
      request.end(body);
    });
    open++;
    let settled = false;
    const settle = () => {
      if (!settled) open--;
      settled = true;
    };
    const chunks = response[Symbol.asyncIterator]();
    // Reads from the socket only as the consumer reads (high-water mark 0).
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) {
            settle();
            controller.close();
          } else {
            controller.enqueue(new Uint8Array(next.value));
          }
        } catch (error) {
          settle();
          controller.error(error);
        }
      },
      cancel() {
        settle();
        response.destroy();
      },
    }, { highWaterMark: 0 });
    const out = new Headers();
    for (let i = 0; i + 1 < response.rawHeaders.length; i += 2) {
      out.append(response.rawHeaders[i] ?? "", response.rawHeaders[i + 1] ?? "");
    }
    const status = response.statusCode ?? 500;
    const nullBody = status === 204 || status === 304;
    if (nullBody) settle();
    return new Response(nullBody ? null : stream, {
      status,
      statusText: response.statusMessage ?? "",
      headers: out,
    });
  };
  return Object.assign(fetch, { open: () => open, close: () => agent.destroy() });
}

// --- the run -------------------------------------------------------------------------------------

let mock: MockVobiz;
let server: MockServer;
let transport: ReturnType<typeof pooledFetch>;

before(async () => {
  mock = createMockVobiz({ balance: 500 });
  server = await mock.listen();
  transport = pooledFetch(POOL);
  // Every attempt on these two routes fails.
  mock.fault({ path: "/Account/{auth_id}/flaky", status: 503, times: Infinity });
  mock.fault({ path: "/Account/{auth_id}/down", status: 500, times: Infinity });
});
after(async () => {
  transport.close();
  await server.close();
});

// A generous bound for slow CI machines (the run takes a few seconds); not an assertion on time.
const limits = { timeout: 120_000 };

test(
  "10,000 mixed calls through every plugin leave no body unread and need at most N connections",
  limits,
  async () => {
    const clock = fakeClock(); // the open circuit never times out
    const caching = cache();
    const breaker = circuitBreaker({ failureThreshold: 5 });
    const plugins: VobizPlugin[] = [
      caching,
      idempotency(),
      retry({ limit: 2, baseDelayMs: 0, jitter: false, budget: false }),
      breaker,
      metrics(),
      logging({ sink: () => {} }),
    ];
    const vobiz = createClient({
      authId: "MA_MOCK0001",
      authToken: "mock-auth-token",
      baseUrl: server.baseUrl,
      allowInsecureLoopback: true,
      fetch: transport,
      clock,
      plugins,
    });
    const noBreaker = { plugins: { circuitBreaker: false } };
    const kinds = [
      () => vobiz.balance.get("INR", { plugins: { cache: false } }), // success, network
      () => vobiz.balance.get("INR", { plugins: { cache: false } }),
      () => vobiz.balance.get("INR", { plugins: { cache: false } }),
      () => vobiz.balance.get("INR"), // cache hit (after the first)
      () => vobiz.balance.get("INR"),
      () => vobiz.balance.get("INR"),
      () => vobiz.request("GET", "/Account/{auth_id}/Nothing/", noBreaker), // 404
      () => vobiz.request("POST", "/Account/{auth_id}/Nothing/", { ...noBreaker, json: { a: 1 } }),
      () => vobiz.request("GET", "/Account/{auth_id}/flaky", noBreaker), // 503, 503, 503
      () => vobiz.request("GET", "/Account/{auth_id}/down", { plugins: { retry: false } }),
    ];
    const outcomes = new Map<string, number>();
    const tally = (name: string) => outcomes.set(name, (outcomes.get(name) ?? 0) + 1);
    let next = 0;
    await Promise.all(Array.from({ length: WORKERS }, async () => {
      for (let i = next++; i < CALLS; i = next++) {
        try {
          await kinds[i % kinds.length]!();
          tally("value");
        } catch (error) {
          if (error instanceof VobizHttpError) tally(`http ${error.status}`);
          else if (error instanceof VobizCircuitOpenError) tally("circuit open");
          else tally(`other: ${String(error)}`);
        }
      }
    }));

    const perKind = CALLS / kinds.length;
    const attempts = (path: string) => mock.received.filter((r) => r.path.endsWith(path)).length;
    assert.equal(attempts("/down"), outcomes.get("http 500")); // the rest never left the client
    assert.deepEqual(Object.fromEntries(outcomes), {
      value: 6 * perKind,
      "http 404": 2 * perKind,
      "http 503": perKind,
      "http 500": attempts("/down"),
      "circuit open": perKind - attempts("/down"),
    });
    assert.ok(attempts("/down") < 5 + WORKERS, "the circuit opened after 5 failures");
    assert.equal(attempts("/flaky"), 3 * perKind); // every 503 was retried twice
    // One call went to the network for the entry; the others were answered by the cache.
    const { hits, coalesced } = caching.stats();
    assert.equal(hits + coalesced, 3 * perKind - 1);

    assert.equal(transport.open(), 0, "every response body was read or cancelled");
    assert.ok(
      server.connections <= POOL,
      `${server.connections} connections for a pool of ${POOL}`,
    );
    vobiz.close();
  },
);

test("afterResponse handlers share one read of the answer, in any order and any number", async () => {
  const answer = { currency: "INR", balance: 500 };
  const seen: unknown[] = [];
  const vobiz = createClient({
    authId: "MA_MOCK0001",
    authToken: "mock-auth-token",
    fetch: () => Promise.resolve(Response.json(answer)),
  });
  vobiz.hooks.hook("afterResponse", async ({ response }) => {
    seen.push(JSON.parse(await response.text())); // reads the hook's copy itself
  });
  vobiz.hooks.hook("afterResponse", async ({ response }) => {
    assert.equal(response.bodyUsed, false); // still readable after the handler before
    seen.push(await response.clone().json(), await response.json());
    const clone = response.clone(); // a real response with a body of its own
    seen.push(JSON.parse(new TextDecoder().decode(await new Response(clone.body).arrayBuffer())));
  });
  assert.deepEqual(await vobiz.balance.get(), answer);
  assert.deepEqual(seen, [answer, answer, answer, answer]);
});

test("with the runtime's own fetch, the token reaches the server and no hook ever sees it", async () => {
  const vobiz = createClient({
    authId: "MA_MOCK0001",
    authToken: "mock-auth-token",
    baseUrl: server.baseUrl,
    allowInsecureLoopback: true,
  });
  const requests: Request[] = [];
  vobiz.hooks.hook("beforeRequest", ({ request }) => void requests.push(request));
  vobiz.hooks.hook("afterResponse", ({ request }) => void requests.push(request));
  const before = mock.received.length;
  const balance = await vobiz.balance.get("INR", { plugins: { cache: false } });
  assert.equal(typeof balance.balance, "number"); // the mock accepted the credentials
  assert.equal(mock.received.length, before + 1);
  assert.equal(mock.received.at(-1)?.authorized, true);
  assert.equal(requests.length, 2);
  for (const request of requests) assert.equal(request.headers.get("x-auth-token"), null);
});
