/**
 * vobiz-kit: a resilient, typed client for the Vobiz telephony API on Node, Deno, Bun and
 * Cloudflare Workers. A small core on ky + hookable + valibot; opt-in plugins at their own subpaths
 * (`vobiz-kit/plugins/<name>`); a fault-injecting mock API at `vobiz-kit/testing`.
 *
 * @example
 * ```ts
 * import { createClient, isVobizError } from "vobiz-kit";
 *
 * const vobiz = createClient(); // VOBIZ_AUTH_ID / VOBIZ_AUTH_TOKEN from the environment
 * try {
 *   const balance = await vobiz.balance.get();
 *   console.log(balance.balance, balance.currency);
 * } catch (error) {
 *   if (isVobizError(error)) console.error(error.code, error.message);
 * }
 * ```
 *
 * @module
 */
export type { StandardSchemaV1 } from "ky";
export {
  type AccountCredentials,
  createClient,
  createCoreClient,
  DEFAULT_BASE_URL,
  type VobizClient,
  type VobizCoreClient,
} from "./src/client.ts";
export { type Clock, systemClock } from "./src/clock.ts";
export * from "./src/store.ts";
export { type EnvRecord, readEnv } from "./src/env.ts";
export * from "./src/errors.ts";
export type * from "./src/hooks.ts";
export type * from "./src/options.ts";
export type { PluginHost, VobizPlugin } from "./src/plugin.ts";
export { toValidationIssues, validateInput } from "./src/validation.ts";
export * from "./src/validators.ts";
export * from "./src/webhooks.ts";
export * from "./src/resources/account.ts";
export * from "./src/resources/balance.ts";
export type { Resources } from "./src/resources/mod.ts";
export * from "./src/resources/index.ts";
export * from "./src/pagination.ts";
export * from "./src/operations/test_call.ts";
