// The state checks that settle an unknown outcome, and the one way to tell that a failed attempt
// never left the machine.
import type { Reconciler } from "../idempotency.ts";
import { isRecord as isObject } from "../../src/_internal/option_checks.ts";

type Json = Record<string, unknown>;

// The fields of a purchase answer (vobiz-api.md §3.8 `PurchasedNumber`), taken from the owned item.
const purchaseFields = [
  "id",
  "auth_id",
  "e164",
  "country",
  "region",
  "status",
  "provider",
  "setup_fee",
  "monthly_fee",
  "currency",
  "purchased_at",
  "created_at",
  "updated_at",
];

/**
 * A number purchase took effect exactly when the number is among the account's numbers. The check
 * is conclusive: a number can be bought once, so a late duplicate can only fail with a conflict.
 */
export const numberPurchaseCheck: Reconciler = {
  method: "POST",
  path: /\/Account\/[^/]+\/numbers\/purchase-from-inventory$/,
  async check({ body, request }) {
    const e164 = isObject(body) ? body["e164"] : undefined;
    if (typeof e164 !== "string") {
      return { outcome: "unknown", checked: "the purchase had no e164 to look for" };
    }
    const checked = `GET /Account/{auth_id}/numbers?search=${e164}`;
    const page = await request("GET", "/Account/{auth_id}/numbers", {
      searchParams: { search: e164, per_page: 100 },
    });
    const items = isObject(page) && Array.isArray(page["items"]) ? page["items"] : [];
    const owned = items.find((item): item is Json => isObject(item) && item["e164"] === e164);
    if (owned === undefined) {
      return { outcome: "not-performed", checked: `${checked}: not among the account's numbers` };
    }
    const result: Json = {};
    for (const name of purchaseFields) if (name in owned) result[name] = owned[name];
    return { outcome: "performed", checked: `${checked}: owned by the account`, result };
  },
};

// Failures that happen before a single byte is sent: no connection was made (Node/undici codes,
// Deno and Bun messages). Anything else may have reached the server.
const neverConnected =
  /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|ConnectionRefused|connection refused|dns error|failed to lookup/i;

/** True when a transport error proves that the request never reached the server. */
export function neverSent(error: unknown): boolean {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; depth++) {
    parts.push(e.message, String((e as { code?: unknown }).code ?? ""));
    e = e.cause;
  }
  return neverConnected.test(parts.join(" "));
}
