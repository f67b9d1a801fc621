/**
 * E.164 telephone numbers, as Vobiz expects them in bodies and (URL-encoded) in paths.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { E164Schema } from "vobiz-kit";
 * v.parse(E164Schema, "+919876543210"); // ok
 * v.safeParse(E164Schema, "919876543210").success; // false: the "+" is required
 * ```
 *
 * @module
 */
import * as v from "valibot";

/** `+`, a country code that does not start with 0, and 8 to 15 digits in all. */
const e164 = /^\+[1-9]\d{7,14}$/;

/**
 * An E.164 number: a literal `+`, then 8 to 15 digits in all (country code included), the first
 * not 0. The `+` is **required** (ITU-T E.164 presentation, and what Vobiz needs for purchases and
 * path segments); no spaces, dashes or brackets — strip formatting before validating.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { E164Schema } from "vobiz-kit";
 * v.safeParse(E164Schema, "+14155551234").success; // true
 * v.safeParse(E164Schema, "+0123456789").success; // false: country codes never start with 0
 * ```
 */
export const E164Schema: v.GenericSchema<string> = v.pipe(
  v.string(),
  v.regex(
    e164,
    "must be an E.164 number: '+', a country code not starting with 0, 8 to 15 digits in all " +
      "(e.g. +919876543210)",
  ),
);
