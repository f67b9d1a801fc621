// Reads the answers that carry account health: balance (`GET /Account/{auth_id}/balance/{currency}`)
// and CDR lists with their summary (`GET /Account/{auth_id}/cdr`, `/cdr/search`, `/cdr/recent`).
// Lenient: a field of the wrong type is ignored, nothing here throws. Shared by metrics and alerts
// (which take these answers from `done`, already parsed) and logging (which reads error bodies).

type Json = Record<string, unknown>;

/** A JSON object (not an array, not null). */
export const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const finite = (value: unknown): number | undefined => {
  const number = typeof value === "string" && value.trim() ? Number(value) : value;
  return Number.isFinite(number) ? number as number : undefined;
};

// On the whole URL, matched in its path only (`^[^?#]*?`): no URL object per call.
const answerPath =
  /^[^?#]*?\/account\/[^/?#]+\/(?:(balance)\/[^/?#]+|cdr(?:\/search|\/recent)?)\/?(?:[?#]|$)/i;

/** Which health-carrying answer a GET to this URL returns, if any. */
export function answerKind(method: string, url: string): "balance" | "cdrs" | undefined {
  const match = method === "GET" ? answerPath.exec(url) : null;
  return match ? (match[1] ? "balance" : "cdrs") : undefined;
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
  const summary = isObject(body["summary"]) ? body["summary"] : {};
  const total = finite(summary["totalCalls"]);
  const answered = finite(summary["answeredCalls"]);
  const rate = finite(summary["answerRate"]);
  if (total !== undefined && total > 0) {
    if (answered !== undefined) return { answered: Math.min(answered, total), total };
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

// One parse per answer, however many handlers ask.
const parsed = new WeakMap<Response, Promise<unknown>>();

/**
 * The JSON body of an `afterResponse` answer, or `undefined` when it is not JSON or larger than
 * 1 MiB. Read with `text()`, which the core answers from one shared read of the body, leaving it
 * readable for every other reader; parsed once per answer.
 */
export function readJson(response: Response): Promise<unknown> {
  let body = parsed.get(response);
  if (body === undefined) {
    body = response.text().then(
      (text) => text.length > 1_048_576 ? undefined : JSON.parse(text),
    ).catch(() => undefined);
    parsed.set(response, body);
  }
  return body;
}
