import { assertInvariant, MarginalError } from "../../core/errors.ts";
import {
  type ColumnarBook,
  createColumnarBook,
  openBookSubaccount,
  writeBookRow,
} from "../../core/hotpath/columnar-book.ts";
import {
  type HotpathUniverse,
  KIND_OPTION,
  resolveHotpathUniverse,
} from "../../core/hotpath/hotpath-universe.ts";
import {
  resultEquityUsd,
  resultInitialMarginUsd,
  resultMaintenanceMarginUsd,
} from "../../core/hotpath/margin-columns.ts";
import { float64Column, growColumn, uint8Column } from "../../core/hotpath/typed-columns.ts";
import { parseRiskParams, type RiskParams } from "../../core/margin/risk-params.ts";
import type { MarginMode, MarketState } from "../../core/margin/types.ts";
import {
  type EngineState,
  indexOfSubaccount,
  type ResolvedConfig,
  type SubaccountState,
  valuationClockMs,
} from "../engine-state.ts";
import type { EngineEvent } from "../events.ts";
import { policyMarketState } from "../policy-risk.ts";
import {
  computeRiskReference,
  marketMarkUsd,
  type SubaccountRisk,
  underlyingMarkUsd,
} from "../subaccount-risk.ts";
import { createRemarginSession, type RemarginSession } from "./remargin-session.ts";
import { createSyncRemarginPool, type SyncRemarginPool } from "./sync-remargin-pool.ts";
import {
  computeVerdicts,
  VERDICT_MULTIPLIER,
  VERDICT_TARGET_HEALTH,
  type VerdictColumns,
} from "./verdicts.ts";

/*
 * The engine's columnar risk path (`riskPath: "columnar"`). A ColumnarBook mirrors the engine's
 * sub-accounts; every applied event marks the rows it touched, and before a sweep those rows are
 * rewritten from the exact state and the remargin session's `tick` re-margins, with the columnar
 * kernel, only the sub-accounts whose rows or market inputs changed. A sweep then skips every
 * holder the kernel shows clearly healthy and hands the others (near or below MM, in liquidation,
 * touched during the sweep, or of a shape the mirror does not cover) to the reference state
 * machine, which alone emits events. Skipping is sound because `reviewSubaccount` of a healthy,
 * non-liquidating sub-account is a no-op, so the event log and the state hash are the reference
 * path's exactly; the screen's margin of safety only has to absorb float rounding.
 *
 * What the kernel computes is the core policy (computeSubaccountMargin). The engine decides on
 * its own figures, so the screen reproduces them: requirements are the core's for a configured
 * policy (or, without one, the core's static policy on a document synthesised from the engine's
 * fractions and haircuts, options excluded), scaled by the circuit-breaker multiplier; equity is
 * the kernel's with each collateral asset revalued at the engine's haircut (a per-asset
 * correction column). Everything here is derived state: not hashed, not in snapshots, rebuilt
 * from the exact state on first use (so replay and restore rebuild it too).
 */

export interface ColumnarRiskStats {
  /** Sweeps that used the columnar screen / that fell back to the reference for every holder. */
  screenedSweeps: number;
  referenceSweeps: number;
  /** Holders skipped as healthy / handed to the reference review. */
  skipped: number;
  reviewed: number;
  /** Holders without positions outside a liquidation (the review is a no-op for them). */
  idle: number;
  /** Reviewed because the mirror does not cover their shape (negative balance, option, …). */
  ineligible: number;
  /** Requirements served from the kernel's results / computed by the reference policy code. */
  kernelRequirements: number;
  /** Sub-account risks (equity, notional, requirements) served from the mirror's columns. */
  kernelRisks: number;
  /** Rows re-margined on demand because re-timed options had left their results stale. */
  staleRefreshed: number;
  /** Audit mode: largest |screen equity − reference equity| and |screen MM − reference MM| seen, USD. */
  maxEquityDiffUsd: number;
  maxMaintenanceDiffUsd: number;
}

interface Mirror {
  /** The synchronous worker pool of this mirror's universe (threads > 1), or null. */
  pool: SyncRemarginPool | null;
  /** The document the universe was resolved from (identity for a policy, key for a synthesised one). */
  key: RiskParams | string;
  staticFallback: boolean;
  universe: HotpathUniverse;
  book: ColumnarBook;
  session: RemarginSession | null;
  instrumentOf: Map<string, number>;
  assetOf: Map<string, number>;
  /** Per sub-account: 1 when the mirror represents it exactly enough to be screened. */
  eligible: Uint8Array;
  /** Engine value of one unit of each universe asset minus the kernel's, USD (per sweep). */
  assetAdjustUsd: Float64Array;
  /** Gross collateral value per unit (for the safety margin). */
  assetGrossUsd: Float64Array;
  /** Engine price of one unit of each asset, USD (a debt is valued at it, with no haircut). */
  assetPriceUsd: Float64Array;
  /**
   * Negative balances per sub-account × asset, in asset units (≤ 0). The core policy takes no
   * debt (the book holds 0 there, as policy-risk.ts passes it); the engine's equity carries it.
   */
  debt: Float64Array;
  /** Scratch row of collateral amounts (no allocation per rewritten row). */
  scratchCollateral: Float64Array;
  /**
   * Per sub-account: 1 while in liquidation / 1 once the insurance fund lent to it in this
   * liquidation. Kept in step by the liquidation events (which do not dirty the row), so a sweep
   * screens a holder without touching its state object.
   */
  inLiquidation: Uint8Array;
  insuranceDrawn: Uint8Array;
  /**
   * Per sub-account: 1 when the screen has shown its review to be a no-op at the current market
   * (clearly healthy, or clearly staying in liquidation, or idle). Recomputed for every row the
   * kernel re-margins, right after it, so that a sweep reads one byte per holder; cleared by the
   * liquidation events; recomputed for every row when the breaker multiplier changes.
   */
  verdict: Uint8Array;
  verdictMultiplier: number;
  /** The columns above as the verdict code reads them (rebuilt when one is grown). */
  verdictColumns: VerdictColumns | null;
  /** The engine's own risk figures of a row (see `columnarSubaccountRisk`). */
  risk: RiskColumns;
  /**
   * The core market state of the last sync, kept and updated in place entry by entry (a new
   * state per sweep would allocate an object per market); null before the first sync.
   */
  workMarket: WorkMarket | null;
  /**
   * The configuration and valuation time the work market's option marks were computed at: an
   * option's mark depends on those and its underlying's index only, so while both hold, the
   * options of unmoved underlyings are not revisited (NaN / null: revisit all).
   */
  optionMarksAtMs: number;
  optionMarksConfig: ResolvedConfig | null;
  /** Universe underlying index by id, and the moved-underlyings flags of the current sync. */
  underlyingIndex: Map<string, number>;
  moved: Uint8Array;
}

/** A core market state the mirror owns and updates in place (policyMarketState builds it fresh). */
interface WorkMarket {
  asOfMs: number;
  underlyings: Record<string, MarketState["underlyings"][string]>;
  collateral: Record<string, MarketState["collateral"][string]>;
  markets: Record<string, NonNullable<MarketState["markets"]>[string]>;
  apcStates: Record<string, NonNullable<MarketState["apcStates"]>[string]>;
}

/**
 * What `computeRisk` reads from a sub-account's exact state, as floats in the engine's own order
 * (its Map orders of balances and positions, which float sums depend on), so that a reviewed
 * sub-account's equity and notional come from columns, bit for bit, without walking its objects.
 * Written with the row by `writeRow`; market values are refreshed by every sync.
 */
interface RiskColumns {
  /** Per book position row: the position's rank in the engine's Map order. */
  posRank: Uint8Array;
  /** Per book position row: linear, the basis in USD; inverse, the basis in coin (as positionPnlUsd). */
  posBasis: Float64Array;
  /** Per sub-account: book.posStart when its risk row was written (a moved row is not served). */
  rowStart: Int32Array;
  /** Per sub-account: balances in the engine's Map order (asset index, float amount), nA slots each. */
  balCount: Uint8Array;
  balAsset: Int32Array;
  balValue: Float64Array;
  /** Per universe market: contract size, inverse / option flags, expiry (NaN: none), engine underlying. */
  contractSize: Float64Array;
  inverse: Uint8Array;
  option: Uint8Array;
  expiryMs: Float64Array;
  underlying: Int32Array;
  /** The engine underlying ids the markets above refer to. */
  underlyingIds: string[];
  /** Per universe asset: tied to an underlying's price (1/0), 1 − haircut, that underlying (engine index). */
  assetTied: Uint8Array;
  assetOneMinusHaircut: Float64Array;
  assetUnderlying: Int32Array;
  /** Per sync: marketMarkUsd per market, underlyingMarkUsd per underlying (0 when none), breaker multipliers. */
  markUsd: Float64Array;
  spotUsd: Float64Array;
  multiplier: Float64Array;
  /** Scratch: book offsets of a row's positions by rank. */
  order: Int32Array;
}

function createRiskColumns(
  state: EngineState,
  universe: HotpathUniverse,
  rows: number,
  positions: number,
): RiskColumns {
  const cfg = state.config!;
  const nI = universe.instrumentCount;
  const nA = universe.assetCount;
  const underlyingIds: string[] = [];
  const underlyingOf = new Map<string, number>();
  const engineUnderlying = (id: string): number => {
    let x = underlyingOf.get(id);
    if (x === undefined) {
      x = underlyingIds.length;
      underlyingIds.push(id);
      underlyingOf.set(id, x);
    }
    return x;
  };
  const contractSize = new Float64Array(nI);
  const inverse = new Uint8Array(nI);
  const option = new Uint8Array(nI);
  const expiryMs = new Float64Array(nI);
  const underlying = new Int32Array(nI);
  for (let i = 0; i < nI; i++) {
    const market = cfg.markets.get(universe.marketIds[i]!);
    if (market === undefined) {
      // Not applicable to this configuration (`applicable` refuses it); never served.
      expiryMs[i] = Number.NEGATIVE_INFINITY;
      underlying[i] = -1;
      continue;
    }
    contractSize[i] = market.contractSize;
    inverse[i] = market.inverse ? 1 : 0;
    option[i] = market.cfg.option === undefined ? 0 : 1;
    expiryMs[i] = market.cfg.expiryMs ?? Number.NaN;
    underlying[i] = engineUnderlying(market.cfg.underlying);
  }
  const assetTied = new Uint8Array(nA);
  const assetOneMinusHaircut = new Float64Array(nA);
  const assetUnderlying = new Int32Array(nA).fill(-1);
  for (let k = 0; k < nA; k++) {
    const a = cfg.assets.get(universe.assetIds[k]!);
    if (a === undefined || a.priceUnderlying === undefined) continue;
    assetTied[k] = 1;
    assetOneMinusHaircut[k] = 1 - a.haircut;
    assetUnderlying[k] = engineUnderlying(a.priceUnderlying);
  }
  return {
    posRank: new Uint8Array(positions),
    posBasis: new Float64Array(positions),
    rowStart: new Int32Array(rows).fill(-1),
    balCount: new Uint8Array(rows),
    balAsset: new Int32Array(rows * nA),
    balValue: new Float64Array(rows * nA),
    contractSize,
    inverse,
    option,
    expiryMs,
    underlying,
    underlyingIds,
    assetTied,
    assetOneMinusHaircut,
    assetUnderlying,
    markUsd: new Float64Array(nI),
    spotUsd: new Float64Array(underlyingIds.length),
    multiplier: new Float64Array(underlyingIds.length),
    order: new Int32Array(Math.max(1, universe.maxPositionsPerSubaccount)),
  };
}

/** Grows the risk columns to `rows` sub-accounts and the book's position capacity. */
function growRiskColumns(r: RiskColumns, rows: number, positions: number, nA: number): void {
  if (r.posRank.length < positions) {
    r.posRank = growColumn(r.posRank, positions);
    r.posBasis = growColumn(r.posBasis, positions);
  }
  if (r.rowStart.length < rows) {
    const before = r.rowStart.length;
    r.rowStart = growColumn(r.rowStart, rows);
    r.rowStart.fill(-1, before);
    r.balCount = growColumn(r.balCount, rows);
    r.balAsset = growColumn(r.balAsset, rows * nA);
    r.balValue = growColumn(r.balValue, rows * nA);
  }
}

interface ColumnarRisk {
  audit: boolean;
  /** Threads of the kernel pass (1: the engine's thread only; more: a synchronous worker pool). */
  threads: number;
  poolMinList: number | undefined;
  mirror: Mirror | null;
  /** Rows touched by events since the last sync; `allDirty` after a global change. */
  dirty: Set<number>;
  allDirty: boolean;
  /**
   * Whether the kernel's results describe the current market: set by a successful sync, cleared
   * by any event that changes a market input (marks, parameters, configuration, expiry) and by
   * the clock moving past `syncedClockMs`. Row events only mark their rows dirty.
   */
  fresh: boolean;
  syncedClockMs: number;
  stats: ColumnarRiskStats;
}

const registry = new WeakMap<EngineState, ColumnarRisk>();

/** Switches an engine state to the columnar risk path (audit: check every skip against the reference). */
export function enableColumnarRisk(
  state: EngineState,
  options: { audit?: boolean; threads?: number; poolMinList?: number } = {},
): void {
  registry.set(state, {
    audit: options.audit ?? false,
    threads: options.threads ?? 1,
    poolMinList: options.poolMinList,
    mirror: null,
    dirty: new Set(),
    allDirty: true,
    fresh: false,
    syncedClockMs: Number.NaN,
    stats: {
      screenedSweeps: 0,
      referenceSweeps: 0,
      skipped: 0,
      reviewed: 0,
      idle: 0,
      ineligible: 0,
      kernelRequirements: 0,
      kernelRisks: 0,
      staleRefreshed: 0,
      maxEquityDiffUsd: 0,
      maxMaintenanceDiffUsd: 0,
    },
  });
}

/** Stops the worker threads of the columnar path, if any (the state stays usable on one thread). */
export function closeColumnarRisk(state: EngineState): void {
  const cr = registry.get(state);
  if (cr === undefined) return;
  cr.mirror?.pool?.close();
  cr.threads = 1;
  cr.mirror = null;
  cr.allDirty = true;
}

/** Whether the state runs on the columnar path. */
export function columnarRiskEnabled(state: EngineState): boolean {
  return registry.has(state);
}

/** Counters of the columnar path (null on the reference path). */
export function columnarRiskStats(state: EngineState): Readonly<ColumnarRiskStats> | null {
  return registry.get(state)?.stats ?? null;
}

/** Events that change no mirror row and no market input (the liquidation state is not in the row). */
const NEUTRAL_EVENTS = new Set<EngineEvent["type"]>([
  "liquidation_started",
  "liquidation_ended",
  "oracle_accepted",
  "insurance_funded",
  "backstop_triggered",
]);

/** Events that change only the rows of the sub-accounts they name. */
const ROW_EVENTS = new Set<EngineEvent["type"]>([
  "subaccount_opened",
  "margin_mode_changed",
  "subaccount_settings_changed",
  "deposited",
  "withdrawn",
  "transferred",
  "trade_settled",
  "funding_paid",
  "debt_converted",
  "backstop_funded",
  "liquidation_penalty_paid",
  "insurance_drawn",
  "insurance_refunded",
  "venue_absorbed",
  "collateral_seized",
  "collateral_sold",
]);

/** Records which mirror rows an applied event touched (called by applyEvent). */
export function noteColumnarEvent(state: EngineState, e: EngineEvent): void {
  const cr = registry.get(state);
  if (cr === undefined) return;
  const m = cr.mirror;
  if (
    m !== null &&
    (e.type === "liquidation_started" || e.type === "liquidation_ended" || e.type === "insurance_drawn")
  ) {
    const index = indexOfSubaccount(state, e.subaccountId);
    if (index !== undefined && index < m.inLiquidation.length) {
      m.verdict[index] = 0;
      if (e.type === "insurance_drawn") m.insuranceDrawn[index] = 1;
      else {
        m.inLiquidation[index] = e.type === "liquidation_started" ? 1 : 0;
        m.insuranceDrawn[index] = 0;
      }
    }
  }
  if (NEUTRAL_EVENTS.has(e.type)) return;
  if (!ROW_EVENTS.has(e.type)) {
    // A market input changed (mark, breaker, parameters, configuration, expiry): the results
    // are stale until the next sync; a new configuration or a settlement rewrites every row.
    cr.fresh = false;
    if (e.type === "configured" || e.type === "expiry_settled") cr.allDirty = true;
    return;
  }
  switch (e.type) {
    case "trade_settled":
      markDirty(state, cr, e.buyerSubaccountId);
      markDirty(state, cr, e.sellerSubaccountId);
      return;
    case "transferred":
      markDirty(state, cr, e.fromSubaccountId);
      markDirty(state, cr, e.toSubaccountId);
      return;
    case "funding_paid":
      for (const p of e.payments) markDirty(state, cr, p.subaccountId);
      return;
    default:
      if ("subaccountId" in e && typeof e.subaccountId === "string") markDirty(state, cr, e.subaccountId);
      // A row event naming no sub-account the mirror can find: treat the results as stale.
      else cr.fresh = false;
  }
}

/** Marks a sub-account's row dirty (rewritten at the next sync); its verdict no longer holds. */
function markDirty(state: EngineState, cr: ColumnarRisk, id: string): void {
  const index = indexOfSubaccount(state, id);
  if (index === undefined) return;
  cr.dirty.add(index);
  const m = cr.mirror;
  if (m !== null && index < m.verdict.length) m.verdict[index] = 0;
}

/**
 * The static policy the engine applies without a policy document, as a core document: each
 * non-option market static at its current fractions, each asset at its fixed haircut. Options
 * are left out (the engine margins a long option at its full value, which no core policy does):
 * their holders always go to the reference.
 */
function staticDocument(state: EngineState): { key: string; params: RiskParams } | null {
  const cfg = state.config!;
  const markets: Record<string, unknown> = {};
  const fractions: string[] = [];
  for (const [id, m] of cfg.markets) {
    if (m.cfg.option !== undefined) continue;
    const runtime = state.markets.get(id)!;
    const instrument = m.inverse
      ? { type: "inverse-perp" }
      : m.cfg.expiryMs === undefined
        ? { type: "linear-perp" }
        : { type: "dated-future", expiryMs: m.cfg.expiryMs };
    markets[id] = {
      instrument,
      underlying: m.cfg.underlying,
      contractSize: m.contractSize,
      tickSize: 1 / m.ticksPerUnit,
      policy: {
        type: "static",
        initialFraction: runtime.initialMarginFraction,
        maintenanceFraction: runtime.maintenanceMarginFraction,
      },
    };
    fractions.push(`${id}:${runtime.initialMarginFraction}:${runtime.maintenanceMarginFraction}`);
  }
  const collateral: Record<string, unknown> = {};
  for (const a of cfg.assets.values())
    collateral[a.id] = {
      haircut: { model: "fixed", fraction: a.haircut },
      // No underlying link: the engine has no wrong-way add-on, and the price comes from the market state.
    };
  const underlyings: Record<string, unknown> = {};
  for (const u of cfg.underlyings.keys())
    underlyings[u] = {
      priceRange: 0.1,
      priceSteps: 3,
      volShockUp: 0,
      volShockDown: 0,
      shortOptionMinimumFraction: 0,
      calendarSpreadFraction: 0,
      maintenanceShare: 0.5,
    };
  const doc = {
    version: 1,
    venue: "engine-static",
    quoteAsset: cfg.cfg.quoteAsset,
    markets,
    collateral,
    underlyings,
  };
  try {
    return { key: fractions.join(","), params: parseRiskParams(doc) };
  } catch (error) {
    // A venue the core schema cannot describe (e.g. a haircut it does not accept) stays on the reference.
    if (error instanceof MarginalError) return null;
    throw error;
  }
}

function buildMirror(
  state: EngineState,
  cr: ColumnarRisk,
  key: RiskParams | string,
  params: RiskParams,
  staticFallback: boolean,
): Mirror {
  const universe = resolveHotpathUniverse(params);
  const n = state.subaccounts.length;
  const shared = cr.threads > 1;
  let pool: SyncRemarginPool | null = null;
  if (cr.threads > 1) {
    pool = createSyncRemarginPool(
      universe,
      cr.threads,
      cr.poolMinList === undefined ? {} : { minList: cr.poolMinList },
    );
    // Once per mirror (start-up, a new policy): let the workers start, so that the first sweeps
    // share the work (until they run, the engine's thread takes every chunk itself).
    pool.waitReady(10_000);
  }
  return {
    pool,
    key,
    staticFallback,
    universe,
    book: createColumnarBook(
      universe,
      { subaccounts: Math.max(n, 16), positions: Math.max(4 * n, 64) },
      shared,
    ),
    session: null,
    instrumentOf: new Map(universe.marketIds.map((id, i) => [id, i])),
    assetOf: new Map(universe.assetIds.map((id, k) => [id, k])),
    // Shared with a pool: its workers compute the verdicts of the rows they re-margin.
    eligible: uint8Column(Math.max(n, 16), shared),
    assetAdjustUsd: float64Column(universe.assetCount, shared),
    assetGrossUsd: float64Column(universe.assetCount, shared),
    assetPriceUsd: float64Column(universe.assetCount, shared),
    debt: float64Column(Math.max(n, 16) * universe.assetCount, shared),
    scratchCollateral: new Float64Array(universe.assetCount),
    inLiquidation: uint8Column(Math.max(n, 16), shared),
    insuranceDrawn: uint8Column(Math.max(n, 16), shared),
    verdict: uint8Column(Math.max(n, 16), shared),
    verdictMultiplier: Number.NaN,
    verdictColumns: null,
    risk: createRiskColumns(state, universe, Math.max(n, 16), Math.max(4 * n, 64)),
    workMarket: null,
    optionMarksAtMs: Number.NaN,
    optionMarksConfig: null,
    underlyingIndex: new Map(universe.underlyingIds.map((id, x) => [id, x])),
    moved: new Uint8Array(universe.underlyingCount),
  };
}

/** Earliest expiry of a configuration's markets (+∞ without dated markets), once per configuration. */
const earliestExpiry = new WeakMap<ResolvedConfig, number>();
function earliestExpiryMs(cfg: ResolvedConfig): number {
  let earliest = earliestExpiry.get(cfg);
  if (earliest === undefined) {
    earliest = Number.POSITIVE_INFINITY;
    for (const market of cfg.markets.values())
      if (market.cfg.expiryMs !== undefined) earliest = Math.min(earliest, market.cfg.expiryMs);
    earliestExpiry.set(cfg, earliest);
  }
  return earliest;
}

/** Whether the columnar mirror can serve the engine's current configuration and market. */
function applicable(state: EngineState, m: Mirror): boolean {
  const cfg = state.config!;
  for (const id of m.universe.marketIds) if (!cfg.markets.has(id)) return false;
  for (const id of m.universe.assetIds) if (!cfg.assets.has(id)) return false;
  // Expired-but-unsettled markets are margined by the engine's static rule: reference only.
  if (earliestExpiryMs(cfg) <= state.clockMs) return false;
  for (const u of m.universe.underlyingIds) {
    if (state.underlyings.get(u)?.markTicks == null) return false;
  }
  for (let k = 0; k < m.universe.assetCount; k++) if (m.universe.assetHasCap[k] === 1) return false;
  return true;
}

/** Scratch of one rewritten row (grown to the universe's largest row). */
let rowInstruments = new Int32Array(16);
let rowSizes = new Float64Array(16);
let rowEntries = new Float64Array(16);
let rowRanks = new Int32Array(16);
let rowBases = new Float64Array(16);

function ensureRowScratch(n: number): void {
  if (rowInstruments.length >= n) return;
  const size = Math.max(n, 2 * rowInstruments.length);
  rowInstruments = growColumn(rowInstruments, size);
  rowSizes = growColumn(rowSizes, size);
  rowEntries = growColumn(rowEntries, size);
  rowRanks = growColumn(rowRanks, size);
  rowBases = growColumn(rowBases, size);
}

/** Rewrites sub-account a's mirror row from the exact state; returns whether it can be screened. */
function writeRow(state: EngineState, m: Mirror, s: SubaccountState): boolean {
  const cfg = state.config!;
  const nA = m.universe.assetCount;
  const a = s.index;
  const r = m.risk;
  m.inLiquidation[a] = s.liquidation === null ? 0 : 1;
  m.insuranceDrawn[a] = s.liquidation !== null && s.liquidation.insuranceDrawnUnits > 0n ? 1 : 0;
  const collateral = m.scratchCollateral.fill(0);
  m.debt.fill(0, a * nA, (a + 1) * nA);
  let ok = true;
  let balances = 0;
  for (const asset of s.balances.keys()) {
    const amount = s.balances.get(asset)!;
    const k = m.assetOf.get(asset);
    if (k === undefined || balances >= nA) {
      ok = false;
      continue;
    }
    // ledgerToFloat, as computeRisk converts a balance.
    const units = Number(amount) / 10 ** cfg.assets.get(asset)!.decimals;
    if (amount < 0n) m.debt[a * nA + k] = units;
    else collateral[k] = units;
    r.balAsset[a * nA + balances] = k;
    r.balValue[a * nA + balances] = units;
    balances++;
  }
  r.balCount[a] = balances;
  ensureRowScratch(s.positions.size);
  let count = 0;
  let rank = 0;
  for (const marketId of s.positions.keys()) {
    const pos = s.positions.get(marketId)!;
    const i = m.instrumentOf.get(marketId);
    if (i === undefined) {
      ok = false;
      continue;
    }
    const market = cfg.markets.get(marketId)!;
    const size = Number(pos.lots) / market.lotsPerContract;
    // The entry price exactly as policy-risk.ts converts it for the core policy.
    const entry = market.inverse
      ? (size * market.contractSize) / (Number(pos.basisRaw) / 10 ** market.settlementDecimals)
      : Number(pos.basisRaw) / Number(pos.lots) / market.ticksPerUnit;
    if (!(Number.isFinite(entry) && entry > 0)) {
      ok = false;
      continue;
    }
    // positionPnlUsd's basis: coin for an inverse perp, USD otherwise (the same expressions).
    const basis = market.inverse
      ? Number(pos.basisRaw) / 10 ** market.settlementDecimals
      : (Number(pos.basisRaw) * Number(market.rawToQuoteNum)) /
        Number(market.rawToQuoteDen) /
        10 ** cfg.quoteDecimals;
    // Insertion by ascending instrument index (a row holds a handful of positions).
    let j = count;
    while (j > 0 && rowInstruments[j - 1]! > i) {
      rowInstruments[j] = rowInstruments[j - 1]!;
      rowSizes[j] = rowSizes[j - 1]!;
      rowEntries[j] = rowEntries[j - 1]!;
      rowRanks[j] = rowRanks[j - 1]!;
      rowBases[j] = rowBases[j - 1]!;
      j--;
    }
    rowInstruments[j] = i;
    rowSizes[j] = size;
    rowEntries[j] = entry;
    rowRanks[j] = rank;
    rowBases[j] = basis;
    count++;
    rank++;
  }
  if (count > m.universe.maxPositionsPerSubaccount) {
    ok = false;
    count = 0;
  }
  let mode: MarginMode = m.staticFallback ? "cross" : s.mode;
  if (!m.staticFallback && mode === "isolated" && count > 1) {
    ok = false;
    mode = "cross";
  }
  let paramSet = 0;
  if (!m.staticFallback && s.settings.paramSetId !== null) {
    paramSet = m.universe.paramSetIds.indexOf(s.settings.paramSetId) + 1;
    if (paramSet === 0) ok = false;
  }
  const imMultiplier = Math.min(Math.max(s.settings.imMultiplier, 1), 100);
  writeBookRow(m.book, a, {
    mode,
    paramSet,
    imMultiplier: m.staticFallback ? 1 : imMultiplier,
    collateral,
    instruments: rowInstruments,
    sizes: rowSizes,
    entriesUsd: rowEntries,
    count,
  });
  const start = m.book.posStart[a]!;
  growRiskColumns(r, m.eligible.length, m.book.posSize.length, nA);
  for (let j = 0; j < count; j++) {
    r.posRank[start + j] = rowRanks[j]!;
    r.posBasis[start + j] = rowBases[j]!;
  }
  // A row that does not represent every balance and position exactly is never served.
  r.rowStart[a] = ok && rank === s.positions.size ? start : -1;
  return ok;
}

/** The core market state of every market in the universe at the engine's clock and marks. */
function fullMarketState(state: EngineState, m: Mirror): MarketState {
  const cfg = state.config!;
  const r = m.risk;
  const positions = m.universe.marketIds.map((marketId, i) => {
    const markUsd = marketMarkUsd(state, cfg.markets.get(marketId)!) ?? 0;
    r.markUsd[i] = markUsd;
    return { marketId, position: ZERO_POSITION, markUsd };
  });
  refreshSpots(state, r);
  return policyMarketState(state, cfg, positions);
}

/** The engine's spot and breaker multiplier of every underlying the risk columns refer to. */
function refreshSpots(state: EngineState, r: RiskColumns): void {
  for (let x = 0; x < r.underlyingIds.length; x++) {
    const id = r.underlyingIds[x]!;
    r.spotUsd[x] = underlyingMarkUsd(state, id) ?? 0;
    r.multiplier[x] = state.underlyings.get(id)?.marginMultiplier ?? 1;
  }
}

const ZERO_POSITION = { lots: 0n, basisRaw: 0n };

/** Brings the mirror in step with the state and the market; false when it cannot serve this sweep. */
function sync(state: EngineState, cr: ColumnarRisk): Mirror | null {
  cr.fresh = false;
  const cfg = state.config;
  if (cfg === null) return null;
  let key: RiskParams | string;
  let params: RiskParams;
  const staticFallback = cfg.riskPolicy === null;
  if (staticFallback) {
    const doc = staticDocument(state);
    if (doc === null) return null;
    key = doc.key;
    params = doc.params;
  } else {
    params = state.policyParams ?? cfg.riskPolicy!.params;
    key = params;
  }
  if (cr.mirror === null || cr.mirror.key !== key || cr.mirror.staticFallback !== staticFallback) {
    try {
      cr.mirror?.pool?.close();
      cr.mirror = buildMirror(state, cr, key, params, staticFallback);
    } catch (error) {
      // A document the hot path cannot resolve stays on the reference path.
      if (!(error instanceof MarginalError)) throw error;
      cr.mirror = null;
      return null;
    }
    cr.allDirty = true;
  }
  const m = cr.mirror;
  if (!applicable(state, m)) return null;
  const book = m.book;
  const rewritten: number[] = [];
  while (book.subaccountCount < state.subaccounts.length) {
    const s = state.subaccounts[book.subaccountCount]!;
    openBookSubaccount(m.universe, book, s.id, "cross");
    cr.dirty.add(s.index);
  }
  if (m.eligible.length < book.subaccountCount) {
    const rowsCap = Math.max(book.subaccountCount, m.eligible.length * 2);
    m.eligible = growColumn(m.eligible, rowsCap);
    m.debt = growColumn(m.debt, rowsCap * m.universe.assetCount);
    m.inLiquidation = growColumn(m.inLiquidation, rowsCap);
    m.insuranceDrawn = growColumn(m.insuranceDrawn, rowsCap);
    m.verdict = growColumn(m.verdict, rowsCap);
  }
  const rows = cr.allDirty ? state.subaccounts.map((s) => s.index) : [...cr.dirty];
  for (const a of rows) {
    m.eligible[a] = writeRow(state, m, state.subaccounts[a]!) ? 1 : 0;
    rewritten.push(a);
  }
  const market = updateWorkMarket(state, m);
  try {
    if (m.session === null || cr.allDirty) {
      m.session = createRemarginSession(m.universe, book, market, m.pool !== null, m.pool);
      m.session.full();
      computeAssetAdjust(state, m);
      m.verdictMultiplier = Number.NaN;
    } else {
      const session = m.session;
      // Every structural change of the book since the last sync is in these rows.
      session.noteChangedRows(rewritten);
      const multiplier = breakerMultiplier(state);
      // The verdicts of the re-margined rows are computed within the pass (by whichever thread
      // computed each block), once the tables and so the per-asset corrections are current. A
      // moved breaker multiplier recomputes every row's verdict below instead.
      const inPass = multiplier === m.verdictMultiplier;
      session.advance(
        market,
        m.moved,
        inPass
          ? {
              columns: verdictColumnsOf(state, m, multiplier),
              prepare: () => computeAssetAdjust(state, m),
            }
          : null,
      );
      session.touchRows(rewritten);
      if (inPass) {
        // Rows rewritten since the last sync were re-margined again by touchRows.
        for (const a of rewritten) updateVerdict(state, m, a, multiplier);
      } else computeAssetAdjust(state, m);
    }
  } catch (error) {
    // Market data the core policy cannot use (e.g. a volatility it needs and the engine does not
    // publish): this sweep stays on the reference, and the mirror is rebuilt on the next one.
    if (!(error instanceof MarginalError)) throw error;
    m.session = null;
    cr.allDirty = true;
    return null;
  }
  cr.dirty.clear();
  cr.allDirty = false;
  cr.fresh = true;
  cr.syncedClockMs = valuationClockMs(state);
  const multiplier = breakerMultiplier(state);
  if (multiplier !== m.verdictMultiplier) {
    // First sync, or the breaker moved: every row's verdict is recomputed.
    for (let a = 0; a < book.subaccountCount; a++) updateVerdict(state, m, a, multiplier);
    m.verdictMultiplier = multiplier;
  }
  return m;
}

/** The largest breaker multiplier of all underlyings (bounds every account's from above). */
function breakerMultiplier(state: EngineState): number {
  let multiplier = 1;
  for (const u of state.underlyings.values()) multiplier = Math.max(multiplier, u.marginMultiplier);
  return multiplier;
}

/** Recomputes row a's verdict from the kernel's results (the screen's rules, columns only). */
function updateVerdict(state: EngineState, m: Mirror, a: number, multiplier: number): void {
  verdictRow[0] = a;
  updateVerdicts(state, m, verdictRow, 1, multiplier);
}

const verdictRow = new Int32Array(1);

/** `updateVerdict` of rows[0..count) (see verdicts.ts). */
function updateVerdicts(
  state: EngineState,
  m: Mirror,
  rows: Int32Array,
  count: number,
  multiplier: number,
): void {
  computeVerdicts(verdictColumnsOf(state, m, multiplier), m.book, m.session!.out, rows, 0, count);
}

/** The mirror's verdict columns (the same object while no column was grown), scalars set. */
function verdictColumnsOf(state: EngineState, m: Mirror, multiplier: number): VerdictColumns {
  let v = m.verdictColumns;
  if (
    v === null ||
    v.eligible !== m.eligible ||
    v.inLiquidation !== m.inLiquidation ||
    v.insuranceDrawn !== m.insuranceDrawn ||
    v.debt !== m.debt ||
    v.verdict !== m.verdict
  ) {
    v = {
      eligible: m.eligible,
      inLiquidation: m.inLiquidation,
      insuranceDrawn: m.insuranceDrawn,
      debt: m.debt,
      assetAdjustUsd: m.assetAdjustUsd,
      assetGrossUsd: m.assetGrossUsd,
      assetPriceUsd: m.assetPriceUsd,
      scalars: v?.scalars ?? float64Column(2, m.pool !== null),
      verdict: m.verdict,
    };
    m.verdictColumns = v;
  }
  v.scalars[VERDICT_MULTIPLIER] = multiplier;
  v.scalars[VERDICT_TARGET_HEALTH] = state.config!.cfg.liquidation.targetHealth;
  return v;
}

/**
 * Brings the mirror's working market state in step with the engine (policyMarketState's figures,
 * entry by entry, replacing only the entries that changed) and flags in `m.moved` the underlyings
 * whose prices moved: the index, a non-option market's mark, a vol, or a market's APC state
 * (replaced, never mutated, by the engine). Option marks are left out: the engine derives them
 * from the index and the valuation time, so they move only with one of those, and a moved
 * valuation time re-times every option in the tick tables anyway (`advance` then re-margins the
 * holders of the moved underlyings at once and flags the other option holders stale). A
 * collateral price tied to no underlying moves everything. The first sync flags all.
 */
function updateWorkMarket(state: EngineState, m: Mirror): MarketState {
  const u = m.universe;
  const moved = m.moved.fill(0);
  const market = m.workMarket;
  if (market === null) {
    const full = fullMarketState(state, m);
    m.workMarket = {
      asOfMs: full.asOfMs,
      underlyings: { ...full.underlyings },
      collateral: { ...full.collateral },
      markets: { ...full.markets },
      apcStates: { ...full.apcStates },
    };
    moved.fill(1);
    return m.workMarket;
  }
  const cfg = state.config!;
  const r = m.risk;
  for (const us of state.underlyings.values()) {
    const id = us.id;
    const x = m.underlyingIndex.get(id);
    if (us.markTicks === null) {
      if (market.underlyings[id] !== undefined) {
        delete market.underlyings[id];
        if (x !== undefined) moved[x] = 1;
      }
      continue;
    }
    const price = Number(us.markTicks) / 10 ** cfg.underlyings.get(id)!.priceDecimals;
    if (market.underlyings[id]?.indexPriceUsd !== price) {
      market.underlyings[id] = { indexPriceUsd: price };
      if (x !== undefined) moved[x] = 1;
    }
  }
  for (const a of cfg.assets.values()) {
    const price =
      a.priceUnderlying === undefined ? 1 : (market.underlyings[a.priceUnderlying]?.indexPriceUsd ?? 0);
    if (market.collateral[a.id]?.priceUsd === price) continue;
    market.collateral[a.id] = { priceUsd: price };
    const k = m.assetOf.get(a.id);
    if (k === undefined) continue;
    const x = u.assetUnderlying[k]!;
    if (x < 0) moved.fill(1);
    else moved[x] = 1;
  }
  const markets = market.markets;
  const atMs = valuationClockMs(state);
  // Options whose underlying's index did not move (moved[] holds only the index and collateral
  // flags here), at the same configuration and valuation time, keep their marks: skipping them
  // spares ~2,000 mark look-ups a tick, each returning a boxed number.
  const optionMarksCurrent = m.optionMarksConfig === cfg && m.optionMarksAtMs === atMs;
  for (let i = 0; i < u.instrumentCount; i++) {
    const id = u.marketIds[i]!;
    if (
      optionMarksCurrent &&
      u.kind[i] === KIND_OPTION &&
      moved[u.instrumentUnderlying[i]!] === 0 &&
      markets[id] !== undefined
    )
      continue;
    const resolved = cfg.markets.get(id)!;
    const mark = marketMarkUsd(state, resolved) ?? 0;
    r.markUsd[i] = mark;
    const vol = resolved.cfg.option?.volatility;
    const entry = markets[id];
    if (entry !== undefined && entry.markPriceUsd === mark && entry.impliedVolAnnual === vol) continue;
    if (u.kind[i] !== KIND_OPTION || entry?.impliedVolAnnual !== vol) moved[u.instrumentUnderlying[i]!] = 1;
    markets[id] = vol === undefined ? { markPriceUsd: mark } : { markPriceUsd: mark, impliedVolAnnual: vol };
  }
  const apcStates = market.apcStates;
  // Every market, every tick: forEach, which measured the least young garbage (entries allocate
  // an [id, value] pair per market, keys() and values() an iterator result).
  state.markets.forEach((runtime, id) => {
    const apc = runtime.apc;
    if (apcStates[id] === (apc ?? undefined)) return;
    if (apc === null) delete apcStates[id];
    else apcStates[id] = apc;
    const i = m.instrumentOf.get(id);
    if (i !== undefined) moved[u.instrumentUnderlying[i]!] = 1;
  });
  m.optionMarksConfig = cfg;
  m.optionMarksAtMs = atMs;
  market.asOfMs = atMs;
  refreshSpots(state, r);
  return market;
}

/**
 * IM and MM of sub-account `s` as the core policy computes them (before the breaker multiplier),
 * served from the kernel's results when they describe its exact current row and market: the
 * kernel is bit-identical to `computeSubaccountMargin`, so this returns the very numbers
 * `policyRequirements` would, in ~1% of the time. Null when the state is on the reference path,
 * without a policy document, or when the row or the market changed since the last sync; the
 * caller then computes them with the reference. In audit mode every served value is checked
 * against the reference, bit for bit.
 */
/**
 * The mirror, when its kernel results for live sub-account s describe the current state and
 * market exactly (fresh sync, row clean and eligible, same policy document), with a row whose
 * results lagged re-timed options re-margined first; otherwise null.
 */
function servedMirror(state: EngineState, cr: ColumnarRisk, s: SubaccountState): Mirror | null {
  const m = cr.mirror;
  const a = s.index;
  if (
    m === null ||
    m.session === null ||
    m.staticFallback ||
    !cr.fresh ||
    cr.allDirty ||
    cr.syncedClockMs !== valuationClockMs(state) ||
    state.subaccounts[a] !== s ||
    a >= m.book.subaccountCount ||
    m.eligible[a] !== 1 ||
    cr.dirty.has(a) ||
    m.key !== (state.policyParams ?? state.config?.riskPolicy?.params)
  )
    return null;
  // A row whose results lag the tables (re-timed options it holds) is re-margined now, exactly.
  if (m.session.stale[a] === 1) {
    m.session.touch(a);
    cr.stats.staleRefreshed++;
  }
  return m;
}

export function columnarPolicyRequirements(
  state: EngineState,
  s: SubaccountState,
  reference: () => { initialMarginUsd: number; maintenanceMarginUsd: number },
): { initialMarginUsd: number; maintenanceMarginUsd: number } | null {
  const cr = registry.get(state);
  if (cr === undefined) return null;
  const m = servedMirror(state, cr, s);
  if (m === null) return null;
  const a = s.index;
  const out = m.session!.out;
  const served = {
    initialMarginUsd: resultInitialMarginUsd(out, a),
    maintenanceMarginUsd: resultMaintenanceMarginUsd(out, a),
  };
  cr.stats.kernelRequirements++;
  if (cr.audit) {
    const ref = reference();
    assertInvariant(
      Object.is(ref.initialMarginUsd, served.initialMarginUsd) &&
        Object.is(ref.maintenanceMarginUsd, served.maintenanceMarginUsd),
      `columnar requirements of ${s.id} differ from the reference: IM ${served.initialMarginUsd} vs ` +
        `${ref.initialMarginUsd}, MM ${served.maintenanceMarginUsd} vs ${ref.maintenanceMarginUsd}`,
    );
  }
  return served;
}

/**
 * computeRisk of live sub-account s from the mirror's columns: the same float expressions in the
 * same order (balances, then positions, in the engine's Map orders), requirements from the
 * kernel's row times the breaker multiplier, so bit for bit the reference's figures (audit mode
 * asserts it). Null when the mirror cannot serve it (then the caller computes the reference).
 */
export function columnarSubaccountRisk(
  state: EngineState,
  s: SubaccountState,
  into?: SubaccountRisk,
): SubaccountRisk | null {
  const cr = registry.get(state);
  if (cr === undefined) return null;
  const m = servedMirror(state, cr, s);
  if (m === null) return null;
  const a = s.index;
  const r = m.risk;
  const book = m.book;
  const start = book.posStart[a]!;
  const n = book.posCount[a]!;
  if (r.rowStart[a] !== start || n > r.order.length) return null;
  const nA = m.universe.assetCount;
  let equityUsd = 0;
  const balances = r.balCount[a]!;
  for (let j = 0; j < balances; j++) {
    const k = r.balAsset[a * nA + j]!;
    const value = r.balValue[a * nA + j]!;
    if (r.assetTied[k] === 0) equityUsd += value;
    else
      equityUsd += value * r.spotUsd[r.assetUnderlying[k]!]! * (value > 0 ? r.assetOneMinusHaircut[k]! : 1);
  }
  const order = r.order;
  for (let j = 0; j < n; j++) order[r.posRank[start + j]!] = start + j;
  let notionalUsd = 0;
  let multiplier = 1;
  const clockMs = state.clockMs;
  for (let j = 0; j < n; j++) {
    const row = order[j]!;
    const i = book.posInstrument[row]!;
    // An expired market is margined by the engine's static rule: the reference's business.
    if (!(Number.isNaN(r.expiryMs[i]!) || r.expiryMs[i]! > clockMs)) return null;
    const contracts = book.posSize[row]!;
    const c = r.contractSize[i]!;
    const mark = r.markUsd[i]!;
    const valueUsd = contracts * c * mark;
    const basis = r.posBasis[row]!;
    if (r.inverse[i] === 1) equityUsd += mark <= 0 ? 0 : (basis - (contracts * c) / mark) * mark;
    else equityUsd += contracts * c * mark - basis;
    const u = r.underlying[i]!;
    const spot = r.spotUsd[u]!;
    const underlyingNotional = r.inverse[i] === 1 ? Math.abs(contracts) * c : Math.abs(contracts) * c * spot;
    notionalUsd += r.option[i] === 0 ? underlyingNotional : Math.abs(valueUsd);
    multiplier = Math.max(multiplier, r.multiplier[u]!);
  }
  let im = 0;
  let mm = 0;
  if (n > 0) {
    const out = m.session!.out;
    im += resultInitialMarginUsd(out, a) * multiplier;
    mm += resultMaintenanceMarginUsd(out, a) * multiplier;
    cr.stats.kernelRequirements++;
  }
  const health = mm > 0 ? equityUsd / mm : Number.POSITIVE_INFINITY;
  let risk: SubaccountRisk;
  if (into === undefined)
    risk = { equityUsd, initialMarginUsd: im, maintenanceMarginUsd: mm, health, notionalUsd };
  else {
    risk = into;
    risk.equityUsd = equityUsd;
    risk.initialMarginUsd = im;
    risk.maintenanceMarginUsd = mm;
    risk.health = health;
    risk.notionalUsd = notionalUsd;
  }
  cr.stats.kernelRisks++;
  if (cr.audit) {
    const ref = computeRiskReference(state, s, s.id);
    assertInvariant(
      Object.is(ref.equityUsd, risk.equityUsd) &&
        Object.is(ref.initialMarginUsd, risk.initialMarginUsd) &&
        Object.is(ref.maintenanceMarginUsd, risk.maintenanceMarginUsd) &&
        Object.is(ref.health, risk.health) &&
        Object.is(ref.notionalUsd, risk.notionalUsd),
      `columnar risk of ${s.id} differs from the reference: ${JSON.stringify(risk)} vs ${JSON.stringify(ref)}`,
    );
  }
  return risk;
}

/** Per asset: the engine's value of one unit (its own haircut) minus the kernel's, in USD. */
function computeAssetAdjust(state: EngineState, m: Mirror): void {
  const cfg = state.config!;
  const t = m.session!.tables;
  for (let k = 0; k < m.universe.assetCount; k++) {
    const a = cfg.assets.get(m.universe.assetIds[k]!)!;
    const priceUsd =
      a.priceUnderlying === undefined
        ? 1
        : Number(state.underlyings.get(a.priceUnderlying)!.markTicks ?? 0n) /
          10 ** cfg.underlyings.get(a.priceUnderlying)!.priceDecimals;
    const engineUnitUsd = a.priceUnderlying === undefined ? 1 : priceUsd * (1 - a.haircut);
    m.assetAdjustUsd[k] = engineUnitUsd - t.assetPriceUsd[k]! * t.assetOneMinusHaircut[k]!;
    m.assetGrossUsd[k] = Math.abs(priceUsd) + Math.abs(t.assetPriceUsd[k]!);
    m.assetPriceUsd[k] = priceUsd;
  }
}

/** A screen for one sweep: `healthy(index)` is true only when reviewing it would change nothing. */
export interface SweepScreen {
  healthy(index: number): boolean;
  /**
   * The sweep's one-byte test, or null (audit mode: every skip goes through `healthy`): a row
   * with `verdict[a] === 1 && stale[a] === 0` may be skipped without calling `healthy` (events
   * clear the verdict of every row they touch); report those skips with `skippedInline`.
   */
  readonly verdict: Uint8Array | null;
  readonly stale: Uint8Array;
  skippedInline(count: number): void;
  /**
   * Loads, ahead of the reviews, one value from each cache line the reviews of rows[from..to)
   * will read (their mirror rows and kernel results): the loads are independent, so the
   * processor overlaps their misses instead of taking them one review at a time.
   */
  prefetch(rows: readonly number[], from: number, to: number): void;
}

/** Keeps the prefetch loads observable (so they are not optimised away). */
let prefetchSink = 0;

/** The prefetch sink (its value means nothing). */
export function columnarPrefetchSink(): number {
  return prefetchSink;
}

/**
 * The columnar screen for a sweep, or null when the state is on the reference path or the mirror
 * cannot serve the current configuration / market (then every holder is reviewed).
 */
export function columnarSweepScreen(state: EngineState): SweepScreen | null {
  const cr = registry.get(state);
  if (cr === undefined) return null;
  const m = sync(state, cr);
  if (m === null) {
    cr.stats.referenceSweeps++;
    return null;
  }
  cr.stats.screenedSweeps++;
  const multiplier = m.verdictMultiplier;
  const verdict = m.verdict;
  const session = m.session!;
  const dirty = cr.dirty;
  const stats = cr.stats;
  return {
    verdict: cr.audit ? null : verdict,
    stale: session.stale,
    skippedInline(count: number): void {
      stats.skipped += count;
    },
    prefetch(rows: readonly number[], from: number, to: number): void {
      const book = m.book;
      const r = m.risk;
      const out = session.out;
      const nA = m.universe.assetCount;
      let touch = 0;
      for (let x = from; x < to; x++) {
        const a = rows[x]!;
        touch +=
          book.posStart[a]! +
          book.posCount[a]! +
          r.rowStart[a]! +
          r.balCount[a]! +
          r.balValue[a * nA]! +
          r.balAsset[a * nA]! +
          resultInitialMarginUsd(out, a) +
          resultMaintenanceMarginUsd(out, a) +
          m.eligible[a]!;
      }
      for (let x = from; x < to; x++) {
        const a = rows[x]!;
        const start = book.posStart[a]!;
        const last = start + Math.max(0, book.posCount[a]! - 1);
        touch +=
          book.posInstrument[start]! +
          book.posSize[start]! +
          r.posBasis[start]! +
          r.posRank[start]! +
          book.posSize[last]! +
          r.posBasis[last]!;
        const s = state.subaccounts[a];
        if (s !== undefined && s.liquidation !== null) touch++;
      }
      prefetchSink += touch;
    },
    healthy(a: number): boolean {
      if (session.stale[a] === 1 && m.eligible[a] === 1 && !dirty.has(a)) {
        // Its options were re-timed since it was last re-margined: re-margin it now (exact).
        session.touch(a);
        stats.staleRefreshed++;
        updateVerdict(state, m, a, multiplier);
      }
      // A clean row's verdict was computed by the last re-margin of it, at the current market.
      if (verdict[a] === 1 && !dirty.has(a) && session.stale[a] === 0) {
        stats.skipped++;
        if (cr.audit) auditSkip(state, cr, state.subaccounts[a]!, m, a, multiplier);
        return true;
      }
      const s = state.subaccounts[a]!;
      // Without positions and outside a liquidation the review returns at once.
      if (s.liquidation === null && s.positions.size === 0) {
        stats.idle++;
        return true;
      }
      stats.reviewed++;
      if (m.eligible[a] !== 1) stats.ineligible++;
      return false;
    },
  };
}

/**
 * Second result of `screenEquityUsd`, in a typed array: a module-level `let` double would be a
 * boxed number, allocated on every write.
 */
const screenGross = new Float64Array(1);

/** The engine's equity of row a from the kernel's (per-asset haircut correction, debts); sets `screenGross[0]`. */
function screenEquityUsd(m: Mirror, kernelEquityUsd: number, a: number, nA: number): number {
  let equity = kernelEquityUsd;
  let gross = 0;
  const coll = m.book.collateral;
  const debt = m.debt;
  for (let k = 0; k < nA; k++) {
    const amount = coll[a * nA + k]!;
    const owed = debt[a * nA + k]!;
    if (amount !== 0) {
      equity += amount * m.assetAdjustUsd[k]!;
      gross += amount * m.assetGrossUsd[k]!;
    }
    if (owed !== 0) {
      equity += owed * m.assetPriceUsd[k]!;
      gross -= owed * m.assetGrossUsd[k]!;
    }
  }
  screenGross[0] = gross;
  return equity;
}

/** Audit mode: the reference must agree that a skipped sub-account's review is a no-op. */
function auditSkip(
  state: EngineState,
  cr: ColumnarRisk,
  s: SubaccountState,
  m: Mirror,
  a: number,
  mult: number,
): void {
  if (s.liquidation === null && s.positions.size === 0) return;
  const risk = computeRiskReference(state, s);
  const equity = screenEquityUsd(m, resultEquityUsd(m.session!.out, a), a, m.universe.assetCount);
  cr.stats.maxEquityDiffUsd = Math.max(cr.stats.maxEquityDiffUsd, Math.abs(equity - risk.equityUsd));
  const accountMult = accountMultiplier(state, s);
  cr.stats.maxMaintenanceDiffUsd = Math.max(
    cr.stats.maxMaintenanceDiffUsd,
    Math.abs(resultMaintenanceMarginUsd(m.session!.out, a) * accountMult - risk.maintenanceMarginUsd),
  );
  if (s.liquidation !== null) {
    const target = state.config!.cfg.liquidation.targetHealth;
    const endsNow =
      s.liquidation.insuranceDrawnUnits === 0n && risk.equityUsd >= target * risk.maintenanceMarginUsd;
    assertInvariant(
      risk.equityUsd >= 0 && !endsNow,
      `columnar screen skipped ${s.id} in liquidation, whose review would act ` +
        `(equity ${risk.equityUsd} vs screen ${equity}, MM ${risk.maintenanceMarginUsd})`,
    );
    return;
  }
  const liquidatable =
    (risk.maintenanceMarginUsd > 0 && risk.equityUsd < risk.maintenanceMarginUsd) || risk.equityUsd < 0;
  assertInvariant(
    !liquidatable && mult >= accountMult,
    `columnar screen skipped ${s.id}, which the reference finds liquidatable ` +
      `(equity ${risk.equityUsd} vs screen ${equity}, MM ${risk.maintenanceMarginUsd})`,
  );
}

function accountMultiplier(state: EngineState, s: SubaccountState): number {
  const cfg = state.config!;
  let multiplier = 1;
  for (const marketId of s.positions.keys()) {
    const u = state.underlyings.get(cfg.markets.get(marketId)!.cfg.underlying)!;
    multiplier = Math.max(multiplier, u.marginMultiplier);
  }
  return multiplier;
}
