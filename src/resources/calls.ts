/**
 * `client.calls`: place calls, list and read live or queued ones, hang up, and act on a call in
 * progress (play audio, speak, send DTMF, record, stream audio). Making a call costs money and is
 * marked `paid`, so no plugin re-sends it blindly.
 *
 * @example
 * ```ts
 * const { request_uuid } = await vobiz.calls.create({
 *   from: "+918000000001",
 *   to: "+919876543210",
 *   answer_url: "https://app.example.com/answer.xml",
 * });
 * await vobiz.calls.speak(request_uuid, { text: "Hello from Vobiz" });
 * await vobiz.calls.hangup(request_uuid);
 * ```
 *
 * @module
 */
import * as v from "valibot";
import type { CallOptions } from "../options.ts";
import type { Page } from "../pagination.ts";
import { E164Schema, PublicUrlSchema, safeText } from "../validators.ts";
import {
  type Acknowledgement,
  answer,
  HttpMethodSchema,
  intRange,
  PublicWssUrlSchema,
} from "./_shared.ts";

/** Body of `calls.create`. Callback URLs must be public http(s) URLs of at most 500 characters. */
export interface CallCreate {
  /** Caller ID, E.164 with its `+`. */
  from: string;
  /** E.164 number or SIP URI; up to 1000 destinations joined with `<`. */
  to: string;
  /** URL returning the VobizXML that drives the call. */
  answer_url: string;
  answer_method?: "GET" | "POST" | undefined;
  ring_url?: string | undefined;
  ring_method?: "GET" | "POST" | undefined;
  hangup_url?: string | undefined;
  hangup_method?: "GET" | "POST" | undefined;
  fallback_url?: string | undefined;
  fallback_method?: "GET" | "POST" | undefined;
  /** `true` or `hangup`. */
  machine_detection?: "true" | "hangup" | true | undefined;
  /** 2000–10000 ms. */
  machine_detection_time?: number | undefined;
  machine_detection_url?: string | undefined;
  machine_detection_method?: "GET" | "POST" | undefined;
  /** 1000–6000 ms. */
  machine_detection_maximum_speech_length?: number | undefined;
  /** 2000–10000 ms. */
  machine_detection_initial_silence?: number | undefined;
  /** 2–10. */
  machine_detection_maximum_words?: number | undefined;
  /** 1000–5000 ms. */
  machine_detection_initial_greeting?: number | undefined;
  caller_name?: string | undefined;
  /** Seconds. */
  time_limit?: number | undefined;
  [key: string]: unknown;
}

const sipUri = /^sips?:[^\s<>"]+@[^\s<>"]+$/i;
const destinations = v.pipe(
  v.string(),
  v.check((to) => to.split("<").length <= 1000, "must have at most 1000 destinations"),
  v.check(
    (to) => to.split("<").every((one) => v.is(E164Schema, one) || sipUri.test(one)),
    "each destination must be an E.164 number (+919876543210) or a SIP URI (sip:user@host)",
  ),
);

/**
 * Schema of {@link CallCreate}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { CallCreateSchema } from "vobiz-kit";
 * const ok = v.safeParse(CallCreateSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const CallCreateSchema: v.GenericSchema<CallCreate> = v.looseObject({
  from: E164Schema,
  to: destinations,
  answer_url: PublicUrlSchema,
  answer_method: v.optional(HttpMethodSchema),
  ring_url: v.optional(PublicUrlSchema),
  ring_method: v.optional(HttpMethodSchema),
  hangup_url: v.optional(PublicUrlSchema),
  hangup_method: v.optional(HttpMethodSchema),
  fallback_url: v.optional(PublicUrlSchema),
  fallback_method: v.optional(HttpMethodSchema),
  machine_detection: v.optional(v.union([v.picklist(["true", "hangup"]), v.literal(true)])),
  machine_detection_time: v.optional(intRange(2000, 10000)),
  machine_detection_url: v.optional(PublicUrlSchema),
  machine_detection_method: v.optional(HttpMethodSchema),
  machine_detection_maximum_speech_length: v.optional(intRange(1000, 6000)),
  machine_detection_initial_silence: v.optional(intRange(2000, 10000)),
  machine_detection_maximum_words: v.optional(intRange(2, 10)),
  machine_detection_initial_greeting: v.optional(intRange(1000, 5000)),
  caller_name: v.optional(safeText(100)),
  time_limit: v.optional(intRange(1, 86_400)),
});

/** The answer of `calls.create`: `request_uuid` is the call's UUID. */
export interface CallCreated {
  request_uuid: string;
  message?: string | null | undefined;
  api_id?: string | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link CallCreated}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { CallCreatedSchema } from "vobiz-kit";
 * const parsed = v.parse(CallCreatedSchema, await response.json());
 * ```
 */
export const CallCreatedSchema: v.GenericSchema<unknown, CallCreated> = answer(
  "!request_uuid message api_id",
);

/** A live or queued call. */
export interface LiveCall {
  call_uuid: string;
  call_status?: string | null | undefined;
  direction?: string | null | undefined;
  from?: string | null | undefined;
  to?: string | null | undefined;
  caller_name?: string | null | undefined;
  request_uuid?: string | null | undefined;
  session_start?: string | null | undefined;
  api_id?: string | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link LiveCall}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { LiveCallSchema } from "vobiz-kit";
 * const parsed = v.parse(LiveCallSchema, await response.json());
 * ```
 */
export const LiveCallSchema: v.GenericSchema<unknown, LiveCall> = answer(
  "!call_uuid call_status direction from to caller_name request_uuid session_start api_id",
);

/** The live or queued calls: `{ api_id, calls: uuid[] }` (style H; queued at most 20). */
export interface CallUuidList {
  calls: string[];
  api_id?: string | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link CallUuidList}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { CallUuidListSchema } from "vobiz-kit";
 * const parsed = v.parse(CallUuidListSchema, await response.json());
 * ```
 */
export const CallUuidListSchema: v.GenericSchema<unknown, CallUuidList> = answer(
  "!calls:A api_id",
  { A: v.array(v.string()) },
);

const legs = v.picklist(["aleg", "bleg", "both"]);

/** Body of `calls.play`. */
export interface CallPlay {
  /** Audio URL(s); several are sent comma-separated. */
  urls: string | string[];
  legs?: "aleg" | "bleg" | "both" | undefined;
  loop?: boolean | undefined;
  /** Seconds. */
  length?: number | undefined;
  mix?: boolean | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link CallPlay}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { CallPlaySchema } from "vobiz-kit";
 * const ok = v.safeParse(CallPlaySchema, input).success; // reuse the rule in your own form
 * ```
 */
export const CallPlaySchema: v.GenericSchema<CallPlay, CallPlay & { urls: string }> = v.looseObject(
  {
    urls: v.pipe(
      v.union([
        PublicUrlSchema,
        v.pipe(v.array(PublicUrlSchema), v.minLength(1, "must not be empty")),
      ]),
      v.transform((urls) => (Array.isArray(urls) ? urls.join(",") : urls)),
    ),
    legs: v.optional(legs),
    loop: v.optional(v.boolean()),
    length: v.optional(intRange(1, 86_400)),
    mix: v.optional(v.boolean()),
  },
);

/** Body of `calls.speak`. */
export interface CallSpeak {
  /** Text to speak (at most 3000 characters). */
  text: string;
  /** `WOMAN` or `MAN`. */
  voice?: "WOMAN" | "MAN" | undefined;
  /** e.g. `en-US`, `hi-IN`. */
  language?: string | undefined;
  legs?: "aleg" | "bleg" | "both" | undefined;
  loop?: boolean | undefined;
  mix?: boolean | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link CallSpeak}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { CallSpeakSchema } from "vobiz-kit";
 * const ok = v.safeParse(CallSpeakSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const CallSpeakSchema: v.GenericSchema<CallSpeak> = v.looseObject({
  text: v.pipe(
    v.string(),
    v.nonEmpty("must not be empty"),
    v.maxLength(3000, "must be at most 3000 characters"),
  ),
  voice: v.optional(v.picklist(["WOMAN", "MAN"])),
  language: v.optional(
    v.pipe(v.string(), v.regex(/^[a-z]{2,3}-[A-Z]{2}$/, "must be a language tag such as en-US")),
  ),
  legs: v.optional(legs),
  loop: v.optional(v.boolean()),
  mix: v.optional(v.boolean()),
});

/** Body of `calls.dtmf`. Note `leg` is singular here. */
export interface CallDtmf {
  /** `0-9`, `*`, `#`, `A-D`; `w` pauses 0.5 s, `W` 1 s. */
  digits: string;
  leg?: "aleg" | "bleg" | "both" | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link CallDtmf}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { CallDtmfSchema } from "vobiz-kit";
 * const ok = v.safeParse(CallDtmfSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const CallDtmfSchema: v.GenericSchema<CallDtmf> = v.looseObject({
  digits: v.pipe(
    v.string(),
    v.regex(/^[0-9*#A-DwW]{1,100}$/, "must be DTMF digits (0-9 * # A-D, w/W pauses)"),
  ),
  leg: v.optional(legs),
});

/** Body of `calls.record`. */
export interface CallRecord {
  /** Seconds. */
  time_limit?: number | undefined;
  file_format?: "mp3" | "wav" | undefined;
  /** `auto` turns transcription on. */
  transcription_type?: string | undefined;
  callback_url?: string | undefined;
  callback_method?: "GET" | "POST" | undefined;
  record_channel_type?: "mono" | "stereo" | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link CallRecord}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { CallRecordSchema } from "vobiz-kit";
 * const ok = v.safeParse(CallRecordSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const CallRecordSchema: v.GenericSchema<CallRecord> = v.looseObject({
  time_limit: v.optional(intRange(1, 86_400)),
  file_format: v.optional(v.picklist(["mp3", "wav"])),
  transcription_type: v.optional(
    v.pipe(v.string(), v.regex(/^[a-z_]+$/, "must be a transcription type such as auto")),
  ),
  callback_url: v.optional(PublicUrlSchema),
  callback_method: v.optional(HttpMethodSchema),
  record_channel_type: v.optional(v.picklist(["mono", "stereo"])),
});

/** Body of `calls.streams.start`. */
export interface StreamStart {
  /** A public `wss://` URL. */
  service_url: string;
  bidirectional?: boolean | undefined;
  audio_track?: "inbound" | "outbound" | "both" | undefined;
  /** e.g. `audio/x-l16;rate=8000`. */
  content_type?: string | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link StreamStart}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { StreamStartSchema } from "vobiz-kit";
 * const ok = v.safeParse(StreamStartSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const StreamStartSchema: v.GenericSchema<StreamStart> = v.looseObject({
  service_url: PublicWssUrlSchema,
  bidirectional: v.optional(v.boolean()),
  audio_track: v.optional(v.picklist(["inbound", "outbound", "both"])),
  content_type: v.optional(
    v.pipe(v.string(), v.regex(/^[\w.+-]+\/[\w.+-]+(;[\w.+-]+=[\w.+-]+)*$/, "must be a MIME type")),
  ),
});

/** An answer of the in-call actions and streams, as sent (`{ api_id, message, stream_id? }`). */
export type CallActionResult = Record<string, unknown> | undefined;

/** `client.calls.streams`: audio streams of a call. */
export interface CallStreams {
  /**
   * Starts streaming the call's audio to a WebSocket server; the answer has `stream_id`.
   *
   * @example
   * ```ts
   * const started = await vobiz.calls.streams.start(uuid, { service_url: "wss://ai.example.com/s" });
   * ```
   */
  start(callUuid: string, body: StreamStart, options?: CallOptions): Promise<CallActionResult>;
  /**
   * The call's streams, as sent.
   *
   * @example
   * ```ts
   * const streams = await vobiz.calls.streams.list(uuid);
   * ```
   */
  list(callUuid: string, options?: CallOptions): Promise<CallActionResult>;
  /**
   * One stream.
   *
   * @example
   * ```ts
   * const stream = await vobiz.calls.streams.get(uuid, streamId);
   * ```
   */
  get(callUuid: string, streamId: string, options?: CallOptions): Promise<CallActionResult>;
  /**
   * Stops one stream.
   *
   * @example
   * ```ts
   * await vobiz.calls.streams.stop(uuid, streamId);
   * ```
   */
  stop(callUuid: string, streamId: string, options?: CallOptions): Promise<Acknowledgement>;
  /**
   * Stops every stream of the call.
   *
   * @example
   * ```ts
   * await vobiz.calls.streams.stopAll(uuid);
   * ```
   */
  stopAll(callUuid: string, options?: CallOptions): Promise<Acknowledgement>;
}

/** `client.calls`. */
export interface CallsResource {
  /**
   * Places a call (`POST /Account/{auth_id}/Call/`). A paid write: plugins never re-send it
   * blindly; 402 means insufficient balance, 429 the CPS or concurrency limit.
   *
   * @example
   * ```ts
   * const { request_uuid } = await vobiz.calls.create({
   *   from: "+918000000001",
   *   to: "+919876543210",
   *   answer_url: "https://app.example.com/answer.xml",
   * });
   * ```
   */
  create(body: CallCreate, options?: CallOptions): Promise<CallCreated>;
  /**
   * UUIDs of the live calls (`GET …/Call?status=live`); one page, `items` are the UUIDs.
   *
   * @example
   * ```ts
   * const { items } = await vobiz.calls.listLive();
   * ```
   */
  listLive(options?: CallOptions): Promise<Page<string, CallUuidList>>;
  /**
   * UUIDs of the queued calls (`GET …/Call/?status=queued`, at most 20).
   *
   * @example
   * ```ts
   * const { items } = await vobiz.calls.listQueued();
   * ```
   */
  listQueued(options?: CallOptions): Promise<Page<string, CallUuidList>>;
  /**
   * A live call (`GET …/Call/{uuid}?status=live`; 404 once it has ended, see `cdrs.get`).
   *
   * @example
   * ```ts
   * const call = await vobiz.calls.get(uuid);
   * ```
   */
  get(callUuid: string, options?: CallOptions): Promise<LiveCall>;
  /**
   * A queued call (`GET …/Call/{uuid}/?status=queued`).
   *
   * @example
   * ```ts
   * const call = await vobiz.calls.getQueued(uuid);
   * ```
   */
  getQueued(callUuid: string, options?: CallOptions): Promise<LiveCall>;
  /**
   * Hangs up a call (404 means it had already ended).
   *
   * @example
   * ```ts
   * await vobiz.calls.hangup(uuid);
   * ```
   */
  hangup(callUuid: string, options?: CallOptions): Promise<Acknowledgement>;
  /**
   * Plays audio into the call.
   *
   * @example
   * ```ts
   * await vobiz.calls.play(uuid, { urls: "https://cdn.example.com/hold.mp3", loop: true });
   * ```
   */
  play(callUuid: string, body: CallPlay, options?: CallOptions): Promise<CallActionResult>;
  /**
   * Stops playing audio.
   *
   * @example
   * ```ts
   * await vobiz.calls.stopPlay(uuid);
   * ```
   */
  stopPlay(callUuid: string, options?: CallOptions): Promise<Acknowledgement>;
  /**
   * Speaks text into the call.
   *
   * @example
   * ```ts
   * await vobiz.calls.speak(uuid, { text: "Your order has shipped", language: "en-US" });
   * ```
   */
  speak(callUuid: string, body: CallSpeak, options?: CallOptions): Promise<CallActionResult>;
  /**
   * Stops speaking.
   *
   * @example
   * ```ts
   * await vobiz.calls.stopSpeak(uuid);
   * ```
   */
  stopSpeak(callUuid: string, options?: CallOptions): Promise<Acknowledgement>;
  /**
   * Sends DTMF digits.
   *
   * @example
   * ```ts
   * await vobiz.calls.dtmf(uuid, { digits: "1w2#" });
   * ```
   */
  dtmf(callUuid: string, body: CallDtmf, options?: CallOptions): Promise<CallActionResult>;
  /**
   * Starts recording the call.
   *
   * @example
   * ```ts
   * await vobiz.calls.record(uuid, { file_format: "mp3", callback_url: "https://app.example.com/rec" });
   * ```
   */
  record(callUuid: string, body?: CallRecord, options?: CallOptions): Promise<CallActionResult>;
  /**
   * Stops recording.
   *
   * @example
   * ```ts
   * await vobiz.calls.stopRecord(uuid);
   * ```
   */
  stopRecord(callUuid: string, options?: CallOptions): Promise<Acknowledgement>;
  /** Audio streams of a call. */
  readonly streams: CallStreams;
}
