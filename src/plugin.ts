/**
 * The plugin contract. A plugin is `{ name, setup(host) }` plus its own methods: the factory that
 * makes it returns one object that is both the plugin and its handle (`m.snapshot()`). `setup`
 * registers hook handlers, may contribute ky options (retry settings, a transport), keeps its state
 * in its own closure, and may return a teardown.
 *
 * @example
 * ```ts
 * import type { VobizPlugin } from "vobiz-kit";
 *
 * export function countCalls(): VobizPlugin & { count(): number } {
 *   let calls = 0;
 *   return {
 *     name: "count-calls",
 *     setup(host) {
 *       return host.hooks.hook("done", () => {
 *         calls++;
 *       });
 *     },
 *     count: () => calls,
 *   };
 * }
 * ```
 *
 * @module
 */
import type { Hookable } from "hookable";
import type { Options as KyOptions } from "ky";
import type { Clock } from "./clock.ts";
import type { VobizHooks } from "./hooks.ts";
import type { VobizCoreClient } from "./core_client.ts";

/** What a plugin gets in `setup`. */
export interface PluginHost {
  /** The client's hook bus (lifecycle hooks and plugin events). */
  readonly hooks: Hookable<VobizHooks>;
  /** The client's clock: use it for all time. */
  readonly clock: Clock;
  /** The client, for plugins that call `request()` themselves (state checks, token refresh). */
  readonly client: VobizCoreClient;
  /** Merge ky options into the client's ky instance (ky's `extend` semantics). */
  configureKy(options: KyOptions): void;
  /**
   * Adjusts each call's ky options before the call starts, in plugin order: `context.vobiz` is the
   * call's `CallContext`, `fetch` its transport (wrap it for around-advice), `timeout` its attempt
   * timeout, `retry` its retry settings. What a ky `init` hook does, on the call's own options, so
   * nothing is cloned per call; `afterResponse` is dispatched around the transport left here.
   *
   * @example
   * ```ts
   * host.eachCall((kyOptions) => {
   *   const context = kyOptions.context?.["vobiz"] as CallContext;
   *   if (context.method === "GET") kyOptions.retry = { limit: 2 };
   * });
   * ```
   */
  eachCall(adjust: (kyOptions: KyOptions) => void): void;
}

/** A plugin. */
export interface VobizPlugin {
  /** Unique name; also the key of its per-call settings in `RequestOptions.plugins`. */
  readonly name: string;
  /** Called once by `createClient`; may return a teardown run by `client.close()`. */
  setup(host: PluginHost): void | (() => void);
}
