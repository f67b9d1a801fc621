// The Bun transport (Bun.FetchSession), on Bun only:
//   bun test ./tests/transports/bun.bun-test.ts
import assert from "node:assert/strict";
import { test } from "node:test";
import { createClient } from "../../mod.ts";
import { createMockVobiz } from "../../testing/mod.ts";
import { bunTransport } from "../../transports/bun.ts";
import { transportSuite } from "./_suite.ts";

transportSuite("bun transport", {
  make: (connections) => bunTransport({ connections }),
  capsBusyConnections: false,
});

test("bun transport: a FetchSession pool of its own; close() drops idle connections only", async () => {
  const mock = createMockVobiz();
  const server = await mock.listen();
  const transport = bunTransport();
  assert.equal(transport.pooled, true); // Bun 1.4+ has Bun.FetchSession
  const vobiz = createClient({
    authId: "MA_MOCK0001",
    authToken: "mock-auth-token",
    baseUrl: server.baseUrl,
    allowInsecureLoopback: true,
    fetch: transport,
  });
  await fetch(`${server.url}/`).then((r) => r.text()); // the global pool: not the session's
  const before = server.connections;
  await vobiz.balance.get(); // the session has no idle connection yet: it opens its own
  assert.equal(server.connections, before + 1);
  transport.close();
  await vobiz.balance.get(); // still usable, on a new connection
  assert.equal(server.connections, before + 2);
  await server.close();
});
