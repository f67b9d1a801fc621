/**
 * `client.trunks`: SIP trunks (`/Account/{auth_id}/trunks`). Attach authentication with
 * `credential_uuid` (digest, see `client.credentials`) and/or `ipacl_uuid` (IP, see
 * `client.ipAcls`); the older `username`/`password`/`ip_whitelist` fields are deprecated by Vobiz
 * but still accepted.
 *
 * @example
 * ```ts
 * const trunk = await vobiz.trunks.create({ name: "Mumbai primary", trunk_direction: "outbound" });
 * console.log(trunk.trunk_id, trunk.trunk_domain); // read the domain, never build it
 * ```
 *
 * @module
 */
import * as v from "valibot";
import type { CallOptions } from "../options.ts";
import type { ListOptions, Page } from "../pagination.ts";
import {
  IpAclAddressSchema,
  PasswordSchema,
  PublicUrlSchema,
  safeText,
  SipUsernameSchema,
  TrunkNameSchema,
} from "../validators.ts";
import {
  type Acknowledgement,
  answer,
  CountSchema,
  type ObjectList,
  objectList,
  type OffsetFilters,
  UuidSchema,
} from "./_shared.ts";

/** A SIP trunk. Enum-like fields are open strings (`trunk_status` is seen as `enabled` and `active`). */
export interface Trunk {
  trunk_id: string;
  name?: string | null | undefined;
  account_id?: string | null | undefined;
  trunk_domain?: string | null | undefined;
  trunk_status?: string | null | undefined;
  trunk_direction?: string | null | undefined;
  secure?: boolean | null | undefined;
  transport?: string | null | undefined;
  concurrent_calls_limit?: number | null | undefined;
  cps_limit?: number | null | undefined;
  credential_uuid?: string | null | undefined;
  ipacl_uuid?: string | null | undefined;
  primary_uri_uuid?: string | null | undefined;
  fallback_uri_uuid?: string | null | undefined;
  description?: string | null | undefined;
  webhook_url?: string | null | undefined;
  created_at?: string | null | undefined;
  updated_at?: string | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link Trunk}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { TrunkSchema } from "vobiz-kit";
 * const parsed = v.parse(TrunkSchema, await response.json());
 * ```
 */
export const TrunkSchema: v.GenericSchema<unknown, Trunk> = answer(
  "!trunk_id name account_id trunk_domain trunk_status trunk_direction secure:b transport concurrent_calls_limit:n cps_limit:n credential_uuid ipacl_uuid primary_uri_uuid fallback_uri_uuid description webhook_url created_at updated_at",
);

/**
 * Schema of a page of trunks (`{ meta{limit, offset, total}, objects[] }`).
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { TrunkListSchema } from "vobiz-kit";
 * const parsed = v.parse(TrunkListSchema, await response.json());
 * ```
 */
export const TrunkListSchema: v.GenericSchema<unknown, ObjectList<Trunk>> = objectList(TrunkSchema);

/**
 * Fields of a trunk create or update. Only `name` is required on create (newest OpenAPI); the
 * older `trunk_type` + `max_concurrent_calls` spelling of the docs page is accepted too.
 */
export interface TrunkFields {
  /** 1–255 characters. */
  name?: string | undefined;
  /** `inbound` or `outbound` (docs also show `both`). */
  trunk_direction?: string | undefined;
  /** Docs-page spelling: `INBOUND` or `OUTBOUND`. */
  trunk_type?: string | undefined;
  /** `enabled` or `disabled`. */
  trunk_status?: string | undefined;
  secure?: boolean | undefined;
  trunk_domain?: string | undefined;
  /** `udp`, `tcp` or `tls`. */
  transport?: string | undefined;
  inbound_destination?: string | undefined;
  description?: string | undefined;
  concurrent_calls_limit?: number | undefined;
  /** Docs-page spelling of `concurrent_calls_limit`. */
  max_concurrent_calls?: number | undefined;
  cps_limit?: number | undefined;
  credential_uuid?: string | undefined;
  ipacl_uuid?: string | undefined;
  primary_uri_uuid?: string | undefined;
  fallback_uri_uuid?: string | undefined;
  recording?: boolean | undefined;
  enable_transcription?: boolean | undefined;
  pii_redaction?: boolean | undefined;
  /** Comma-separated entity types. */
  pii_entity_types?: string | undefined;
  /** A public http(s) URL of at most 500 characters. */
  webhook_url?: string | undefined;
  webhook_method?: "GET" | "POST" | undefined;
  recording_webhook_enabled?: boolean | undefined;
  /** @deprecated use `credential_uuid` */
  username?: string | undefined;
  /** @deprecated use `credential_uuid` */
  password?: string | undefined;
  /** @deprecated use `ipacl_uuid` */
  ip_whitelist?: string[] | undefined;
  [key: string]: unknown;
}

/** Body of `trunks.create`: {@link TrunkFields} with `name` required. */
export interface TrunkCreate extends TrunkFields {
  name: string;
}

const word = v.pipe(v.string(), v.regex(/^[A-Za-z_]+$/, "must be a single word"));

const trunkFields = {
  trunk_direction: v.optional(word),
  trunk_type: v.optional(word),
  trunk_status: v.optional(word),
  secure: v.optional(v.boolean()),
  trunk_domain: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9.-]{1,253}$/, "must be a domain name")),
  ),
  transport: v.optional(word),
  inbound_destination: v.optional(safeText(255)),
  description: v.optional(safeText(1000)),
  concurrent_calls_limit: v.optional(CountSchema),
  max_concurrent_calls: v.optional(CountSchema),
  cps_limit: v.optional(CountSchema),
  credential_uuid: v.optional(UuidSchema),
  ipacl_uuid: v.optional(UuidSchema),
  primary_uri_uuid: v.optional(UuidSchema),
  fallback_uri_uuid: v.optional(UuidSchema),
  recording: v.optional(v.boolean()),
  enable_transcription: v.optional(v.boolean()),
  pii_redaction: v.optional(v.boolean()),
  pii_entity_types: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z_]+(,\s*[A-Za-z_]+)*$/, "must be a comma-separated list")),
  ),
  webhook_url: v.optional(PublicUrlSchema),
  webhook_method: v.optional(v.picklist(["GET", "POST"])),
  recording_webhook_enabled: v.optional(v.boolean()),
  username: v.optional(SipUsernameSchema),
  password: v.optional(PasswordSchema),
  ip_whitelist: v.optional(v.array(IpAclAddressSchema)),
};

/**
 * Schema of {@link TrunkCreate}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { TrunkCreateSchema } from "vobiz-kit";
 * const ok = v.safeParse(TrunkCreateSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const TrunkCreateSchema: v.GenericSchema<TrunkCreate> = v.looseObject({
  name: TrunkNameSchema,
  ...trunkFields,
});

/**
 * Schema of {@link TrunkFields} (an update: every field optional).
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { TrunkUpdateSchema } from "vobiz-kit";
 * const ok = v.safeParse(TrunkUpdateSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const TrunkUpdateSchema: v.GenericSchema<TrunkFields> = v.looseObject({
  name: v.optional(TrunkNameSchema),
  ...trunkFields,
});

/** `client.trunks`. */
export interface TrunksResource {
  /**
   * Every trunk, fetched 100 at a time as you iterate.
   *
   * @example
   * ```ts
   * for await (const trunk of vobiz.trunks.list()) console.log(trunk.name, trunk.trunk_status);
   * ```
   */
  list(filters?: OffsetFilters, options?: ListOptions): AsyncGenerator<Trunk, void, undefined>;
  /**
   * One page (`limit`/`offset`).
   *
   * @example
   * ```ts
   * const page = await vobiz.trunks.listPage({ limit: 10 });
   * ```
   */
  listPage(filters?: OffsetFilters, options?: CallOptions): Promise<Page<Trunk, ObjectList<Trunk>>>;
  /**
   * One trunk.
   *
   * @example
   * ```ts
   * const trunk = await vobiz.trunks.get(trunkId);
   * ```
   */
  get(trunkId: string, options?: CallOptions): Promise<Trunk>;
  /**
   * Creates a trunk.
   *
   * @example
   * ```ts
   * await vobiz.trunks.create({ name: "Delhi", credential_uuid, webhook_url: "https://ops.example.com/vobiz" });
   * ```
   */
  create(body: TrunkCreate, options?: CallOptions): Promise<Trunk>;
  /**
   * Updates a trunk.
   *
   * @example
   * ```ts
   * await vobiz.trunks.update(trunkId, { trunk_status: "disabled" });
   * ```
   */
  update(trunkId: string, body: TrunkFields, options?: CallOptions): Promise<Trunk>;
  /**
   * Deletes a trunk with its credentials, IP ACL and URI links (409 while calls are active).
   *
   * @example
   * ```ts
   * await vobiz.trunks.delete(trunkId);
   * ```
   */
  delete(trunkId: string, options?: CallOptions): Promise<Acknowledgement>;
}
