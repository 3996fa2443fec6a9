import { MarginalError } from "../core/errors.ts";
import type { ApcState } from "../core/margin/apc.ts";
import { parseRiskParams, type RiskParams } from "../core/margin/risk-params.ts";
import type { MarginMode } from "../core/margin/types.ts";
import { parseDecimal, pow10 } from "./decimal.ts";
import type { AssetConfig, EngineConfig, MarketConfig, UnderlyingConfig } from "./engine-config.ts";

/*
 * The engine's whole state. It changes only through applyEvent. Sub-accounts are addressed by a
 * dense integer index (in id order of opening), so a columnar struct-of-arrays book can mirror
 * them later; `holdersByUnderlying` is the index that lets a price change re-margin only the
 * sub-accounts it touches. Everything that is derived (resolved config, holder index) is rebuilt
 * on restore and is not part of the hash.
 */

export type MarketStatus = "active" | "reduce_only" | "halted";

export interface Position {
  /** Signed size in lots (10^-sizeDecimals contracts); positive is long. */
  lots: bigint;
  /**
   * Signed cost basis. Linear markets: Σ lots × price in (lot × tick) units, so realised PnL is
   * exact. Inverse perps: Σ of the coin value of each trade (lots × contract USD / price) in the
   * settlement coin's smallest units, each rounded down (against the account).
   */
  basisRaw: bigint;
}

/** Per-sub-account margin settings (defaults: multiplier 1, the venue's base parameters). */
export interface SubaccountSettings {
  /** Trader-chosen stricter margin: IM × this (≥ 1). */
  imMultiplier: number;
  /** Venue-assigned parameter set of the core policy document, or null for the base one. */
  paramSetId: string | null;
}

/** The identity of the insurance fund's own sub-account when it backstops an auction. */
export const BACKSTOP_ACCOUNT_ID = "venue:insurance";
export const BACKSTOP_SUBACCOUNT_ID = "venue:insurance/backstop";

export interface LiquidationState {
  startedAtMs: number;
  /** Insurance money lent to this account while bankrupt; what is left at the end goes back. */
  insuranceDrawnUnits: bigint;
}

export interface SubaccountState {
  index: number;
  id: string;
  accountId: string;
  /** Balance per collateral asset in the asset's smallest unit. */
  balances: Map<string, bigint>;
  positions: Map<string, Position>;
  liquidation: LiquidationState | null;
  /** Margin mode, chosen at opening; isolated holds at most one position. */
  mode: MarginMode;
  settings: SubaccountSettings;
}

export interface SourceReport {
  priceTicks: bigint;
  publishedAtMs: number;
}

export interface UnderlyingState {
  id: string;
  sources: Map<string, SourceReport>;
  /** Last valid mark in ticks (10^-priceDecimals USD), or null before the first one. */
  markTicks: bigint | null;
  /** Whether the mark is currently backed by enough fresh, agreeing sources. */
  markValid: boolean;
  lastValidAtMs: number;
  status: MarketStatus;
  statusReason: string;
  /** A circuit-breaker reduce-only lasts until this time (0 when none). */
  coolingUntilMs: number;
  /** Recent (time, mark) pairs within the circuit-breaker window. */
  history: { atMs: number; markTicks: bigint }[];
  marginMultiplier: number;
  multiplierChangedAtMs: number;
}

export interface MarketRuntime {
  id: string;
  initialMarginFraction: number;
  maintenanceMarginFraction: number;
  settled: boolean;
  /** Σ of long lots (= Σ of short lots). */
  openInterestLots: bigint;
  /** Anti-procyclicality state of the core policy, folded on marks and parameter changes. */
  apc: ApcState | null;
}

export interface VenueLedger {
  /** Per asset, in smallest units. */
  insurance: Map<string, bigint>;
  fees: Map<string, bigint>;
  /** Realised PnL paid out before the losing side realised it (and vice versa). */
  pnlPool: Map<string, bigint>;
  deposits: Map<string, bigint>;
  withdrawals: Map<string, bigint>;
}

export interface ResolvedMarket {
  cfg: MarketConfig;
  underlying: UnderlyingConfig;
  contractSize: number;
  /** PnL in quote units = raw (lot×tick) × rawToQuoteNum / rawToQuoteDen, exactly. */
  rawToQuoteNum: bigint;
  rawToQuoteDen: bigint;
  lotsPerContract: number;
  ticksPerUnit: number;
  strike: number;
  /** Inverse (coin-margined) perpetual. */
  inverse: boolean;
  /** Asset that PnL, fees and funding settle in: the quote asset, or the coin of an inverse perp. */
  settlementAsset: string;
  /**
   * Inverse perps: coin smallest units of `lots` at `priceTicks` = lots × invNum / (priceTicks ×
   * invDen), exactly (0 for linear markets).
   */
  invNum: bigint;
  invDen: bigint;
  /** Decimals of the settlement asset. */
  settlementDecimals: number;
}

export interface ResolvedConfig {
  cfg: EngineConfig;
  /** The core margin policy document, when the configuration names one. */
  riskPolicy: { mode: MarginMode; params: RiskParams } | null;
  /** Mode of a sub-account opened without one: the policy's mode, else cross. */
  defaultMode: MarginMode;
  quoteDecimals: number;
  assets: Map<string, AssetConfig>;
  underlyings: Map<string, UnderlyingConfig>;
  markets: Map<string, ResolvedMarket>;
}

export interface EngineState {
  config: ResolvedConfig | null;
  /** Sequence number of the last applied event (0 before any). */
  seq: number;
  clockMs: number;
  subaccounts: SubaccountState[];
  subaccountIndex: Map<string, number>;
  accounts: Map<string, string[]>;
  underlyings: Map<string, UnderlyingState>;
  markets: Map<string, MarketRuntime>;
  venue: VenueLedger;
  /** Accepted command id → the sequence range of its events (FIFO window). */
  commands: Map<string, { firstSeq: number; lastSeq: number }>;
  holdersByUnderlying: Map<string, Set<number>>;
  /** Derived: each underlying's holders in index order, rebuilt lazily after membership changes. */
  sortedHolders: Map<string, number[]>;
  /** Derived: indices of the sub-accounts in liquidation (what keepers poll). */
  liquidating: Set<number>;
  /**
   * Derived: the policy document in force, i.e. the configured one with the static fractions of
   * `update_risk_params` applied (null without a policy); rebuilt when they change.
   */
  policyParams: RiskParams | null;
}

/** An empty engine, before its `configured` event. */
export function createEmptyState(): EngineState {
  return {
    config: null,
    seq: 0,
    clockMs: 0,
    subaccounts: [],
    subaccountIndex: new Map(),
    accounts: new Map(),
    underlyings: new Map(),
    markets: new Map(),
    venue: {
      insurance: new Map(),
      fees: new Map(),
      pnlPool: new Map(),
      deposits: new Map(),
      withdrawals: new Map(),
    },
    commands: new Map(),
    holdersByUnderlying: new Map(),
    sortedHolders: new Map(),
    liquidating: new Set(),
    policyParams: null,
  };
}

/** Precomputes the exact scale factors of every market from a validated configuration. */
export function resolveConfig(cfg: EngineConfig): ResolvedConfig {
  const assets = new Map(cfg.assets.map((a) => [a.id, a]));
  const underlyings = new Map(cfg.underlyings.map((u) => [u.id, u]));
  const quoteDecimals = assets.get(cfg.quoteAsset)?.decimals ?? 6;
  const markets = new Map<string, ResolvedMarket>();
  for (const m of cfg.markets) {
    const csDecimals = m.contractSize.split(".")[1]?.length ?? 0;
    const csScaled = parseDecimal(m.contractSize, csDecimals, `markets.${m.id}.contractSize`);
    const inverse = m.inverse === true;
    const settlementAsset = inverse ? m.settlementAsset! : cfg.quoteAsset;
    const settlementDecimals = assets.get(settlementAsset)?.decimals ?? quoteDecimals;
    markets.set(m.id, {
      cfg: m,
      underlying: underlyings.get(m.underlying)!,
      contractSize: Number(m.contractSize),
      rawToQuoteNum: csScaled * pow10(quoteDecimals),
      rawToQuoteDen: pow10(m.sizeDecimals + m.priceDecimals + csDecimals),
      lotsPerContract: 10 ** m.sizeDecimals,
      ticksPerUnit: 10 ** m.priceDecimals,
      strike: m.option === undefined ? 0 : Number(m.option.strike),
      inverse,
      settlementAsset,
      // lots/10^sd contracts × C USD / (ticks/10^pd USD per coin) × 10^cd units per coin.
      invNum: inverse ? csScaled * pow10(settlementDecimals + m.priceDecimals) : 0n,
      invDen: inverse ? pow10(m.sizeDecimals + csDecimals) : 1n,
      settlementDecimals,
    });
  }
  const riskPolicy =
    cfg.riskPolicy === undefined
      ? null
      : { mode: cfg.riskPolicy.mode, params: parseRiskParams(cfg.riskPolicy.params) };
  const defaultMode = riskPolicy?.mode ?? "cross";
  return { cfg, riskPolicy, defaultMode, quoteDecimals, assets, underlyings, markets };
}

/** The resolved configuration; a command before `configured` is rejected before reaching here. */
export function configOf(state: EngineState): ResolvedConfig {
  if (state.config === null) throw new MarginalError("invariant_violated", "engine is not configured");
  return state.config;
}

// One-entry memo of `indexOfSubaccount`: an event is looked up by applyEvent and again by the
// columnar mirror, and a review emits several events for the same sub-account in a row.
let memoIds: Map<string, number> | null = null;
let memoId = "";
let memoIndex = -1;

/** The dense index of a sub-account id (a Map lookup, memoised for repeated ids). */
export function indexOfSubaccount(state: EngineState, id: string): number | undefined {
  if (memoIds === state.subaccountIndex && memoId === id) return memoIndex;
  const index = state.subaccountIndex.get(id);
  if (index === undefined) return undefined;
  memoIds = state.subaccountIndex;
  memoId = id;
  memoIndex = index;
  return index;
}

/**
 * Primes the memo of `indexOfSubaccount` with a live sub-account (its id maps to its index for
 * good), so that the events a review emits for it find it without a lookup of the id.
 */
export function primeSubaccountIndex(state: EngineState, s: SubaccountState): void {
  memoIds = state.subaccountIndex;
  memoId = s.id;
  memoIndex = s.index;
}

/**
 * The time at which positions are valued (option time to expiry, the policy's as-of time): the
 * clock rounded down to the configured valuation step, or the clock itself without one.
 * Lifecycle decisions (expiry, staleness, auctions) always use the exact clock.
 */
export function valuationClockMs(state: EngineState): number {
  const step = state.config?.cfg.valuationIntervalMs;
  return step === undefined ? state.clockMs : Math.floor(state.clockMs / step) * step;
}

/** Adds `delta` to a bigint map entry, deleting zero entries so equal states hash equally. */
export function addTo(map: Map<string, bigint>, key: string, delta: bigint): void {
  const next = (map.get(key) ?? 0n) + delta;
  if (next === 0n) map.delete(key);
  else map.set(key, next);
}

/**
 * The holders of an underlying in index order (the order sweeps use, so the result does not
 * depend on set insertion history), cached until the membership changes.
 */
export function holdersInOrder(state: EngineState, underlyingId: string): readonly number[] {
  let sorted = state.sortedHolders.get(underlyingId);
  if (sorted === undefined) {
    sorted = [...(state.holdersByUnderlying.get(underlyingId) ?? [])].sort((a, b) => a - b);
    state.sortedHolders.set(underlyingId, sorted);
  }
  return sorted;
}

/**
 * The policy document in force: the configured one with each static market policy's base
 * fractions replaced by the engine's current ones (`update_risk_params`), so a parameter change
 * reaches the core policy too. Volatility-scaled policies keep their own parameters.
 */
export function effectivePolicyParams(state: EngineState): RiskParams | null {
  const cfg = state.config;
  if (cfg === null || cfg.riskPolicy === null) return null;
  const base = cfg.riskPolicy.params;
  let markets: RiskParams["markets"] | null = null;
  for (const [id, runtime] of state.markets) {
    const mp = base.markets[id];
    const initial = cfg.markets.get(id)?.cfg;
    if (mp === undefined || mp.policy.type !== "static" || initial === undefined) continue;
    if (
      runtime.initialMarginFraction === initial.initialMarginFraction &&
      runtime.maintenanceMarginFraction === initial.maintenanceMarginFraction
    )
      continue;
    markets ??= { ...base.markets };
    markets[id] = {
      ...mp,
      policy: {
        ...mp.policy,
        initialFraction: runtime.initialMarginFraction,
        maintenanceFraction: runtime.maintenanceMarginFraction,
      },
    };
  }
  return markets === null ? base : { ...base, markets };
}
