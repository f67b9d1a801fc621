/**
 * Where `load` and `check-call` send their traffic: the mock (served on 127.0.0.1 in this process,
 * so the run goes through real sockets) or the live API (credentials from `VOBIZ_AUTH_ID` /
 * `VOBIZ_AUTH_TOKEN` only, HTTPS only).
 *
 * @module
 */
import { createClient, type VobizClient } from "../src/client.ts";
import { isVobizError } from "../src/errors.ts";
import type { VobizPlugin } from "../src/plugin.ts";
import { createMockVobiz, type MockVobiz, type MockVobizOptions } from "../testing/mod.ts";
import type { FaultSpec } from "../testing/mod.ts";
import { UsageError } from "./_args.ts";

/** `mock` or `live`. */
export type TargetKind = "mock" | "live";

/** An open target: clients for it, and what to close afterwards. */
export interface Target {
  readonly kind: TargetKind;
  /** The mock, when the target is the mock. */
  readonly mock: MockVobiz | undefined;
  /** A client for the target with these plugins (`close()` closes it too). */
  connect(plugins: readonly VobizPlugin[]): VobizClient;
  /** Closes the clients and stops the mock's server. */
  close(): Promise<void>;
}

/** What {@link openTarget} needs. */
export interface TargetOptions {
  readonly kind: TargetKind;
  /** Live only: another https base URL (a staging host). */
  readonly baseUrl?: string | undefined;
  /** Mock only. */
  readonly mockOptions?: MockVobizOptions;
  /** Mock only. */
  readonly faults?: readonly FaultSpec[];
}

const MOCK_AUTH_ID = "MA_MOCK0001";
const MOCK_AUTH_TOKEN = "mock-auth-token";

/**
 * Opens a target. For `live`, a missing credential or a non-https base URL is a
 * {@link UsageError}.
 *
 * @example
 * ```ts
 * const target = await openTarget({ kind: "mock" });
 * await target.connect([retry()]).balance.get();
 * await target.close();
 * ```
 */
export async function openTarget(options: TargetOptions): Promise<Target> {
  const clients: VobizClient[] = [];
  const closeClients = (): void => {
    for (const client of clients.splice(0)) client.close();
  };
  if (options.kind === "live") {
    if (options.baseUrl !== undefined) checkLiveUrl(options.baseUrl);
    // Checked now, so a missing credential stops the command before anything is sent.
    asUsageError(() => liveClient(options, []));
    return {
      kind: "live",
      mock: undefined,
      connect: (plugins) => {
        const client = liveClient(options, plugins);
        clients.push(client);
        return client;
      },
      close: () => Promise.resolve(closeClients()),
    };
  }
  const mockOptions = options.mockOptions ?? {};
  const mock = createMockVobiz(mockOptions);
  for (const fault of options.faults ?? []) mock.fault(fault);
  const server = await mock.listen({ port: 0, hostname: "127.0.0.1" });
  return {
    kind: "mock",
    mock,
    connect: (plugins) => {
      const client = createClient({
        baseUrl: server.baseUrl,
        allowInsecureLoopback: true,
        authId: mockOptions.authId ?? MOCK_AUTH_ID,
        authToken: mockOptions.authToken ?? MOCK_AUTH_TOKEN,
        plugins,
      });
      clients.push(client);
      return client;
    },
    close: async () => {
      closeClients();
      await server.close();
    },
  };
}

// Live credentials never travel in clear text, not even to a loopback proxy.
function checkLiveUrl(baseUrl: string): void {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new UsageError(`--base-url must be an https URL; got "${baseUrl}"`);
  }
  if (url.protocol !== "https:") {
    throw new UsageError(
      `--base-url must be https for --target live (plain http would send your auth token in ` +
        `clear text); got ${url.protocol}//${url.host}`,
    );
  }
}

function liveClient(options: TargetOptions, plugins: readonly VobizPlugin[]): VobizClient {
  return createClient({
    // Credentials come from VOBIZ_AUTH_ID / VOBIZ_AUTH_TOKEN only: a token on a command line
    // leaks into shell history and process listings.
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
    allowInsecureLoopback: false,
    plugins,
  });
}

/**
 * Refuses to spend money without `--yes`.
 *
 * @example
 * ```ts
 * requireConsent(target === "live", values.yes === true, "place up to 300 real calls");
 * ```
 */
export function requireConsent(spends: boolean, yes: boolean, what: string): void {
  if (spends && !yes) {
    throw new UsageError(
      `this would ${what} on your live Vobiz account and spend money; rerun with --yes to confirm`,
    );
  }
}

// createClient's configuration errors (MISSING_CREDENTIALS, INSECURE_URL, VALIDATION_ERROR) are
// problems with how the command was called.
function asUsageError<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (isVobizError(error)) throw new UsageError(error.message);
    throw error;
  }
}
