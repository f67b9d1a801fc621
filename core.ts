/**
 * vobiz-kit/core: the client engine without the typed resources — `createCoreClient` with
 * `request()`, the hook bus and the plugins, for the smallest bundle (an edge function that calls a
 * few routes). Plugins work with it exactly as with `createClient` from `vobiz-kit`.
 *
 * @example
 * ```ts
 * import { createCoreClient, isVobizError } from "vobiz-kit/core";
 * import { retry } from "vobiz-kit/plugins/retry";
 *
 * const vobiz = createCoreClient({ plugins: [retry()] });
 * try {
 *   const balance = await vobiz.request("GET", "/Account/{auth_id}/balance/{currency}", {
 *     params: { currency: "INR" },
 *   });
 * } catch (error) {
 *   if (isVobizError(error)) console.error(error.code, error.message);
 * }
 * ```
 *
 * @module
 */
export {
  type AccountCredentials,
  createCoreClient,
  DEFAULT_BASE_URL,
  type VobizCoreClient,
} from "./src/core_client.ts";
export { type Clock, systemClock } from "./src/clock.ts";
export * from "./src/errors.ts";
export type * from "./src/hooks.ts";
export type * from "./src/options.ts";
export type { PluginHost, VobizPlugin } from "./src/plugin.ts";
