import type { MarginMode } from "../core/margin/types.ts";
import { black76Price } from "../core/pricing/black76.ts";
import {
  configOf,
  type EngineState,
  type Position,
  type ResolvedMarket,
  type SubaccountSettings,
  type SubaccountState,
  valuationClockMs,
} from "./engine-state.ts";
import { columnarPolicyRequirements, columnarSubaccountRisk } from "./hotpath/columnar-risk.ts";
import { ledgerToFloat } from "./ledger-amount.ts";
import { type PolicyPosition, policyRequirements } from "./policy-risk.ts";

/*
 * Risk of one sub-account in USD, from its exact state converted to floats. Requirements come
 * from the configured core margin policy when there is one (policy-risk.ts); otherwise, and for
 * expired markets awaiting settlement, from the engine's own static policy (IM/MM = fraction × notional × the circuit-breaker multiplier; long options
 * fully paid in margin, short options a fraction of the underlying notional); it is the
 * reference the columnar hot path will be tested against. It reads the last known mark even
 * when stale: the callers decide whether a stale mark may be acted on.
 */

export interface RiskView {
  balances: ReadonlyMap<string, bigint>;
  positions: ReadonlyMap<string, Position>;
  /** Absent: the venue's default mode. */
  mode?: MarginMode;
  /** Absent: IM multiplier 1 and the base parameter set. */
  settings?: SubaccountSettings;
}

const DEFAULT_SETTINGS: SubaccountSettings = { imMultiplier: 1, paramSetId: null };

/**
 * Unrealised PnL in USD of a position at the current marks. Linear: value − basis. Inverse perp:
 * (basis in coin − |size|·C/mark in coin) × the coin's mark, i.e. size·C·(mark/entry − 1) as the
 * core policy values it.
 */
export function positionPnlUsd(state: EngineState, market: ResolvedMarket, pos: Position): number {
  const cfg = configOf(state);
  const contracts = Number(pos.lots) / market.lotsPerContract;
  const mark = marketMarkUsd(state, market) ?? 0;
  if (market.inverse) {
    if (mark <= 0) return 0;
    const basisCoin = ledgerToFloat(pos.basisRaw, market.settlementDecimals);
    return (basisCoin - (contracts * market.contractSize) / mark) * mark;
  }
  const basisUsd =
    (Number(pos.basisRaw) * Number(market.rawToQuoteNum)) /
    Number(market.rawToQuoteDen) /
    10 ** cfg.quoteDecimals;
  return contracts * market.contractSize * mark - basisUsd;
}

export interface SubaccountRisk {
  equityUsd: number;
  initialMarginUsd: number;
  maintenanceMarginUsd: number;
  /** equity / MM (Infinity without requirement). */
  health: number;
  /** Σ |notional| of positions, USD. */
  notionalUsd: number;
}

const YEAR_MS = 365.25 * 86_400_000;

/*
 * Marks are read many times per command (every position of every reviewed sub-account), so the
 * float conversions are memoised on the objects they derive from, keyed by every input: a mark
 * in ticks and its decimals; an option's spot and valuation time. Derived data only: nothing
 * here is in the state, its snapshot or its hash.
 */
const underlyingMarkCache = new WeakMap<object, { ticks: bigint; decimals: number; usd: number }>();
const optionMarkCache = new WeakMap<ResolvedMarket, { spot: number; atMs: number; usd: number }>();

/** Underlying mark in USD, or null before any valid report. */
export function underlyingMarkUsd(state: EngineState, underlyingId: string): number | null {
  const u = state.underlyings.get(underlyingId);
  if (u === undefined || u.markTicks === null) return null;
  const decimals = configOf(state).underlyings.get(underlyingId)!.priceDecimals;
  const cached = underlyingMarkCache.get(u);
  if (cached !== undefined && cached.ticks === u.markTicks && cached.decimals === decimals) return cached.usd;
  const usd = Number(u.markTicks) / 10 ** decimals;
  underlyingMarkCache.set(u, { ticks: u.markTicks, decimals, usd });
  return usd;
}

/** Mark of one contract unit of a market in USD (Black-76 at the underlying mark for options). */
export function marketMarkUsd(state: EngineState, market: ResolvedMarket): number | null {
  const spot = underlyingMarkUsd(state, market.cfg.underlying);
  if (spot === null || market.cfg.option === undefined) return spot;
  const atMs = valuationClockMs(state);
  const cached = optionMarkCache.get(market);
  if (cached !== undefined && cached.spot === spot && cached.atMs === atMs) return cached.usd;
  const expiryYears = Math.max((market.cfg.expiryMs ?? 0) - atMs, 0) / YEAR_MS;
  const usd = black76Price(
    market.cfg.option.type,
    spot,
    market.strike,
    expiryYears,
    market.cfg.option.volatility,
    0,
  );
  optionMarkCache.set(market, { spot, atMs, usd });
  return usd;
}

/** Mark of a market in its own price ticks, rounded to the nearest tick. */
export function marketMarkTicks(state: EngineState, market: ResolvedMarket): bigint | null {
  const usd = marketMarkUsd(state, market);
  return usd === null ? null : BigInt(Math.round(usd * market.ticksPerUnit));
}

/**
 * Whether every underlying the view depends on has a valid (fresh, agreed) mark, as of the last
 * applied event (time-driven lapses are applied before any sweep runs).
 */
export function marksValidFor(state: EngineState, view: RiskView): boolean {
  const cfg = configOf(state);
  for (const marketId of view.positions.keys()) {
    const u = state.underlyings.get(cfg.markets.get(marketId)!.cfg.underlying);
    if (u === undefined || !u.markValid) return false;
  }
  return true;
}

function isLiveSubaccount(state: EngineState, view: RiskView): view is SubaccountState {
  const index = (view as Partial<SubaccountState>).index;
  return typeof index === "number" && state.subaccounts[index] === view;
}

/**
 * Computes equity, IM and MM of a (possibly hypothetical) sub-account view, in USD. A live
 * sub-account on the columnar path is served from the mirror's columns when they are current
 * (the same figures bit for bit, without walking its objects); then the figures are written to
 * `into` when given (a hot caller's scratch object) instead of a new object.
 */
export function computeRisk(
  state: EngineState,
  view: RiskView,
  subaccountId = "view",
  into?: SubaccountRisk,
): SubaccountRisk {
  if (isLiveSubaccount(state, view)) {
    const served = columnarSubaccountRisk(state, view, into);
    if (served !== null) return served;
  }
  return computeRiskReference(state, view, subaccountId);
}

/** computeRisk from the exact state's objects (the reference the columnar figures must equal). */
export function computeRiskReference(
  state: EngineState,
  view: RiskView,
  subaccountId = "view",
): SubaccountRisk {
  const cfg = configOf(state);
  let equityUsd = 0;
  for (const [asset, amount] of view.balances) {
    const a = cfg.assets.get(asset)!;
    const value = ledgerToFloat(amount, a.decimals);
    if (a.priceUnderlying === undefined) equityUsd += value;
    else
      equityUsd +=
        value * (underlyingMarkUsd(state, a.priceUnderlying) ?? 0) * (value > 0 ? 1 - a.haircut : 1);
  }
  let im = 0;
  let mm = 0;
  let notionalUsd = 0;
  const viaPolicy: PolicyPosition[] = [];
  const settings = view.settings ?? DEFAULT_SETTINGS;
  for (const [marketId, pos] of view.positions) {
    const market = cfg.markets.get(marketId)!;
    const runtime = state.markets.get(marketId)!;
    const multiplier = state.underlyings.get(market.cfg.underlying)!.marginMultiplier;
    const contracts = Number(pos.lots) / market.lotsPerContract;
    const mark = marketMarkUsd(state, market) ?? 0;
    const valueUsd = contracts * market.contractSize * mark;
    equityUsd += positionPnlUsd(state, market, pos);
    const spot = underlyingMarkUsd(state, market.cfg.underlying) ?? 0;
    // An inverse contract is a fixed USD amount; a linear one is contractSize units of the underlying.
    const underlyingNotional = market.inverse
      ? Math.abs(contracts) * market.contractSize
      : Math.abs(contracts) * market.contractSize * spot;
    const longOption = market.cfg.option !== undefined && pos.lots > 0n;
    notionalUsd += market.cfg.option === undefined ? underlyingNotional : Math.abs(valueUsd);
    const live = market.cfg.expiryMs === undefined || market.cfg.expiryMs > state.clockMs;
    if (cfg.riskPolicy !== null && live) {
      viaPolicy.push({ marketId, position: pos, markUsd: mark });
    } else if (longOption) {
      // A long option can lose at most its value: margined in full, no leverage.
      im += valueUsd * settings.imMultiplier;
      mm += valueUsd;
    } else {
      im += underlyingNotional * runtime.initialMarginFraction * multiplier * settings.imMultiplier;
      mm += underlyingNotional * runtime.maintenanceMarginFraction * multiplier;
    }
  }
  if (viaPolicy.length > 0) {
    const reference = () =>
      policyRequirements(state, subaccountId, view.balances, viaPolicy, {
        mode: view.mode ?? cfg.defaultMode,
        settings,
      });
    // A live sub-account on the columnar path: the kernel's results for its row are the same
    // numbers (bit for bit), without re-running the policy code; a hypothetical view never is.
    const req =
      (viaPolicy.length === view.positions.size && isLiveSubaccount(state, view)
        ? columnarPolicyRequirements(state, view, reference)
        : null) ?? reference();
    // The breaker tightens every underlying alike here: take the largest multiplier involved.
    let multiplier = 1;
    for (const p of viaPolicy) {
      const u = state.underlyings.get(cfg.markets.get(p.marketId)!.cfg.underlying)!;
      multiplier = Math.max(multiplier, u.marginMultiplier);
    }
    im += req.initialMarginUsd * multiplier;
    mm += req.maintenanceMarginUsd * multiplier;
  }
  return {
    equityUsd,
    initialMarginUsd: im,
    maintenanceMarginUsd: mm,
    health: mm > 0 ? equityUsd / mm : Number.POSITIVE_INFINITY,
    notionalUsd,
  };
}

/** Notional of one position in USD at the current mark (option: premium value). */
export function positionNotionalUsd(state: EngineState, marketId: string, lots: bigint): number {
  const market = configOf(state).markets.get(marketId)!;
  const contracts = Math.abs(Number(lots)) / market.lotsPerContract;
  if (market.inverse) return contracts * market.contractSize;
  return contracts * market.contractSize * (marketMarkUsd(state, market) ?? 0);
}
