/**
 * Input validators (valibot schemas, which implement Standard Schema) for the values the Vobiz API
 * takes: E.164 numbers, e-mail addresses, IPv4 addresses and CIDR blocks, public webhook URLs,
 * SIP usernames and passwords, dates and date ranges, page sizes, and free text screened for
 * injection payloads. Resource methods run them before any network call; they are exported so
 * that forms and request handlers can reuse the same rules.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { E164Schema, PublicUrlSchema } from "vobiz-kit";
 *
 * const Form = v.object({ to: E164Schema, answer_url: PublicUrlSchema });
 * const result = v.safeParse(Form, { to: "+919876543210", answer_url: "https://example.com/a" });
 * if (!result.success) console.log(v.flatten(result.issues));
 * ```
 *
 * @module
 */
export * from "./validators/credentials.ts";
export * from "./validators/date.ts";
export * from "./validators/email.ts";
export * from "./validators/ip.ts";
export * from "./validators/paging.ts";
export * from "./validators/phone.ts";
export * from "./validators/text.ts";
export * from "./validators/url.ts";
