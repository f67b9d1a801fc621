/**
 * Argument parsing for the `vobiz-kit` command: `node:util`'s `parseArgs` (Node, Deno and Bun all
 * ship it) plus the value parsers the subcommands share. Every bad argument becomes a
 * {@link UsageError}, which the entry point turns into exit code 2.
 *
 * @module
 */
import { parseArgs } from "node:util";

/**
 * A bad command line: the message says what is wrong; the command exits with code 2.
 *
 * @example
 * ```ts
 * throw new UsageError("--cps must be a positive number, got \"fast\"");
 * ```
 */
export class UsageError extends Error {
  override readonly name: string = "UsageError";
  /** The command that shows the usage (`vobiz-kit load --help`), set by the entry point. */
  hint: string | undefined;
}

/** One option of a subcommand. */
export interface OptionSpec {
  /** `string` takes a value; `boolean` is a flag. */
  readonly type: "string" | "boolean";
  /** A one-letter alias. */
  readonly short?: string;
}

/** The parsed options: a string or `true` per option given. */
export type ParsedOptions = Record<string, string | boolean | undefined>;

/**
 * Parses `args` against `options` (`--help`/`-h` are always accepted). Unknown options, missing
 * values and positional arguments are a {@link UsageError}.
 *
 * @example
 * ```ts
 * const values = parseOptions(["--port", "0"], { port: { type: "string" } });
 * values.port; // "0"
 * ```
 */
export function parseOptions(
  args: readonly string[],
  options: Readonly<Record<string, OptionSpec>>,
): ParsedOptions {
  try {
    const { values } = parseArgs({
      args: [...args],
      options: { ...options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    });
    return values as ParsedOptions;
  } catch (error) {
    // parseArgs throws TypeErrors with an ERR_PARSE_ARGS_* code; their messages are clear already.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * The string value of an option, or `undefined` when absent.
 *
 * @example
 * ```ts
 * const file = stringOption(values, "faults");
 * ```
 */
export function stringOption(values: ParsedOptions, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

/**
 * The value of a required option.
 *
 * @example
 * ```ts
 * const from = requiredOption(values, "from"); // UsageError "--from is required" when absent
 * ```
 */
export function requiredOption(values: ParsedOptions, name: string): string {
  const value = stringOption(values, name);
  if (value === undefined || value === "") throw new UsageError(`--${name} is required`);
  return value;
}

/**
 * A flag with a `--no-` twin (`--rate-limit` / `--no-rate-limit`): the one given, else `fallback`.
 * Both at once is a {@link UsageError}.
 *
 * @example
 * ```ts
 * const limited = flagOption(values, "rate-limit", true);
 * ```
 */
export function flagOption(values: ParsedOptions, name: string, fallback: boolean): boolean {
  const on = values[name] === true;
  const off = values[`no-${name}`] === true;
  if (on && off) throw new UsageError(`--${name} and --no-${name} cannot both be given`);
  return on ? true : off ? false : fallback;
}

/**
 * One of a fixed set of words.
 *
 * @example
 * ```ts
 * const target = choiceOption(values, "target", ["mock", "live"], "mock");
 * ```
 */
export function choiceOption<T extends string>(
  values: ParsedOptions,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const value = stringOption(values, name);
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${choices.join(", ")}; got "${value}"`);
  }
  return value as T;
}

/**
 * A number option within `[min, max]`; `integer` demands a whole number.
 *
 * @example
 * ```ts
 * const cps = numberOption(values, "cps", { min: 0.1 }); // undefined when absent
 * ```
 */
export function numberOption(
  values: ParsedOptions,
  name: string,
  limits: { min?: number; max?: number; integer?: boolean } = {},
): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const value = text.trim() === "" ? NaN : Number(text);
  const { min = -Infinity, max = Infinity, integer = false } = limits;
  const kind = integer ? "a whole number" : "a number";
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be ${kind}; got "${text}"`);
  }
  if (value < min || value > max) {
    const range = max === Infinity ? `at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`--${name} must be ${range}; got ${text}`);
  }
  return value;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration such as `500ms`, `30s`, `2m`, `1h` or `1.5s` into milliseconds. A bare number
 * is refused: `30` could mean seconds or milliseconds.
 *
 * @example
 * ```ts
 * parseDuration("30s", "duration"); // 30000
 * parseDuration("2m", "duration"); // 120000
 * ```
 */
export function parseDuration(text: string, name: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  const unit = match?.[2];
  if (match === null || unit === undefined) {
    throw new UsageError(
      `--${name} must be a duration such as 500ms, 30s, 2m or 1h; got "${text}"`,
    );
  }
  return Math.round(Number(match[1]) * (UNITS[unit] ?? 1));
}

/**
 * A duration option in milliseconds, `fallback` when absent.
 *
 * @example
 * ```ts
 * const duration = durationOption(values, "duration", 30_000);
 * ```
 */
export function durationOption(values: ParsedOptions, name: string, fallback: number): number {
  const text = stringOption(values, name);
  return text === undefined ? fallback : parseDuration(text, name);
}
