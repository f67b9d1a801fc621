// Redaction of log records: secret keys at any depth (header names, body fields, query parameters),
// secrets inside free text (`token=…`, `"password":"…"`, `Bearer …`, JWTs), and user-given paths.

/** What replaces a secret. */
export const REDACTED = "[REDACTED]";

// Compared after lower-casing and dropping `-` and `_`, so `refresh_token`, `refreshToken` and
// `Refresh-Token` are one key.
const secretKeys = new Set([
  "authorization",
  "proxyauthorization",
  "cookie",
  "setcookie",
  "apikey",
  "xapikey",
  "authsecret",
  "passwd",
  "pin",
]);
// Any key ending with one of these is secret too: `password`, `sip_password`, `auth_token`,
// `access_token`, `refresh_token`, `x-auth-token`, `client_secret`, … (but not `token_type`).
const secretSuffixes = ["password", "token", "secret"];

// An object naming a secret field in one of these has its value in one of those.
const nameFields = ["field", "path", "param", "name", "key"];
const valueFields = new Set(["value", "input", "received", "provided"]);

const normalize = (key: string): string => key.toLowerCase().replace(/[-_]/g, "");

/** True for the name of a header, field or query parameter that holds a secret by default. */
export function isSecretKey(key: string): boolean {
  const normal = normalize(key);
  return secretKeys.has(normal) || secretSuffixes.some((suffix) => normal.endsWith(suffix));
}

/** Redacts a value (returns a copy; the input is never changed). */
export type Redact = (value: unknown) => unknown;

/**
 * A redactor with the default secrets plus `extra` entries: a plain name (`ssn`) is a key redacted
 * at any depth; a dotted path (`requestBody.customer.card`, `*` for any key) is redacted there only.
 */
export function createRedactor(extra: readonly string[] = []): Redact {
  const keys = new Set(extra.filter((entry) => !entry.includes(".")).map(normalize));
  const paths = extra.filter((entry) => entry.includes(".")).map((entry) => entry.split("."));
  // Record keys, header names and body fields repeat from call to call: each is judged once.
  const judged = new Map<string, boolean>();
  const secret = (key: string) => {
    let answer = judged.get(key);
    if (answer === undefined) {
      if (judged.size >= 1000) judged.clear(); // bounded: keys of arbitrary bodies come and go
      judged.set(key, answer = isSecretKey(key) || keys.has(normalize(key)));
    }
    return answer;
  };

  // URLs and messages repeat from call to call too. Texts found clean are remembered (bounded,
  // short ones only); a text with a secret is never kept, it is scrubbed again each time.
  const clean = new Set<string>();
  const scrub = (text: string) => {
    if (!maySecret.test(text) || clean.has(text)) return text;
    const scrubbed = scrubText(text, secret);
    if (scrubbed === text && text.length <= 512) {
      if (clean.size >= 1000) clean.clear();
      clean.add(text);
    }
    return scrubbed;
  };

  // `parents`: the objects being copied above this one (a cycle back to one is "[Circular]").
  function walk(value: unknown, parents: object[]): unknown {
    if (typeof value === "string") return scrub(value);
    if (typeof value !== "object" || value === null) return value;
    if (parents.includes(value)) return "[Circular]";
    if (parents.length > 16) return "[Truncated]";
    parents.push(value);
    let result: unknown;
    if (Array.isArray(value)) result = value.map((item) => walk(item, parents));
    else {
      const record = value as Record<string, unknown>;
      // `{ field: "password", value: "…" }`: how validation errors echo what was sent.
      const named = nameFields.some((name) => {
        const field = record[name];
        return typeof field === "string" && secret(field.split(".").at(-1) ?? field);
      });
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(record)) {
        const item = secret(key) || (named && valueFields.has(key))
          ? REDACTED
          : walk(record[key], parents);
        // an own "__proto__" key stays a plain key of the copy, as in the input
        if (key === "__proto__") {
          Object.defineProperty(copy, key, {
            value: item,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else copy[key] = item;
      }
      result = copy;
    }
    parents.pop();
    return result;
  }

  return (value) => {
    const copy = walk(value, []);
    for (const path of paths) redactPath(copy, path);
    return copy;
  };
}

// `name=value`, `name: value`, `"name":"value"` in free text (URLs, messages, header dumps).
// An unquoted value stops at `?` and `#` so that `https://host/path?token=…` is seen as two pairs.
const pairs = /(["']?)([A-Za-z][\w-]*)\1(\s*[:=]\s*)("(?:[^"\\]|\\.)*"|'[^']*'|[^\s&,;}"'?#]+)/g;
const schemes = /\b(Bearer|Basic|Digest)\s+[\w.~+/=-]+/gi;
const jwts = /\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g;
const maySecret = /[:=]|eyJ|bearer|basic|digest/i;

/** Removes secrets from free text. */
export function scrubText(text: string, secret: (key: string) => boolean = isSecretKey): string {
  // Each pattern below needs one of these (most log strings have none): a cheap test first.
  if (!maySecret.test(text)) return text;
  return text
    .replace(schemes, (_, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(jwts, REDACTED)
    .replace(
      pairs,
      (match, quote: string, name: string, separator: string, value: string) =>
        secret(decodeName(name)) && !value.includes(REDACTED)
          ? `${quote}${name}${quote}${separator}${
            value.startsWith('"') ? `"${REDACTED}"` : REDACTED
          }`
          : match,
    );
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

function redactPath(target: unknown, path: readonly string[]): void {
  const [head, ...rest] = path;
  if (head === undefined || typeof target !== "object" || target === null) return;
  const record = target as Record<string, unknown>;
  const keys = head === "*" ? Object.keys(record) : head in record ? [head] : [];
  for (const key of keys) {
    if (rest.length === 0) record[key] = REDACTED;
    else redactPath(record[key], rest);
  }
}
