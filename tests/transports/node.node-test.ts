// The Node transport (undici Agent + undici fetch), on Node only: `node --test` runs *.node-test.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createClient, VobizNetworkError } from "../../mod.ts";
import { createMockVobiz } from "../../testing/mod.ts";
import { nodeTransport } from "../../transports/node.ts";
import { transportSuite } from "./_suite.ts";

transportSuite("node transport", {
  make: (connections) => nodeTransport({ connections }),
  capsBusyConnections: true,
});

test("node transport: the Vobiz guidance is the default pool", () => {
  const transport = nodeTransport();
  // undici keeps its options on symbols; the connection cap shows in the agent's own options.
  const options = Object.getOwnPropertySymbols(transport.agent)
    .map((symbol) => (transport.agent as unknown as Record<symbol, unknown>)[symbol])
    .find((value): value is Record<string, unknown> =>
      typeof value === "object" && value !== null && "keepAliveTimeout" in value
    );
  assert.equal(options?.["connections"], 50);
  assert.equal(options?.["keepAliveTimeout"], 60_000);
  assert.equal(options?.["headersTimeout"], 60_000);
  assert.equal(options?.["bodyTimeout"], 60_000);
  return transport.close();
});

test("node transport: after close(), calls fail with NETWORK_ERROR instead of hanging", async () => {
  const mock = createMockVobiz();
  const server = await mock.listen();
  const transport = nodeTransport();
  const vobiz = createClient({
    authId: "MA_MOCK0001",
    authToken: "mock-auth-token",
    baseUrl: server.baseUrl,
    allowInsecureLoopback: true,
    fetch: transport,
  });
  await vobiz.balance.get();
  await transport.close();
  await assert.rejects(vobiz.balance.get(), VobizNetworkError);
  await server.close();
});
