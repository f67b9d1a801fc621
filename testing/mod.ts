/**
 * `vobiz-kit/testing`: an in-process fake Vobiz API with scripted faults, for testing code that
 * talks to Vobiz without touching the real service (or your balance).
 *
 * - `mock.fetch` is a fetch-compatible handler: pass it as the client's `fetch`, or export it from
 *   a Worker. It uses web-standard APIs only (Node, Deno, Bun, Cloudflare Workers).
 * - `mock.listen()` serves the same handler on 127.0.0.1 for tests through real sockets (Node, Deno
 *   and Bun, via `node:http`).
 * - `mock.fault(spec)` scripts failures: error statuses (in the four Vobiz error shapes) with or
 *   without `Retry-After`, latency, slow bodies, connections dropped before or after the side
 *   effect, malformed JSON.
 * - `mock.issueTokens()` hands out a Bearer token pair (30-minute access, 7-day refresh tokens on
 *   the mock's clock), accepted on the capacity endpoints and renewed by `POST /auth/refresh`;
 *   expired tokens answer 401 `TOKEN_EXPIRED`.
 * - `mock.received` and `mock.effects` show what the mock got and what it actually did, so a test
 *   can assert that a paid write (number purchase, call) happened exactly once.
 *
 * @example
 * ```ts
 * import { createMockVobiz } from "vobiz-kit/testing";
 *
 * const mock = createMockVobiz({ balance: 1000, numberPrice: 100 });
 * // the first purchase attempt resets the connection after the number was bought
 * mock.fault({ method: "POST", path: "/Account/{auth_id}/numbers/purchase-from-inventory", drop: "after" });
 *
 * const server = await mock.listen(); // or pass `mock.fetch` as the client's transport
 * const response = await fetch(`${server.baseUrl}/Account/MA_MOCK0001/balance/INR`, {
 *   headers: { "X-Auth-ID": "MA_MOCK0001", "X-Auth-Token": "mock-auth-token" },
 * });
 * console.log((await response.json()).balance); // 1000
 * console.log(mock.effects.purchases.length, mock.received.length); // 0 1
 * await server.close();
 * ```
 *
 * @module
 */

export type { ErrorShape, FaultSpec } from "./faults.ts";
export { createMockVobiz } from "./mock_vobiz.ts";
export type {
  MockEffects,
  MockServer,
  MockTokenPair,
  MockVobiz,
  MockVobizOptions,
  ReceivedRequest,
} from "./mock_vobiz.ts";
