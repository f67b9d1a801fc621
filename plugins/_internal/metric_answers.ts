// Reads the answers that carry account health: balance (`GET /Account/{auth_id}/balance/{currency}`)
// and CDR lists with their summary (`GET /Account/{auth_id}/cdr`, `/cdr/search`, `/cdr/recent`).
// Lenient: a field of the wrong type is ignored, nothing here throws.

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const finite = (value: unknown): number | undefined => {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) ? number : undefined;
};

const balancePath = /\/account\/[^/]+\/balance\/[^/]+\/?$/i;
const cdrListPath = /\/account\/[^/]+\/cdr(\/search|\/recent)?\/?$/i;

/** Which health-carrying answer a GET to this URL returns, if any. */
export function answerKind(method: string, url: string): "balance" | "cdrs" | undefined {
  if (method !== "GET") return undefined;
  const path = pathOf(url);
  if (balancePath.test(path)) return "balance";
  if (cdrListPath.test(path)) return "cdrs";
  return undefined;
}

/** A balance reading. */
export interface BalanceReading {
  readonly currency: string;
  /** `balance`. */
  readonly balance: number;
  /** `available_balance` (balance less reserved funds) when given, else `balance`. */
  readonly available: number;
  /** The account's own `low_balance_threshold`, when set. */
  readonly lowBalanceThreshold: number | undefined;
}

/** The balance in a balance answer. */
export function balanceOf(body: unknown): BalanceReading | undefined {
  if (!isObject(body) || typeof body["currency"] !== "string") return undefined;
  const balance = finite(body["balance"]);
  if (balance === undefined) return undefined;
  const threshold = finite(body["low_balance_threshold"]);
  return {
    currency: body["currency"].toUpperCase().slice(0, 8),
    balance,
    available: finite(body["available_balance"]) ?? balance,
    lowBalanceThreshold: threshold !== undefined && threshold > 0 ? threshold : undefined,
  };
}

/** Answered and total calls of a CDR answer. */
export interface AnswerCounts {
  readonly answered: number;
  readonly total: number;
}

/**
 * Answered/total from a CDR answer: its `summary` (`answeredCalls`/`totalCalls`, or `answerRate`,
 * a percentage or a fraction) when present, else the CDRs listed in `data`.
 */
export function answerCountsOf(body: unknown): AnswerCounts | undefined {
  if (!isObject(body)) return undefined;
  const summary = isObject(body["summary"]) ? body["summary"] : undefined;
  const total = finite(summary?.["totalCalls"]);
  const answered = finite(summary?.["answeredCalls"]);
  if (total !== undefined && total > 0) {
    if (answered !== undefined) return { answered: Math.min(answered, total), total };
    const rate = finite(summary?.["answerRate"]);
    if (rate !== undefined) return { answered: total * (rate > 1 ? rate / 100 : rate), total };
  }
  const data = body["data"];
  if (!Array.isArray(data) || data.length === 0) return undefined;
  return { answered: data.filter(isAnswered).length, total: data.length };
}

/** A CDR counts as answered when it has an `answer_time` or billed seconds. */
export function isAnswered(cdr: unknown): boolean {
  if (!isObject(cdr)) return false;
  const answerTime = cdr["answer_time"];
  return (typeof answerTime === "string" && answerTime !== "") || (finite(cdr["billsec"]) ?? 0) > 0;
}

/**
 * The JSON body of a response, read from a clone of it so that other readers are unaffected, or
 * `undefined` when it is not JSON, too large, or malformed. The clone is always read to the end.
 */
export async function readJson(response: Response, maxBytes = 1_048_576): Promise<unknown> {
  const type = response.headers.get("content-type") ?? "";
  const length = Number(response.headers.get("content-length") ?? 0);
  // A missing content type is tried too (Deno can drop it from test-built responses' clones).
  const notJson = type !== "" && !/json/i.test(type);
  if (notJson || length > maxBytes || response.body === null || response.bodyUsed) {
    return undefined;
  }
  try {
    const text = await response.clone().text();
    return text.length > maxBytes ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split(/[?#]/, 1)[0] ?? "";
  }
}
