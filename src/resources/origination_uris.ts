/**
 * `client.originationUris`: where inbound calls on a trunk are sent (your SBC or PBX), tried by
 * `priority` (lower first) and shared by `weight` among equal priorities. Attach them with a
 * trunk's `primary_uri_uuid` / `fallback_uri_uuid`.
 *
 * @example
 * ```ts
 * const uri = await vobiz.originationUris.create({
 *   name: "sbc1",
 *   sip_uri: "sip:sbc1.example.com:5060",
 *   priority: 1,
 * });
 * await vobiz.trunks.update(trunkId, { primary_uri_uuid: uri.id });
 * ```
 *
 * @module
 */
import * as v from "valibot";
import type { CallOptions } from "../options.ts";
import type { ListOptions, Page } from "../pagination.ts";
import {
  type Acknowledgement,
  answer,
  CountSchema,
  NameSchema,
  type ObjectList,
  objectList,
  type OffsetFilters,
} from "./_shared.ts";

/** An origination URI (the `sip_uri` given at creation comes back as `uri`). */
export interface OriginationUri {
  id: string;
  uri?: string | null | undefined;
  priority?: number | null | undefined;
  weight?: number | null | undefined;
  enabled?: boolean | null | undefined;
  transport?: string | null | undefined;
  description?: string | null | undefined;
  account_id?: string | null | undefined;
  created_at?: string | null | undefined;
  updated_at?: string | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link OriginationUri}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { OriginationUriSchema } from "vobiz-kit";
 * const parsed = v.parse(OriginationUriSchema, await response.json());
 * ```
 */
export const OriginationUriSchema: v.GenericSchema<unknown, OriginationUri> = answer(
  "!id uri priority:n weight:n enabled:b transport description account_id created_at updated_at",
);

/**
 * Schema of a page of origination URIs.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { OriginationUriListSchema } from "vobiz-kit";
 * const parsed = v.parse(OriginationUriListSchema, await response.json());
 * ```
 */
export const OriginationUriListSchema: v.GenericSchema<unknown, ObjectList<OriginationUri>> =
  objectList(OriginationUriSchema);

/** Body of `originationUris.create`. */
export interface OriginationUriCreate {
  /** A label (≤ 255 characters). */
  name: string;
  /** `sip:host[:port]` or `sips:…`. */
  sip_uri: string;
  /** Lower is tried first. */
  priority: number;
  /** Share among URIs of equal priority. */
  weight?: number | undefined;
  [key: string]: unknown;
}

const sipUri = v.pipe(
  v.string(),
  v.maxLength(500, "must be at most 500 characters"),
  v.regex(/^sips?:[^\s<>"]+$/i, "must be a SIP URI such as sip:sbc1.example.com:5060"),
);

/**
 * Schema of {@link OriginationUriCreate}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { OriginationUriCreateSchema } from "vobiz-kit";
 * const ok = v.safeParse(OriginationUriCreateSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const OriginationUriCreateSchema: v.GenericSchema<OriginationUriCreate> = v.looseObject({
  name: NameSchema,
  sip_uri: sipUri,
  priority: CountSchema,
  weight: v.optional(CountSchema),
});

/** Body of `originationUris.update`. */
export interface OriginationUriUpdate {
  name?: string | undefined;
  sip_uri?: string | undefined;
  priority?: number | undefined;
  weight?: number | undefined;
  enabled?: boolean | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link OriginationUriUpdate}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { OriginationUriUpdateSchema } from "vobiz-kit";
 * const ok = v.safeParse(OriginationUriUpdateSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const OriginationUriUpdateSchema: v.GenericSchema<OriginationUriUpdate> = v.looseObject({
  name: v.optional(NameSchema),
  sip_uri: v.optional(sipUri),
  priority: v.optional(CountSchema),
  weight: v.optional(CountSchema),
  enabled: v.optional(v.boolean()),
});

/** `client.originationUris`. */
export interface OriginationUrisResource {
  /**
   * Every URI (`GET /Account/{auth_id}/trunks/origination-uris`), 100 per request.
   *
   * @example
   * ```ts
   * for await (const uri of vobiz.originationUris.list()) console.log(uri.uri, uri.priority);
   * ```
   */
  list(
    filters?: OffsetFilters,
    options?: ListOptions,
  ): AsyncGenerator<OriginationUri, void, undefined>;
  /**
   * One page.
   *
   * @example
   * ```ts
   * const { items } = await vobiz.originationUris.listPage();
   * ```
   */
  listPage(
    filters?: OffsetFilters,
    options?: CallOptions,
  ): Promise<Page<OriginationUri, ObjectList<OriginationUri>>>;
  /**
   * Creates a URI.
   *
   * @example
   * ```ts
   * await vobiz.originationUris.create({ name: "sbc2", sip_uri: "sip:sbc2.example.com", priority: 2 });
   * ```
   */
  create(body: OriginationUriCreate, options?: CallOptions): Promise<OriginationUri>;
  /**
   * Updates a URI.
   *
   * @example
   * ```ts
   * await vobiz.originationUris.update(id, { priority: 5 });
   * ```
   */
  update(uriId: string, body: OriginationUriUpdate, options?: CallOptions): Promise<OriginationUri>;
  /**
   * Deletes a URI.
   *
   * @example
   * ```ts
   * await vobiz.originationUris.delete(id);
   * ```
   */
  delete(uriId: string, options?: CallOptions): Promise<Acknowledgement>;
}
