// The Deno transport (Deno.createHttpClient), on Deno only:
//   deno test --no-check --allow-net=127.0.0.1 --allow-env --allow-read tests/transports/deno.deno-test.ts
import assert from "node:assert/strict";
import { test } from "node:test";
import { createClient, VobizNetworkError } from "../../mod.ts";
import { createMockVobiz } from "../../testing/mod.ts";
import { denoTransport } from "../../transports/deno.ts";
import { transportSuite } from "./_suite.ts";

transportSuite("deno transport", {
  make: (connections) => denoTransport({ connections }),
  capsBusyConnections: false,
});

test("deno transport: after close(), calls fail with NETWORK_ERROR instead of hanging", async () => {
  const mock = createMockVobiz();
  const server = await mock.listen();
  const transport = denoTransport();
  const vobiz = createClient({
    authId: "MA_MOCK0001",
    authToken: "mock-auth-token",
    baseUrl: server.baseUrl,
    allowInsecureLoopback: true,
    fetch: transport,
  });
  await vobiz.balance.get();
  transport.close();
  await assert.rejects(vobiz.balance.get(), VobizNetworkError);
  await server.close();
});
