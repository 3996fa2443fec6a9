import type { Engine } from "../engine/create-engine.ts";
import { formatDecimal } from "../engine/decimal.ts";
import { configOf } from "../engine/engine-state.ts";
import { marketMarkUsd } from "../engine/subaccount-risk.ts";

/*
 * Read models of the venue for the API, the stream and the status page: market states with
 * marks, and the liquidation queue. Prices are reported as floats in USD (display values); the
 * exact mark in ticks travels as a decimal string beside it.
 */

export type UnderlyingSummary = {
  readonly underlying: string;
  /** Exact mark as a decimal string in USD, or null before the first valid report. */
  readonly mark: string | null;
  readonly markValid: boolean;
  readonly status: string;
  readonly statusReason: string;
  readonly marginMultiplier: number;
};

export type MarketSummary = {
  readonly marketId: string;
  readonly underlying: string;
  readonly kind: string;
  readonly markPriceUsd: number | null;
  readonly initialMarginFraction: number;
  readonly maintenanceMarginFraction: number;
  readonly openInterest: string;
  readonly settled: boolean;
};

/** Underlyings and markets of the venue (empty before it is configured). */
export function marketSummary(engine: Engine): {
  underlyings: UnderlyingSummary[];
  markets: MarketSummary[];
} {
  const state = engine.state();
  if (state.config === null) return { underlyings: [], markets: [] };
  const cfg = configOf(state);
  const underlyings = [...state.underlyings.values()].map((u) => ({
    underlying: u.id,
    mark: u.markTicks === null ? null : formatDecimal(u.markTicks, cfg.underlyings.get(u.id)!.priceDecimals),
    markValid: u.markValid,
    status: u.status,
    statusReason: u.statusReason,
    marginMultiplier: u.marginMultiplier,
  }));
  const markets = [...state.markets.values()].map((m) => {
    const rm = cfg.markets.get(m.id)!;
    return {
      marketId: m.id,
      underlying: rm.cfg.underlying,
      kind: rm.cfg.kind,
      markPriceUsd: marketMarkUsd(state, rm),
      initialMarginFraction: m.initialMarginFraction,
      maintenanceMarginFraction: m.maintenanceMarginFraction,
      openInterest: formatDecimal(m.openInterestLots, rm.cfg.sizeDecimals),
      settled: m.settled,
    };
  });
  return { underlyings, markets };
}

export type LiquidationEntry = {
  readonly subaccountId: string;
  readonly accountId: string;
  readonly startedAtMs: number;
  readonly equityUsd: number;
  readonly maintenanceMarginUsd: number;
  readonly positions: readonly { marketId: string; size: string }[];
};

/** Sub-accounts in liquidation, oldest first (the order take-overs must follow), at most `limit`. */
export function liquidationQueue(engine: Engine, limit: number): LiquidationEntry[] {
  const state = engine.state();
  if (state.config === null) return [];
  const cfg = configOf(state);
  const inLiquidation = state.subaccounts.filter((s) => s.liquidation !== null);
  inLiquidation.sort((a, b) => a.liquidation!.startedAtMs - b.liquidation!.startedAtMs || a.index - b.index);
  return inLiquidation.slice(0, limit).map((s) => {
    const risk = engine.subaccount(s.id)!.risk;
    return {
      subaccountId: s.id,
      accountId: s.accountId,
      startedAtMs: s.liquidation!.startedAtMs,
      equityUsd: risk.equityUsd,
      maintenanceMarginUsd: risk.maintenanceMarginUsd,
      positions: [...s.positions].map(([marketId, p]) => ({
        marketId,
        size: formatDecimal(p.lots, cfg.markets.get(marketId)!.cfg.sizeDecimals),
      })),
    };
  });
}
