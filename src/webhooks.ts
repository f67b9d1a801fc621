/**
 * Verifying (and, for tests, producing) the signatures Vobiz puts on webhooks and callbacks, with
 * WebCrypto only, so it runs in Node, Deno, Bun, Cloudflare Workers and browsers.
 *
 * - Voice callbacks (answer, hangup, ring, fallback, recording, …): {@link verifyVoiceSignature}
 *   checks `X-Vobiz-Signature-V3`/`-V2` and their `-MA-` (parent account) variants: base64
 *   HMAC-SHA256 keyed with the auth token over the callback URL without its query, then the nonce.
 * - KYC, WhatsApp and trunk webhooks: {@link verifyBodySignature} checks an HMAC-SHA256 of the raw
 *   body (hex, optionally prefixed `sha256=`).
 *
 * Both return `{ valid, reason }` rather than throw, so a handler can answer 401/403 and log the
 * reason; they throw only for a programming error (no auth token or secret).
 *
 * @example
 * ```ts
 * import { verifyVoiceSignature } from "vobiz-kit";
 *
 * export default {
 *   async fetch(request: Request, env: { VOBIZ_AUTH_TOKEN: string }) {
 *     const check = await verifyVoiceSignature({
 *       url: request.url,
 *       headers: request.headers,
 *       authToken: env.VOBIZ_AUTH_TOKEN,
 *     });
 *     if (!check.valid) return new Response(check.reason, { status: 403 });
 *     return new Response("<Response><Speak>Hello</Speak></Response>", {
 *       headers: { "Content-Type": "application/xml" },
 *     });
 *   },
 * };
 * ```
 *
 * @module
 */
import {
  fromBase64,
  fromHex,
  hmacKey,
  hmacSign,
  hmacVerify,
  toBase64,
  toHex,
} from "./_internal/hmac.ts";
import type { KeyValueStore } from "./store.ts";

/** The voice-callback signature schemes, in the order they are tried. */
export type VoiceSignatureVersion = "v3" | "ma-v3" | "v2" | "ma-v2";

/** Why a signature was not accepted. */
export type SignatureFailure =
  /** No signature header of a supported scheme (V1-only requests land here too). */
  | "unsigned"
  /** A signature header without its nonce header. */
  | "missing_nonce"
  /** A signature that is not well-formed base64 or hex. */
  | "malformed"
  /** A well-formed signature that does not match (tampered URL, body or nonce, or wrong key). */
  | "mismatch"
  /** A valid signature whose nonce the nonce store has seen before. */
  | "replayed";

/** Request headers: a `Headers` object, or a plain record such as Node's `IncomingHttpHeaders`. */
export type HeadersLike =
  | Headers
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Options of {@link verifyVoiceSignature}. */
export interface VerifyVoiceSignatureOptions {
  /**
   * The URL Vobiz called, as configured in Vobiz (`answer_url`, `hangup_url`, …). Its query and
   * fragment are ignored. Behind a proxy that rewrites scheme or host, pass the public URL, or
   * several candidates: any one that verifies is enough.
   */
  url: string | URL | readonly (string | URL)[];
  /** The request's headers. Names are matched case-insensitively. */
  headers: HeadersLike;
  /** The account's auth token (for a sub-account's callbacks, the sub-account's token). */
  authToken: string;
  /**
   * The parent (main) account's token, for the `-MA-` variants on sub-account callbacks. When
   * omitted, the `-MA-` variants are tried with `authToken`, so a main account that holds only its
   * own token can verify its sub-accounts' callbacks.
   */
  parentAuthToken?: string;
  /** Schemes to accept, tried in this order. Default: all four, `v3`, `ma-v3`, `v2`, `ma-v2`. */
  versions?: readonly VoiceSignatureVersion[];
  /**
   * Replay protection: nonces of accepted requests are recorded here, and a request whose nonce
   * was seen before is rejected as `"replayed"`. Use a shared store (Redis, KV) when several
   * instances receive callbacks. The check-then-record is not atomic: two copies arriving at the
   * same instant can both pass.
   */
  nonceStore?: KeyValueStore;
  /** How long a nonce is remembered, in seconds. Default 86 400 (one day). */
  nonceTtlSeconds?: number;
}

/** Outcome of {@link verifyVoiceSignature}. */
export type VoiceSignatureResult =
  | { valid: true; version: VoiceSignatureVersion }
  | { valid: false; reason: SignatureFailure; version?: VoiceSignatureVersion };

interface Scheme {
  version: VoiceSignatureVersion;
  header: string;
  nonceHeader: string;
  separator: string;
  parent: boolean;
}

const schemes: readonly Scheme[] = [
  {
    version: "v3",
    header: "x-vobiz-signature-v3",
    nonceHeader: "x-vobiz-signature-v3-nonce",
    separator: ".",
    parent: false,
  },
  {
    version: "ma-v3",
    header: "x-vobiz-signature-ma-v3",
    nonceHeader: "x-vobiz-signature-v3-nonce",
    separator: ".",
    parent: true,
  },
  {
    version: "v2",
    header: "x-vobiz-signature-v2",
    nonceHeader: "x-vobiz-signature-v2-nonce",
    separator: "",
    parent: false,
  },
  {
    version: "ma-v2",
    header: "x-vobiz-signature-ma-v2",
    nonceHeader: "x-vobiz-signature-v2-nonce",
    separator: "",
    parent: true,
  },
];

/** A header's first value, trimmed; "" when absent. */
function readHeader(headers: HeadersLike, name: string): string {
  // Duck-typed, so Headers from another realm or a fetch polyfill work too.
  if (typeof headers.get === "function") return (headers as Headers).get(name)?.trim() ?? "";
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return (typeof value === "string" ? value : value?.[0] ?? "").trim();
}

/**
 * The strings Vobiz may have signed for `url`: the URL as written up to its query or fragment,
 * and the same after WHATWG normalisation (scheme and host case, default port, `/` path).
 */
function signedBases(url: VerifyVoiceSignatureOptions["url"]): string[] {
  const list = typeof url === "string" || url instanceof URL ? [url] : url;
  const bases = new Set<string>();
  for (const item of list) {
    const text = String(item);
    bases.add(text.split(/[?#]/, 1)[0]!);
    try {
      const parsed = new URL(text);
      bases.add(`${parsed.protocol}//${parsed.host}${parsed.pathname}`);
    } catch {
      // Not absolute: only the text form can match.
    }
  }
  return [...bases];
}

/**
 * Verifies the signature of a Vobiz voice callback. Tries, in order, V3, MA-V3, V2 and MA-V2
 * (those present in the headers): `base64(HMAC-SHA256(token, base + "." + nonce))` for V3 and
 * `base64(HMAC-SHA256(token, base + nonce))` for V2, where `base` is the callback URL without its
 * query string and fragment. The body is not signed by Vobiz, so it is not an input. Comparison
 * is constant-time (WebCrypto `verify`). The legacy V1 `X-Vobiz-Signature` (HMAC-SHA1) is not
 * supported: a request carrying only V1 is `"unsigned"`.
 *
 * Returns `{ valid: true, version }` or `{ valid: false, reason }`; throws a `TypeError` only when
 * `authToken` is missing.
 *
 * @example
 * ```ts
 * import { memoryStore, verifyVoiceSignature } from "vobiz-kit";
 *
 * const nonces = memoryStore({ maxEntries: 100_000 });
 * const check = await verifyVoiceSignature({
 *   url: "https://hooks.example.com/vobiz/answer",
 *   headers: request.headers,
 *   authToken: env.VOBIZ_AUTH_TOKEN,
 *   nonceStore: nonces,
 * });
 * if (!check.valid) console.warn("rejected callback:", check.reason);
 * ```
 */
export async function verifyVoiceSignature(
  options: VerifyVoiceSignatureOptions,
): Promise<VoiceSignatureResult> {
  const { headers, authToken, parentAuthToken, versions, nonceStore } = options;
  const key = await hmacKey(authToken);
  const parentKey = parentAuthToken === undefined ? key : await hmacKey(parentAuthToken);
  const wanted = versions ?? schemes.map((scheme) => scheme.version);
  const present = wanted
    .map((version) => schemes.find((scheme) => scheme.version === version)!)
    .filter((scheme) => readHeader(headers, scheme.header) !== "");
  if (present.length === 0) return { valid: false, reason: "unsigned" };

  const bases = signedBases(options.url);
  let reason: SignatureFailure = "missing_nonce";
  for (const scheme of present) {
    const nonce = readHeader(headers, scheme.nonceHeader);
    if (nonce === "") continue;
    const signature = fromBase64(readHeader(headers, scheme.header));
    if (signature === undefined) {
      if (reason === "missing_nonce") reason = "malformed";
      continue;
    }
    reason = "mismatch";
    for (const base of bases) {
      const message = `${base}${scheme.separator}${nonce}`;
      if (!(await hmacVerify(scheme.parent ? parentKey : key, signature, message))) continue;
      if (nonceStore !== undefined && await isReplay(options, nonceStore)) {
        return { valid: false, reason: "replayed", version: scheme.version };
      }
      return { valid: true, version: scheme.version };
    }
  }
  return { valid: false, reason };
}

/**
 * Whether any nonce of this (already verified) request was seen before; records them if not.
 * Both the V3 and V2 nonces are recorded, so stripping one scheme's headers from a captured
 * request does not make it new.
 */
async function isReplay(
  options: VerifyVoiceSignatureOptions,
  store: KeyValueStore,
): Promise<boolean> {
  const nonces = [
    ...new Set(
      ["x-vobiz-signature-v3-nonce", "x-vobiz-signature-v2-nonce"]
        .map((name) => readHeader(options.headers, name))
        .filter((nonce) => nonce !== ""),
    ),
  ];
  const keys = nonces.map((nonce) => `vobiz:webhook-nonce:${nonce}`);
  for (const key of keys) {
    if ((await store.getItem(key)) !== null) return true;
  }
  const ttl = options.nonceTtlSeconds ?? 86_400;
  for (const key of keys) await store.setItem(key, 1, { ttl });
  return false;
}

/** Options of {@link signVoiceCallback}. */
export interface SignVoiceCallbackOptions {
  /** The callback URL (its query and fragment are not signed). */
  url: string | URL;
  /** Key of the V3/V2 signatures. */
  authToken: string;
  /** Key of the `-MA-` signatures; when given, `X-Vobiz-Signature-MA-V3`/`-MA-V2` are added. */
  parentAuthToken?: string;
  /** Nonces to use; random 20-digit nonces by default, one per scheme, as Vobiz sends. */
  nonce?: { v3?: string; v2?: string };
}

/** A random 20-digit nonce, like Vobiz's. */
function randomNonce(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(20)), (byte) => byte % 10).join("");
}

/**
 * Produces the signature headers Vobiz would send for a callback to `url`: for tests of your own
 * callback handlers, and for the mock API.
 *
 * @example
 * ```ts
 * import { signVoiceCallback, verifyVoiceSignature } from "vobiz-kit";
 *
 * const url = "https://hooks.example.com/answer";
 * const headers = await signVoiceCallback({ url, authToken: "token" });
 * const request = new Request(url, { method: "POST", headers, body: "CallUUID=abc" });
 * (await verifyVoiceSignature({ url, headers: request.headers, authToken: "token" })).valid; // true
 * ```
 */
export async function signVoiceCallback(
  options: SignVoiceCallbackOptions,
): Promise<Record<string, string>> {
  const key = await hmacKey(options.authToken);
  const parentKey = options.parentAuthToken === undefined
    ? undefined
    : await hmacKey(options.parentAuthToken);
  const text = String(options.url);
  const base = text.split(/[?#]/, 1)[0]!;
  const v3Nonce = options.nonce?.v3 ?? randomNonce();
  const v2Nonce = options.nonce?.v2 ?? randomNonce();
  const sign = async (signingKey: CryptoKey, message: string) =>
    toBase64(await hmacSign(signingKey, message));
  const headers: Record<string, string> = {
    "X-Vobiz-Signature-V3": await sign(key, `${base}.${v3Nonce}`),
    "X-Vobiz-Signature-V3-Nonce": v3Nonce,
    "X-Vobiz-Signature-V2": await sign(key, `${base}${v2Nonce}`),
    "X-Vobiz-Signature-V2-Nonce": v2Nonce,
  };
  if (parentKey !== undefined) {
    headers["X-Vobiz-Signature-MA-V3"] = await sign(parentKey, `${base}.${v3Nonce}`);
    headers["X-Vobiz-Signature-MA-V2"] = await sign(parentKey, `${base}${v2Nonce}`);
  }
  return headers;
}

/** How a raw-body signature is encoded. */
export type BodySignatureEncoding = "hex" | "base64" | "auto";

/** Options of {@link verifyBodySignature}. */
export interface VerifyBodySignatureOptions {
  /**
   * The raw request body exactly as received (`await request.text()` or `arrayBuffer()`), never
   * a re-serialised parsed object: re-serialising changes bytes and breaks the signature.
   */
  body: string | Uint8Array | ArrayBuffer;
  /** The signature header's value, e.g. `request.headers.get("X-Webhook-Signature")`. */
  signature: string | null | undefined;
  /**
   * The key: the subscription secret (WhatsApp), the parent account's auth token (KYC), or the
   * trunk's signing secret (trunk webhooks).
   */
  secret: string;
  /**
   * `"hex"` (default; Vobiz's documented form), `"base64"`, or `"auto"` (64 hex digits are read
   * as hex, anything else as base64, as Vobiz's own n8n integration does for KYC events). A
   * `sha256=` prefix is accepted in every mode.
   */
  encoding?: BodySignatureEncoding;
}

/** Outcome of {@link verifyBodySignature}. */
export type BodySignatureResult =
  | { valid: true }
  | { valid: false; reason: Exclude<SignatureFailure, "missing_nonce" | "replayed"> };

/**
 * Verifies an HMAC-SHA256 signature of a raw webhook body: sub-account KYC events
 * (`X-Vobiz-Signature: sha256=<hex>`, keyed with the parent auth token), WhatsApp events
 * (`X-Webhook-Signature: <hex>`, keyed with the subscription secret) and trunk webhooks
 * (`X-Vobiz-Signature`, hex, per-trunk secret; unconfirmed by Vobiz). Constant-time comparison
 * through WebCrypto. These events carry no nonce: deduplicate on their `event_id` or
 * `X-Vobiz-Request-ID`.
 *
 * @example
 * ```ts
 * import { verifyBodySignature } from "vobiz-kit";
 *
 * const body = await request.text();
 * const check = await verifyBodySignature({
 *   body,
 *   signature: request.headers.get("X-Webhook-Signature"),
 *   secret: "my-subscription-secret",
 * });
 * if (!check.valid) return new Response(check.reason, { status: 401 });
 * const event = JSON.parse(body);
 * ```
 */
export async function verifyBodySignature(
  options: VerifyBodySignatureOptions,
): Promise<BodySignatureResult> {
  const key = await hmacKey(options.secret);
  const given = (options.signature ?? "").trim().replace(/^sha256=/i, "");
  if (given === "") return { valid: false, reason: "unsigned" };
  const encoding = options.encoding ?? "hex";
  const bytes = encoding === "hex" || (encoding === "auto" && /^[0-9a-f]{64}$/i.test(given))
    ? fromHex(given)
    : fromBase64(given);
  if (bytes === undefined) return { valid: false, reason: "malformed" };
  return (await hmacVerify(key, bytes, options.body))
    ? { valid: true }
    : { valid: false, reason: "mismatch" };
}

/** Options of {@link signBody}. */
export interface SignBodyOptions {
  /** The exact body bytes (a string is encoded as UTF-8). */
  body: string | Uint8Array | ArrayBuffer;
  /** The key. */
  secret: string;
  /** `"hex"` (default) or `"base64"`. */
  encoding?: "hex" | "base64";
  /** Prepend `sha256=` (the KYC form). Default false. */
  prefix?: boolean;
}

/**
 * The HMAC-SHA256 signature of a body, as {@link verifyBodySignature} expects it: for testing
 * your webhook handlers.
 *
 * @example
 * ```ts
 * import { signBody } from "vobiz-kit";
 * const body = JSON.stringify({ event: "kyc.completed" });
 * const header = await signBody({ body, secret: "parent-token", prefix: true }); // "sha256=…"
 * ```
 */
export async function signBody(options: SignBodyOptions): Promise<string> {
  const digest = await hmacSign(await hmacKey(options.secret), options.body);
  const encoded = options.encoding === "base64" ? toBase64(digest) : toHex(digest);
  return options.prefix === true ? `sha256=${encoded}` : encoded;
}
