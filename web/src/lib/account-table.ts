import type { AccountResponse } from "../api/api-types.ts";

/*
 * The accounts table's model: one row per sub-account, built from the account answers, then
 * searched, sorted and cut into pages in one pure pass so that thousands of rows cost one sort
 * per change of view, and the DOM holds one page.
 */

export interface AccountRow {
  readonly accountId: string;
  readonly subaccountId: string;
  readonly equityUsd: number;
  readonly initialMarginUsd: number;
  readonly maintenanceMarginUsd: number;
  readonly freeCollateralUsd: number;
  /** equity / MM, null without requirement. */
  readonly health: number | null;
  readonly notionalUsd: number;
  readonly positions: number;
  readonly inLiquidation: boolean;
}

export type SortKey =
  | "health"
  | "accountId"
  | "equityUsd"
  | "maintenanceMarginUsd"
  | "notionalUsd"
  | "freeCollateralUsd";

export interface TableView {
  readonly query: string;
  readonly sortKey: SortKey;
  readonly descending: boolean;
  /** Zero-based page. */
  readonly page: number;
  readonly pageSize: number;
}

export interface TablePage {
  readonly rows: readonly AccountRow[];
  /** Rows matching the query. */
  readonly total: number;
  readonly pages: number;
  /** The page shown (clamped into range). */
  readonly page: number;
}

/** The rows of one account answer, one per sub-account. */
export function rowsOfAccount(account: AccountResponse): AccountRow[] {
  return account.subaccounts.map((s) => ({
    accountId: account.accountId,
    subaccountId: s.subaccountId,
    equityUsd: s.engine.equityUsd,
    initialMarginUsd: s.engine.initialMarginUsd,
    maintenanceMarginUsd: s.engine.maintenanceMarginUsd,
    freeCollateralUsd: s.engine.freeCollateralUsd,
    health: s.engine.health,
    notionalUsd: s.engine.notionalUsd,
    positions: s.positions.length,
    inLiquidation: s.inLiquidation,
  }));
}

/**
 * Sort value for health: in liquidation first, then by health, and no requirement (null,
 * unliquidatable) last, so "riskiest first" is the ascending order.
 */
function healthRank(r: AccountRow): number {
  if (r.inLiquidation) return Number.NEGATIVE_INFINITY;
  return r.health === null ? Number.POSITIVE_INFINITY : r.health;
}

function compare(a: AccountRow, b: AccountRow, key: SortKey): number {
  if (key === "accountId")
    return a.subaccountId < b.subaccountId ? -1 : a.subaccountId > b.subaccountId ? 1 : 0;
  const x = key === "health" ? healthRank(a) : a[key];
  const y = key === "health" ? healthRank(b) : b[key];
  return x === y ? 0 : x < y ? -1 : 1;
}

/** Filters by a case-insensitive substring of the account or sub-account id, sorts, and pages. */
export function viewAccountTable(rows: readonly AccountRow[], view: TableView): TablePage {
  const q = view.query.trim().toLowerCase();
  const matching =
    q === ""
      ? [...rows]
      : rows.filter((r) => r.subaccountId.toLowerCase().includes(q) || r.accountId.toLowerCase().includes(q));
  const sign = view.descending ? -1 : 1;
  // Ties broken by id so that the order is stable between refreshes.
  matching.sort((a, b) => sign * compare(a, b, view.sortKey) || compare(a, b, "accountId"));
  const pageSize = Math.max(1, Math.floor(view.pageSize));
  const pages = Math.max(1, Math.ceil(matching.length / pageSize));
  const page = Math.min(Math.max(0, Math.floor(view.page)), pages - 1);
  return {
    rows: matching.slice(page * pageSize, (page + 1) * pageSize),
    total: matching.length,
    pages,
    page,
  };
}
