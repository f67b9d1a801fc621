// The fault matrix (issue 3): for each scripted fault and each plugin combination the README
// recommends, 1,000 calls (balance, account, paid purchases, each purchase sent twice with its own
// key) end in a value or a typed error; no unhandled rejection; no paid side effect twice; every
// response body the transport handed out is read or cancelled by the end.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { createClient, isVobizError, type VobizPlugin } from "../mod.ts";
import { createMockVobiz, type FaultSpec, type MockVobiz } from "../testing/mod.ts";
import { retry } from "../plugins/retry.ts";
import { circuitBreaker } from "../plugins/circuit_breaker.ts";
import { idempotency } from "../plugins/idempotency.ts";
import { rateLimit } from "../plugins/rate_limit.ts";
import { cache } from "../plugins/cache.ts";
import { metrics } from "../plugins/metrics.ts";
import { logging } from "../plugins/logging.ts";

const BALANCE = "/Account/{auth_id}/balance/{currency}";
const ACCOUNT = "/auth/me";
const PURCHASE = "/Account/{auth_id}/numbers/purchase-from-inventory";
const CALLS = 1000;
const PURCHASES = 100; // distinct numbers, each bought twice with its own key: 200 paid calls
const PRICE = 100;
const START_BALANCE = 1_000_000;

interface Fault {
  /** The faults scripted before the run. */
  specs: FaultSpec[];
  /** Per-attempt timeout of the client (small where the fault is latency). */
  timeout: number;
  /** Whether the transport log shows the fault was actually hit. */
  hit(log: TransportLog): boolean;
}

interface TransportLog {
  statuses: number[];
  rejections: number;
}

const on = (path: string, spec: Omit<FaultSpec, "path">): FaultSpec => ({ path, ...spec });
const post = { method: "POST" };

const FAULTS: Record<string, Fault> = {
  "5xx burst": {
    specs: [
      on(BALANCE, { status: 503, times: 20 }),
      on(ACCOUNT, { status: 500, times: 8 }),
      on(PURCHASE, { ...post, status: 502, times: 6 }),
    ],
    timeout: 5000,
    hit: (log) => log.statuses.some((status) => status >= 500),
  },
  "429 with Retry-After": {
    specs: [
      on(BALANCE, { status: 429, retryAfter: 0, times: 15 }),
      on(PURCHASE, { ...post, status: 429, retryAfter: 0, times: 6 }),
    ],
    timeout: 5000,
    hit: (log) => log.statuses.includes(429),
  },
  "429 without Retry-After": {
    specs: [
      on(BALANCE, { status: 429, times: 15 }),
      on(PURCHASE, { ...post, status: 429, times: 6 }),
    ],
    timeout: 5000,
    hit: (log) => log.statuses.includes(429),
  },
  "connection reset before the side effect": {
    specs: [
      on(BALANCE, { drop: "before", times: 10 }),
      on(PURCHASE, { ...post, drop: "before", times: 10 }),
    ],
    timeout: 5000,
    hit: (log) => log.rejections > 0,
  },
  "connection reset after the side effect": {
    specs: [
      on(ACCOUNT, { drop: "after", times: 10 }),
      on(PURCHASE, { ...post, drop: "after", times: 10 }),
    ],
    timeout: 5000,
    hit: (log) => log.rejections > 0,
  },
  "slow headers": {
    specs: [
      on(BALANCE, { latencyMs: 200, times: 4 }),
      on(PURCHASE, { ...post, latencyMs: 200, times: 3 }),
    ],
    timeout: 50,
    hit: (log) => log.rejections > 0, // the attempt timed out before the headers came
  },
  "slow body": {
    specs: [
      on(BALANCE, { slowBodyMs: 100, times: 4 }),
      on(PURCHASE, { ...post, slowBodyMs: 100, times: 3 }),
    ],
    timeout: 50,
    hit: (log) => log.statuses.length > 0,
  },
  "malformed JSON": {
    specs: [
      on(BALANCE, { malformed: true, times: 10 }),
      on(ACCOUNT, { malformed: true, times: 5 }),
      on(PURCHASE, { ...post, malformed: true, times: 5 }),
    ],
    timeout: 5000,
    hit: (log) => log.statuses.includes(200),
  },
  "expired token (401 TOKEN_EXPIRED)": {
    specs: [
      on(BALANCE, { status: 401, errorCode: "TOKEN_EXPIRED", times: 10 }),
      on(ACCOUNT, { status: 401, errorCode: "TOKEN_EXPIRED", times: 10 }),
      on(PURCHASE, { ...post, status: 401, errorCode: "TOKEN_EXPIRED", times: 3 }),
    ],
    timeout: 5000,
    hit: (log) => log.statuses.includes(401),
  },
};

const resilience = (): VobizPlugin[] => [
  idempotency(),
  retry({ baseDelayMs: 0 }),
  circuitBreaker(),
];

const COMBINATIONS: Record<string, () => VobizPlugin[]> = {
  "A: idempotency, retry, circuitBreaker": resilience,
  "B: A + rateLimit": () => [
    ...resilience(),
    rateLimit({
      requestsPerSecond: 1_000_000,
      burst: 1000,
      maxConcurrent: 16,
      backoffMs: 5,
      maxPauseMs: 20,
    }),
  ],
  "C: cache, A, metrics, logging": () => [
    cache(),
    ...resilience(),
    metrics(),
    logging({ sink: () => {} }),
  ],
};

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
before(() => void process.on("unhandledRejection", onUnhandled));
after(() => void process.off("unhandledRejection", onUnhandled));

const inventory = Array.from(
  { length: PURCHASES },
  (_, i) => `+9180000${String(i + 1).padStart(5, "0")}`,
);

interface Outcomes {
  values: number;
  errors: Record<string, number>;
  untyped: unknown[];
  purchasesRejectedAsOwned: number;
}

async function runMatrixCell(
  mock: MockVobiz,
  plugins: VobizPlugin[],
  fault: Fault,
): Promise<{ outcomes: Outcomes; log: TransportLog; unread: number }> {
  const handedOut: Response[] = [];
  const log: TransportLog = { statuses: [], rejections: 0 };
  const client = createClient({
    authId: "MA_MOCK0001",
    authToken: "mock-auth-token",
    baseUrl: "https://api.vobiz.test/api/v1",
    timeout: fault.timeout,
    plugins,
    fetch: async (input, init) => {
      try {
        const response = await mock.fetch(input, init);
        log.statuses.push(response.status);
        handedOut.push(response);
        return response;
      } catch (error) {
        log.rejections++;
        throw error;
      }
    },
  });
  for (const spec of fault.specs) mock.fault(spec);

  const outcomes: Outcomes = { values: 0, errors: {}, untyped: [], purchasesRejectedAsOwned: 0 };
  const call = (i: number): Promise<unknown> => {
    const kind = i % 10;
    if (kind < 5) return client.balance.get();
    if (kind < 8) return client.account.get();
    // purchase n (n < PURCHASES) twice: first in the first half of the run, again in the second
    const n = Math.floor(i / 10) % PURCHASES * 2 + (kind - 8);
    const e164 = inventory[Math.floor(n / 2)]!;
    return client.numbers.purchase({ e164 }, { idempotencyKey: `order-${e164}` });
  };
  let next = 0;
  const worker = async () => {
    while (next < CALLS) {
      const i = next++;
      try {
        await call(i);
        outcomes.values++;
      } catch (error) {
        if (!isVobizError(error)) {
          outcomes.untyped.push(error);
          continue;
        }
        outcomes.errors[error.code] = (outcomes.errors[error.code] ?? 0) + 1;
        const vobizCode = (error as { vobizCode?: unknown }).vobizCode;
        if (vobizCode === "NUMBER_NOT_AVAILABLE") outcomes.purchasesRejectedAsOwned++;
      }
    }
  };
  await Promise.all(Array.from({ length: 25 }, worker));
  // Let anything still settling in the background (revalidation, cancelled tees) finish.
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  client.close();
  // The stream's own state: afterResponse handlers see the answer through shared-read methods that
  // keep reporting it readable (bodyUsed false), so ask Response.prototype, not the answer.
  const raw = (response: Response, name: "body" | "bodyUsed") =>
    Reflect.get(Response.prototype, name, response);
  const unread = handedOut.filter((response) =>
    raw(response, "body") !== null && !raw(response, "bodyUsed")
  );
  return { outcomes, log, unread: unread.length };
}

for (const [combination, plugins] of Object.entries(COMBINATIONS)) {
  describe(`fault matrix, ${combination}`, () => {
    for (const [name, fault] of Object.entries(FAULTS)) {
      // An explicit limit: Bun's default of 5 s per test is tight for 1,000 calls on a loaded machine.
      test(
        `${name}: 1,000 calls end in a value or a typed error, nothing paid twice, no body unread`,
        { timeout: 120_000 },
        async () => {
          const mock = createMockVobiz({
            balance: START_BALANCE,
            numberPrice: PRICE,
            inventory,
          });
          const { outcomes, log, unread } = await runMatrixCell(mock, plugins(), fault);
          const total = outcomes.values + outcomes.untyped.length +
            Object.values(outcomes.errors).reduce((sum, count) => sum + count, 0);
          assert.equal(total, CALLS);
          assert.deepEqual(outcomes.untyped, [], "every failure is a typed VobizError");
          assert.ok(fault.hit(log), `the scripted fault was hit: ${JSON.stringify(outcomes)}`);
          assert.ok(outcomes.values > 0, `some calls succeed: ${JSON.stringify(outcomes)}`);

          // No paid side effect twice: each number bought at most once and debited once, and no
          // purchase was ever re-sent after it had run (the mock would answer 409 NUMBER_NOT_AVAILABLE).
          const bought = mock.effects.purchases.map((purchase) => purchase.e164);
          assert.equal(new Set(bought).size, bought.length, "each number bought at most once");
          assert.equal(mock.balance(), START_BALANCE - PRICE * bought.length);
          assert.equal(outcomes.purchasesRejectedAsOwned, 0, JSON.stringify(outcomes.errors));

          assert.equal(unread, 0, "every response body was read or cancelled");
          assert.deepEqual(unhandled, [], "no unhandled rejection");
        },
      );
    }
  });
}
