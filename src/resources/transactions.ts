/**
 * `client.transactions`: the account's ledger (debits and credits), paged with `limit`/`offset`
 * (style F: the answer reports `page`/`total_pages`).
 *
 * @example
 * ```ts
 * for await (const entry of vobiz.transactions.list()) {
 *   console.log(entry.type, entry.amount, entry.currency, entry.description);
 * }
 * ```
 *
 * @module
 */
import * as v from "valibot";
import type { CallOptions } from "../options.ts";
import type { ListOptions, Page } from "../pagination.ts";
import { perPage } from "../validators.ts";
import { type Amount, answer, CountSchema } from "./_shared.ts";

/** A ledger entry (`amount` exactly as sent). */
export interface Transaction {
  id: string | number;
  type?: string | null | undefined;
  amount?: Amount | null | undefined;
  currency?: string | null | undefined;
  description?: string | null | undefined;
  reference?: string | null | undefined;
  reference_type?: string | null | undefined;
  status?: string | null | undefined;
  processed_at?: string | null | undefined;
  created_at?: string | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link Transaction}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { TransactionSchema } from "vobiz-kit";
 * const parsed = v.parse(TransactionSchema, await response.json());
 * ```
 */
export const TransactionSchema: v.GenericSchema<unknown, Transaction> = answer(
  "!id:i type amount:a currency description reference reference_type status processed_at created_at",
);

/** One page of transactions: `{ transactions[], summary, total, page, per_page, total_pages }`. */
export interface TransactionList {
  transactions: Transaction[];
  summary?: Record<string, unknown> | null | undefined;
  total?: number | null | undefined;
  page?: number | null | undefined;
  per_page?: number | null | undefined;
  total_pages?: number | null | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link TransactionList}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { TransactionListSchema } from "vobiz-kit";
 * const parsed = v.parse(TransactionListSchema, await response.json());
 * ```
 */
export const TransactionListSchema: v.GenericSchema<unknown, TransactionList> = answer(
  "!transactions:A summary:o total:n page:n per_page:n total_pages:n",
  { A: v.array(TransactionSchema) },
);

/** Filters of `transactions.list`: paging only (`limit` ≤ 100, `offset`). */
export interface TransactionFilters {
  limit?: number | undefined;
  offset?: number | undefined;
  [key: string]: unknown;
}

/**
 * Schema of {@link TransactionFilters}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { TransactionFiltersSchema } from "vobiz-kit";
 * const ok = v.safeParse(TransactionFiltersSchema, input).success; // reuse the rule in your own form
 * ```
 */
export const TransactionFiltersSchema: v.GenericSchema<TransactionFilters> = v.looseObject({
  limit: v.optional(perPage(100)),
  offset: v.optional(CountSchema),
});

/** `client.transactions`. */
export interface TransactionsResource {
  /**
   * Every ledger entry, fetched 100 at a time as you iterate.
   *
   * @example
   * ```ts
   * for await (const t of vobiz.transactions.list()) if (t.type === "debit") console.log(t.amount);
   * ```
   */
  list(
    filters?: TransactionFilters,
    options?: ListOptions,
  ): AsyncGenerator<Transaction, void, undefined>;
  /**
   * One page, with the answer's `summary` in `page.body`.
   *
   * @example
   * ```ts
   * const page = await vobiz.transactions.listPage({ limit: 10 });
   * console.log(page.items.length, page.body.summary);
   * ```
   */
  listPage(
    filters?: TransactionFilters,
    options?: CallOptions,
  ): Promise<Page<Transaction, TransactionList>>;
}
