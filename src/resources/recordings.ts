/**
 * `client.recordings`: call and conference recordings (Plivo-style routes with a trailing slash),
 * and the asynchronous bulk export whose result Vobiz sends by e-mail.
 *
 * @example
 * ```ts
 * for await (const rec of vobiz.recordings.list({ call_uuid })) console.log(rec.recording_url);
 * ```
 *
 * @module
 */
import * as v from "valibot";
import type { CallOptions } from "../options.ts";
import type { ListOptions, Page } from "../pagination.ts";
import { E164Schema, EmailSchema, perPage, safeText } from "../validators.ts";
import {
  type Acknowledgement,
  type Amount,
  answer,
  CountSchema,
  type ObjectList,
  objectList,
} from "./_shared.ts";

/** A recording. `recording_duration_ms` is a string, as sent. */
export interface Recording {
  recording_id: string;
  call_uuid?: string | null | undefined;
  conference_name?: string | null | undefined;
  recording_url?: string | null | undefined;
  recording_format?: string | null | undefined;
  recording_type?: string | null | undefined;
  recording_duration_ms?: Amount | null | undefined;
  from_number?: string | null | undefined;
  to_number?: string | null | undefined;
  add_time?: string | null | undefined;
  resource_uri?: string | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link Recording}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { RecordingSchema } from "vobiz-kit";
 * const parsed = v.parse(RecordingSchema, await response.json());
 * ```
 */
export const RecordingSchema: v.GenericSchema<unknown, Recording> = answer(
  "!recording_id call_uuid conference_name recording_url recording_format recording_type recording_duration_ms:a from_number to_number add_time resource_uri",
);

/**
 * Schema of a page of recordings (style A).
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { RecordingListSchema } from "vobiz-kit";
 * const parsed = v.parse(RecordingListSchema, await response.json());
 * ```
 */
export const RecordingListSchema: v.GenericSchema<unknown, ObjectList<Recording>> = objectList(
  RecordingSchema,
);

/** Filters of `recordings.list`. */
export interface RecordingFilters {
  limit?: number | undefined;
  offset?: number | undefined;
  call_uuid?: string | undefined;
  /** e.g. `conference`, `trunk`. */
  recording_type?: string | undefined;
  [key: string]: unknown;
}

const token = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_.:-]{1,255}$/, "must be letters, digits and _ . : -"),
);

/**
 * Schema of {@link RecordingFilters}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { RecordingFiltersSchema } from "vobiz-kit";
 * const ok = v.safeParse(RecordingFiltersSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const RecordingFiltersSchema: v.GenericSchema<RecordingFilters> = v.looseObject({
  limit: v.optional(perPage(100)),
  offset: v.optional(CountSchema),
  call_uuid: v.optional(token),
  recording_type: v.optional(token),
});

/** Body of `recordings.export` (filters apply to ranges of 30 days or less). */
export interface RecordingExport {
  /** Who receives the export by e-mail. */
  recipient: { customer_account: string[] };
  /** `YYYY-MM-DD HH:MM:SS`; default 7 days ago. */
  from?: string | undefined;
  /** `YYYY-MM-DD HH:MM:SS`; default now. */
  to?: string | undefined;
  from_number?: string | undefined;
  to_number?: string | undefined;
  call_uuid?: string | undefined;
  conference_name?: string | undefined;
  recording_format?: "mp3" | "wav" | undefined;
  recording_id?: string | undefined;
  [key: string]: unknown;
}

const dateTime = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, "must be YYYY-MM-DD HH:MM:SS"),
);

/**
 * Schema of {@link RecordingExport}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { RecordingExportSchema } from "vobiz-kit";
 * const ok = v.safeParse(RecordingExportSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const RecordingExportSchema: v.GenericSchema<RecordingExport> = v.looseObject({
  recipient: v.looseObject({
    customer_account: v.pipe(v.array(EmailSchema), v.minLength(1, "must not be empty")),
  }),
  from: v.optional(dateTime),
  to: v.optional(dateTime),
  from_number: v.optional(E164Schema),
  to_number: v.optional(E164Schema),
  call_uuid: v.optional(token),
  conference_name: v.optional(safeText(255)),
  recording_format: v.optional(v.picklist(["mp3", "wav"])),
  recording_id: v.optional(token),
});

/** `client.recordings`. */
export interface RecordingsResource {
  /**
   * Every recording matching the filters, 100 per request.
   *
   * @example
   * ```ts
   * for await (const rec of vobiz.recordings.list()) console.log(rec.recording_id);
   * ```
   */
  list(
    filters?: RecordingFilters,
    options?: ListOptions,
  ): AsyncGenerator<Recording, void, undefined>;
  /**
   * One page.
   *
   * @example
   * ```ts
   * const { items, total } = await vobiz.recordings.listPage({ limit: 10 });
   * ```
   */
  listPage(
    filters?: RecordingFilters,
    options?: CallOptions,
  ): Promise<Page<Recording, ObjectList<Recording>>>;
  /**
   * One recording.
   *
   * @example
   * ```ts
   * const { recording_url } = await vobiz.recordings.get(recordingId);
   * ```
   */
  get(recordingId: string, options?: CallOptions): Promise<Recording>;
  /**
   * Deletes a recording.
   *
   * @example
   * ```ts
   * await vobiz.recordings.delete(recordingId);
   * ```
   */
  delete(recordingId: string, options?: CallOptions): Promise<Acknowledgement>;
  /**
   * Starts a bulk export; Vobiz e-mails the result. The answer is returned as sent.
   *
   * @example
   * ```ts
   * await vobiz.recordings.export({ recipient: { customer_account: ["ops@example.com"] } });
   * ```
   */
  export(body: RecordingExport, options?: CallOptions): Promise<Acknowledgement>;
}
