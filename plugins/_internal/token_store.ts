// Tokens encrypted at rest: AES-GCM with a fresh random IV per write, the entry's name bound in as
// additional data (an entry copied under another name does not decrypt).
import type { KeyValueStore } from "../../src/store.ts";
import type { Tokens, TokenStore } from "../token_refresh.ts";

interface Sealed {
  v: 1;
  iv: string;
  data: string;
}

const encoder = new TextEncoder();
const REFRESH_TOKEN_LIFETIME_S = 7 * 86_400; // vobiz-api.md §2.2

/**
 * A {@link TokenStore} that keeps the tokens in any {@link KeyValueStore}, encrypted with
 * WebCrypto AES-GCM (a random 96-bit IV per write), so the store never holds a usable token.
 *
 * @example
 * ```ts
 * import { memoryStore } from "vobiz-kit";
 * import { encryptedTokenStore, tokenRefresh } from "vobiz-kit/plugins/token-refresh";
 *
 * const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, [
 *   "encrypt",
 *   "decrypt",
 * ]);
 * const store = encryptedTokenStore(memoryStore(), key);
 * const plugin = tokenRefresh({ accessToken, refreshToken, store });
 * ```
 */
export function encryptedTokenStore(
  store: KeyValueStore,
  key: CryptoKey,
  options: { name?: string } = {},
): TokenStore {
  const name = options.name ?? "vobiz-kit:tokens";
  const additionalData = encoder.encode(name);
  return {
    async load(): Promise<Tokens | null> {
      const sealed = await store.getItem<Sealed>(name);
      if (sealed === null) return null;
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: fromBase64(sealed.iv), additionalData },
        key,
        fromBase64(sealed.data),
      );
      const tokens = JSON.parse(new TextDecoder().decode(plain)) as Partial<Tokens>;
      if (typeof tokens.accessToken !== "string" || typeof tokens.refreshToken !== "string") {
        return null;
      }
      return {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        ...(typeof tokens.expiresAt === "number" ? { expiresAt: tokens.expiresAt } : {}),
      };
    },
    async save(tokens: Tokens): Promise<void> {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const data = await crypto.subtle.encrypt(
        { name: "AES-GCM", iv, additionalData },
        key,
        encoder.encode(JSON.stringify(tokens)),
      );
      const sealed: Sealed = { v: 1, iv: toBase64(iv), data: toBase64(new Uint8Array(data)) };
      await store.setItem(name, sealed, { ttl: REFRESH_TOKEN_LIFETIME_S });
    },
  };
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}
