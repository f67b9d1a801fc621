// What every pooled transport must do, run by each runtime's own test file against the mock API
// served on 127.0.0.1: answers pass through unchanged, connections are reused, the pool stays within
// its size.
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createClient, type FetchLike, VobizHttpError } from "../../mod.ts";
import { createMockVobiz, type MockServer, type MockVobiz } from "../../testing/mod.ts";

export interface PooledTransport extends FetchLike {
  close(): unknown;
}

export interface SuiteOptions {
  /** Makes a transport keeping at most `connections` connections. */
  make(connections: number): PooledTransport;
  /** Whether busy connections are capped too (undici), not only idle ones (Deno, Bun). */
  capsBusyConnections: boolean;
}

export function transportSuite(name: string, options: SuiteOptions): void {
  let mock: MockVobiz;
  let server: MockServer;
  let transport: PooledTransport | undefined;
  const client = (connections: number) => {
    transport = options.make(connections);
    return createClient({
      authId: "MA_MOCK0001",
      authToken: "mock-auth-token",
      baseUrl: server.baseUrl,
      allowInsecureLoopback: true,
      fetch: transport,
    });
  };

  beforeEach(async () => {
    mock = createMockVobiz({ balance: 750 });
    server = await mock.listen();
  });
  afterEach(async () => {
    await transport?.close();
    transport = undefined;
    await server.close();
  });

  test(`${name}: answers, error statuses and JSON bodies pass through unchanged`, async () => {
    const vobiz = client(4);
    const balance = await vobiz.balance.get();
    assert.equal(balance.balance, 750);
    assert.equal(balance.currency, "INR");
    const error = await vobiz.request("GET", "/Account/{auth_id}/Nothing/").catch((e) => e);
    assert.ok(error instanceof VobizHttpError);
    assert.equal(error.status, 404);
    const json = { name: "ünïcode" };
    const refused = await vobiz.request("POST", "/Account/{auth_id}/Nothing/", { json })
      .catch((e) => e);
    assert.ok(refused instanceof VobizHttpError);
    const posted = mock.received.at(-1);
    assert.equal(posted?.method, "POST");
    assert.equal(posted?.body, JSON.stringify(json));
    // Sent with its length, not as a chunked upload.
    const length = new TextEncoder().encode(JSON.stringify(json)).length;
    assert.equal(posted?.headers["content-length"], String(length));
    assert.equal(posted?.headers["transfer-encoding"], undefined);
    assert.equal(posted?.headers["x-auth-token"], "<redacted>"); // the token was sent
    assert.equal(mock.received.every((r) => r.authorized), true);
  });

  test(`${name}: sequential calls through a pool of one reuse its connection`, async () => {
    const vobiz = client(1);
    for (let i = 0; i < 50; i++) await vobiz.balance.get();
    assert.equal(mock.received.length, 50);
    if (options.capsBusyConnections) {
      assert.equal(server.connections, 1);
    } else {
      // Deno and Bun cap idle connections only, and may hand a connection back to their pool a
      // moment after its body was read, so a call right behind can open another: reuse keeps the
      // count far below one connection per call, but not always at exactly one.
      assert.ok(server.connections <= 10, `${server.connections} connections for 50 calls`);
    }
  });

  test(`${name}: concurrent calls stay within the pool`, async () => {
    const vobiz = client(4);
    if (options.capsBusyConnections) {
      // 16 at a time through a pool of 4: the rest wait for a free connection.
      await Promise.all(Array.from({ length: 16 }, async () => {
        for (let i = 0; i < 10; i++) await vobiz.balance.get();
      }));
      assert.equal(mock.received.length, 160);
      assert.ok(server.connections <= 4, `${server.connections} connections`);
    } else {
      // Waves of 4: each wave after the first finds the idle connections of the one before
      // (give or take the hand-back race above).
      for (let wave = 0; wave < 10; wave++) {
        await Promise.all(Array.from({ length: 4 }, () => vobiz.balance.get()));
      }
      assert.equal(mock.received.length, 40);
      assert.ok(server.connections <= 10, `${server.connections} connections for 40 calls`);
    }
  });
}
