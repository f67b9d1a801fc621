/**
 * Page sizes (`per_page`, `limit`) bounded by what an endpoint allows.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { perPage } from "vobiz-kit";
 * v.parse(perPage(100), 50);
 * ```
 *
 * @module
 */
import * as v from "valibot";

/**
 * A schema for an integer page size from 1 to `max` (the endpoint's maximum, e.g. 100 for CDRs).
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { perPage } from "vobiz-kit";
 * v.safeParse(perPage(100), 101).success; // false
 * v.safeParse(perPage(100), 2.5).success; // false
 * ```
 */
export function perPage(max: number): v.GenericSchema<number> {
  if (!Number.isSafeInteger(max) || max < 1) {
    throw new RangeError(`perPage(max): max must be a positive integer, got ${max}`);
  }
  return v.pipe(
    v.number(),
    v.integer("must be an integer"),
    v.minValue(1, "must be at least 1"),
    v.maxValue(max, `must be at most ${max} (the endpoint's maximum page size)`),
  );
}
