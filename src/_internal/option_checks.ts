// Option checks as valibot `custom` predicates: an optional option that must pass `test`, with an
// issue that says what was expected. Used in `v.strictObject` option schemas by the core and the
// plugins: the same issues, named by the option, for a fraction of the bytes of nested valibot
// unions, records and pipes in every bundle (the core's budget is 14 KB with ky's 9.3 KB in it).
import * as v from "valibot";

/** An optional option that must pass `test`; the issue reads "must be <expected>". */
export const check = (
  test: (value: unknown) => boolean,
  expected: string,
): v.OptionalSchema<v.CustomSchema<unknown, string>, undefined> =>
  v.optional(v.custom(test, `must be ${expected}`));

export const isFunction = (value: unknown): value is (...args: never[]) => unknown =>
  typeof value === "function";

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** An object with these methods. */
export const hasMethods = (value: unknown, ...methods: string[]): boolean =>
  isRecord(value) && methods.every((name) => isFunction(value[name]));

/** A whole number ≥ `min` (Infinity allowed only when `infinite`). */
export const isCount = (value: unknown, min = 0, infinite = false): boolean =>
  (Number.isInteger(value) && (value as number) >= min) || (infinite && value === Infinity);
