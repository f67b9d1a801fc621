/**
 * SIP usernames and passwords (endpoints and trunk credentials).
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PasswordSchema, SipUsernameSchema } from "vobiz-kit";
 * v.parse(SipUsernameSchema, "alice01");
 * v.parse(PasswordSchema, "correct horse");
 * ```
 *
 * @module
 */
import * as v from "valibot";

/**
 * A SIP username: one or more ASCII letters and digits, nothing else (Vobiz rejects `_`, `-`,
 * `.` and spaces in endpoint usernames). Vobiz documents no maximum length, so none is imposed.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { SipUsernameSchema } from "vobiz-kit";
 * v.safeParse(SipUsernameSchema, "alice01").success; // true
 * v.safeParse(SipUsernameSchema, "alice_01").success; // false
 * ```
 */
export const SipUsernameSchema: v.GenericSchema<string> = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9]+$/, "must be alphanumeric (letters A-Z, a-z and digits 0-9 only)"),
);

/**
 * A SIP password: at least 8 characters (Vobiz's minimum). Length is counted in code points, so
 * an emoji counts once.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { PasswordSchema } from "vobiz-kit";
 * v.safeParse(PasswordSchema, "short").success; // false
 * ```
 */
export const PasswordSchema: v.GenericSchema<string> = v.pipe(
  v.string(),
  v.check((text) => [...text].length >= 8, "must be at least 8 characters long"),
);
