// Checks of the library's own options (the client's and the plugins'): a strict object of rules,
// one per option, each a predicate and what it expects. Every unknown option and every option that
// fails its rule becomes an issue named by the option, raised as one VALIDATION_ERROR.
//
// Why by hand and not with valibot, which validates the API's inputs and answers: valibot's object
// machinery is ~1.2 KB min+gzip, and the core's budget is 14 KB with ky's 9.3 KB in it. Options are
// flat records of predicates, so these few lines do the job, and neither the core nor any plugin
// pulls valibot in (the typed resources still do).
import { type ValidationIssue, VobizValidationError } from "../errors.ts";

/** One option's rule: a predicate, and what it expects ("a function", "a whole number ≥ 0"…). */
export type OptionRule = readonly [test: (value: unknown) => boolean, expected: string];

/** An option's rule: `undefined` always passes (every option is optional). */
export const option = (test: (value: unknown) => boolean, expected: string): OptionRule => [
  test,
  expected,
];

/**
 * Throws VALIDATION_ERROR listing every unknown key of `options` and every value that fails its
 * rule (issue paths prefixed with `path`, for nested options).
 */
export function checkOptions(
  options: unknown,
  rules: Readonly<Record<string, OptionRule>>,
  path = "",
): void {
  const issues: ValidationIssue[] = [];
  const at = (key: string) => (path === "" ? key : `${path}.${key}`);
  if (!isRecord(options)) {
    issues.push({ path, message: "must be an object", input: options });
  } else {
    for (const key of Object.keys(options)) {
      const input = options[key];
      const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
      if (rule === undefined) {
        issues.push({ path: at(key), message: "is not an option", input });
      } else if (input !== undefined && !rule[0](input)) {
        issues.push({ path: at(key), message: `must be ${rule[1]}`, input });
      }
    }
  }
  if (issues.length > 0) throw new VobizValidationError(issues);
}

export const isFunction = (value: unknown): value is (...args: never[]) => unknown =>
  typeof value === "function";

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export const isBoolean = (value: unknown): value is boolean => typeof value === "boolean";

export const isString = (value: unknown): value is string => typeof value === "string";

/** An object with these methods. */
export const hasMethods = (value: unknown, ...methods: string[]): boolean =>
  isRecord(value) && methods.every((name) => isFunction(value[name]));

/** A whole number ≥ `min` (Infinity allowed only when `infinite`). */
export const isCount = (value: unknown, min = 0, infinite = false): boolean =>
  (Number.isInteger(value) && (value as number) >= min) || (infinite && value === Infinity);

/** A number ≥ `min` (not NaN; Infinity allowed only when `infinite`). */
export const isAtLeast = (value: unknown, min = 0, infinite = false): boolean =>
  typeof value === "number" && value >= min && (infinite || value !== Infinity);
