/**
 * Free text (names, descriptions) checked for SQL-injection and script payloads.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { safeText } from "vobiz-kit";
 * v.parse(safeText(100), "O'Brien & Sons, Mumbai -- primary");
 * ```
 *
 * @module
 */
import * as v from "valibot";

/** One payload shape {@link safeText} refuses. */
export interface UnsafeTextPattern {
  /** Stable identifier, e.g. `"script-tag"`. */
  readonly name: string;
  /** What it catches, for error messages. */
  readonly description: string;
  /** Tested against the text and against its HTML-entity- and percent-decoded form. */
  readonly pattern: RegExp;
}

/**
 * The payload shapes {@link safeText} refuses, each anchored on syntax that ordinary names and
 * descriptions do not contain: an apostrophe (`O'Brien`), `--` between words, `&`, `<` before a
 * number or the words "union", "select" and "drop" on their own all pass.
 *
 * @example
 * ```ts
 * import { UNSAFE_TEXT_PATTERNS } from "vobiz-kit";
 * console.log(UNSAFE_TEXT_PATTERNS.map((p) => p.name));
 * ```
 */
export const UNSAFE_TEXT_PATTERNS: readonly UnsafeTextPattern[] = Object.freeze([
  { name: "script-tag", description: "script tag", pattern: /<\s*\/?\s*script\b/i },
  {
    name: "html-tag",
    description: "active HTML element",
    pattern:
      /<\s*\/?\s*(?:iframe|frame|frameset|object|embed|applet|svg|math|img|image|video|audio|source|link|meta|style|base|form|input|button|body|html|isindex|marquee|details|template|xml)\b/i,
  },
  {
    name: "script-url",
    description: "javascript:/vbscript: URL",
    pattern: /(?:j\s*a\s*v\s*a|v\s*b)\s*s\s*c\s*r\s*i\s*p\s*t\s*:|\bdata\s*:\s*text\/html/i,
  },
  {
    name: "event-handler",
    description: "HTML event-handler attribute",
    // Words that merely start with "on" (online=yes) are not handlers.
    pattern:
      /(?:^|[\s"'`/;<>])on(?!(?:line|set|going|wards?|ion|boarding|screen|site|stage|call|hold|duty)\s*=)[a-z]{3,}\s*=/i,
  },
  {
    name: "sql-tautology",
    description: "SQL tautology such as ' OR 1=1",
    pattern:
      /['"`]\s*\)*\s*(?:or|and|\|\||&&)\s*\(*\s*['"`]?[\w.-]*['"`]?\s*(?:=|<>|!=|<|>|\blike\b|\bis\b)|\b(?:or|and)\s+(\d+)\s*=\s*\1\b/i,
  },
  {
    name: "sql-comment",
    description: "SQL comment closing an injected string",
    pattern:
      /(?:['"`]\s*\)*\s*;?|;)\s*(?:--|\/\*|#(?:\s|$))|\/\*!|['"`]\s*\)*\s*(?:or|and)\s+\S+\s*(?:--|\/\*|#)/i,
  },
  {
    name: "sql-stacked-query",
    description: "stacked SQL statement such as ; DROP TABLE",
    pattern:
      /;\s*(?:(?:drop|alter|truncate|create|rename)\s+(?:table|database|schema|view|index|user|procedure|function)\b|delete\s+from\b|insert\s+into\b|update\s+\S+\s+set\b|select\b[\s\S]*\bfrom\b|exec(?:ute)?\b|shutdown\b|declare\s+@|grant\b|revoke\b)/i,
  },
  {
    name: "sql-union",
    description: "UNION SELECT",
    pattern: /\bunion\b(?:\s+(?:all|distinct))?\s*\(*\s*select\b/i,
  },
  {
    name: "sql-function",
    description: "SQL time-delay or system function",
    pattern:
      /\b(?:sleep|pg_sleep|benchmark)\s*\(\s*\d|\bwaitfor\s+delay\b|\bxp_cmdshell\b|\binformation_schema\b|\bload_file\s*\(|\binto\s+(?:out|dump)file\b/i,
  },
  {
    name: "control-character",
    description: "control character",
    // deno-lint-ignore no-control-regex
    pattern: /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/,
  },
]);

const namedEntities: Record<string, string> = {
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  amp: "&",
  colon: ":",
  sol: "/",
  semi: ";",
  equals: "=",
  tab: "\t",
  newline: "\n",
};

/** One round of HTML-entity and percent decoding, so `&lt;script` and `%3Cscript` are seen. */
function decode(text: string): string {
  const fromCode = (code: number) =>
    Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "";
  return text
    .replace(/&#x([0-9a-f]{1,6});?/gi, (_, hex: string) => fromCode(parseInt(hex, 16)))
    .replace(/&#(\d{1,7});?/g, (_, dec: string) => fromCode(Number(dec)))
    .replace(/&([a-z]+);/gi, (entity, name: string) => namedEntities[name.toLowerCase()] ?? entity)
    .replace(/%([0-7][0-9a-f])/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    // SQL inline comments act as white space: UNION/**/SELECT.
    .replace(/\/\*(?!!)[\s\S]*?\*\//g, " ");
}

/**
 * The first {@link UNSAFE_TEXT_PATTERNS} entry `text` matches, or undefined when it is clean.
 *
 * @example
 * ```ts
 * import { findUnsafeText } from "vobiz-kit";
 * findUnsafeText("x'; DROP TABLE users; --")?.name; // "sql-comment"
 * findUnsafeText("O'Brien"); // undefined
 * ```
 */
export function findUnsafeText(text: string): UnsafeTextPattern | undefined {
  const forms = [text];
  const decoded = decode(text);
  if (decoded !== text) forms.push(decoded, decode(decoded));
  return UNSAFE_TEXT_PATTERNS.find(({ pattern }) => forms.some((form) => pattern.test(form)));
}

/**
 * A schema for free text of at most `maxLength` characters (code points) that carries none of
 * the {@link UNSAFE_TEXT_PATTERNS}: script tags and active HTML elements, `javascript:` URLs,
 * `on…=` event handlers, SQL tautologies (`' OR 1=1`), comments closing a string (`admin'--`),
 * stacked statements (`; DROP TABLE`), `UNION SELECT`, time-delay and system functions, and
 * control characters (tab and line breaks are allowed). Encoded forms (`&lt;script`,
 * `%3Cscript`, `UNION/**\/SELECT`) are decoded once or twice before matching.
 *
 * This is defence in depth for values shown in dashboards and stored by the API, not a
 * substitute for parameterised queries and output escaping.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { safeText } from "vobiz-kit";
 * const Description = safeText(500);
 * v.safeParse(Description, "O'Brien's trunk").success; // true
 * v.safeParse(Description, "<script>alert(1)</script>").success; // false
 * v.safeParse(Description, "' OR 1=1 --").success; // false
 * ```
 */
export function safeText(maxLength: number): v.GenericSchema<string> {
  if (!Number.isSafeInteger(maxLength) || maxLength < 0) {
    throw new RangeError(`safeText(maxLength): expected a non-negative integer, got ${maxLength}`);
  }
  return v.pipe(
    v.string(),
    v.maxCodePoints(maxLength, `must be at most ${maxLength} characters`),
    v.rawCheck<string>(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const found = findUnsafeText(dataset.value);
      if (found !== undefined) {
        addIssue({ message: `must not contain a ${found.description} (${found.name})` });
      }
    }),
  );
}

/**
 * A trunk name: 1 to 255 characters on one line, not only white space, and {@link safeText}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { TrunkNameSchema } from "vobiz-kit";
 * v.safeParse(TrunkNameSchema, "Mumbai primary").success; // true
 * v.safeParse(TrunkNameSchema, "   ").success; // false
 * ```
 */
export const TrunkNameSchema: v.GenericSchema<string> = v.pipe(
  safeText(255),
  v.check((text) => text.trim() !== "", "must not be empty"),
  v.check((text) => !/[\r\n]/.test(text), "must be a single line"),
);
