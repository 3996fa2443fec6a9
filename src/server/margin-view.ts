import { MarginalError } from "../core/errors.ts";
import { computeSubaccountMargin } from "../core/margin/compute-subaccount-margin.ts";
import type { RiskParams } from "../core/margin/risk-params.ts";
import type {
  MarginResult,
  MarketQuote,
  MarketState,
  SubaccountInput,
  UnderlyingState,
} from "../core/margin/types.ts";
import { type Order, type WhatIfResult, whatIf } from "../core/margin/what-if.ts";
import type { Engine, SubaccountView } from "../engine/create-engine.ts";
import { formatDecimal } from "../engine/decimal.ts";
import { configOf } from "../engine/engine-state.ts";
import { marketMarkUsd, underlyingMarkUsd } from "../engine/subaccount-risk.ts";

/*
 * The margin of an account as the API reports it: the engine's own figures (what liquidation
 * acts on) and the risk-parameter document's policy margin with its breakdown (tiers,
 * volatility, liquidity, haircuts, scenarios), computed by core/margin from the engine's exact
 * state converted to floats at this edge. Non-finite figures (health without requirement) are
 * reported as null, since JSON has no Infinity.
 */

/** Annual volatility used for an underlying the caller gives no forecast for. */
export const DEFAULT_VOL_ANNUAL = 0.8;

export interface EngineMargin {
  readonly equityUsd: number;
  readonly initialMarginUsd: number;
  readonly maintenanceMarginUsd: number;
  readonly freeCollateralUsd: number;
  /** equity / MM; null without requirement. */
  readonly health: number | null;
  readonly notionalUsd: number;
}

export interface SubaccountMargin {
  readonly subaccountId: string;
  readonly balances: Readonly<Record<string, string>>;
  readonly positions: readonly {
    marketId: string;
    size: string;
    entryPriceUsd: number;
    markPriceUsd: number | null;
  }[];
  readonly inLiquidation: boolean;
  readonly engine: EngineMargin;
  /** Policy margin from the document, or null (no document, or a position it does not cover). */
  readonly policy: unknown;
  readonly policyError?: string;
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Replaces non-finite numbers by null, deeply, so a result is valid JSON. */
export function jsonSafe(value: unknown): unknown {
  if (typeof value === "number") return finiteOrNull(value);
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  }
  return value;
}

/** Market data the engine does not hold: volatility forecasts and liquidity quotes. */
export interface PolicyMarketData {
  /** Annual volatility forecast per underlying (default DEFAULT_VOL_ANNUAL). */
  readonly volAnnual: Readonly<Record<string, number>>;
  /** Liquidity (daily volume, depth) and implied vols per market; marks always come from the engine. */
  readonly quotes: Readonly<Record<string, MarketQuote>>;
}

/** The core/margin market state built from the engine's marks, as of the engine clock. */
export function marketStateOf(engine: Engine, data: PolicyMarketData): MarketState {
  const volAnnual = data.volAnnual;
  const state = engine.state();
  const cfg = configOf(state);
  const underlyings: Record<string, UnderlyingState> = {};
  for (const id of cfg.underlyings.keys()) {
    const mark = underlyingMarkUsd(state, id);
    if (mark === null) continue;
    const vol = volAnnual[id] ?? DEFAULT_VOL_ANNUAL;
    underlyings[id] = { indexPriceUsd: mark, volAnnual: vol, impliedVolAnnual: vol };
  }
  const collateral: Record<string, { priceUsd: number; volAnnual?: number }> = {};
  for (const [id, a] of cfg.assets) {
    if (a.priceUnderlying === undefined) collateral[id] = { priceUsd: 1 };
    else {
      const mark = underlyingMarkUsd(state, a.priceUnderlying);
      if (mark !== null)
        collateral[id] = { priceUsd: mark, volAnnual: volAnnual[a.priceUnderlying] ?? DEFAULT_VOL_ANNUAL };
    }
  }
  const markets: Record<string, MarketQuote> = {};
  for (const [id, q] of Object.entries(data.quotes)) {
    const { markPriceUsd: _engineMarksWin, ...rest } = q;
    markets[id] = rest;
  }
  return { asOfMs: state.clockMs, underlyings, collateral, markets };
}

/** The sub-account as core/margin's input (cross mode), exact amounts converted to floats here. */
export function subaccountInputOf(engine: Engine, view: SubaccountView): SubaccountInput {
  const cfg = configOf(engine.state());
  return {
    id: view.id,
    mode: "cross",
    positions: view.positions.map((p) => {
      const m = cfg.markets.get(p.marketId)!;
      return {
        marketId: p.marketId,
        size: Number(p.lots) / m.lotsPerContract,
        entryPrice: Number(p.basisRaw) / Number(p.lots) / m.ticksPerUnit,
      };
    }),
    collateral: Object.entries(view.balances).map(([asset, units]) => ({
      asset,
      amount: Number(units) / 10 ** cfg.assets.get(asset)!.decimals,
    })),
  };
}

function engineMargin(view: SubaccountView): EngineMargin {
  const r = view.risk;
  return {
    equityUsd: r.equityUsd,
    initialMarginUsd: r.initialMarginUsd,
    maintenanceMarginUsd: r.maintenanceMarginUsd,
    freeCollateralUsd: r.equityUsd - r.initialMarginUsd,
    health: finiteOrNull(r.health),
    notionalUsd: r.notionalUsd,
  };
}

function policyMargin(
  doc: RiskParams | undefined,
  market: MarketState,
  input: SubaccountInput,
): { policy: MarginResult | null; error?: string } {
  if (doc === undefined) return { policy: null, error: "no risk-parameter document is in force" };
  try {
    return { policy: computeSubaccountMargin(doc, market, input) };
  } catch (error) {
    if (error instanceof MarginalError) return { policy: null, error: error.message };
    throw error;
  }
}

/** Margin of every sub-account of an account (the caller checked it exists and may be read). */
export function accountMargin(
  engine: Engine,
  doc: RiskParams | undefined,
  data: PolicyMarketData,
  subaccounts: readonly SubaccountView[],
): SubaccountMargin[] {
  const cfg = configOf(engine.state());
  const market = marketStateOf(engine, data);
  return subaccounts.map((view) => {
    const input = subaccountInputOf(engine, view);
    const { policy, error } = policyMargin(doc, market, input);
    return {
      subaccountId: view.id,
      balances: Object.fromEntries(
        Object.entries(view.balances).map(([asset, units]) => [
          asset,
          formatDecimal(units, cfg.assets.get(asset)!.decimals),
        ]),
      ),
      positions: view.positions.map((p, i) => {
        const m = cfg.markets.get(p.marketId)!;
        return {
          marketId: p.marketId,
          size: formatDecimal(p.lots, m.cfg.sizeDecimals),
          entryPriceUsd: input.positions[i]!.entryPrice,
          markPriceUsd: marketMarkUsd(engine.state(), m),
        };
      }),
      inLiquidation: view.inLiquidation,
      engine: engineMargin(view),
      policy: jsonSafe(policy),
      ...(error === undefined ? {} : { policyError: error }),
    };
  });
}

/** What-if of an order on one sub-account under the document in force. */
export function subaccountWhatIf(
  engine: Engine,
  doc: RiskParams,
  data: PolicyMarketData,
  view: SubaccountView,
  order: Order,
): WhatIfResult {
  return whatIf(doc, marketStateOf(engine, data), subaccountInputOf(engine, view), order);
}
