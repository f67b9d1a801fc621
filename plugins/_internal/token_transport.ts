// The transport of a call that carries a Bearer access token. The token is added here, after every
// hook (like the core's X-Auth-Token), so no hook payload, log line or error ever holds it. A 401
// TOKEN_EXPIRED is answered by one refresh and one replay of the same request, inside this attempt.
import { parseErrorBody } from "../../src/_internal/error_body.ts";
import type { FetchLike } from "../../src/options.ts";

export interface BearerTransportOptions {
  transport: FetchLike;
  /** The access token to send now (refreshing first when it is about to expire). */
  token(): Promise<string>;
  /** A token newer than `stale` (refreshing once for everyone who holds `stale`). */
  refreshed(stale: string): Promise<string>;
}

/** `request` with `Authorization: Bearer <token>`, as a new Request (the caller's stays clean). */
export function withBearer(request: Request, token: string): Request {
  const headers = new Headers(request.headers);
  headers.set("authorization", `Bearer ${token}`);
  return new Request(request, { headers });
}

export function bearerTransport(options: BearerTransportOptions): FetchLike {
  return async (request, init) => {
    const token = await options.token();
    const replay = request.clone(); // the body, kept for the one replay
    const response = await options.transport(withBearer(request, token), init);
    if (response.status !== 401) {
      discard(replay);
      return response;
    }
    const text = await response.text();
    if (!isTokenExpired(text)) {
      discard(replay);
      const { status, statusText, headers } = response;
      return new Response(text, { status, statusText, headers });
    }
    let fresh: string;
    try {
      fresh = await options.refreshed(token);
    } catch (error) {
      discard(replay);
      throw error;
    }
    // Replayed once: a second 401 goes to the caller as it is, never into another refresh.
    return options.transport(withBearer(replay, fresh), init);
  };
}

function isTokenExpired(text: string): boolean {
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // a plain-text body: parseErrorBody reads it as a message
  }
  return parseErrorBody(body).code === "TOKEN_EXPIRED";
}

// Not awaited: cancelling one branch of a tee'd body settles only when the other branch ends.
function discard(request: Request): void {
  request.body?.cancel().catch(() => {});
}
