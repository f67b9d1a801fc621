// Time to live per route: patterns over route templates or concrete paths.

/** A route pattern: `{name}` matches one path segment, `*` matches anything. */
export type TtlTable = Readonly<Record<string, number>>;

/** Finds the TTL (ms) of a GET from the first matching pattern of each table, in order. */
export type TtlLookup = (route: string, path: string) => number | undefined;

// Odd parts of the split are the placeholders: `*`, or `{name}`.
function compile(pattern: string): RegExp {
  const source = trimSlash(pattern).split(/(\{\w+\}|\*)/).map((part, i) =>
    i % 2 ? (part === "*" ? ".*" : "[^/]+") : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")
  ).join("");
  return new RegExp(`^${source}$`);
}

// The trailing slash matters to the API ("/Call" and "/Call/" differ) but not to a TTL table.
function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}

/** Compiles TTL tables; earlier tables win. Each pattern is tried on the route, then the path. */
export function ttlLookup(...tables: TtlTable[]): TtlLookup {
  const rules = tables.flatMap((table) => Object.entries(table)).map((
    [pattern, ttl],
  ) => [compile(pattern), ttl] as const);
  return (route, path) => {
    const candidates = [trimSlash(route), trimSlash(path)];
    return rules.find(([pattern]) => candidates.some((c) => pattern.test(c)))?.[1];
  };
}
