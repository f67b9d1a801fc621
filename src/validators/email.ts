/**
 * E-mail addresses (RFC 5322 `addr-spec`, the practical subset mail systems deliver to).
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { EmailSchema } from "vobiz-kit";
 * v.parse(EmailSchema, "ops+alerts@example.co.in");
 * ```
 *
 * @module
 */
import * as v from "valibot";
import { parseIPv4, parseIPv6 } from "../_internal/ip.ts";

// RFC 5322 §3.2.3 atext, joined by single dots (dot-atom).
const dotAtom = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
// RFC 5322 §3.2.4 quoted-string without folding: printable ASCII and space, with \" and \\ escapes.
const quoted = /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*"$/;
// RFC 1123 host name labels; the top-level label starts with a letter (never all digits).
const label = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const topLabel = /^[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

function isDomain(domain: string): boolean {
  if (domain.length > 253) return false;
  const labels = domain.split(".");
  return labels.length >= 2 &&
    labels.every((part, index) =>
      index === labels.length - 1 ? topLabel.test(part) : label.test(part)
    );
}

function isAddressLiteral(domain: string): boolean {
  if (!domain.startsWith("[") || !domain.endsWith("]")) return false;
  const inner = domain.slice(1, -1);
  if (inner.startsWith("IPv6:")) return parseIPv6(inner.slice(5)) !== undefined;
  return parseIPv4(inner) !== undefined;
}

/**
 * Whether `text` is an address {@link EmailSchema} accepts.
 *
 * @example
 * ```ts
 * import { isEmail } from "vobiz-kit";
 * isEmail('"john doe"@example.com'); // true
 * isEmail("john@localhost"); // false: one label
 * ```
 */
export function isEmail(text: string): boolean {
  if (text.length > 254) return false; // RFC 5321 path limit
  const at = text.lastIndexOf("@");
  if (at < 1) return false;
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  if (local.length > 64) return false; // RFC 5321 §4.5.3.1.1
  if (!dotAtom.test(local) && !quoted.test(local)) return false;
  return isDomain(domain) || isAddressLiteral(domain);
}

/**
 * An e-mail address, RFC 5322 `addr-spec` restricted to what is deliverable in practice:
 * - local part: a dot-atom (letters, digits and ``!#$%&'*+/=?^_`{|}~-``, separated by single
 *   dots) or a quoted string (`"john doe"@example.com`, printable ASCII with `\"`/`\\` escapes);
 *   at most 64 characters;
 * - domain: two or more host-name labels (letters, digits, inner hyphens, ≤ 63 each) whose last
 *   label starts with a letter, or an address literal `[192.0.2.1]` / `[IPv6:2001:db8::1]`;
 * - at most 254 characters in all; ASCII only (internationalised addresses: convert the domain to
 *   punycode first); no comments, folding white space or obsolete syntax.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { EmailSchema } from "vobiz-kit";
 * v.safeParse(EmailSchema, "o'brien@example.ie").success; // true
 * v.safeParse(EmailSchema, "a..b@example.com").success; // false
 * ```
 */
export const EmailSchema: v.GenericSchema<string> = v.pipe(
  v.string(),
  v.check(isEmail, "must be an e-mail address such as name@example.com"),
);
