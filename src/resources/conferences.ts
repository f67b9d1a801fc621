/**
 * `client.conferences`: conference rooms in progress. Rooms are created by the `<Conference>`
 * VobizXML verb, not by the API, and an empty list proves nothing (keep your own registry of room
 * names). Names are case-sensitive and URL-encoded in paths. A member is addressed by its id, a
 * comma list of ids, or `all`.
 *
 * @example
 * ```ts
 * for await (const name of vobiz.conferences.list()) console.log(name);
 * await vobiz.conferences.members.mute("standup", "all");
 * await vobiz.conferences.end("standup");
 * ```
 *
 * @module
 */
import * as v from "valibot";
import type { CallOptions } from "../options.ts";
import type { ListOptions, Page } from "../pagination.ts";
import { PublicUrlSchema } from "../validators.ts";
import { type Acknowledgement, answer, HttpMethodSchema } from "./_shared.ts";

/** The room names: `{ api_id, conferences: string[] }` (style H). */
export interface ConferenceNameList {
  conferences: string[];
  api_id?: string | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link ConferenceNameList}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { ConferenceNameListSchema } from "vobiz-kit";
 * const parsed = v.parse(ConferenceNameListSchema, await response.json());
 * ```
 */
export const ConferenceNameListSchema: v.GenericSchema<unknown, ConferenceNameList> = answer(
  "!conferences:A api_id",
  { A: v.array(v.string()) },
);

/** A conference room in progress. */
export interface Conference {
  conference_name: string;
  conference_run_time?: string | number | null | undefined;
  conference_member_count?: string | number | null | undefined;
  members?: Record<string, unknown>[] | null | undefined;
  api_id?: string | null | undefined;
  [key: string]: unknown;
}

/** Body of `conferences.record`. */
export interface ConferenceRecord {
  file_format?: "mp3" | "wav" | undefined;
  callback_url?: string | undefined;
  callback_method?: "GET" | "POST" | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link ConferenceRecord}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { ConferenceRecordSchema } from "vobiz-kit";
 * const ok = v.safeParse(ConferenceRecordSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const ConferenceRecordSchema: v.GenericSchema<ConferenceRecord> = v.looseObject({
  file_format: v.optional(v.picklist(["mp3", "wav"])),
  callback_url: v.optional(PublicUrlSchema),
  callback_method: v.optional(HttpMethodSchema),
});

/**
 * A room name: 1–255 characters, not `.` or `..`, no control characters.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { ConferenceNameSchema } from "vobiz-kit";
 * const ok = v.safeParse(ConferenceNameSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const ConferenceNameSchema: v.GenericSchema<string> = v.pipe(
  v.string(),
  v.nonEmpty("must not be empty"),
  v.maxLength(255, "must be at most 255 characters"),
  // deno-lint-ignore no-control-regex
  v.regex(/^[^\u0000-\u001f\u007f]+$/, "must not contain control characters"),
  v.check((name) => name !== "." && name !== "..", "must not be . or .."),
);

/**
 * A member: an id, a comma list of ids, or `all`.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { MemberIdSchema } from "vobiz-kit";
 * const ok = v.safeParse(MemberIdSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const MemberIdSchema: v.GenericSchema<string | number> = v.union([
  v.pipe(
    v.string(),
    v.regex(/^(all|[A-Za-z0-9-]+(,[A-Za-z0-9-]+)*)$/, "must be a member id, a comma list, or all"),
  ),
  v.pipe(v.number(), v.integer("must be an integer"), v.minValue(0, "must not be negative")),
]);

/** An in-room action's answer, as sent (`{ api_id, message }` or empty). */
export type ConferenceActionResult = Record<string, unknown> | undefined;

/** `client.conferences.members`: act on members of a room. */
export interface ConferenceMembers {
  /**
   * Hangs up member(s).
   *
   * @example
   * ```ts
   * await vobiz.conferences.members.hangup("standup", 12);
   * ```
   */
  hangup(name: string, memberId: string | number, options?: CallOptions): Promise<Acknowledgement>;
  /**
   * Kicks member(s) out of the room.
   *
   * @example
   * ```ts
   * await vobiz.conferences.members.kick("standup", "12,13");
   * ```
   */
  kick(name: string, memberId: string | number, options?: CallOptions): Promise<Acknowledgement>;
  /**
   * Mutes member(s).
   *
   * @example
   * ```ts
   * await vobiz.conferences.members.mute("standup", "all");
   * ```
   */
  mute(name: string, memberId: string | number, options?: CallOptions): Promise<Acknowledgement>;
  /**
   * Unmutes member(s).
   *
   * @example
   * ```ts
   * await vobiz.conferences.members.unmute("standup", "all");
   * ```
   */
  unmute(name: string, memberId: string | number, options?: CallOptions): Promise<Acknowledgement>;
  /**
   * Makes member(s) deaf (they stop hearing the room).
   *
   * @example
   * ```ts
   * await vobiz.conferences.members.deaf("standup", 12);
   * ```
   */
  deaf(name: string, memberId: string | number, options?: CallOptions): Promise<Acknowledgement>;
  /**
   * Lets member(s) hear the room again.
   *
   * @example
   * ```ts
   * await vobiz.conferences.members.undeaf("standup", 12);
   * ```
   */
  undeaf(name: string, memberId: string | number, options?: CallOptions): Promise<Acknowledgement>;
  /**
   * Plays an audio URL to member(s).
   *
   * @example
   * ```ts
   * await vobiz.conferences.members.play("standup", "all", { url: "https://cdn.example.com/beep.mp3" });
   * ```
   */
  play(
    name: string,
    memberId: string | number,
    body: { url: string },
    options?: CallOptions,
  ): Promise<Acknowledgement>;
  /**
   * Stops playing to member(s).
   *
   * @example
   * ```ts
   * await vobiz.conferences.members.stopPlay("standup", "all");
   * ```
   */
  stopPlay(
    name: string,
    memberId: string | number,
    options?: CallOptions,
  ): Promise<Acknowledgement>;
}

/** `client.conferences`. */
export interface ConferencesResource {
  /**
   * The names of the rooms in progress.
   *
   * @example
   * ```ts
   * for await (const name of vobiz.conferences.list()) console.log(name);
   * ```
   */
  list(
    filters?: Record<string, never>,
    options?: ListOptions,
  ): AsyncGenerator<string, void, undefined>;
  /**
   * The names, as one page (`page.body.api_id` holds the request id).
   *
   * @example
   * ```ts
   * const { items } = await vobiz.conferences.listPage();
   * ```
   */
  listPage(
    filters?: Record<string, never>,
    options?: CallOptions,
  ): Promise<Page<string, ConferenceNameList>>;
  /**
   * One room with its members. The API may answer 200 with an error object for a room that does
   * not exist; that becomes a `VobizHttpError` (status 200, the error in `body`).
   *
   * @example
   * ```ts
   * const room = await vobiz.conferences.get("standup");
   * ```
   */
  get(name: string, options?: CallOptions): Promise<Conference>;
  /**
   * Ends a room.
   *
   * @example
   * ```ts
   * await vobiz.conferences.end("standup");
   * ```
   */
  end(name: string, options?: CallOptions): Promise<Acknowledgement>;
  /**
   * Ends every room.
   *
   * @example
   * ```ts
   * await vobiz.conferences.endAll();
   * ```
   */
  endAll(options?: CallOptions): Promise<Acknowledgement>;
  /**
   * Starts recording a room (the answer has no recording id; it arrives on `callback_url`).
   *
   * @example
   * ```ts
   * await vobiz.conferences.record("standup", { file_format: "mp3" });
   * ```
   */
  record(name: string, body?: ConferenceRecord, options?: CallOptions): Promise<Acknowledgement>;
  /**
   * Stops recording a room.
   *
   * @example
   * ```ts
   * await vobiz.conferences.stopRecord("standup");
   * ```
   */
  stopRecord(name: string, options?: CallOptions): Promise<Acknowledgement>;
  /** Member actions. */
  readonly members: ConferenceMembers;
}
