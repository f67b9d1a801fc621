// Store keys of the cache plugin. They are already in unstorage's normal form (":"-separated, no
// "/" or "?", no empty segment) so that any unstorage driver keeps them as written and
// `getKeys(base)` — which always matches whole segments — finds a resource and everything under it.
//
//   <prefix>:<host>:<path segments…>:@:<auth id>[:<trailing slash + query>]
//
// The path comes before the account so that one `getKeys` finds an entry for every account; the
// "@" segment ends the path, so `…:trunks:@` holds the list entries and `…:trunks:<id>:…` the items.

/** Percent-encodes everything but unreserved characters and "%" (the URL is already encoded). */
function segment(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

// The key's segments up to the path: prefix, host, path segments. The API spells the account
// segment both ways (`/Account/…`, `/account/…/cancel-release`) for the same data: one spelling in
// keys, so that a write under either evicts entries under both.
function pathKey(prefix: string, url: URL): string {
  let key = `${prefix}:${segment(url.host)}`;
  for (const part of url.pathname.split("/")) {
    if (part !== "") key += `:${part.toLowerCase() === "account" ? "account" : segment(part)}`;
  }
  return key;
}

/** The key of a GET of `url` made for `authId`. */
export function entryKey(prefix: string, url: string, authId: string): string {
  const parsed = new URL(url);
  // "/Call" and "/Call/" are different Vobiz endpoints: the trailing slash is part of the key.
  const tail = (parsed.pathname.endsWith("/") && parsed.pathname !== "/" ? "/" : "") +
    parsed.search;
  return `${pathKey(prefix, parsed)}:@:${segment(authId)}${tail === "" ? "" : `:${segment(tail)}`}`;
}

/** The base (ending in ":") of every entry at or under the path of `url`, for any account. */
export function subtreeBase(prefix: string, url: string): string {
  return `${pathKey(prefix, new URL(url))}:`;
}

// Vobiz lists the trunk family under `/trunks/` but writes it at the account level, and deleting
// a trunk deletes its credentials, IP ACLs and URIs (vobiz-api.md §3.4–3.7).
const family = ["credentials", "ip-acl", "origination-uris"];
const related = (name: string) =>
  name === "trunks" ? family : family.includes(name) ? [`trunks/${name}`] : [];

/**
 * The URLs of the resources a write to `url` changes, below the REST base `baseUrl`: its resource
 * — the first segment (`/auth`, `/sub-accounts`), or the first three under `/Account/{auth_id}/`
 * (`/Account/MA_X/trunks`) — and the related lists of the trunk family. A write evicts each whole
 * subtree: the list, every item and every sub-resource.
 */
export function resourceUrls(baseUrl: string, url: string): string[] {
  const base = new URL(baseUrl);
  const basePath = base.pathname.replace(/\/$/, "");
  const rest = new URL(url).pathname.slice(basePath.length).split("/").filter((part) => part);
  const root = base.origin + basePath;
  if (rest[0]?.toLowerCase() !== "account" || rest.length < 3) return [`${root}/${rest[0] ?? ""}`];
  const name = rest[2]!;
  return [name, ...related(name)].map((part) => `${root}/${rest[0]}/${rest[1]}/${part}`);
}
