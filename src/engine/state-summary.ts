import { checkConservation } from "./check-conservation.ts";
import { formatDecimal } from "./decimal.ts";
import type { EngineState } from "./engine-state.ts";
import { stateHash } from "./state-hash.ts";

/*
 * A human- and machine-readable summary of a state, for `marginal replay` and dashboards:
 * amounts are decimal strings in asset units (exact), open interest in contracts.
 */

export interface StateSummary {
  seq: number;
  clockMs: number;
  configVersion: string | null;
  accounts: number;
  subaccounts: number;
  subaccountsInLiquidation: number;
  openPositions: number;
  markets: { marketId: string; openInterestContracts: string; settled: boolean }[];
  underlyings: {
    underlying: string;
    mark: string | null;
    markValid: boolean;
    status: string;
    marginMultiplier: number;
  }[];
  assets: {
    asset: string;
    balances: string;
    insuranceFund: string;
    fees: string;
    pnlPool: string;
    deposits: string;
    withdrawals: string;
    discrepancy: string;
  }[];
  conservationOk: boolean;
  stateHash: string;
}

export function summarizeState(state: EngineState): StateSummary {
  const cfg = state.config;
  const conservation = checkConservation(state);
  const decimalsOf = (asset: string) => cfg?.assets.get(asset)?.decimals ?? 0;
  return {
    seq: state.seq,
    clockMs: state.clockMs,
    configVersion: cfg?.cfg.version ?? null,
    accounts: state.accounts.size,
    subaccounts: state.subaccounts.length,
    subaccountsInLiquidation: state.subaccounts.filter((s) => s.liquidation !== null).length,
    openPositions: state.subaccounts.reduce((n, s) => n + s.positions.size, 0),
    markets: [...state.markets.values()].map((m) => ({
      marketId: m.id,
      openInterestContracts: formatDecimal(m.openInterestLots, cfg?.markets.get(m.id)?.cfg.sizeDecimals ?? 0),
      settled: m.settled,
    })),
    underlyings: [...state.underlyings.values()].map((u) => ({
      underlying: u.id,
      mark:
        u.markTicks === null
          ? null
          : formatDecimal(u.markTicks, cfg?.underlyings.get(u.id)?.priceDecimals ?? 0),
      markValid: u.markValid,
      status: u.status,
      marginMultiplier: u.marginMultiplier,
    })),
    assets: conservation.assets.map((a) => {
      const d = decimalsOf(a.asset);
      return {
        asset: a.asset,
        balances: formatDecimal(a.balancesUnits, d),
        insuranceFund: formatDecimal(a.insuranceUnits, d),
        fees: formatDecimal(a.feesUnits, d),
        pnlPool: formatDecimal(a.pnlPoolUnits, d),
        deposits: formatDecimal(a.depositsUnits, d),
        withdrawals: formatDecimal(a.withdrawalsUnits, d),
        discrepancy: formatDecimal(a.discrepancyUnits, d),
      };
    }),
    conservationOk: conservation.ok,
    stateHash: stateHash(state),
  };
}
