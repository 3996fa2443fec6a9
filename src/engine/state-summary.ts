import type { MarginMode } from "../core/margin/types.ts";
import { checkConservation } from "./check-conservation.ts";
import { formatDecimal } from "./decimal.ts";
import { BACKSTOP_SUBACCOUNT_ID, type EngineState } from "./engine-state.ts";
import { stateHash } from "./state-hash.ts";
import { computeRisk } from "./subaccount-risk.ts";

/*
 * A human- and machine-readable summary of a state, for `marginal replay` and dashboards:
 * amounts are decimal strings in asset units (exact), open interest in contracts. Fields are only
 * ever added, so the JSON form stays a superset of earlier versions for scripts that read it.
 */

/**
 * Which side of the APC target a market's requirement is on: held below it by the speed limit,
 * held above it by the hysteresis (a slow release), or at it.
 */
export type ApcBinding = "speed_limit" | "release" | "at_target";

export interface MarketSummary {
  marketId: string;
  openInterestContracts: string;
  settled: boolean;
  kind: "perp" | "future" | "option";
  /** Inverse (coin-margined) perp: PnL, fees and funding in `settlementAsset`. */
  inverse: boolean;
  settlementAsset: string;
  /** Status of the market's underlying (active, reduce_only, halted). */
  status: string;
  /** Static fractions of notional in force (update_risk_params), unitless. */
  initialMarginFraction: number;
  maintenanceMarginFraction: number;
  /** Anti-procyclicality state folded for the market, or null when its policy has none. */
  apc: { fraction: number; rawFraction: number; asOfMs: number; binding: ApcBinding } | null;
}

/** The insurance fund's backstop sub-account: what it took over from timed-out auctions. */
export interface BackstopSummary {
  subaccountId: string;
  mode: MarginMode;
  inLiquidation: boolean;
  /** Signed sizes in contracts (positive long). */
  positions: { marketId: string; sizeContracts: string }[];
  /** Balances in asset units. */
  balances: { asset: string; amount: string }[];
  equityUsd: number;
  maintenanceMarginUsd: number;
}

export interface StateSummary {
  seq: number;
  clockMs: number;
  configVersion: string | null;
  accounts: number;
  subaccounts: number;
  subaccountsInLiquidation: number;
  openPositions: number;
  /** Sub-accounts per margin mode (every mode listed, zero included). */
  subaccountsByMode: Record<MarginMode, number>;
  markets: MarketSummary[];
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
  /** Null until an auction has timed out to the insurance fund. */
  backstop: BackstopSummary | null;
  conservationOk: boolean;
  stateHash: string;
}

function countByMode(state: EngineState): Record<MarginMode, number> {
  const byMode: Record<MarginMode, number> = { isolated: 0, cross: 0, portfolio: 0 };
  for (const s of state.subaccounts) byMode[s.mode] += 1;
  return byMode;
}

function apcBinding(fraction: number, rawFraction: number): ApcBinding {
  if (fraction < rawFraction) return "speed_limit";
  return fraction > rawFraction ? "release" : "at_target";
}

function summarizeMarkets(state: EngineState): MarketSummary[] {
  const cfg = state.config;
  return [...state.markets.values()].map((m) => {
    const market = cfg?.markets.get(m.id);
    return {
      marketId: m.id,
      openInterestContracts: formatDecimal(m.openInterestLots, market?.cfg.sizeDecimals ?? 0),
      settled: m.settled,
      kind: market?.cfg.kind ?? "perp",
      inverse: market?.inverse ?? false,
      settlementAsset: market?.settlementAsset ?? cfg?.cfg.quoteAsset ?? "",
      status: state.underlyings.get(market?.cfg.underlying ?? "")?.status ?? "active",
      initialMarginFraction: m.initialMarginFraction,
      maintenanceMarginFraction: m.maintenanceMarginFraction,
      apc: m.apc === null ? null : { ...m.apc, binding: apcBinding(m.apc.fraction, m.apc.rawFraction) },
    };
  });
}

function summarizeBackstop(state: EngineState): BackstopSummary | null {
  const index = state.subaccountIndex.get(BACKSTOP_SUBACCOUNT_ID);
  const cfg = state.config;
  if (index === undefined || cfg === null) return null;
  const s = state.subaccounts[index]!;
  const risk = computeRisk(state, s, s.id);
  return {
    subaccountId: s.id,
    mode: s.mode,
    inLiquidation: s.liquidation !== null,
    positions: [...s.positions]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([marketId, p]) => ({
        marketId,
        sizeContracts: formatDecimal(p.lots, cfg.markets.get(marketId)!.cfg.sizeDecimals),
      })),
    balances: [...s.balances]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([asset, amount]) => ({ asset, amount: formatDecimal(amount, cfg.assets.get(asset)!.decimals) })),
    equityUsd: risk.equityUsd,
    maintenanceMarginUsd: risk.maintenanceMarginUsd,
  };
}

/** Summarises a state: counts, markets, marks, the backstop, totals per asset (asset units), hash. */
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
    subaccountsByMode: countByMode(state),
    markets: summarizeMarkets(state),
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
    backstop: summarizeBackstop(state),
    conservationOk: conservation.ok,
    stateHash: stateHash(state),
  };
}
