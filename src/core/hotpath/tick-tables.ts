import { assertInvariant, invalidInput } from "../errors.ts";
import { haircutFraction } from "../margin/collateral-valuation.ts";
import {
  indexPriceUsd,
  markPriceUsd,
  modelUnitPrice,
  optionVolAnnual,
  yearsToExpiry,
} from "../margin/instrument-pricing.ts";
import { checkDepth } from "../margin/liquidity-add-on.ts";
import { effectivePolicy, marketRequirementFraction } from "../margin/market-requirement-fractions.ts";
import { type NetPosition, shiftedMarkUsd } from "../margin/prepared-subaccount.ts";
import type { MarketState } from "../margin/types.ts";
import { black76FromStdDev } from "../pricing/black76.ts";
import {
  type HotpathUniverse,
  KIND_DATED_FUTURE,
  KIND_LINEAR_PERP,
  KIND_OPTION,
  POLICY_STATIC,
} from "./hotpath-universe.ts";
import { float64Column, growColumn, int32Column, uint8Column } from "./typed-columns.ts";

/*
 * Everything the re-margin kernel reads that depends on the market but not on any account,
 * computed once per instrument per tick: index, mark, the option model value and vol, the −1%
 * bumped mark (cross-mode wrong-way delta), each option's mark move at every grid point (fully
 * revalued with Black-76 here, once per listed instrument, never per position; a non-option's
 * move is its mark times the grid's price move, which the kernel folds into one net delta), the policy
 * fractions after APC for every parameter set, and each collateral asset's price and haircut.
 * Every value comes from the very functions the reference margin code calls, so the kernel sees
 * bit-identical inputs. An update records which instruments and assets changed, which is what the
 * incremental re-margin uses to find the sub-accounts it must revisit.
 */

/** Numbers per policy slot in `linearSlotPack`. */
export const SLOT_PACK = 6;

export interface TickTables {
  asOfMs: number;
  readonly indexUsd: Float64Array;
  readonly markUsd: Float64Array;
  readonly modelMarkUsd: Float64Array;
  readonly basisRatio: Float64Array;
  readonly optionVolAnnual: Float64Array;
  /** Mark (USD per unit) with the index 1% lower: the cross-mode wrong-way delta bump. */
  readonly bumpedMarkUsd: Float64Array;
  /**
   * Options only: the mark's move at each grid point, shiftedMarkUsd(S·(1+m), v) − mark (USD per
   * unit, exactly the reference's Δ), instrument-major (offset universe.scenarioOffset),
   * vol-shock-major inside.
   */
  readonly scenarioDeltaUsd: Float64Array;
  /**
   * One number, changed (to a value no other tables of this process had) whenever
   * `scenarioDeltaUsd` changes: a kernel that keeps its own copy of the Δ vectors knows from it
   * when to copy them again.
   */
  readonly scenarioStamp: Float64Array;
  /**
   * Per policy slot, the SLOT_PACK numbers the kernel's cross fast path reads together (one
   * cache line instead of six arrays): 1 when the slot is plain linear (a one-bracket static
   * policy on a linear perp or dated future without liquidity add-on) else 0, contract size,
   * mark, static IM and MM fractions, APC scale: copies of the universe's and these tables' own.
   */
  readonly linearSlotPack: Float64Array;
  /** Per policy slot: the policy's IM fraction before APC and the APC scale. */
  readonly slotRawInitialFraction: Float64Array;
  readonly slotApcScale: Float64Array;
  /** Square-root liquidity: (impact coefficient)·σ_daily per slot, and ADV in USD per instrument. */
  readonly slotLiquidityCoef: Float64Array;
  readonly dailyVolumeUsd: Float64Array;
  /** Depth curves (USD notional, impact fraction), flat; instrument i owns [depthStart[i], depthStart[i+1]). */
  readonly depthStart: Int32Array;
  depthNotionalUsd: Float64Array;
  depthImpact: Float64Array;
  readonly assetPriceUsd: Float64Array;
  /** 1 − haircut fraction per asset. */
  readonly assetOneMinusHaircut: Float64Array;
  /** Set to 1 by an update for every instrument / asset whose tables changed (cleared by the caller). */
  readonly changedInstrument: Uint8Array;
  readonly changedAsset: Uint8Array;
  /**
   * Per underlying: 1 while its instruments were last computed at an earlier valuation time than
   * `asOfMs` (a time step deferred by `updateTickTables(…, deferTime)`); `retimeUnderlying`
   * brings it current. A kernel pass must not read a lagging underlying's instruments.
   */
  readonly lagging: Uint8Array;
  /**
   * Per instrument: 1 when its figures depend on the valuation time by themselves (an option's
   * time to expiry, an APC step's decay), i.e. may change when only the clock moved.
   */
  readonly timeDependent: Uint8Array;
}

/** The last `scenarioStamp` handed out in this process. */
let lastScenarioStamp = 0;

/** Allocates empty tick tables for a universe (shared memory when `shared`). */
export function createTickTables(universe: HotpathUniverse, shared = false): TickTables {
  const nI = universe.instrumentCount;
  const nA = universe.assetCount;
  const slots = universe.slotCount;
  const scenarioDeltaUsd = float64Column(universe.scenarioDeltaCount, shared);
  const scenarioStamp = float64Column(1, shared);
  scenarioStamp[0] = ++lastScenarioStamp;
  const linearSlotPack = float64Column(slots * SLOT_PACK, shared);
  for (let slot = 0; slot < slots; slot++) {
    const i = slot % nI;
    const u = universe;
    const plain =
      u.slotPolicy[slot] === POLICY_STATIC &&
      u.slotTierCount[slot] === 0 &&
      u.slotHasSizeScaling[slot] === 0 &&
      (u.kind[i] === KIND_LINEAR_PERP || u.kind[i] === KIND_DATED_FUTURE) &&
      u.liquidityModel[i] === 0;
    linearSlotPack[slot * SLOT_PACK] = plain ? 1 : 0;
    linearSlotPack[slot * SLOT_PACK + 1] = u.contractSize[i]!;
    linearSlotPack[slot * SLOT_PACK + 2] = Number.NaN;
    linearSlotPack[slot * SLOT_PACK + 3] = u.slotStaticIm[slot]!;
    linearSlotPack[slot * SLOT_PACK + 4] = u.slotStaticMm[slot]!;
    linearSlotPack[slot * SLOT_PACK + 5] = Number.NaN;
  }
  return {
    asOfMs: Number.NaN,
    indexUsd: float64Column(nI, shared),
    markUsd: float64Column(nI, shared),
    modelMarkUsd: float64Column(nI, shared),
    basisRatio: float64Column(nI, shared),
    optionVolAnnual: float64Column(nI, shared),
    bumpedMarkUsd: float64Column(nI, shared),
    scenarioDeltaUsd,
    scenarioStamp,
    linearSlotPack,
    slotRawInitialFraction: float64Column(slots, shared),
    slotApcScale: float64Column(slots, shared),
    slotLiquidityCoef: float64Column(slots, shared),
    dailyVolumeUsd: float64Column(nI, shared),
    depthStart: int32Column(nI + 1, shared),
    depthNotionalUsd: float64Column(0, shared),
    depthImpact: float64Column(0, shared),
    assetPriceUsd: float64Column(nA, shared),
    assetOneMinusHaircut: float64Column(nA, shared),
    changedInstrument: uint8Column(nI, shared),
    changedAsset: uint8Column(nA, shared),
    lagging: uint8Column(universe.underlyingCount, shared),
    timeDependent: timeDependentInstruments(universe),
  };
}

function timeDependentInstruments(u: HotpathUniverse): Uint8Array {
  const out = new Uint8Array(u.instrumentCount);
  for (let i = 0; i < u.instrumentCount; i++) {
    const mp = u.params.markets[u.marketIds[i]!]!;
    out[i] = u.kind[i] === KIND_OPTION || mp.apc !== undefined ? 1 : 0;
  }
  return out;
}

function put(column: Float64Array, i: number, value: number): boolean {
  if (Object.is(column[i], value)) return false;
  column[i] = value;
  return true;
}

/** Recomputes one instrument's prices and scenario moves; returns whether anything changed. */
function updateInstrument(u: HotpathUniverse, t: TickTables, market: MarketState, i: number): boolean {
  const id = u.marketIds[i]!;
  const mp = u.params.markets[id]!;
  const asOf = market.asOfMs;
  if (u.kind[i] === KIND_DATED_FUTURE && u.expiryMs[i]! <= asOf)
    throw invalidInput(`markets.${id}`, "has expired and must be settled before re-margining");
  const isOption = u.kind[i] === KIND_OPTION;
  const indexUsd = indexPriceUsd(market, mp.underlying);
  const markUsd = markPriceUsd(market, id, mp);
  const volAnnual = isOption ? optionVolAnnual(market, id, mp) : 0;
  const modelMarkUsd = isOption ? modelUnitPrice(mp, indexUsd, volAnnual, asOf, 1) : markUsd;
  const basisRatio = isOption ? 1 : markUsd / indexUsd;
  const np: NetPosition = {
    marketId: id,
    mp,
    size: 0,
    sizeTimesEntry: 0,
    sizeOverEntry: 0,
    indexUsd,
    markUsd,
    modelMarkUsd,
    basisRatio,
    volAnnual,
  };
  let changed = put(t.indexUsd, i, indexUsd);
  changed = put(t.markUsd, i, markUsd) || changed;
  changed = put(t.modelMarkUsd, i, modelMarkUsd) || changed;
  changed = put(t.basisRatio, i, basisRatio) || changed;
  changed = put(t.optionVolAnnual, i, volAnnual) || changed;
  changed = put(t.bumpedMarkUsd, i, shiftedMarkUsd(np, indexUsd * 0.99, 0, asOf)) || changed;
  if (isOption) changed = updateScenarioDeltas(u, t, np, i, asOf) || changed;
  return updatePolicySlots(u, t, market, i) || changed;
}

/**
 * An option's mark move at every grid point, with the reference's own expression
 * (scenario-requirement.ts: shiftedMarkUsd(p, S·(1+m), v, asOf) − mark), once per tick. The
 * model price at each point is `black76Price`'s, with its forward-free factors (vol·√T and the
 * discount) computed once per vol shock instead of once per point: the same floats.
 */
function updateScenarioDeltas(
  u: HotpathUniverse,
  t: TickTables,
  np: NetPosition,
  i: number,
  asOf: number,
): boolean {
  const ins = np.mp.instrument;
  assertInvariant(ins.type === "option", `updateScenarioDeltas: ${np.marketId} is not an option`);
  const und = u.instrumentUnderlying[i]!;
  const nM = u.moveCount[und]!;
  const nV = u.volShockCount[und]!;
  const moveOffset = u.moveOffset[und]!;
  const column = t.scenarioDeltaUsd;
  // modelUnitPrice's and black76Price's own steps, hoisted out of the grid.
  const years = yearsToExpiry(ins.expiryMs, asOf);
  const discount = Math.exp(-(ins.rateAnnual ?? 0) * Math.max(years, 0));
  const rootYears = Math.sqrt(Math.max(years, 0));
  const isCall = ins.optionKind === "call";
  const strike = ins.strike;
  const indexUsd = np.indexUsd;
  const markUsd = np.markUsd;
  const modelMarkUsd = np.modelMarkUsd;
  let changed = false;
  let o = u.scenarioOffset[i]!;
  for (let v = 0; v < nV; v++) {
    const shock = u.volShocks[u.volShockOffset[und]! + v]!;
    const stdDev = np.volAnnual * (1 + shock) * rootYears;
    for (let k = 0; k < nM; k++) {
      const shifted = black76FromStdDev(
        isCall,
        indexUsd * (1 + u.moves[moveOffset + k]!),
        strike,
        stdDev,
        discount,
      );
      // shiftedMarkUsd's expression, then minus the mark.
      const deltaUsd = Math.max(0, markUsd + (shifted - modelMarkUsd)) - markUsd;
      const x = o++;
      if (!Object.is(column[x], deltaUsd)) {
        column[x] = deltaUsd;
        changed = true;
      }
    }
  }
  if (changed) t.scenarioStamp[0] = ++lastScenarioStamp;
  return changed;
}

/** Policy fractions (after APC) and liquidity coefficients of every parameter set for instrument i. */
function updatePolicySlots(u: HotpathUniverse, t: TickTables, market: MarketState, i: number): boolean {
  const id = u.marketIds[i]!;
  const mp = u.params.markets[id]!;
  const quote = market.markets?.[id];
  const und = market.underlyings[mp.underlying];
  let changed = put(t.dailyVolumeUsd, i, quote?.dailyVolumeUsd ?? Number.NaN);
  for (let ps = 0; ps <= u.paramSetIds.length; ps++) {
    const slot = ps * u.instrumentCount + i;
    const paramSetId = ps === 0 ? undefined : u.paramSetIds[ps - 1];
    const f = marketRequirementFraction(
      mp,
      effectivePolicy(u.params, id, paramSetId),
      market,
      market.apcStates?.[id],
    );
    changed = put(t.slotRawInitialFraction, slot, f.rawInitialFraction) || changed;
    changed = put(t.slotApcScale, slot, f.apcScale) || changed;
    t.linearSlotPack[slot * SLOT_PACK + 2] = t.markUsd[i]!;
    t.linearSlotPack[slot * SLOT_PACK + 5] = f.apcScale;
    const lp = mp.liquidity;
    let coef = 0;
    if (lp?.model === "square-root") {
      const field = `market.markets.${id}`;
      const adv = quote?.dailyVolumeUsd;
      if (adv === undefined || !(adv > 0 && Number.isFinite(adv)))
        throw invalidInput(
          `${field}.dailyVolumeUsd`,
          "is required (> 0) by the square-root liquidity add-on",
        );
      const vol = f.volAnnual ?? und?.volAnnual ?? und?.impliedVolAnnual;
      if (vol === undefined)
        throw invalidInput(`${field}.volAnnual`, "an underlying vol is required by the square-root add-on");
      // The reference evaluates k·σ_daily·√(n/ADV)·n left to right, so k·σ_daily is a safe prefix.
      coef = (lp.impactCoefficient ?? 0) * (vol / Math.sqrt(365));
    }
    changed = put(t.slotLiquidityCoef, slot, coef) || changed;
  }
  return changed;
}

/** Flattens the depth curves of every depth-curve market (rebuilt whole: curves are short). */
function updateDepth(u: HotpathUniverse, t: TickTables, market: MarketState): void {
  let total = 0;
  for (let i = 0; i < u.instrumentCount; i++) {
    if (u.liquidityModel[i] !== 2) continue;
    const id = u.marketIds[i]!;
    const depth = market.markets?.[id]?.depth;
    if (depth === undefined || depth.length === 0)
      throw invalidInput(`market.markets.${id}.depth`, "is required by the depth-curve liquidity add-on");
    checkDepth(depth, `market.markets.${id}.depth`);
    total += depth.length;
  }
  if (t.depthNotionalUsd.length < total) {
    t.depthNotionalUsd = growColumn(t.depthNotionalUsd, total);
    t.depthImpact = growColumn(t.depthImpact, total);
  }
  let o = 0;
  for (let i = 0; i < u.instrumentCount; i++) {
    t.depthStart[i] = o;
    if (u.liquidityModel[i] !== 2) continue;
    const depth = market.markets?.[u.marketIds[i]!]?.depth ?? [];
    for (const p of depth) {
      if (put(t.depthNotionalUsd, o, p.notionalUsd) || put(t.depthImpact, o, p.impactFraction))
        t.changedInstrument[i] = 1;
      t.depthImpact[o] = p.impactFraction;
      o++;
    }
  }
  t.depthStart[u.instrumentCount] = o;
}

function updateAsset(u: HotpathUniverse, t: TickTables, market: MarketState, k: number): boolean {
  const asset = u.assetIds[k]!;
  const quoted = market.collateral[asset]?.priceUsd;
  if (quoted === undefined) {
    // Not quoted: fine while nobody holds it; a holder's result becomes NaN, loudly wrong.
    return put(t.assetPriceUsd, k, Number.NaN) || put(t.assetOneMinusHaircut, k, Number.NaN);
  }
  if (!(Number.isFinite(quoted) && quoted >= 0))
    throw invalidInput(`market.collateral.${asset}.priceUsd`, "must be a finite number ≥ 0");
  const h = haircutFraction(asset, u.params.collateral[asset]!, market);
  const a = put(t.assetPriceUsd, k, quoted);
  return put(t.assetOneMinusHaircut, k, 1 - h) || a;
}

/**
 * Brings the tables up to date with `market`. With `underlyings` (a 0/1 flag per underlying
 * index) only the instruments on those underlyings and the collateral assets tied to them are
 * recomputed: an oracle tick on one underlying costs its own option revaluations, not the
 * venue's. Marks `changedInstrument` / `changedAsset` and returns how many instruments changed.
 *
 * When the valuation time moved, the time-dependent instruments (`timeDependent`: options, APC)
 * may all have changed. Without `deferTime` every instrument is recomputed now. With it (and
 * `underlyings`), only the flagged underlyings' are: every other underlying with a
 * time-dependent instrument is marked `lagging` and those instruments `changed` without being
 * recomputed, so that their holders are found stale; `retimeUnderlying` recomputes them when a
 * holder is re-margined, and the next tick that moves the underlying recomputes it anyway.
 */
export function updateTickTables(
  universe: HotpathUniverse,
  tables: TickTables,
  market: MarketState,
  underlyings?: Uint8Array,
  deferTime = false,
): number {
  if (!Number.isFinite(market.asOfMs))
    throw invalidInput("market.asOfMs", "must be a finite timestamp in ms");
  let changedCount = 0;
  const timeMoved = tables.asOfMs !== market.asOfMs;
  const defer = deferTime && underlyings !== undefined;
  tables.asOfMs = market.asOfMs;
  const lagging = tables.lagging;
  for (let i = 0; i < universe.instrumentCount; i++) {
    const und = universe.instrumentUnderlying[i]!;
    if (underlyings !== undefined && underlyings[und] !== 1) {
      if (!timeMoved) continue;
      if (defer) {
        if (tables.timeDependent[i] === 1) {
          lagging[und] = 1;
          tables.changedInstrument[i] = 1;
        }
        continue;
      }
    }
    if (updateInstrument(universe, tables, market, i)) {
      tables.changedInstrument[i] = 1;
    }
  }
  for (let und = 0; und < universe.underlyingCount; und++) {
    if (underlyings === undefined || underlyings[und] === 1 || (timeMoved && !defer)) lagging[und] = 0;
  }
  if (underlyings === undefined) updateDepth(universe, tables, market);
  for (let k = 0; k < universe.assetCount; k++) {
    const tied = universe.assetUnderlying[k]!;
    if (underlyings !== undefined && !timeMoved && (tied < 0 || underlyings[tied] !== 1)) continue;
    if (updateAsset(universe, tables, market, k)) tables.changedAsset[k] = 1;
  }
  for (let i = 0; i < universe.instrumentCount; i++) changedCount += tables.changedInstrument[i]!;
  return changedCount;
}

/**
 * Recomputes the instruments of one lagging underlying at the tables' valuation time and the
 * current `market` (which has not moved it since, or it would not lag). Its holders were flagged
 * stale when it began to lag, so no `changed` flag is set.
 */
export function retimeUnderlying(
  universe: HotpathUniverse,
  tables: TickTables,
  market: MarketState,
  underlying: number,
): void {
  if (tables.lagging[underlying] !== 1) return;
  assertInvariant(
    market.asOfMs === tables.asOfMs,
    `retimeUnderlying: market at ${market.asOfMs}, tables at ${tables.asOfMs}`,
  );
  for (let i = 0; i < universe.instrumentCount; i++) {
    if (universe.instrumentUnderlying[i] === underlying && tables.timeDependent[i] === 1)
      updateInstrument(universe, tables, market, i);
  }
  tables.lagging[underlying] = 0;
}

/** Whether any underlying lags (see `retimeUnderlying`). */
export function anyLagging(tables: TickTables): boolean {
  return tables.lagging.indexOf(1) !== -1;
}

/** `retimeUnderlying` of every lagging underlying. */
export function retimeAll(universe: HotpathUniverse, tables: TickTables, market: MarketState): void {
  for (let und = 0; und < universe.underlyingCount; und++)
    if (tables.lagging[und] === 1) retimeUnderlying(universe, tables, market, und);
}

/** Fresh tables for `market` (every instrument and asset computed). */
export function prepareTickTables(
  universe: HotpathUniverse,
  market: MarketState,
  shared = false,
): TickTables {
  const tables = createTickTables(universe, shared);
  updateTickTables(universe, tables, market);
  return tables;
}
