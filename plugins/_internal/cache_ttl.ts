// Time to live per route: patterns over route templates or concrete paths.

/** A route pattern: `{name}` matches one path segment, `*` matches anything. */
export type TtlTable = Readonly<Record<string, number>>;

/** Finds the TTL (ms) of a GET from the first matching pattern of each table, in order. */
export type TtlLookup = (route: string, path: string) => number | undefined;

function compile(pattern: string): RegExp {
  const source = trimSlash(pattern).split(/(\{\w+\}|\*)/).map((part) =>
    part === "*"
      ? ".*"
      : /^\{\w+\}$/.test(part)
      ? "[^/]+"
      : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")
  ).join("");
  return new RegExp(`^${source}$`);
}

// The trailing slash matters to the API ("/Call" and "/Call/" differ) but not to a TTL table.
function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}

/** Compiles TTL tables; earlier tables win. Each pattern is tried on the route, then the path. */
export function ttlLookup(...tables: TtlTable[]): TtlLookup {
  const rules = tables.flatMap((table) =>
    Object.entries(table).map(([pattern, ttl]) => ({ pattern: compile(pattern), ttl }))
  );
  return (route, path) => {
    const candidates = [trimSlash(route), trimSlash(path)];
    return rules.find((rule) => candidates.some((c) => rule.pattern.test(c)))?.ttl;
  };
}
