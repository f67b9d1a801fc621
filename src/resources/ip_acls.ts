/**
 * `client.ipAcls`: IP access-control entries that trunks authenticate by (attach one with a
 * trunk's `ipacl_uuid`). IPv4 addresses and IPv4 CIDR blocks only; the RFC 5737 documentation
 * ranges are refused, as Vobiz refuses them.
 *
 * @example
 * ```ts
 * const acl = await vobiz.ipAcls.create({ name: "office", ip_address: "34.120.5.0/24" });
 * await vobiz.trunks.update(trunkId, { ipacl_uuid: acl.id });
 * ```
 *
 * @module
 */
import * as v from "valibot";
import type { CallOptions } from "../options.ts";
import type { ListOptions, Page } from "../pagination.ts";
import { IpAclAddressSchema } from "../validators.ts";
import {
  type Acknowledgement,
  answer,
  NameSchema,
  type ObjectList,
  objectList,
  type OffsetFilters,
} from "./_shared.ts";

/** An IP ACL entry (the `name` given at creation comes back as `description`). */
export interface IpAcl {
  id: string;
  ip_address: string;
  description?: string | null | undefined;
  account_id?: string | null | undefined;
  enabled?: boolean | null | undefined;
  created_at?: string | null | undefined;
  updated_at?: string | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link IpAcl}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { IpAclSchema } from "vobiz-kit";
 * const parsed = v.parse(IpAclSchema, await response.json());
 * ```
 */
export const IpAclSchema: v.GenericSchema<unknown, IpAcl> = answer(
  "!id !ip_address description account_id enabled:b created_at updated_at",
);

/**
 * Schema of a page of IP ACL entries.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { IpAclListSchema } from "vobiz-kit";
 * const parsed = v.parse(IpAclListSchema, await response.json());
 * ```
 */
export const IpAclListSchema: v.GenericSchema<unknown, ObjectList<IpAcl>> = objectList(IpAclSchema);

/** Body of `ipAcls.create`. */
export interface IpAclCreate {
  /** A label (≤ 255 characters). */
  name: string;
  /** An IPv4 address (`34.120.5.9`) or IPv4 CIDR block (`34.120.5.0/24`). */
  ip_address: string;
  [key: string]: unknown;
}

/**
 * Schema of {@link IpAclCreate}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { IpAclCreateSchema } from "vobiz-kit";
 * const ok = v.safeParse(IpAclCreateSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const IpAclCreateSchema: v.GenericSchema<IpAclCreate> = v.looseObject({
  name: NameSchema,
  ip_address: IpAclAddressSchema,
});

/** Body of `ipAcls.update`. */
export interface IpAclUpdate {
  name?: string | undefined;
  ip_address?: string | undefined;
  enabled?: boolean | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link IpAclUpdate}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { IpAclUpdateSchema } from "vobiz-kit";
 * const ok = v.safeParse(IpAclUpdateSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const IpAclUpdateSchema: v.GenericSchema<IpAclUpdate> = v.looseObject({
  name: v.optional(NameSchema),
  ip_address: v.optional(IpAclAddressSchema),
  enabled: v.optional(v.boolean()),
});

/** `client.ipAcls`. */
export interface IpAclsResource {
  /**
   * Every entry (`GET /Account/{auth_id}/trunks/ip-acl`), 100 per request.
   *
   * @example
   * ```ts
   * for await (const acl of vobiz.ipAcls.list()) console.log(acl.ip_address);
   * ```
   */
  list(filters?: OffsetFilters, options?: ListOptions): AsyncGenerator<IpAcl, void, undefined>;
  /**
   * One page.
   *
   * @example
   * ```ts
   * const { items } = await vobiz.ipAcls.listPage();
   * ```
   */
  listPage(filters?: OffsetFilters, options?: CallOptions): Promise<Page<IpAcl, ObjectList<IpAcl>>>;
  /**
   * Creates an entry.
   *
   * @example
   * ```ts
   * await vobiz.ipAcls.create({ name: "sbc", ip_address: "34.120.5.9" });
   * ```
   */
  create(body: IpAclCreate, options?: CallOptions): Promise<IpAcl>;
  /**
   * Updates an entry.
   *
   * @example
   * ```ts
   * await vobiz.ipAcls.update(id, { enabled: false });
   * ```
   */
  update(ipAclId: string, body: IpAclUpdate, options?: CallOptions): Promise<IpAcl>;
  /**
   * Deletes an entry.
   *
   * @example
   * ```ts
   * await vobiz.ipAcls.delete(id);
   * ```
   */
  delete(ipAclId: string, options?: CallOptions): Promise<Acknowledgement>;
}
