// Strict IP address parsing and "is this address on the public internet?" rules, shared by the
// IPv4/CIDR schemas, the e-mail address literal and the public-URL (SSRF) check.

const decimalOctet = /^(?:0|[1-9]\d{0,2})$/;

/**
 * Parses dotted-decimal IPv4 (`a.b.c.d`, each 0–255, no leading zeros, which some parsers read as
 * octal) into an unsigned 32-bit number.
 */
export function parseIPv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!decimalOctet.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

const hexGroup = /^[0-9a-f]{1,4}$/i;

/**
 * Parses an IPv6 address without brackets or zone (`::1`, `2001:db8::8a2e:370:7334`,
 * `::ffff:192.0.2.1`) into its eight 16-bit groups.
 */
export function parseIPv6(text: string): number[] | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parseSide = (side: string, last: boolean): number[] | undefined => {
    if (side === "") return [];
    const groups: number[] = [];
    const items = side.split(":");
    for (const [index, item] of items.entries()) {
      if (last && index === items.length - 1 && item.includes(".")) {
        const v4 = parseIPv4(item);
        if (v4 === undefined) return undefined;
        groups.push(v4 >>> 16, v4 & 0xffff);
      } else if (hexGroup.test(item)) {
        groups.push(parseInt(item, 16));
      } else {
        return undefined;
      }
    }
    return groups;
  };
  if (halves.length === 1) {
    const groups = parseSide(text, true);
    return groups?.length === 8 ? groups : undefined;
  }
  const head = parseSide(halves[0]!, false);
  const tail = parseSide(halves[1]!, true);
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

const ipv4 = (a: number, b: number, c: number, d: number) =>
  ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

// Not globally reachable (IANA IPv4 special-purpose registry), plus multicast and reserved.
const nonPublicIPv4: readonly (readonly [base: number, prefix: number])[] = [
  [ipv4(0, 0, 0, 0), 8], // "this network"
  [ipv4(10, 0, 0, 0), 8], // private
  [ipv4(100, 64, 0, 0), 10], // carrier-grade NAT (also Alibaba's metadata 100.100.100.200)
  [ipv4(127, 0, 0, 0), 8], // loopback
  [ipv4(169, 254, 0, 0), 16], // link-local, incl. cloud metadata 169.254.169.254
  [ipv4(172, 16, 0, 0), 12], // private
  [ipv4(192, 0, 0, 0), 24], // IETF protocol assignments (incl. Oracle's metadata 192.0.0.192)
  [ipv4(192, 0, 2, 0), 24], // documentation TEST-NET-1
  [ipv4(192, 168, 0, 0), 16], // private
  [ipv4(198, 18, 0, 0), 15], // benchmarking
  [ipv4(198, 51, 100, 0), 24], // documentation TEST-NET-2
  [ipv4(203, 0, 113, 0), 24], // documentation TEST-NET-3
  [ipv4(224, 0, 0, 0), 4], // multicast
  [ipv4(240, 0, 0, 0), 4], // reserved, incl. broadcast 255.255.255.255
];

/** Whether `address` (a 32-bit number) falls within `base/prefix`. */
export function inIPv4Range(address: number, base: number, prefix: number): boolean {
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return ((address & mask) >>> 0) === ((base & mask) >>> 0);
}

/** Whether an IPv4 address is globally reachable (none of the ranges above). */
export function isPublicIPv4(address: number): boolean {
  return !nonPublicIPv4.some(([base, prefix]) => inIPv4Range(address, base, prefix));
}

/**
 * Whether an IPv6 address is globally reachable. An allow-list: global unicast 2000::/3 minus its
 * special blocks, and the IPv4-mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96) and 6to4 (2002::/16)
 * forms only when the IPv4 address inside is public. Everything else (::, ::1, fc00::/7 ULA,
 * fe80::/10 link-local, fec0::/10, ff00::/8 multicast, ::/96 IPv4-compatible, …) is not.
 */
export function isPublicIPv6(groups: readonly number[]): boolean {
  const g = (index: number) => groups[index] ?? 0;
  const embedded = (high: number, low: number) => isPublicIPv4(((g(high) << 16) | g(low)) >>> 0);
  const zeroUpTo = (end: number) => groups.slice(0, end).every((group) => group === 0);
  if (zeroUpTo(5) && g(5) === 0xffff) return embedded(6, 7); // ::ffff:a.b.c.d
  if (g(0) === 0x64 && g(1) === 0xff9b && groups.slice(2, 6).every((x) => x === 0)) {
    return embedded(6, 7); // 64:ff9b::a.b.c.d
  }
  if ((g(0) & 0xe000) !== 0x2000) return false; // outside global unicast
  if (g(0) === 0x2002) return embedded(1, 2); // 6to4
  if (g(0) === 0x2001 && g(1) < 0x200) return false; // 2001::/23 IETF assignments, incl. Teredo
  if (g(0) === 0x2001 && g(1) === 0x0db8) return false; // documentation
  if (g(0) === 0x3fff && g(1) < 0x1000) return false; // documentation 3fff::/20
  return true;
}
