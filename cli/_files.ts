/**
 * The JSON files the mock takes from the command line: a fault script (`--faults`) and seed data
 * (`--seed`). Both are checked with valibot, so a typo is a clear {@link UsageError} (exit 2), not
 * a mock that silently ignores it.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import * as v from "valibot";
import type { FaultSpec, MockVobizOptions } from "../testing/mod.ts";
import { UsageError } from "./_args.ts";

const positive = v.pipe(v.number(), v.minValue(0));
const count = v.pipe(v.number(), v.integer(), v.minValue(1));

const faultSchema = v.strictObject({
  method: v.optional(v.string()),
  path: v.pipe(v.string(), v.startsWith("/")),
  times: v.optional(v.union([count, v.literal("always")])),
  status: v.optional(v.pipe(v.number(), v.integer(), v.minValue(100), v.maxValue(599))),
  errorCode: v.optional(v.string()),
  errorShape: v.optional(v.picklist(["envelope", "plivo", "simple", "code"])),
  retryAfter: v.optional(v.union([v.string(), positive])),
  headers: v.optional(v.record(v.string(), v.string())),
  latencyMs: v.optional(positive),
  slowBodyMs: v.optional(positive),
  drop: v.optional(v.picklist(["before", "after"])),
  malformed: v.optional(v.boolean()),
  // A JSON value to answer with (it is serialized), or raw text.
  body: v.optional(v.unknown()),
});

const seedSchema = v.strictObject({
  authId: v.optional(v.pipe(v.string(), v.nonEmpty())),
  authToken: v.optional(v.pipe(v.string(), v.nonEmpty())),
  subAccounts: v.optional(
    v.array(v.strictObject({ authId: v.string(), authToken: v.string() })),
  ),
  balance: v.optional(v.number()),
  numberPrice: v.optional(positive),
  inventory: v.optional(v.array(v.string())),
  cdrCount: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  cpsLimit: v.optional(count),
  concurrentCallsLimit: v.optional(count),
  callDurationMs: v.optional(positive),
  postDialDelayMs: v.optional(positive),
  answerDelayMs: v.optional(positive),
  callMos: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(5))),
  callPacketLoss: v.optional(positive),
  callRatePerMinute: v.optional(positive),
  cdrDelayMs: v.optional(positive),
  recordingCount: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});

/** The plain-data options of the mock a seed file may set. */
export type SeedOptions = Pick<
  MockVobizOptions,
  | "authId"
  | "authToken"
  | "subAccounts"
  | "balance"
  | "numberPrice"
  | "inventory"
  | "cdrCount"
  | "cpsLimit"
  | "concurrentCallsLimit"
  | "callDurationMs"
  | "postDialDelayMs"
  | "answerDelayMs"
  | "callMos"
  | "callPacketLoss"
  | "callRatePerMinute"
  | "cdrDelayMs"
  | "recordingCount"
>;

/**
 * Reads a fault script: a JSON array of faults in the `FaultSpec` form of `vobiz-kit/testing`
 * (`path` is a route template such as `/Account/{auth_id}/Call/`; `times: "always"` for ever;
 * `body` a JSON value or text).
 *
 * @example
 * ```ts
 * const faults = await readFaults("faults.json");
 * for (const fault of faults) mock.fault(fault);
 * ```
 */
export async function readFaults(file: string): Promise<FaultSpec[]> {
  const data = await readJsonFile(file, "--faults");
  const list = Array.isArray(data) ? data : [data];
  return list.map((item, index) => {
    const fault = check(faultSchema, item, `--faults ${file}: fault ${index}`);
    const { times, body, ...rest } = fault;
    const spec: FaultSpec = { ...rest } as FaultSpec;
    if (times !== undefined) spec.times = times === "always" ? Infinity : times;
    if (body !== undefined) spec.body = typeof body === "string" ? body : JSON.stringify(body);
    return spec;
  });
}

/**
 * Reads seed data: a JSON object of the mock's plain-data options (`balance`, `numberPrice`,
 * `inventory`, `cdrCount`, `cpsLimit`, `concurrentCallsLimit`, `callDurationMs`, `postDialDelayMs`,
 * `answerDelayMs`, `callMos`, `callPacketLoss`, `callRatePerMinute`, `cdrDelayMs`,
 * `recordingCount`, `authId`, `authToken`, `subAccounts`).
 *
 * @example
 * ```ts
 * const mock = createMockVobiz(await readSeed("seed.json"));
 * ```
 */
export async function readSeed(file: string): Promise<SeedOptions> {
  const data = await readJsonFile(file, "--seed");
  return check(seedSchema, data, `--seed ${file}`) as SeedOptions;
}

async function readJsonFile(file: string, option: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const reason = (error as { code?: string }).code ?? String(error);
    throw new UsageError(`${option}: cannot read ${file} (${reason})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${option}: ${file} is not valid JSON (${(error as Error).message})`);
  }
}

function check<S extends v.GenericSchema>(
  schema: S,
  data: unknown,
  where: string,
): v.InferOutput<S> {
  const result = v.safeParse(schema, data);
  if (result.success) return result.output;
  const issues = result.issues.map((issue) => {
    const path = v.getDotPath(issue);
    return path === null ? issue.message : `${path}: ${issue.message}`;
  });
  throw new UsageError(`${where}: ${issues.join("; ")}`);
}
