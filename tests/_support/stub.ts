// A tiny in-process fetch handler for core tests: records requests, answers from a script.
import type { FetchLike } from "../../mod.ts";

export interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type Answer = Response | ((request: Request) => Response | Promise<Response>);

export interface Stub {
  fetch: FetchLike;
  seen: Seen[];
}

/** Answers each request with the next scripted answer (the last one repeats). */
export function stub(...answers: Answer[]): Stub {
  const seen: Seen[] = [];
  return {
    seen,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      seen.push({
        method: request.method,
        url: request.url,
        headers: Object.fromEntries(request.headers),
        body: await request.clone().text(),
      });
      const answer = answers[Math.min(seen.length - 1, answers.length - 1)];
      if (answer === undefined) throw new Error("no scripted answer");
      return typeof answer === "function" ? answer(request) : answer.clone();
    },
  };
}

export const base = {
  authId: "MA_TEST0001",
  authToken: "s3cret-token",
  baseUrl: "https://api.vobiz.test/api/v1",
};
