/**
 * `client.applications`: voice applications (answer, hangup and fallback URLs) that numbers and
 * endpoints are attached to. Plivo-style routes with a trailing slash; updates are `POST`.
 *
 * @example
 * ```ts
 * const { app_id } = await vobiz.applications.create({
 *   app_name: "IVR",
 *   answer_url: "https://app.example.com/answer.xml",
 *   answer_method: "POST",
 * });
 * ```
 *
 * @module
 */
import * as v from "valibot";
import type { CallOptions } from "../options.ts";
import type { ListOptions, Page } from "../pagination.ts";
import { PublicUrlSchema } from "../validators.ts";
import {
  type Acknowledgement,
  answer,
  HttpMethodSchema,
  NameSchema,
  type ObjectList,
  objectList,
  type OffsetFilters,
} from "./_shared.ts";

/** An application. */
export interface Application {
  app_id: string | number;
  app_name?: string | null | undefined;
  answer_url?: string | null | undefined;
  answer_method?: string | null | undefined;
  hangup_url?: string | null | undefined;
  hangup_method?: string | null | undefined;
  fallback_answer_url?: string | null | undefined;
  fallback_method?: string | null | undefined;
  default_number_app?: boolean | null | undefined;
  default_endpoint_app?: boolean | null | undefined;
  enabled?: boolean | null | undefined;
  sip_uri?: string | null | undefined;
  resource_uri?: string | null | undefined;
  created_at?: string | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link Application}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { ApplicationSchema } from "vobiz-kit";
 * const parsed = v.parse(ApplicationSchema, await response.json());
 * ```
 */
export const ApplicationSchema: v.GenericSchema<unknown, Application> = answer(
  "!app_id:i app_name answer_url answer_method hangup_url hangup_method fallback_answer_url fallback_method default_number_app:b default_endpoint_app:b enabled:b sip_uri resource_uri created_at",
);

/**
 * Schema of a page of applications (style A).
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { ApplicationListSchema } from "vobiz-kit";
 * const parsed = v.parse(ApplicationListSchema, await response.json());
 * ```
 */
export const ApplicationListSchema: v.GenericSchema<unknown, ObjectList<Application>> = objectList(
  ApplicationSchema,
);

/** Fields of an application create or update. */
export interface ApplicationFields {
  /** Name (≤ 255 characters). */
  app_name?: string | undefined;
  answer_url?: string | undefined;
  answer_method?: "GET" | "POST" | undefined;
  /** Falls back to `answer_url` when omitted. */
  hangup_url?: string | undefined;
  hangup_method?: "GET" | "POST" | undefined;
  fallback_answer_url?: string | undefined;
  fallback_method?: "GET" | "POST" | undefined;
  message_url?: string | undefined;
  message_method?: "GET" | "POST" | undefined;
  default_number_app?: boolean | undefined;
  default_endpoint_app?: boolean | undefined;
  public_uri?: boolean | undefined;
  [key: string]: unknown;
}

/** Body of `applications.create`: `app_name` and `answer_url` required. */
export interface ApplicationCreate extends ApplicationFields {
  app_name: string;
  answer_url: string;
}

const applicationFields = {
  answer_method: v.optional(HttpMethodSchema),
  hangup_url: v.optional(PublicUrlSchema),
  hangup_method: v.optional(HttpMethodSchema),
  fallback_answer_url: v.optional(PublicUrlSchema),
  fallback_method: v.optional(HttpMethodSchema),
  message_url: v.optional(PublicUrlSchema),
  message_method: v.optional(HttpMethodSchema),
  default_number_app: v.optional(v.boolean()),
  default_endpoint_app: v.optional(v.boolean()),
  public_uri: v.optional(v.boolean()),
};

/**
 * Schema of {@link ApplicationCreate}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { ApplicationCreateSchema } from "vobiz-kit";
 * const ok = v.safeParse(ApplicationCreateSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const ApplicationCreateSchema: v.GenericSchema<ApplicationCreate> = v.looseObject({
  app_name: NameSchema,
  answer_url: PublicUrlSchema,
  ...applicationFields,
});

/**
 * Schema of {@link ApplicationFields} (a partial update).
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { ApplicationUpdateSchema } from "vobiz-kit";
 * const ok = v.safeParse(ApplicationUpdateSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const ApplicationUpdateSchema: v.GenericSchema<ApplicationFields> = v.looseObject({
  app_name: v.optional(NameSchema),
  answer_url: v.optional(PublicUrlSchema),
  ...applicationFields,
});

/** The answer of a create (`{ api_id, app_id, message }`) or update (`{ api_id, message }`). */
export interface ApplicationWrite {
  app_id?: string | number | null | undefined;
  message?: string | null | undefined;
  api_id?: string | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link ApplicationWrite}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { ApplicationWriteSchema } from "vobiz-kit";
 * const parsed = v.parse(ApplicationWriteSchema, await response.json());
 * ```
 */
export const ApplicationWriteSchema: v.GenericSchema<unknown, ApplicationWrite> = answer(
  "app_id:i message api_id",
);

/** `client.applications`. */
export interface ApplicationsResource {
  /**
   * Every application, 100 per request.
   *
   * @example
   * ```ts
   * for await (const app of vobiz.applications.list()) console.log(app.app_id, app.app_name);
   * ```
   */
  list(
    filters?: OffsetFilters,
    options?: ListOptions,
  ): AsyncGenerator<Application, void, undefined>;
  /**
   * One page (`limit`/`offset`).
   *
   * @example
   * ```ts
   * const { items, total } = await vobiz.applications.listPage({ limit: 20 });
   * ```
   */
  listPage(
    filters?: OffsetFilters,
    options?: CallOptions,
  ): Promise<Page<Application, ObjectList<Application>>>;
  /**
   * One application.
   *
   * @example
   * ```ts
   * const app = await vobiz.applications.get(appId);
   * ```
   */
  get(appId: string | number, options?: CallOptions): Promise<Application>;
  /**
   * Creates an application.
   *
   * @example
   * ```ts
   * const { app_id } = await vobiz.applications.create({ app_name: "IVR", answer_url });
   * ```
   */
  create(body: ApplicationCreate, options?: CallOptions): Promise<ApplicationWrite>;
  /**
   * Changes some fields (`POST …/Application/{app_id}/`).
   *
   * @example
   * ```ts
   * await vobiz.applications.update(appId, { hangup_url: "https://app.example.com/hangup" });
   * ```
   */
  update(
    appId: string | number,
    body: ApplicationFields,
    options?: CallOptions,
  ): Promise<ApplicationWrite>;
  /**
   * Deletes an application (409 while numbers are attached).
   *
   * @example
   * ```ts
   * await vobiz.applications.delete(appId);
   * ```
   */
  delete(appId: string | number, options?: CallOptions): Promise<Acknowledgement>;
}
