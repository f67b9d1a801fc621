// Reads Vobiz's error bodies. Several shapes coexist (reference/vobiz-api.md §5.1), so each field is
// looked up leniently; nothing here throws, whatever the body is.

/** What an error body tells us, whichever shape it came in. */
export interface ParsedErrorBody {
  code?: string;
  message?: string;
  requestId?: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

/**
 * Shapes handled:
 * 1. `{status:"error", error:{code,message,details}, requestId}` (documented envelope)
 * 2. `{api_id, error, message?}` (Plivo style)
 * 3. `{status, message}`
 * 4. `{error:"…", code:400}`
 * plus plain text (or HTML from a proxy), which becomes the message, truncated.
 */
export function parseErrorBody(body: unknown): ParsedErrorBody {
  if (typeof body === "string") {
    const trimmed = body.trim();
    return trimmed === "" ? {} : { message: trimmed.slice(0, 200) };
  }
  if (!isObject(body)) return {};
  const parsed: ParsedErrorBody = {};
  const nested = isObject(body["error"]) ? body["error"] : undefined;
  const code = text(nested?.["code"]) ?? text(body["code"]) ?? text(body["error_code"]);
  const message = text(nested?.["message"]) ?? text(body["message"]) ?? text(body["error"]) ??
    text(body["detail"]);
  const requestId = text(body["requestId"]) ?? text(body["api_id"]) ?? text(body["request_id"]);
  if (code !== undefined) parsed.code = code;
  if (message !== undefined) parsed.message = message;
  if (requestId !== undefined) parsed.requestId = requestId;
  return parsed;
}
