/**
 * A Worker that exercises a representative set of resource methods inside workerd, against the
 * mock API on loopback (VOBIZ_BASE_URL). One scenario per path; each answers JSON with what the
 * client returned, so the test can assert exact results and what the mock received:
 *
 * - `/account`: `account.get`, `balance.get`
 * - `/trunks`: `trunks.create` ×5, `trunks.list` iterated over pages of 2, `get`, `delete`
 * - `/numbers`: `numbers.searchInventory` (iterated), `purchase`, `release` (`+` sent as `%2B`)
 * - `/cdrs/list`: `cdrs.list` over a date range, `break` after 150 CDRs
 * - `/cdrs/export`: `cdrs.export` as a stream, read chunk by chunk to its end inside the Worker
 * - `/calls`: `calls.create`, `calls.get`, `calls.hangup`
 * - `/validation`: bad input to several methods, rejected before any request
 * - `/webhook/verify`: `verifyVoiceSignature` of the incoming request (nonces kept per isolate)
 * - `/webhook/sign`: `signVoiceCallback` made inside workerd, for the test to verify on Node
 *
 * @module
 */
import {
  createClient,
  isVobizError,
  memoryStore,
  signVoiceCallback,
  verifyVoiceSignature,
  type VobizClient,
  VobizValidationError,
} from "../../mod.ts";

/** The bindings this Worker expects. */
export interface Env {
  VOBIZ_AUTH_ID: string;
  VOBIZ_AUTH_TOKEN: string;
  VOBIZ_BASE_URL: string;
}

const RANGE = { start_date: "2026-11-01", end_date: "2026-11-26" };
const CALL = {
  from: "+918000000001",
  to: "+919876543210",
  answer_url: "https://app.example.com/answer.xml",
};

// Module scope lives as long as the isolate: a replayed callback is caught across requests.
const nonces = memoryStore({ maxEntries: 1000 });

type Scenario = (vobiz: VobizClient, request: Request, env: Env) => Promise<unknown>;

const scenarios: Record<string, Scenario> = {
  async "/account"(vobiz) {
    const account = await vobiz.account.get();
    const balance = await vobiz.balance.get();
    return { authId: account.auth_id, balance: balance.balance, currency: balance.currency };
  },

  async "/trunks"(vobiz) {
    const created = [];
    for (let i = 1; i <= 5; i++) created.push(await vobiz.trunks.create({ name: `trunk ${i}` }));
    const listed: string[] = [];
    for await (const trunk of vobiz.trunks.list({ limit: 2 })) listed.push(trunk.name ?? "");
    const first = created[0]!;
    const got = await vobiz.trunks.get(first.trunk_id);
    const deleted = await vobiz.trunks.delete(first.trunk_id);
    const after: string[] = [];
    for await (const trunk of vobiz.trunks.list()) after.push(trunk.name ?? "");
    return {
      ids: created.map((trunk) => trunk.trunk_id),
      listed,
      got: { id: got.trunk_id, name: got.name },
      deleted: deleted ?? null,
      after,
    };
  },

  async "/numbers"(vobiz) {
    const available: string[] = [];
    for await (const number of vobiz.numbers.searchInventory({ country: "IN", per_page: 3 })) {
      available.push(number.e164);
      if (available.length === 5) break;
    }
    const bought = await vobiz.numbers.purchase({ e164: available[0]! });
    const released = await vobiz.numbers.release(bought.e164);
    return {
      available,
      bought: { e164: bought.e164, status: bought.status },
      released: { status: released.status, cooldownEndsAt: released.cooldown_ends_at },
    };
  },

  async "/cdrs/list"(vobiz) {
    const uuids = new Set<string>();
    for await (const cdr of vobiz.cdrs.list(RANGE)) {
      uuids.add(cdr.uuid);
      if (uuids.size === 150) break;
    }
    return { count: uuids.size };
  },

  async "/cdrs/export"(vobiz) {
    const stream = await vobiz.cdrs.export({ ...RANGE, call_direction: "outbound" });
    const isStream = stream instanceof ReadableStream;
    const decoder = new TextDecoder();
    let csv = "";
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      csv += decoder.decode(chunk, { stream: true });
    }
    csv += decoder.decode();
    return { isStream, readChunks: chunks > 0, csv };
  },

  async "/calls"(vobiz) {
    const created = await vobiz.calls.create(CALL);
    const live = await vobiz.calls.get(created.request_uuid);
    const hungUp = await vobiz.calls.hangup(created.request_uuid);
    const stillLive = await vobiz.calls.listLive();
    return {
      uuid: created.request_uuid,
      message: created.message,
      live: { uuid: live.call_uuid, from: live.from, to: live.to },
      hungUp: hungUp ?? null,
      stillLive: stillLive.items,
    };
  },

  async "/validation"(vobiz) {
    const attempts: Array<[string, () => Promise<unknown>]> = [
      ["trunks.create", () => vobiz.trunks.create({ name: "" })],
      ["numbers.purchase", () => vobiz.numbers.purchase({ e164: "918000000001" })],
      ["numbers.release", () => vobiz.numbers.release("8000000001")],
      [
        "calls.create",
        () => vobiz.calls.create({ ...CALL, answer_url: "http://169.254.169.254/" }),
      ],
      ["cdrs.list", async () => {
        for await (const _cdr of vobiz.cdrs.list({ start_date: "2026-11-01" })) break;
      }],
    ];
    const results: Record<string, unknown> = {};
    for (const [name, attempt] of attempts) {
      try {
        await attempt();
        results[name] = "resolved";
      } catch (error) {
        results[name] = error instanceof VobizValidationError
          ? { code: error.code, paths: error.issues.map((issue) => issue.path) }
          : String(error);
      }
    }
    return results;
  },

  async "/webhook/verify"(_vobiz, request, env) {
    return await verifyVoiceSignature({
      url: request.url,
      headers: request.headers,
      authToken: env.VOBIZ_AUTH_TOKEN,
      nonceStore: nonces,
    });
  },

  async "/webhook/sign"(_vobiz, request, env) {
    const url = new URL(request.url).searchParams.get("url") ?? "";
    return await signVoiceCallback({ url, authToken: env.VOBIZ_AUTH_TOKEN });
  },
};

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const scenario = scenarios[new URL(request.url).pathname];
    if (scenario === undefined) return new Response("no such scenario", { status: 404 });
    // One client per request keeps every promise and stream inside the request that created it.
    const vobiz = createClient({
      env: env as unknown as Record<string, unknown>,
      baseUrl: env.VOBIZ_BASE_URL,
      allowInsecureLoopback: true,
    });
    try {
      return Response.json(await scenario(vobiz, request, env));
    } catch (error) {
      const code = isVobizError(error) ? error.code : "UNEXPECTED";
      return Response.json({ error: code, message: String(error) }, { status: 502 });
    }
  },
};
