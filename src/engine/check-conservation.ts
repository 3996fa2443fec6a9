import type { EngineState } from "./engine-state.ts";

/*
 * The money invariant, per asset: Σ sub-account balances + insurance fund + collected fees +
 * the PnL pool = deposits − withdrawals. Every ledger event is a double entry, so this holds
 * exactly after every event; the check is the auditor's independent recount.
 */

export interface AssetConservation {
  asset: string;
  balancesUnits: bigint;
  insuranceUnits: bigint;
  feesUnits: bigint;
  pnlPoolUnits: bigint;
  depositsUnits: bigint;
  withdrawalsUnits: bigint;
  /** (balances + insurance + fees + pnlPool) − (deposits − withdrawals); zero when conserved. */
  discrepancyUnits: bigint;
}

export interface ConservationReport {
  ok: boolean;
  assets: AssetConservation[];
}

/** Recounts every asset's money from scratch (amounts in the asset's smallest units). */
export function checkConservation(state: EngineState): ConservationReport {
  const v = state.venue;
  const assetIds = new Set<string>([...(state.config?.assets.keys() ?? [])]);
  const balances = new Map<string, bigint>();
  for (const s of state.subaccounts) {
    for (const [asset, amount] of s.balances) {
      balances.set(asset, (balances.get(asset) ?? 0n) + amount);
      assetIds.add(asset);
    }
  }
  const assets = [...assetIds].sort().map((asset) => {
    const row = {
      asset,
      balancesUnits: balances.get(asset) ?? 0n,
      insuranceUnits: v.insurance.get(asset) ?? 0n,
      feesUnits: v.fees.get(asset) ?? 0n,
      pnlPoolUnits: v.pnlPool.get(asset) ?? 0n,
      depositsUnits: v.deposits.get(asset) ?? 0n,
      withdrawalsUnits: v.withdrawals.get(asset) ?? 0n,
    };
    const held = row.balancesUnits + row.insuranceUnits + row.feesUnits + row.pnlPoolUnits;
    return { ...row, discrepancyUnits: held - (row.depositsUnits - row.withdrawalsUnits) };
  });
  return { ok: assets.every((a) => a.discrepancyUnits === 0n), assets };
}
