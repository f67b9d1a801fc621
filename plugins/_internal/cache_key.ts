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

/**
 * The base (ending in ":") of every entry at or under the path of `url`, for any account: prefix,
 * host, path segments. The API spells the account segment both ways (`/Account/…`,
 * `/account/…/cancel-release`) for the same data: one spelling in keys, so that a write under either
 * evicts entries under both.
 */
export function subtreeBase(prefix: string, url: string): string {
  const { host, pathname } = new URL(url);
  let key = `${prefix}:${segment(host)}:`;
  for (const part of pathname.split("/")) {
    if (part) key += `${/^account$/i.test(part) ? "account" : segment(part)}:`;
  }
  return key;
}

/** The key of a GET of `url` made for `authId`. */
export function entryKey(prefix: string, url: string, authId: string): string {
  const { pathname, search } = new URL(url);
  // "/Call" and "/Call/" are different Vobiz endpoints: the trailing slash is part of the key.
  const tail = (pathname.length > 1 && pathname.endsWith("/") ? "/" : "") + search;
  return `${subtreeBase(prefix, url)}@:${segment(authId)}${tail && `:${segment(tail)}`}`;
}

// Vobiz lists the trunk family under `/trunks/` but writes it at the account level, and deleting
// a trunk deletes its credentials, IP ACLs and URIs (vobiz-api.md §3.4–3.7).
const family = ["credentials", "ip-acl", "origination-uris"];

/**
 * The URLs of the resources a write to `url` changes, below the REST base `baseUrl` (which `url`
 * starts with): its resource — the first segment (`/auth`, `/sub-accounts`), or the first three
 * under `/Account/{auth_id}/` (`/Account/MA_X/trunks`) — and the related lists of the trunk
 * family. A write evicts each whole subtree: the list, every item and every sub-resource.
 */
export function resourceUrls(baseUrl: string, url: string): string[] {
  const [first = "", account, name = ""] = url.split("?")[0]!.slice(baseUrl.length).split("/")
    .filter((part) => part);
  if (!/^account$/i.test(first) || !name) return [`${baseUrl}/${first}`];
  const root = `${baseUrl}/${first}/${account}/`;
  return [
    root + name,
    ...(name === "trunks" ? family : family.includes(name) ? [`trunks/${name}`] : []).map((part) =>
      root + part
    ),
  ];
}
