import { float64Column, uint8Column } from "./typed-columns.ts";

/*
 * The per-sub-account results of a re-margin pass, one row per dense sub-account index, in
 * (optionally shared) typed arrays so worker threads write their shard in place.
 */

export interface MarginColumns {
  /** Collateral after haircuts and caps + unrealised PnL, USD. */
  readonly equityUsd: Float64Array;
  readonly initialMarginUsd: Float64Array;
  readonly maintenanceMarginUsd: Float64Array;
  /** equity / MM (Infinity when MM = 0). */
  readonly health: Float64Array;
  /** 1 when MM > 0 and equity < MM. */
  readonly liquidatable: Uint8Array;
}

/** Result columns for `subaccounts` rows (shared memory when `shared`). */
export function createMarginColumns(subaccounts: number, shared = false): MarginColumns {
  const n = Math.max(1, subaccounts);
  return {
    equityUsd: float64Column(n, shared),
    initialMarginUsd: float64Column(n, shared),
    maintenanceMarginUsd: float64Column(n, shared),
    health: float64Column(n, shared),
    liquidatable: uint8Column(n, shared),
  };
}
