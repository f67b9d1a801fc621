/**
 * IPv4 addresses and CIDR blocks, as IP ACLs take them (Vobiz accepts no IPv6 there).
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { IpAclAddressSchema } from "vobiz-kit";
 * v.parse(IpAclAddressSchema, "10.20.30.0/24");
 * ```
 *
 * @module
 */
import * as v from "valibot";
import { inIPv4Range, parseIPv4 } from "../_internal/ip.ts";

/** Parses `a.b.c.d/n`; undefined unless both parts are strict. */
function parseCidr(text: string): { address: number; prefix: number } | undefined {
  const slash = text.indexOf("/");
  if (slash < 0) return undefined;
  const address = parseIPv4(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (address === undefined || !/^(?:\d|[12]\d|3[0-2])$/.test(prefixText)) return undefined;
  return { address, prefix: Number(prefixText) };
}

/**
 * An IPv4 address in dotted-decimal form: four parts 0–255 without leading zeros (`010.0.0.1` is
 * refused, because some parsers read it as octal 8.0.0.1), no shorthand (`10.1`), no whitespace.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { IPv4Schema } from "vobiz-kit";
 * v.safeParse(IPv4Schema, "203.0.113.7").success; // true
 * v.safeParse(IPv4Schema, "256.1.1.1").success; // false
 * ```
 */
export const IPv4Schema: v.GenericSchema<string> = v.pipe(
  v.string(),
  v.check(
    (text) => parseIPv4(text) !== undefined,
    "must be an IPv4 address a.b.c.d (each part 0-255, no leading zeros)",
  ),
);

/**
 * An IPv4 CIDR block `a.b.c.d/n` with a prefix length 0–32 (no leading zeros). Host bits may be
 * set (`10.0.0.7/24` is accepted, as the API does not document rejecting it).
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { IPv4CidrSchema } from "vobiz-kit";
 * v.safeParse(IPv4CidrSchema, "10.20.30.0/24").success; // true
 * v.safeParse(IPv4CidrSchema, "10.20.30.0/33").success; // false
 * ```
 */
export const IPv4CidrSchema: v.GenericSchema<string> = v.pipe(
  v.string(),
  v.check(
    (text) => parseCidr(text) !== undefined,
    "must be an IPv4 CIDR block a.b.c.d/n (n from 0 to 32)",
  ),
);

// RFC 5737 documentation ranges, which Vobiz refuses in IP ACLs.
const documentation: readonly (readonly [number, number])[] = [
  [0xc0000200, 24], // 192.0.2.0/24
  [0xc6336400, 24], // 198.51.100.0/24
  [0xcb007100, 24], // 203.0.113.0/24
];

/** Whether an ACL entry lies inside a documentation range. */
function isDocumentation(text: string): boolean {
  const block = parseCidr(text) ?? { address: parseIPv4(text), prefix: 32 };
  if (block.address === undefined) return false;
  const { address, prefix } = block;
  return documentation.some(([base, bits]) => prefix >= bits && inIPv4Range(address, base, bits));
}

/**
 * The `ip_address` of an IP ACL: an IPv4 address or an IPv4 CIDR block, outside the RFC 5737
 * documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24), which Vobiz rejects.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { IpAclAddressSchema } from "vobiz-kit";
 * v.safeParse(IpAclAddressSchema, "34.120.5.9").success; // true
 * v.safeParse(IpAclAddressSchema, "203.0.113.0/24").success; // false
 * ```
 */
export const IpAclAddressSchema: v.GenericSchema<string> = v.pipe(
  v.string(),
  v.check(
    (text) => parseIPv4(text) !== undefined || parseCidr(text) !== undefined,
    "must be an IPv4 address a.b.c.d or an IPv4 CIDR block a.b.c.d/n",
  ),
  v.check(
    (text) => !isDocumentation(text),
    "must not be in a documentation range (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24)",
  ),
);
