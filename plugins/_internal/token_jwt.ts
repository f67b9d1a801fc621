// Reads a JWT's `exp` claim (seconds since the epoch) without verifying it: the client only needs
// to know when to refresh; the server remains the judge of validity.

/** Expiry of a JWT in ms since the epoch, or undefined when the token is not a JWT with `exp`. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (payload === undefined) return undefined;
  try {
    const base64 = payload.replaceAll("-", "+").replaceAll("_", "/");
    const claims: unknown = JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "=")));
    const exp = (claims as { exp?: unknown } | null)?.exp;
    return typeof exp === "number" && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
