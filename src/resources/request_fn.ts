/**
 * What a resource needs from the client: the `request` escape hatch.
 *
 * @module
 */
import type { RequestOptions } from "../options.ts";

/** The client's `request`, as resources call it. */
export type RequestFn = <T>(method: string, path: string, options?: RequestOptions) => Promise<T>;
