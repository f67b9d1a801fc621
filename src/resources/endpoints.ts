/**
 * `client.endpoints`: SIP users (softphones, desk phones) that register with Vobiz. Plivo-style
 * routes with a trailing slash; updates are `POST`. `sip_registered` is the string `"true"` or
 * `"false"`, as sent.
 *
 * @example
 * ```ts
 * const { endpoint_id } = await vobiz.endpoints.create({
 *   username: "alice01",
 *   password: "long-random-secret",
 *   alias: "alice",
 *   application: appId,
 * });
 * ```
 *
 * @module
 */
import * as v from "valibot";
import type { CallOptions } from "../options.ts";
import type { ListOptions, Page } from "../pagination.ts";
import { PasswordSchema, perPage, SipUsernameSchema } from "../validators.ts";
import {
  type Acknowledgement,
  answer,
  CountSchema,
  type ObjectList,
  objectList,
  SubAccountIdSchema,
} from "./_shared.ts";

/** A SIP endpoint. */
export interface Endpoint {
  endpoint_id: string | number;
  username?: string | null | undefined;
  alias?: string | null | undefined;
  application?: string | number | null | undefined;
  /** `"true"` or `"false"` (a string). */
  sip_registered?: string | boolean | null | undefined;
  sip_uri?: string | null | undefined;
  sip_contact?: string | null | undefined;
  sip_user_agent?: string | null | undefined;
  sub_account?: string | null | undefined;
  resource_uri?: string | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link Endpoint}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { EndpointSchema } from "vobiz-kit";
 * const parsed = v.parse(EndpointSchema, await response.json());
 * ```
 */
export const EndpointSchema: v.GenericSchema<unknown, Endpoint> = answer(
  "!endpoint_id:i username alias application:i sip_registered:A sip_uri sip_contact sip_user_agent sub_account resource_uri",
  { A: v.union([v.string(), v.boolean()]) },
);

/**
 * Schema of a page of endpoints (style A).
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { EndpointListSchema } from "vobiz-kit";
 * const parsed = v.parse(EndpointListSchema, await response.json());
 * ```
 */
export const EndpointListSchema: v.GenericSchema<unknown, ObjectList<Endpoint>> = objectList(
  EndpointSchema,
);

/** Filters of `endpoints.list` (Django-style lookups, as the API names them). */
export interface EndpointFilters {
  limit?: number | undefined;
  offset?: number | undefined;
  username__contains?: string | undefined;
  username__exact?: string | undefined;
  username__startswith?: string | undefined;
  alias__contains?: string | undefined;
  alias__exact?: string | undefined;
  application_id__exact?: number | undefined;
  application_id__isnull?: boolean | undefined;
  sub_account?: string | undefined;
  [key: string]: unknown;
}

const aliasText = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_-]{1,255}$/, "must be letters, digits, - and _ (at most 255)"),
);

/**
 * Schema of {@link EndpointFilters}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { EndpointFiltersSchema } from "vobiz-kit";
 * const ok = v.safeParse(EndpointFiltersSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const EndpointFiltersSchema: v.GenericSchema<EndpointFilters> = v.looseObject({
  limit: v.optional(perPage(100)),
  offset: v.optional(CountSchema),
  username__contains: v.optional(SipUsernameSchema),
  username__exact: v.optional(SipUsernameSchema),
  username__startswith: v.optional(SipUsernameSchema),
  alias__contains: v.optional(aliasText),
  alias__exact: v.optional(aliasText),
  application_id__exact: v.optional(CountSchema),
  application_id__isnull: v.optional(v.boolean()),
  sub_account: v.optional(SubAccountIdSchema),
});

/** Body of `endpoints.create`. */
export interface EndpointCreate {
  /** Letters and digits only; unique; cannot be changed later. */
  username: string;
  /** At least 8 characters. */
  password: string;
  /** Letters, digits, `-` and `_`. */
  alias: string;
  /** The numeric `app_id` of the application that handles its calls. */
  application?: string | number | undefined;
  [key: string]: unknown;
}

const application = v.union([
  v.pipe(v.string(), v.regex(/^\d+$/, "must be a numeric app_id")),
  CountSchema,
]);

/**
 * Schema of {@link EndpointCreate}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { EndpointCreateSchema } from "vobiz-kit";
 * const ok = v.safeParse(EndpointCreateSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const EndpointCreateSchema: v.GenericSchema<EndpointCreate> = v.looseObject({
  username: SipUsernameSchema,
  password: PasswordSchema,
  alias: aliasText,
  application: v.optional(application),
});

/** Body of `endpoints.update` (username and the `allow_*` flags are locked). */
export interface EndpointUpdate {
  alias?: string | undefined;
  password?: string | undefined;
  application?: string | number | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link EndpointUpdate}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { EndpointUpdateSchema } from "vobiz-kit";
 * const ok = v.safeParse(EndpointUpdateSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const EndpointUpdateSchema: v.GenericSchema<EndpointUpdate> = v.looseObject({
  alias: v.optional(aliasText),
  password: v.optional(PasswordSchema),
  application: v.optional(application),
});

/** The answer of `endpoints.create`. */
export interface EndpointCreated {
  endpoint_id: string | number;
  username?: string | null | undefined;
  alias?: string | null | undefined;
  sip_uri?: string | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link EndpointCreated}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { EndpointCreatedSchema } from "vobiz-kit";
 * const parsed = v.parse(EndpointCreatedSchema, await response.json());
 * ```
 */
export const EndpointCreatedSchema: v.GenericSchema<unknown, EndpointCreated> = answer(
  "!endpoint_id:i username alias sip_uri",
);

/** `client.endpoints`. */
export interface EndpointsResource {
  /**
   * Every endpoint matching the filters, 100 per request.
   *
   * @example
   * ```ts
   * for await (const e of vobiz.endpoints.list({ username__startswith: "alice" })) console.log(e.sip_uri);
   * ```
   */
  list(filters?: EndpointFilters, options?: ListOptions): AsyncGenerator<Endpoint, void, undefined>;
  /**
   * One page.
   *
   * @example
   * ```ts
   * const { items } = await vobiz.endpoints.listPage({ limit: 10 });
   * ```
   */
  listPage(
    filters?: EndpointFilters,
    options?: CallOptions,
  ): Promise<Page<Endpoint, ObjectList<Endpoint>>>;
  /**
   * One endpoint, with its registration (`sip_contact`, `sip_user_agent`) when registered.
   *
   * @example
   * ```ts
   * const e = await vobiz.endpoints.get(endpointId);
   * ```
   */
  get(endpointId: string | number, options?: CallOptions): Promise<Endpoint>;
  /**
   * Creates an endpoint.
   *
   * @example
   * ```ts
   * await vobiz.endpoints.create({ username: "bob01", password: "long-random-secret", alias: "bob" });
   * ```
   */
  create(body: EndpointCreate, options?: CallOptions): Promise<EndpointCreated>;
  /**
   * Changes alias, password or application (`POST …/Endpoint/{id}/`; the answer is usually empty).
   *
   * @example
   * ```ts
   * await vobiz.endpoints.update(endpointId, { alias: "bob-desk" });
   * ```
   */
  update(
    endpointId: string | number,
    body: EndpointUpdate,
    options?: CallOptions,
  ): Promise<Acknowledgement>;
  /**
   * Deletes an endpoint.
   *
   * @example
   * ```ts
   * await vobiz.endpoints.delete(endpointId);
   * ```
   */
  delete(endpointId: string | number, options?: CallOptions): Promise<Acknowledgement>;
}
