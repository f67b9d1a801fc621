/**
 * `createClient`: the core client (`createCoreClient`) with the typed resources of the Vobiz API.
 *
 * @example
 * ```ts
 * import { createClient } from "vobiz-kit";
 * const vobiz = createClient(); // VOBIZ_AUTH_ID / VOBIZ_AUTH_TOKEN from the environment
 * const me = await vobiz.account.get();
 * const balance = await vobiz.balance.get("INR");
 * ```
 *
 * @module
 */
import { type AccountCredentials, buildClient, type VobizCoreClient } from "./core_client.ts";
import type { ClientOptions } from "./options.ts";
import { createResources, type Resources } from "./resources/mod.ts";

export {
  type AccountCredentials,
  createCoreClient,
  DEFAULT_BASE_URL,
  type VobizCoreClient,
} from "./core_client.ts";

/** A Vobiz client: typed resources, the raw `request`, and the hook bus. */
export interface VobizClient extends VobizCoreClient, Resources {
  /**
   * A client acting for another account (a sub-account's own traffic) that shares plugins, hooks
   * and connections with this one.
   *
   * @example
   * ```ts
   * const sub = vobiz.withAccount({ authId: "SA_123", authToken: subToken });
   * await sub.balance.get();
   * ```
   */
  withAccount(credentials: AccountCredentials): VobizClient;
}

/**
 * Creates a client. Throws `MISSING_CREDENTIALS` when no credentials are given or found (naming the
 * variables), `INSECURE_URL` for a non-https base URL, `VALIDATION_ERROR` for malformed options.
 *
 * @example
 * ```ts
 * import { createClient } from "vobiz-kit";
 * import { retry } from "vobiz-kit/plugins/retry";
 * const vobiz = createClient({ env, plugins: [retry()] }); // Workers: env holds the bindings
 * ```
 */
export function createClient(options: ClientOptions = {}): VobizClient {
  return buildClient(options, (core) => createResources(core.request, core.clock)) as VobizClient;
}
