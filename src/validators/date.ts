/**
 * Calendar dates (`YYYY-MM-DD`) and `start_date`/`end_date` ranges, as CDR filters take them.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { DateRangeSchema } from "vobiz-kit";
 * v.parse(DateRangeSchema, { start_date: "2026-11-01", end_date: "2026-11-26" });
 * ```
 *
 * @module
 */
import * as v from "valibot";

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `text` is `YYYY-MM-DD` naming a real day of the proleptic Gregorian calendar. */
function isCalendarDate(text: string): boolean {
  const match = isoDate.exec(text);
  if (match === null) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

/**
 * A date as `YYYY-MM-DD` that exists on the calendar (`2026-02-29` is rejected, `2028-02-29`
 * accepted). No time part, no time zone: Vobiz reads CDR dates as whole UTC days.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { DateSchema } from "vobiz-kit";
 * v.safeParse(DateSchema, "2026-11-26").success; // true
 * v.safeParse(DateSchema, "2026-11-31").success; // false
 * ```
 */
export const DateSchema: v.GenericSchema<string> = v.pipe(
  v.string(),
  v.check(isCalendarDate, "must be a real calendar date written YYYY-MM-DD"),
);

/** The two fields {@link dateRange} checks. */
export interface DateRangeFields {
  /** First day, `YYYY-MM-DD`, inclusive. */
  start_date?: string | undefined;
  /** Last day, `YYYY-MM-DD`, inclusive. */
  end_date?: string | undefined;
}

/**
 * Adds the date-range rules to an object schema that has optional `start_date` and `end_date`:
 * both or neither (Vobiz requires them together), and `start_date` ≤ `end_date`. The issues point
 * at the field to fix. The checks run even when other fields of the object have issues.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { DateSchema, dateRange } from "vobiz-kit";
 * const CdrFilters = dateRange(v.object({
 *   start_date: v.optional(DateSchema),
 *   end_date: v.optional(DateSchema),
 *   from_number: v.optional(v.string()),
 * }));
 * v.safeParse(CdrFilters, { start_date: "2026-11-01" }).success; // false: end_date missing
 * ```
 */
export function dateRange<TSchema extends v.GenericSchema<unknown, DateRangeFields>>(
  schema: TSchema,
): v.SchemaWithPipe<
  readonly [TSchema, v.GenericValidation<v.InferOutput<TSchema>, v.InferOutput<TSchema>>]
> {
  const check = v.rawCheck<DateRangeFields>(({ dataset, addIssue }) => {
    if (typeof dataset.value !== "object" || dataset.value === null) return;
    const value = dataset.value as Record<string, unknown>;
    const bad = new Set((dataset.issues ?? []).map((issue) => issue.path?.[0]?.key));
    // A field with its own issue is already reported; judge the range only from clean fields.
    if (bad.has("start_date") || bad.has("end_date")) return;
    const { start_date: start, end_date: end } = value;
    const at = (key: "start_date" | "end_date"): [v.ObjectPathItem] => [
      { type: "object", origin: "value", input: value, key, value: value[key] },
    ];
    if (start !== undefined && end === undefined) {
      addIssue({ message: "end_date is required with start_date", path: at("end_date") });
    } else if (start === undefined && end !== undefined) {
      addIssue({ message: "start_date is required with end_date", path: at("start_date") });
    } else if (typeof start === "string" && typeof end === "string" && start > end) {
      addIssue({
        message: `end_date must not be before start_date (${start})`,
        path: at("end_date"),
      });
    }
  });
  return v.pipe(schema, check as v.GenericValidation<v.InferOutput<TSchema>>) as v.SchemaWithPipe<
    readonly [TSchema, v.GenericValidation<v.InferOutput<TSchema>, v.InferOutput<TSchema>>]
  >;
}

/**
 * A standalone `{ start_date?, end_date? }` range (other keys are kept as they are), with the
 * rules of {@link dateRange}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { DateRangeSchema } from "vobiz-kit";
 * v.safeParse(DateRangeSchema, { start_date: "2026-11-26", end_date: "2026-11-01" }).success;
 * // false: the range is reversed
 * ```
 */
export const DateRangeSchema: v.GenericSchema<DateRangeFields> = dateRange(
  v.looseObject({ start_date: v.optional(DateSchema), end_date: v.optional(DateSchema) }),
);
