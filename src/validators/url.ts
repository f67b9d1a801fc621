/**
 * Public http(s) URLs for webhooks and callbacks: the server-side request forgery (SSRF) rules
 * Vobiz applies to `webhook_url`, checked before anything is sent.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PublicUrlSchema } from "vobiz-kit";
 * v.parse(PublicUrlSchema, "https://hooks.example.com/vobiz/answer");
 * ```
 *
 * @module
 */
import * as v from "valibot";
import { isPublicIPv4, isPublicIPv6, parseIPv4, parseIPv6 } from "../_internal/ip.ts";

/**
 * Longest URL {@link PublicUrlSchema} accepts (Vobiz's limit on `webhook_url`).
 *
 * @example
 * ```ts
 * import { MAX_URL_LENGTH } from "vobiz-kit";
 * if (url.length > MAX_URL_LENGTH) throw new Error("webhook URL too long");
 * ```
 */
export const MAX_URL_LENGTH = 500;

// Special-use and private-network names that never resolve to a public host.
const privateSuffixes = [
  "localhost",
  "localdomain",
  "local", // mDNS
  "internal", // incl. metadata.google.internal
  "home.arpa",
  "lan",
  "test",
  "invalid",
];
// Letters, digits, hyphens (and `_`, seen in real subdomains); the last label starts with a letter.
const label = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
const topLabel = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Why `hostname` (as `URL#hostname` gives it) is not a public host, or undefined when it is.
 * `written` is the host as the user wrote it: an ASCII host or any IPv4 address must be written
 * exactly as the WHATWG parser prints it, so `0x7f.1`, `2130706433`, `0177.0.0.1` or `%6cocalhost`
 * cannot smuggle in a host that another parser (the server's) would read differently.
 */
function hostProblem(hostname: string, written: string): string | undefined {
  if (hostname.startsWith("[")) {
    if (!written.startsWith("[")) return "must write an IPv6 host in brackets";
    const groups = parseIPv6(hostname.slice(1, -1));
    if (groups === undefined) return "has an invalid IPv6 address";
    return isPublicIPv6(groups) ? undefined : "points to a non-public IPv6 address";
  }
  const address = parseIPv4(hostname);
  // Only the parser's own spelling is accepted, so no other parser can read it differently.
  const ascii = !/[\u0080-\uffff]/.test(written);
  if ((address !== undefined || ascii) && written.toLowerCase() !== hostname) {
    return address === undefined
      ? "must write the host name plainly, without percent-encoding"
      : "must give an IPv4 host as four decimal numbers a.b.c.d";
  }
  if (address !== undefined) {
    return isPublicIPv4(address)
      ? undefined
      : "points to a loopback, private, link-local or otherwise non-public IPv4 address";
  }
  const name = hostname.endsWith(".") ? hostname.slice(0, -1) : hostname;
  const blocked = privateSuffixes.find((suffix) => name === suffix || name.endsWith(`.${suffix}`));
  if (blocked !== undefined) return `uses the private or special-use domain .${blocked}`;
  const labels = name.split(".");
  if (name.length > 253 || labels.length < 2) return "must have a public domain name";
  const valid = labels.every((part, i) => (i === labels.length - 1 ? topLabel : label).test(part));
  return valid ? undefined : "has an invalid domain name";
}

/** Why `text` is not a public http(s) URL, or undefined when it is. */
function urlProblem(text: string): string | undefined {
  if (text.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  // Parsers disagree on these (WHATWG drops tabs/newlines and reads "\" as "/"): refuse them.
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x20\x7f\\]/.test(text)) return "must not contain spaces, control characters or '\\'";
  const shape = /^(https?):\/\/([^/?#]+)/i.exec(text);
  if (shape === null) return "must start with http:// or https://";
  const authority = shape[2]!;
  if (authority.includes("@")) return "must not contain a user name or password";
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "must be a valid absolute URL";
  }
  const written = authority.startsWith("[")
    ? authority.slice(0, authority.indexOf("]") + 1)
    : authority.split(":")[0]!;
  return hostProblem(url.hostname, written);
}

/**
 * Whether `host` is a public internet host under the rules of {@link PublicUrlSchema}: a domain
 * name of two or more labels outside the special-use suffixes, or a globally reachable IP address
 * (IPv6 with or without brackets). A port, path or user info makes it false.
 *
 * @example
 * ```ts
 * import { isPublicHost } from "vobiz-kit";
 * isPublicHost("hooks.example.com"); // true
 * isPublicHost("169.254.169.254"); // false
 * isPublicHost("[::ffff:10.0.0.1]"); // false
 * ```
 */
export function isPublicHost(host: string): boolean {
  // deno-lint-ignore no-control-regex
  if (host === "" || /[\x00-\x20\x7f\\/?#@]/.test(host)) return false;
  const written = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  let url: URL;
  try {
    url = new URL(`http://${written}/`);
  } catch {
    return false;
  }
  if (url.host !== url.hostname) return false; // it carried a port
  return hostProblem(url.hostname, written) === undefined;
}

/**
 * A public `http:` or `https:` URL of at most 500 characters, as Vobiz requires for webhook and
 * callback URLs. Refused:
 * - other schemes, user info (`https://user@host`), spaces, control characters, backslashes;
 * - loopback, private (10/8, 172.16/12, 192.168/16), link-local (169.254/16, incl. the cloud
 *   metadata address 169.254.169.254), 0.0.0.0/8, carrier-grade NAT (100.64/10), multicast,
 *   reserved, benchmarking and documentation IPv4 ranges;
 * - IPv4 written any other way than `a.b.c.d` (decimal `2130706433`, hex `0x7f000001`, octal
 *   `0177.0.0.1`, shorthand `127.1`), whatever it points to;
 * - IPv6 outside global unicast: `::1`, `::`, ULA fc00::/7, link-local fe80::/10, multicast,
 *   documentation; IPv4-mapped (`::ffff:127.0.0.1`), NAT64 and 6to4 forms of a non-public IPv4;
 * - `localhost` and `*.localhost`, `*.internal` (incl. `metadata.google.internal`), `*.local`,
 *   `*.localdomain`, `*.home.arpa`, `*.lan`, `*.test`, `*.invalid`, and single-label names
 *   (`http://intranet/`), which only resolve inside a private network.
 *
 * Host names are checked after the WHATWG parser's normalisation (case, IDN, percent-encoding), so
 * `http://LOCALHOST./` and `http://ｌｏｃａｌｈｏｓｔ/` are refused too. A public name that resolves
 * to a private address (DNS rebinding) cannot be detected without DNS; Vobiz checks that itself.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PublicUrlSchema } from "vobiz-kit";
 * v.safeParse(PublicUrlSchema, "https://hooks.example.com/answer?x=1").success; // true
 * v.safeParse(PublicUrlSchema, "http://169.254.169.254/latest/meta-data").success; // false
 * v.safeParse(PublicUrlSchema, "http://0x7f000001/").success; // false
 * ```
 */
export const PublicUrlSchema: v.GenericSchema<string> = v.pipe(
  v.string(),
  v.rawCheck<string>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const problem = urlProblem(dataset.value);
    if (problem !== undefined) addIssue({ message: `URL ${problem}` });
  }),
);
