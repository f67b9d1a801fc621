// Time to live per route: patterns over route templates or concrete paths.

/** A route pattern: `{name}` matches one path segment, `*` matches anything. */
export type TtlTable = Readonly<Record<string, number>>;

/** Finds the TTL (ms) of a GET from the first matching pattern of each table, in order. */
export type TtlLookup = (route: string, path: string) => number | undefined;

// Odd parts of the split are the placeholders: `*`, or `{name}`. The trailing slash matters to the
// API ("/Call" and "/Call/" differ) but not to a TTL table: a pattern matches with or without it.
function compile(pattern: string): RegExp {
  const source = pattern.replace(/(.)\/$/, "$1").split(/(\{\w+\}|\*)/).map((part, i) =>
    i % 2 ? (part === "*" ? ".*" : "[^/]+") : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")
  ).join("");
  return new RegExp(`^${source}/?$`);
}

/** Compiles TTL tables; earlier tables win. Each pattern is tried on the route, then the path. */
export function ttlLookup(...tables: TtlTable[]): TtlLookup {
  const rules = tables.flatMap((table) => Object.entries(table)).map((
    [pattern, ttl],
  ) => [compile(pattern), ttl] as const);
  return (route, path) => rules.find(([pattern]) => pattern.test(route) || pattern.test(path))?.[1];
}
