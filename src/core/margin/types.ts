import type { ApcState } from "./apc.ts";

/*
 * The inputs and outputs of a margin computation. All prices are in USD per unit of the
 * underlying (or per contract for options, per unit of underlying), all amounts in USD unless
 * the name says otherwise, and sizes are in contracts (+ long, − short). Risk math is float64;
 * the engine converts a requirement to a ledger amount with its own rounding rule.
 */

/** One point of a depth curve: unwinding `notionalUsd` (cumulative) moves the price by `impactFraction`. */
export interface DepthPoint {
  readonly notionalUsd: number;
  readonly impactFraction: number;
}

/** Market data for one underlying at the as-of time. */
export interface UnderlyingState {
  /** Index (spot/oracle) price in USD. */
  readonly indexPriceUsd: number;
  /** Annualised volatility forecast produced outside (used by volSource "supplied" and haircuts). */
  readonly volAnnual?: number;
  /** Annualised implied volatility (used by volSource "implied" and as the option vol fallback). */
  readonly impliedVolAnnual?: number;
  /** Log returns, oldest first, one per `returnPeriodHours` (used by ewma/garch/realized). */
  readonly returns?: readonly number[];
  readonly returnPeriodHours?: number;
}

/** Market data for one market (instrument) at the as-of time. */
export interface MarketQuote {
  /** Mark price in USD (per contract unit of underlying for options). Defaults: index (perps,
   * futures) or Black-76 at the index forward (options). */
  readonly markPriceUsd?: number;
  /** Implied vol for this option market, annualised. */
  readonly impliedVolAnnual?: number;
  /** Average daily traded volume in USD (square-root liquidity add-on). */
  readonly dailyVolumeUsd?: number;
  /** Depth curve, cumulative notional ascending (depth-curve liquidity add-on). */
  readonly depth?: readonly DepthPoint[];
}

/** Market state: everything a margin computation reads besides the document and the account. */
export interface MarketState {
  /** As-of time, ms since the Unix epoch (for option expiries and APC). */
  readonly asOfMs: number;
  readonly underlyings: Readonly<Record<string, UnderlyingState>>;
  readonly markets?: Readonly<Record<string, MarketQuote>>;
  /** Collateral asset prices in USD, with an optional annualised volatility for the haircut. */
  readonly collateral: Readonly<Record<string, { readonly priceUsd: number; readonly volAnnual?: number }>>;
  /** Previous APC state per market, as folded by the engine or the backtester. */
  readonly apcStates?: Readonly<Record<string, ApcState>>;
}

export type MarginMode = "isolated" | "cross" | "portfolio";

export interface PositionInput {
  readonly marketId: string;
  /** Contracts: + long, − short. */
  readonly size: number;
  /** Average entry price, USD per unit (same unit as the mark). */
  readonly entryPrice: number;
}

export interface CollateralInput {
  readonly asset: string;
  /** Amount in the asset's units (float for the risk math). */
  readonly amount: number;
}

export interface SubaccountSettings {
  /** Trader-chosen stricter margin: IM is multiplied by this (≥ 1). */
  readonly imMultiplier?: number;
  /** Venue-assigned parameter set (a key of `paramSets` in the document). */
  readonly paramSetId?: string;
}

export interface SubaccountInput {
  readonly id: string;
  readonly mode: MarginMode;
  readonly positions: readonly PositionInput[];
  readonly collateral: readonly CollateralInput[];
  readonly settings?: SubaccountSettings;
}

/** An account owns sub-accounts; risk is computed per sub-account and never crosses between them. */
export interface AccountInput {
  readonly id: string;
  readonly subaccounts: readonly SubaccountInput[];
}

export type BreakdownComponent =
  | "base"
  | "tiers"
  | "size-scaling"
  | "volatility"
  | "apc"
  | "option"
  | "liquidity"
  | "haircut"
  | "collateral-cap"
  | "wrong-way"
  | "scenario"
  | "calendar-spread"
  | "short-option-minimum"
  | "correlation-offset"
  | "cross-margin-cap"
  | "im-multiplier";

/** One line of the explanation: how many USD of requirement (or equity deduction) and why. */
export interface BreakdownItem {
  readonly component: BreakdownComponent;
  readonly marketId?: string;
  readonly underlying?: string;
  readonly asset?: string;
  /** USD added to IM (for haircut/collateral-cap: USD deducted from equity). */
  readonly amountUsd: number;
  /** USD added to MM, where it differs from IM. */
  readonly maintenanceUsd?: number;
  readonly detail: string;
}

export interface PositionResult {
  readonly marketId: string;
  readonly size: number;
  readonly markPriceUsd: number;
  readonly notionalUsd: number;
  readonly unrealizedPnlUsd: number;
  readonly initialMarginUsd: number;
  readonly maintenanceMarginUsd: number;
  /** Mark price of this market at which equity = MM, holding everything else fixed; null if none. */
  readonly liquidationPrice: number | null;
}

export interface WorstScenario {
  readonly underlying: string;
  /** Relative price move, e.g. −0.15. */
  readonly priceMove: number;
  /** Relative vol shock, e.g. +0.3. */
  readonly volShock: number;
  readonly lossUsd: number;
}

export interface MarginResult {
  readonly subaccountId: string;
  readonly mode: MarginMode;
  /** Collateral after haircuts and caps + unrealised PnL, USD. */
  readonly equityUsd: number;
  readonly collateralValueUsd: number;
  readonly unrealizedPnlUsd: number;
  readonly initialMarginUsd: number;
  readonly maintenanceMarginUsd: number;
  /** equity − IM, USD. */
  readonly freeCollateralUsd: number;
  /** MM / equity (liquidatable at ≥ 1; Infinity when equity ≤ 0 < MM). */
  readonly marginRatio: number;
  /** equity / MM (Infinity when MM = 0). */
  readonly health: number;
  readonly liquidatable: boolean;
  readonly positions: readonly PositionResult[];
  readonly breakdown: readonly BreakdownItem[];
  /** Portfolio mode: the worst scenario per underlying. */
  readonly worstScenarios?: readonly WorstScenario[];
  /** Portfolio mode: the single worst scenario across underlyings. */
  readonly worstScenario?: WorstScenario;
}
