// Shared by the resource tests: a client wired to the in-process mock, on a fake clock.
import assert from "node:assert/strict";
import { type ClientOptions, createClient, type VobizClient } from "../../mod.ts";
import { createMockVobiz, type MockVobiz, type MockVobizOptions } from "../../testing/mod.ts";
import { type FakeClock, fakeClock } from "../_support/fake_clock.ts";

export const AUTH_ID = "MA_MOCK0001";
export const API = "/api/v1";
export const ACCOUNT = `${API}/Account/${AUTH_ID}`;

export interface Setup {
  mock: MockVobiz;
  vobiz: VobizClient;
  clock: FakeClock;
}

/** A mock on a fake clock (2026-11-26T00:00Z) and a client talking to it in process. */
export function setup(options: MockVobizOptions = {}, client: ClientOptions = {}): Setup {
  const clock = fakeClock();
  const mock = createMockVobiz({ now: clock.now, ...options });
  const vobiz = createClient({
    authId: AUTH_ID,
    authToken: "mock-auth-token",
    baseUrl: "https://api.vobiz.test/api/v1",
    fetch: mock.fetch,
    clock,
    ...client,
  });
  return { mock, vobiz, clock };
}

/** `METHOD /path?query` of every request the mock received, in order. */
export function lines(mock: MockVobiz): string[] {
  return mock.received.map((r) => `${r.method} ${r.path}${r.search}`);
}

/** The last request the mock received. */
export function last(mock: MockVobiz): MockVobiz["received"][number] {
  const request = mock.received.at(-1);
  assert.ok(request, "the mock received no request");
  return request;
}

/** The last request's JSON body. */
export function lastBody(mock: MockVobiz): unknown {
  return JSON.parse(last(mock).body);
}

/** Asserts that `promise` rejects with VALIDATION_ERROR naming `path`, and nothing was sent. */
export async function rejectsInput(
  mock: MockVobiz,
  promise: Promise<unknown> | (() => unknown),
  path: string,
): Promise<void> {
  const before = mock.received.length;
  await assert.rejects(
    async () => await (typeof promise === "function" ? promise() : promise),
    (error: { code?: string; issues?: { path: string }[] }) => {
      assert.equal(error.code, "VALIDATION_ERROR");
      assert.ok(
        error.issues?.some((issue) => issue.path === path),
        `expected an issue at "${path}", got ${JSON.stringify(error.issues?.map((i) => i.path))}`,
      );
      return true;
    },
  );
  assert.equal(mock.received.length, before, "a rejected input must send nothing");
}

/** Collects an async iterable. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
