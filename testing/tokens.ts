/**
 * The mock's Bearer tokens (vobiz-api.md §2.2): a 30-minute access token and a 7-day refresh
 * token, JWT-shaped (their `exp` claim is readable, the signature is not real), renewed through
 * `POST /auth/refresh` with the refresh token as the Bearer credential.
 *
 * - A refresh returns a new pair. The access token issued with the refresh token used stops working
 *   (401 `TOKEN_EXPIRED`, so a client refreshes or picks up the new one). The new refresh token
 *   keeps the old one's expiry: refreshing neither extends nor shortens the 7 days, so the old
 *   refresh token also stays valid until then.
 * - Expiry is judged on the mock's `now()`: an expired token answers 401 `TOKEN_EXPIRED`, an
 *   unknown one (or a refresh token used as an access token, or the reverse) 401
 *   `INVALID_CREDENTIALS`.
 *
 * @module
 */

import type { MockConfig, MockState } from "./state.ts";

/**
 * A token pair as login, `POST /auth/refresh` and sub-account creation return it.
 *
 * @example
 * ```ts
 * import { createMockVobiz, type MockTokenPair } from "vobiz-kit/testing";
 * const pair: MockTokenPair = createMockVobiz().issueTokens();
 * pair.expires_in; // 1800
 * ```
 */
export interface MockTokenPair {
  /** Sent as `Authorization: Bearer` to the endpoints that take it. */
  access_token: string;
  /** Sent as `Authorization: Bearer` to `POST /auth/refresh` only. */
  refresh_token: string;
  /** Always `"bearer"`. */
  token_type: "bearer";
  /** Lifetime of the access token, seconds. */
  expires_in: number;
}

/**
 * What the mock knows of one token it issued.
 *
 * @example
 * ```ts
 * import type { BearerToken } from "./tokens.ts";
 * const token: BearerToken = { kind: "access", authId: "MA_MOCK0001", expiresAt: 0, replaced: false };
 * ```
 */
export interface BearerToken {
  /** Which of the pair it is. */
  kind: "access" | "refresh";
  /** The account it acts for. */
  authId: string;
  /** When it stops working (ms, on the mock's clock). */
  expiresAt: number;
  /** An access token replaced by a refresh. */
  replaced: boolean;
  /** For a refresh token: the access token issued with it, retired when it is used. */
  access?: string;
}

/**
 * The account a Bearer token acts for, or why it is refused (401).
 *
 * @example
 * ```ts
 * import type { BearerCheck } from "./tokens.ts";
 * const refused: BearerCheck = { code: "TOKEN_EXPIRED", message: "The access token has expired" };
 * ```
 */
export type BearerCheck =
  | { authId: string }
  | { code: "INVALID_CREDENTIALS" | "TOKEN_EXPIRED"; message: string };

/**
 * Issues a new pair for an account. The refresh token expires at `refreshExpiresAt` (default
 * `now + refreshTokenTtlMs`).
 *
 * @example
 * ```ts
 * import { issueTokenPair } from "./tokens.ts";
 * import type { MockConfig, MockState } from "./state.ts";
 * declare const state: MockState, config: MockConfig;
 * const pair = issueTokenPair(state, config, "MA_MOCK0001", Date.now());
 * ```
 */
export function issueTokenPair(
  state: MockState,
  config: MockConfig,
  authId: string,
  now: number,
  refreshExpiresAt: number = now + config.refreshTokenTtlMs,
): MockTokenPair {
  const accessExpiresAt = now + config.accessTokenTtlMs;
  const access = jwt(authId, "access", accessExpiresAt);
  const refresh = jwt(authId, "refresh", refreshExpiresAt);
  state.bearerTokens.set(access, {
    kind: "access",
    authId,
    expiresAt: accessExpiresAt,
    replaced: false,
  });
  state.bearerTokens.set(refresh, {
    kind: "refresh",
    authId,
    expiresAt: refreshExpiresAt,
    replaced: false,
    access,
  });
  return {
    access_token: access,
    refresh_token: refresh,
    token_type: "bearer",
    expires_in: config.accessTokenTtlMs / 1000,
  };
}

/**
 * The token of an `Authorization: Bearer <token>` header, if there is one.
 *
 * @example
 * ```ts
 * import { bearerOf } from "./tokens.ts";
 * bearerOf(new Headers({ authorization: "Bearer abc" })); // "abc"
 * ```
 */
export function bearerOf(headers: Headers): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "")?.[1];
}

/**
 * Checks a Bearer token of the given kind at `now`.
 *
 * @example
 * ```ts
 * import { checkBearer } from "./tokens.ts";
 * import type { MockState } from "./state.ts";
 * declare const state: MockState;
 * checkBearer(state, "not-a-token", "access", Date.now()); // { code: "INVALID_CREDENTIALS", … }
 * ```
 */
export function checkBearer(
  state: MockState,
  token: string,
  kind: "access" | "refresh",
  now: number,
): BearerCheck {
  const record = state.bearerTokens.get(token);
  if (record === undefined || record.kind !== kind) {
    return { code: "INVALID_CREDENTIALS", message: `Invalid ${kind} token` };
  }
  if (now >= record.expiresAt) {
    return { code: "TOKEN_EXPIRED", message: `The ${kind} token has expired` };
  }
  if (record.replaced) {
    return { code: "TOKEN_EXPIRED", message: `The ${kind} token was replaced by a refresh` };
  }
  return { authId: record.authId };
}

/**
 * Uses a refresh token (already checked): retires the access token issued with it, issues a new
 * pair expiring with the old refresh token, and records the refresh in `effects.refreshes`.
 *
 * @example
 * ```ts
 * import { refreshTokenPair } from "./tokens.ts";
 * import type { MockConfig, MockState } from "./state.ts";
 * declare const state: MockState, config: MockConfig, refreshToken: string;
 * const pair = refreshTokenPair(state, config, refreshToken, Date.now());
 * ```
 */
export function refreshTokenPair(
  state: MockState,
  config: MockConfig,
  refreshToken: string,
  now: number,
): MockTokenPair {
  const record = state.bearerTokens.get(refreshToken);
  if (record === undefined || record.kind !== "refresh") throw new Error("not a refresh token");
  const access = record.access === undefined ? undefined : state.bearerTokens.get(record.access);
  if (access !== undefined) access.replaced = true;
  state.effects.refreshes.push({ authId: record.authId, at: now });
  return issueTokenPair(state, config, record.authId, now, record.expiresAt);
}

/** `header.claims.signature`, base64url; `exp` in whole seconds, rounded down (never late). */
function jwt(authId: string, kind: "access" | "refresh", expiresAt: number): string {
  const part = (value: object) =>
    btoa(JSON.stringify(value)).replaceAll("=", "").replaceAll("+", "-").replaceAll("/", "_");
  const claims = {
    sub: authId,
    typ: kind,
    exp: Math.floor(expiresAt / 1000),
    jti: crypto.randomUUID(),
  };
  return `${part({ alg: "none", typ: "JWT" })}.${part(claims)}.mock`;
}
