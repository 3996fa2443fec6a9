import type { ApcState } from "../core/margin/apc.ts";
import { computeSubaccountMargin } from "../core/margin/compute-subaccount-margin.ts";
import type { MarginMode, MarketState, PositionInput, SubaccountInput } from "../core/margin/types.ts";
import {
  configOf,
  type EngineState,
  type Position,
  type ResolvedConfig,
  type SubaccountSettings,
  valuationClockMs,
} from "./engine-state.ts";

/*
 * The bridge to the margin policies of src/core/margin: the engine's exact state (bigint lots,
 * cost basis, balances) becomes a float `SubaccountInput` and a `MarketState` at the engine's
 * clock and marks, and `computeSubaccountMargin` returns IM and MM. The engine keeps its own
 * equity (exact ledger, its haircuts), because settlement, bankruptcy and the auction bounds are
 * computed from it; only the requirements come from the policy, scaled by the breaker multiplier.
 */

export interface PolicyPosition {
  marketId: string;
  position: Position;
  /** Mark of the market in USD per contract unit (Black-76 for options), as the engine values it. */
  markUsd: number;
}

/**
 * The core's market state at the engine clock and marks (prices in USD), with the APC state the
 * engine has folded per market, for `positions` (their marks as the engine values them).
 */
export function policyMarketState(
  state: EngineState,
  cfg: ResolvedConfig,
  positions: readonly PolicyPosition[],
): MarketState {
  const underlyings: Record<string, { indexPriceUsd: number }> = {};
  for (const [id, u] of state.underlyings) {
    if (u.markTicks !== null) {
      underlyings[id] = { indexPriceUsd: Number(u.markTicks) / 10 ** cfg.underlyings.get(id)!.priceDecimals };
    }
  }
  const collateral: Record<string, { priceUsd: number }> = {};
  for (const a of cfg.assets.values()) {
    collateral[a.id] = {
      priceUsd: a.priceUnderlying === undefined ? 1 : (underlyings[a.priceUnderlying]?.indexPriceUsd ?? 0),
    };
  }
  const markets: Record<string, { markPriceUsd: number; impliedVolAnnual?: number }> = {};
  for (const p of positions) {
    const vol = cfg.markets.get(p.marketId)!.cfg.option?.volatility;
    markets[p.marketId] =
      vol === undefined ? { markPriceUsd: p.markUsd } : { markPriceUsd: p.markUsd, impliedVolAnnual: vol };
  }
  const apcStates: Record<string, ApcState> = {};
  for (const [id, m] of state.markets) if (m.apc !== null) apcStates[id] = m.apc;
  return { asOfMs: valuationClockMs(state), underlyings, collateral, markets, apcStates };
}

/**
 * IM and MM in USD from the configured policy, for positions in markets that have not expired
 * (the caller margins expired-but-unsettled ones statically). Balances enter as collateral
 * amounts floored at zero (the policy takes no debt; the engine's equity carries it).
 */
export function policyRequirements(
  state: EngineState,
  subaccountId: string,
  balances: ReadonlyMap<string, bigint>,
  positions: readonly PolicyPosition[],
  account: { mode: MarginMode; settings: SubaccountSettings },
): { initialMarginUsd: number; maintenanceMarginUsd: number } {
  const cfg = configOf(state);
  const params = state.policyParams ?? cfg.riskPolicy!.params;
  const inputs: PositionInput[] = positions.map((p) => {
    const market = cfg.markets.get(p.marketId)!;
    const size = Number(p.position.lots) / market.lotsPerContract;
    // Inverse: the basis is the coin paid, so entry = size·C / basis coins (USD per coin).
    const entry = market.inverse
      ? (size * market.contractSize) / (Number(p.position.basisRaw) / 10 ** market.settlementDecimals)
      : Number(p.position.basisRaw) / Number(p.position.lots) / market.ticksPerUnit;
    const ok = Number.isFinite(entry) && entry > 0;
    return { marketId: p.marketId, size, entryPrice: ok ? entry : p.markUsd > 0 ? p.markUsd : 1 };
  });
  const { imMultiplier, paramSetId } = account.settings;
  const sub: SubaccountInput = {
    id: subaccountId,
    mode: account.mode,
    ...(imMultiplier === 1 && paramSetId === null
      ? {}
      : { settings: { imMultiplier, ...(paramSetId === null ? {} : { paramSetId }) } }),
    positions: inputs,
    collateral: [...balances].map(([asset, amount]) => ({
      asset,
      amount: Math.max(Number(amount) / 10 ** cfg.assets.get(asset)!.decimals, 0),
    })),
  };
  const result = computeSubaccountMargin(params, policyMarketState(state, cfg, positions), sub, {
    liquidationPrices: false,
  });
  return { initialMarginUsd: result.initialMarginUsd, maintenanceMarginUsd: result.maintenanceMarginUsd };
}
