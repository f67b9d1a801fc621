/**
 * `client.credentials`: SIP digest credentials that trunks authenticate with (they belong to the
 * account, not to one trunk; attach one with a trunk's `credential_uuid`). `stale()` lists those
 * due for rotation, and says whether the account's auth token is.
 *
 * @example
 * ```ts
 * const cred = await vobiz.credentials.create({ username: "pbx01", password: "long-random-secret" });
 * await vobiz.trunks.update(trunkId, { credential_uuid: cred.id });
 * const report = await vobiz.credentials.stale({ maxAgeDays: 90 });
 * for (const { credential, ageDays } of report.credentials) console.log(credential.username, ageDays);
 * ```
 *
 * @module
 */
import * as v from "valibot";
import type { CallOptions } from "../options.ts";
import type { ListOptions, Page } from "../pagination.ts";
import { PasswordSchema, safeText, SipUsernameSchema } from "../validators.ts";
import {
  type Acknowledgement,
  answer,
  type ObjectList,
  objectList,
  type OffsetFilters,
} from "./_shared.ts";

/** A SIP credential (`password` always comes back as `"<redacted>"`). */
export interface SipCredential {
  id: string;
  username: string;
  account_id?: string | null | undefined;
  password?: string | null | undefined;
  /** `{account_id}.sip.vobiz.ai`. */
  realm?: string | null | undefined;
  enabled?: boolean | null | undefined;
  created_at?: string | null | undefined;
  updated_at?: string | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link SipCredential}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { SipCredentialSchema } from "vobiz-kit";
 * const parsed = v.parse(SipCredentialSchema, await response.json());
 * ```
 */
export const SipCredentialSchema: v.GenericSchema<unknown, SipCredential> = answer(
  "!id !username account_id password realm enabled:b created_at updated_at",
);

/**
 * Schema of a page of credentials.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { SipCredentialListSchema } from "vobiz-kit";
 * const parsed = v.parse(SipCredentialListSchema, await response.json());
 * ```
 */
export const SipCredentialListSchema: v.GenericSchema<unknown, ObjectList<SipCredential>> =
  objectList(SipCredentialSchema);

/** Body of `credentials.create`. */
export interface SipCredentialCreate {
  /** Letters and digits only; unique per account; cannot be changed later. */
  username: string;
  /** At least 8 characters. */
  password: string;
  [key: string]: unknown;
}

/**
 * Schema of {@link SipCredentialCreate}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { SipCredentialCreateSchema } from "vobiz-kit";
 * const ok = v.safeParse(SipCredentialCreateSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const SipCredentialCreateSchema: v.GenericSchema<SipCredentialCreate> = v.looseObject({
  username: SipUsernameSchema,
  password: PasswordSchema,
});

/** Body of `credentials.update` (rotate the password, or toggle `enabled`). */
export interface SipCredentialUpdate {
  password?: string | undefined;
  enabled?: boolean | undefined;
  description?: string | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link SipCredentialUpdate}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { SipCredentialUpdateSchema } from "vobiz-kit";
 * const ok = v.safeParse(SipCredentialUpdateSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const SipCredentialUpdateSchema: v.GenericSchema<SipCredentialUpdate> = v.looseObject({
  password: v.optional(PasswordSchema),
  enabled: v.optional(v.boolean()),
  description: v.optional(safeText(1000)),
});

/** Options of `credentials.stale`. */
export interface StaleOptions {
  /** Age after which a credential is due for rotation, in days. Default 90. */
  maxAgeDays?: number | undefined;
  /**
   * When you last rotated the account's auth token (Vobiz does not report it); without it the
   * report can only tell whether the token has expired.
   */
  authTokenRotatedAt?: string | number | Date | undefined;
}

/**
 * Schema of {@link StaleOptions}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { StaleOptionsSchema } from "vobiz-kit";
 * const ok = v.safeParse(StaleOptionsSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const StaleOptionsSchema: v.GenericSchema<StaleOptions> = v.object({
  maxAgeDays: v.optional(v.pipe(v.number(), v.minValue(0, "must not be negative"))),
  authTokenRotatedAt: v.optional(
    v.pipe(
      v.union([v.string(), v.number(), v.date()]),
      v.check((value) => !Number.isNaN(new Date(value).getTime()), "must be a valid date"),
    ),
  ),
});

/** A credential due for rotation. */
export interface StaleCredential {
  /** The credential. */
  credential: SipCredential;
  /** Its last change (`updated_at`, else `created_at`; the API has no password-change date). */
  lastChangedAt: string;
  /** Whole days since then. */
  ageDays: number;
}

/** What `credentials.stale` found. */
export interface StaleReport {
  /** The threshold used. */
  maxAgeDays: number;
  /** When the check ran (the client's clock), ISO 8601. */
  checkedAt: string;
  /** Credentials older than `maxAgeDays`, oldest first. */
  credentials: StaleCredential[];
  /** Credentials without a readable timestamp (check them by hand). */
  unknownAge: SipCredential[];
  /** The account's auth token. */
  authToken: {
    /** `true` due, `false` not due, `undefined` cannot tell (pass `authTokenRotatedAt`). */
    due: boolean | undefined;
    /** Why. */
    reason: string;
    /** `auth_token_expire_time` of the account, when set. */
    expiresAt: string | undefined;
    /** `authTokenRotatedAt` as given, ISO 8601. */
    lastRotatedAt: string | undefined;
  };
}

/** `client.credentials`. */
export interface CredentialsResource {
  /**
   * Every credential (`GET /Account/{auth_id}/trunks/credentials`), 100 per request.
   *
   * @example
   * ```ts
   * for await (const c of vobiz.credentials.list()) console.log(c.username, c.enabled);
   * ```
   */
  list(
    filters?: OffsetFilters,
    options?: ListOptions,
  ): AsyncGenerator<SipCredential, void, undefined>;
  /**
   * One page.
   *
   * @example
   * ```ts
   * const { items, total } = await vobiz.credentials.listPage();
   * ```
   */
  listPage(
    filters?: OffsetFilters,
    options?: CallOptions,
  ): Promise<Page<SipCredential, ObjectList<SipCredential>>>;
  /**
   * One credential (a route only the Go SDK documents; the list is the documented read).
   *
   * @example
   * ```ts
   * const cred = await vobiz.credentials.get(id);
   * ```
   */
  get(credentialId: string, options?: CallOptions): Promise<SipCredential>;
  /**
   * Creates a credential.
   *
   * @example
   * ```ts
   * await vobiz.credentials.create({ username: "pbx01", password: crypto.randomUUID() });
   * ```
   */
  create(body: SipCredentialCreate, options?: CallOptions): Promise<SipCredential>;
  /**
   * Updates a credential: rotate its password, or disable it.
   *
   * @example
   * ```ts
   * await vobiz.credentials.update(id, { password: crypto.randomUUID() });
   * ```
   */
  update(
    credentialId: string,
    body: SipCredentialUpdate,
    options?: CallOptions,
  ): Promise<SipCredential>;
  /**
   * Deletes a credential.
   *
   * @example
   * ```ts
   * await vobiz.credentials.delete(id);
   * ```
   */
  delete(credentialId: string, options?: CallOptions): Promise<Acknowledgement>;
  /**
   * Credentials due for rotation (last changed more than `maxAgeDays` ago, 90 by default, as
   * Vobiz recommends) and the state of the account's auth token. Reads every credential and the
   * account; changes nothing.
   *
   * @example
   * ```ts
   * const report = await vobiz.credentials.stale({ maxAgeDays: 90 });
   * if (report.credentials.length > 0 || report.authToken.due) alertOps(report);
   * ```
   */
  stale(options?: StaleOptions, callOptions?: CallOptions): Promise<StaleReport>;
}
