// HMAC-SHA256 and the byte encodings webhook signatures use, on WebCrypto only (no Buffer).

const encoder = new TextEncoder();

/** Bytes of a string (UTF-8) or of binary input. */
export function toBytes(data: string | Uint8Array | ArrayBuffer): Uint8Array<ArrayBuffer> {
  if (typeof data === "string") return encoder.encode(data);
  return new Uint8Array(data instanceof Uint8Array ? data.slice() : data.slice(0));
}

/** Imports an HMAC-SHA256 key from a secret (UTF-8) for signing and verifying. */
export function hmacKey(secret: string): Promise<CryptoKey> {
  if (typeof secret !== "string" || secret === "") {
    throw new TypeError("An HMAC secret (auth token or signing secret) is required");
  }
  return crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

/** The HMAC-SHA256 of `data`. */
export async function hmacSign(
  key: CryptoKey,
  data: string | Uint8Array | ArrayBuffer,
): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, toBytes(data)));
}

/**
 * Whether `signature` is the HMAC-SHA256 of `data`. WebCrypto's verify compares in constant time,
 * so the comparison leaks nothing about how many bytes matched.
 */
export function hmacVerify(
  key: CryptoKey,
  signature: Uint8Array<ArrayBuffer>,
  data: string | Uint8Array | ArrayBuffer,
): Promise<boolean> {
  return crypto.subtle.verify("HMAC", key, signature, toBytes(data));
}

/** Standard base64 of bytes. */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Bytes of standard (or URL-safe) base64, padding optional; undefined when malformed. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  const normalised = text.replace(/-/g, "+").replace(/_/g, "/");
  if (
    !/^[A-Za-z0-9+/]*={0,2}$/.test(normalised) || normalised.replace(/=+$/, "").length % 4 === 1
  ) {
    return undefined;
  }
  const unpadded = normalised.replace(/=+$/, "");
  const binary = atob(unpadded + "=".repeat((4 - (unpadded.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Bytes of hex (either case); undefined when malformed. */
export function fromHex(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(text)) return undefined;
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
