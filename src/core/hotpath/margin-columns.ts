import { float64Column, uint8Column } from "./typed-columns.ts";

/*
 * The per-sub-account results of a re-margin pass, one record per dense sub-account index, in
 * (optionally shared) typed arrays so worker threads write their shard in place. The four floats
 * of a row are one 32-byte record (`results`, stride RESULT_STRIDE, never straddling a cache
 * line) rather than four columns: an incremental pass writes the scattered rows of a tick's
 * holders, and one cache line per row instead of four was a quarter of its time.
 */

/** Floats per row in `MarginColumns.results`, and their offsets in the record. */
export const RESULT_STRIDE = 4;
/** Collateral after haircuts and caps + unrealised PnL, USD. */
export const RESULT_EQUITY = 0;
export const RESULT_IM = 1;
export const RESULT_MM = 2;
/** equity / MM (Infinity when MM = 0). */
export const RESULT_HEALTH = 3;

export interface MarginColumns {
  /** Row a's equity, IM, MM (USD) and health at a·RESULT_STRIDE + RESULT_EQUITY / _IM / _MM / _HEALTH. */
  readonly results: Float64Array;
  /** 1 when MM > 0 and equity < MM. */
  readonly liquidatable: Uint8Array;
  /** Rows the columns hold. */
  readonly rows: number;
}

/** Result columns for `subaccounts` rows (shared memory when `shared`). */
export function createMarginColumns(subaccounts: number, shared = false): MarginColumns {
  const n = Math.max(1, subaccounts);
  return {
    results: float64Column(n * RESULT_STRIDE, shared),
    liquidatable: uint8Column(n, shared),
    rows: n,
  };
}

/** Row a's equity, USD. */
export function resultEquityUsd(out: MarginColumns, a: number): number {
  return out.results[a * RESULT_STRIDE + RESULT_EQUITY]!;
}

/** Row a's initial margin, USD. */
export function resultInitialMarginUsd(out: MarginColumns, a: number): number {
  return out.results[a * RESULT_STRIDE + RESULT_IM]!;
}

/** Row a's maintenance margin, USD. */
export function resultMaintenanceMarginUsd(out: MarginColumns, a: number): number {
  return out.results[a * RESULT_STRIDE + RESULT_MM]!;
}

/** Row a's health (equity / MM). */
export function resultHealth(out: MarginColumns, a: number): number {
  return out.results[a * RESULT_STRIDE + RESULT_HEALTH]!;
}

/** Copies rows [0, count) of `from` into `to` (at least as many rows). */
export function copyMarginColumns(from: MarginColumns, to: MarginColumns, count = from.rows): void {
  to.results.set(from.results.subarray(0, count * RESULT_STRIDE));
  to.liquidatable.set(from.liquidatable.subarray(0, count));
}
