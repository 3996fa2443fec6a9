import type { SubaccountSummary } from "../api/api-types.ts";

/*
 * The accounts table's model: one row per sub-account, as GET /v1/subaccounts answers it. The
 * server searches, sorts and pages (the venue may hold tens of thousands of sub-accounts); the
 * dashboard holds and draws one page.
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

/** Columns the table sorts by (the server's sort keys; `accountId` sorts by sub-account id). */
export type SortKey =
  | "health"
  | "accountId"
  | "equityUsd"
  | "maintenanceMarginUsd"
  | "notionalUsd"
  | "freeCollateralUsd";

/** The table row of one summary item. */
export function rowOfSummary(s: SubaccountSummary): AccountRow {
  return {
    accountId: s.accountId,
    subaccountId: s.subaccountId,
    equityUsd: s.equityUsd,
    initialMarginUsd: s.initialMarginUsd,
    maintenanceMarginUsd: s.maintenanceMarginUsd,
    freeCollateralUsd: s.freeCollateralUsd,
    health: s.health,
    notionalUsd: s.notionalUsd,
    positions: s.positionsCount,
    inLiquidation: s.inLiquidation,
  };
}
