// What the idempotency plugin keeps per key: plain JSON (no Response, no promise), so that any
// KeyValueStore can hold it and a Workers isolate never shares I/O objects between requests.

/** A key whose write is being sent, or whose outcome is not known: never send it blindly again. */
export interface OpenRecord {
  state: "pending" | "unknown";
  /** Method, URL and JSON body of the write: one key may only ever name one request. */
  fingerprint: string;
  at: number;
}

/** A write that took effect: its answer, replayed to later calls with the same key. */
export interface DoneRecord {
  state: "done";
  fingerprint: string;
  at: number;
  status: number;
  contentType: string | null;
  body: string;
  /** The answer was rebuilt from a state check, not received. */
  reconciled: boolean;
}

export type IdempotencyRecord = OpenRecord | DoneRecord;

/** Statuses that must not carry a body. */
const nullBody = new Set([101, 103, 204, 205, 304]);

/** A fresh Response for a recorded answer (a new one per caller: a body is read once). */
export function replayResponse(record: DoneRecord): Response {
  const headers = new Headers({ "x-idempotent-replay": "true" });
  if (record.contentType !== null) headers.set("content-type", record.contentType);
  return new Response(nullBody.has(record.status) ? null : record.body, {
    status: record.status,
    headers,
  });
}

/** A copy of an answer with an already-read body. */
export function withBody(response: Response, body: BodyInit | null): Response {
  const { status, statusText, headers } = response;
  return new Response(nullBody.has(status) ? null : body, { status, statusText, headers });
}

/** Records a successful answer (reads the given response, which must be a copy). */
export async function doneRecord(
  response: Response,
  fingerprint: string,
  at: number,
  reconciled: boolean,
): Promise<DoneRecord> {
  return {
    state: "done",
    fingerprint,
    at,
    status: response.status,
    contentType: response.headers.get("content-type"),
    body: await response.text(),
    reconciled,
  };
}
