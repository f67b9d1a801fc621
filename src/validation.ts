/**
 * Input validation with valibot, raised as {@link VobizValidationError} before any network call.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { validateInput } from "vobiz-kit";
 * const body = validateInput(v.object({ name: v.string() }), { name: "trunk-1" });
 * ```
 *
 * @module
 */
import * as v from "valibot";
import { type ValidationIssue, VobizValidationError } from "./errors.ts";

/** Valibot issues reduced to `{ path, message, input }`. */
export function toValidationIssues(
  issues: readonly v.BaseIssue<unknown>[],
  prefix = "",
): ValidationIssue[] {
  return issues.map((issue) => ({
    path: [prefix, ...(issue.path ?? []).map((item) => String(item.key))].filter(Boolean).join("."),
    message: issue.message,
    input: issue.input,
  }));
}

/**
 * Parses `input` with `schema`; throws {@link VobizValidationError} listing every issue. `path`
 * names the argument when it is not an object (e.g. `"currency"`).
 *
 * @example
 * ```ts
 * validateInput(v.string(), 42, "name"); // throws VALIDATION_ERROR with issue path "name"
 * ```
 */
export function validateInput<const TSchema extends v.GenericSchema>(
  schema: TSchema,
  input: unknown,
  path = "",
): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, input);
  if (!result.success) throw new VobizValidationError(toValidationIssues(result.issues, path));
  return result.output;
}
