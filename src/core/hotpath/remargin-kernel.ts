import { type ColumnarBook, MODE_PORTFOLIO as IMPORTED_MODE_PORTFOLIO } from "./columnar-book.ts";
import {
  type HotpathUniverse,
  KIND_DATED_FUTURE as IMPORTED_KIND_DATED_FUTURE,
  KIND_INVERSE_PERP as IMPORTED_KIND_INVERSE_PERP,
  KIND_OPTION as IMPORTED_KIND_OPTION,
  POLICY_STATIC as IMPORTED_POLICY_STATIC,
  MAX_SCENARIOS_PER_UNDERLYING,
} from "./hotpath-universe.ts";
import { type MarginColumns, RESULT_STRIDE } from "./margin-columns.ts";
import { SLOT_PACK as IMPORTED_SLOT_PACK, type TickTables } from "./tick-tables.ts";

/*
 * The re-margin kernel: equity, IM, MM, health and the liquidation flag of every sub-account in
 * a range (or in a list of dense indices), from the columnar book and the tick tables.
 *
 * It is the reference margin code (src/core/margin: prepareSubaccount + evaluateSubaccount, with
 * liquidation prices off) rewritten over typed arrays, and it is bit-identical to it: the same
 * float expressions in the same order (positions in market-id order, underlyings and assets in
 * name order), with every market-level quantity (marks, −1% bumped marks, option scenario moves, policy
 * fractions, haircuts) read from the tick tables, which the reference's own functions computed.
 * Covered: static (brackets, size scaling) and volatility-scaled policies with APC and parameter
 * sets; linear, inverse, dated futures and options (long/short option rules, short-option
 * minimum); collateral haircuts and caps; cross-mode wrong-way add-on; portfolio scenarios with
 * wrong-way, short-option minimum, calendar spreads, cross-margin cap and stressed correlation;
 * square-root and depth-curve liquidity add-ons; the trader's IM multiplier.
 *
 * Scenario P&L per underlying is a vector over the grid: the non-option positions collapse into
 * one net delta D = Σ w·mark (the reference defines scenario P&L that way), so the vector starts
 * as D·m and each option adds its weight times its Δ vector, which the tick tables computed once
 * per listed instrument: per grid point the same operations, in the same order, as the
 * reference's scenario-outer loop.
 * Two fast paths cover the common shapes (a cross sub-account of one-bracket static perps; a
 * portfolio sub-account of one-bracket static perps and options) with the same expressions
 * inline; everything else goes through the general `one`. Both are checked against the
 * reference like the rest (random venues and the bench venue).
 * No allocation per sub-account: all scratch space is allocated once per kernel.
 */

// Module-local copies of the imported codes: the tsx loader compiles an imported binding to a
// getter on the module object, and reading one per position cost more than the arithmetic.
const MODE_PORTFOLIO = IMPORTED_MODE_PORTFOLIO;
const KIND_DATED_FUTURE = IMPORTED_KIND_DATED_FUTURE;
const KIND_INVERSE_PERP = IMPORTED_KIND_INVERSE_PERP;
const KIND_OPTION = IMPORTED_KIND_OPTION;
const POLICY_STATIC = IMPORTED_POLICY_STATIC;
const SLOT_PACK = IMPORTED_SLOT_PACK;

/**
 * Sub-accounts per block of a pass: the fast loop computes a block's plain cross sub-accounts,
 * then the others of the block are computed while their rows are still in cache. A sparse pass
 * also loads a block's cache lines ahead of computing them.
 */
const BLOCK = 128;
/** Keeps the gather loads observable so that they are not optimised away. */
let gatherSink = 0;

/** The gather sink (tests and benchmarks may read it; its value means nothing). */
export function remarginGatherSink(): number {
  return gatherSink;
}

export interface RemarginKernel {
  /** Re-margins sub-accounts [from, to) (dense indices); results go to `out` at the same rows. */
  runRange(book: ColumnarBook, tables: TickTables, out: MarginColumns, from: number, to: number): void;
  /**
   * Re-margins the sub-accounts list[from..to) (dense indices). `afterBlock`, if given, is called
   * with each block of the list (list[x0..x1)) right after its rows were computed, while they are
   * still in this thread's cache.
   */
  runList(
    book: ColumnarBook,
    tables: TickTables,
    out: MarginColumns,
    list: Int32Array,
    from: number,
    to: number,
    afterBlock?: BlockHook | null,
  ): void;
}

/** Work on a block list[x0..x1) of rows a pass has just computed (see `RemarginKernel.runList`). */
export type BlockHook = (list: Int32Array, x0: number, x1: number) => void;

// The kernel writes each row's result record (margin-columns.ts) with its offsets spelled out
// (an imported binding is a getter under tsx): equity, IM, MM, health at a·4.
if (RESULT_STRIDE !== 4) throw new Error("remargin-kernel: the result record is written as 4 floats");

/** Writes row a's result record and its liquidation flag. */
function writeResult(out: MarginColumns, a: number, equity: number, im: number, mm: number): void {
  const res = out.results;
  const r4 = a * 4;
  res[r4] = equity;
  res[r4 + 1] = im;
  res[r4 + 2] = mm;
  res[r4 + 3] = mm === 0 ? Number.POSITIVE_INFINITY : equity / mm;
  out.liquidatable[a] = mm > 0 && equity < mm ? 1 : 0;
}

/** A kernel for one universe, with its scratch space (one per thread). */
export function createRemarginKernel(u: HotpathUniverse): RemarginKernel {
  const nU = u.underlyingCount;
  const nI = u.instrumentCount;
  const maxPos = u.maxPositionsPerSubaccount;
  const kind = u.kind;
  const contractSize = u.contractSize;
  const instrumentUnderlying = u.instrumentUnderlying;
  const strikeUsd = u.strikeUsd;
  const isCall = u.isCall;
  const expiryMs = u.expiryMs;
  const scenarioOffset = u.scenarioOffset;
  const moveCount = u.moveCount;
  const moveOffset = u.moveOffset;
  const moves = u.moves;
  const volShockCount = u.volShockCount;
  const gridMoveOffset = u.gridMoveOffset;
  const gridMoves = u.gridMoves;
  const uMaintenanceShare = u.underlyingMaintenanceShare;
  const uShortOptionMinimum = u.underlyingShortOptionMinimum;
  const uCalendarSpread = u.underlyingCalendarSpread;
  const rho = u.rho;
  const assetUnderlying = u.assetUnderlying;
  const assetCapUsd = u.assetCapUsd;
  const assetHasCap = u.assetHasCap;
  const slotPolicy = u.slotPolicy;
  const slotStaticIm = u.slotStaticIm;
  const slotStaticMm = u.slotStaticMm;
  const slotMaintenanceShare = u.slotMaintenanceShare;
  const slotTierStart = u.slotTierStart;
  const slotTierCount = u.slotTierCount;
  const tierFromUsd = u.tierFromUsd;
  const tierIm = u.tierIm;
  const tierMm = u.tierMm;
  const slotHasSizeScaling = u.slotHasSizeScaling;
  const slotSizeFactor = u.slotSizeFactor;
  const slotSizeMaxFraction = u.slotSizeMaxFraction;
  const crossShortOptionMinimum = u.crossShortOptionMinimum;
  const liquidityModel = u.liquidityModel;
  const liquidityFreeUsd = u.liquidityFreeUsd;
  // Static policies without brackets or size scaling: the bracket sum is a single product.
  const slotSimpleStatic = new Uint8Array(u.slotCount);
  for (let slot = 0; slot < u.slotCount; slot++)
    slotSimpleStatic[slot] =
      slotPolicy[slot] === POLICY_STATIC && slotTierCount[slot] === 0 && slotHasSizeScaling[slot] === 0
        ? 1
        : 0;

  // Scratch, per position of the current sub-account and per underlying.
  const posPnl = new Float64Array(maxPos);
  const posIm = new Float64Array(maxPos);
  const posMm = new Float64Array(maxPos);
  const posNotional = new Float64Array(maxPos);
  const posLiquidity = new Float64Array(maxPos);
  const scenarioPnl = new Float64Array(MAX_SCENARIOS_PER_UNDERLYING);
  const underlyingList = new Int32Array(nU);
  const underlyingStamp = new Int32Array(nU);
  let stamp = 0;
  const uDelta = new Float64Array(nU);
  const uIm = new Float64Array(nU);
  const uMm = new Float64Array(nU);
  const uNotional = new Float64Array(nU);
  const reqs = new Float64Array(nU);
  const calendarKey = new Float64Array(maxPos);
  const calendarDelta = new Float64Array(maxPos);
  // The options of the current underlying: offset of each Δ vector and its weight c·q.
  const optionOffset = new Int32Array(maxPos);
  const optionWeight = new Float64Array(maxPos);

  // The current pass's columns (set at the start of each run).
  let posInstrumentCol: Int32Array = new Int32Array(0);
  let posSizeCol: Float64Array = new Float64Array(0);
  let posEntryUsdCol: Float64Array = new Float64Array(0);
  let collateralCol: Float64Array = new Float64Array(0);
  let nA = 0;
  let indexUsdCol: Float64Array = new Float64Array(0);
  let markUsdCol: Float64Array = new Float64Array(0);
  let bumpedMarkUsd: Float64Array = new Float64Array(0);
  let scenarioDeltaUsdCol: Float64Array = new Float64Array(0);
  // The kernel's own copy of the tables' option Δ vectors, read by the hot scenario loop (the
  // compiler reads a column that the kernel itself holds with fewer checks: 6–10% of a
  // portfolio sub-account), and the tables' scenarioStamp it was copied at. Copied again only
  // when that stamp changes (new tables, or an update that moved an option's Δ vector): stamps
  // come from the process that updates the tables, which is the one all workers read them from.
  const scenarioDeltaCopy = new Float64Array(u.scenarioDeltaCount);
  let scenarioCopyStamp = Number.NaN;
  let slotRawInitialFraction: Float64Array = new Float64Array(0);
  let slotApcScale: Float64Array = new Float64Array(0);
  let slotLiquidityCoef: Float64Array = new Float64Array(0);
  let dailyVolumeUsd: Float64Array = new Float64Array(0);
  let depthStart: Int32Array = new Int32Array(0);
  let depthNotionalUsd: Float64Array = new Float64Array(0);
  let depthImpact: Float64Array = new Float64Array(0);
  let assetPriceUsd: Float64Array = new Float64Array(0);
  let assetOneMinusHaircut: Float64Array = new Float64Array(0);
  // Outputs of `requirement` (two numbers without an object).
  let reqIm = 0;
  let reqMm = 0;

  function bind(book: ColumnarBook, t: TickTables): void {
    posInstrumentCol = book.posInstrument;
    posSizeCol = book.posSize;
    posEntryUsdCol = book.posEntryUsd;
    collateralCol = book.collateral;
    nA = book.assetCount;
    indexUsdCol = t.indexUsd;
    markUsdCol = t.markUsd;
    bumpedMarkUsd = t.bumpedMarkUsd;
    scenarioDeltaUsdCol = t.scenarioDeltaUsd;
    if (t.scenarioStamp[0] !== scenarioCopyStamp) {
      scenarioDeltaCopy.set(t.scenarioDeltaUsd.subarray(0, scenarioDeltaCopy.length));
      scenarioCopyStamp = t.scenarioStamp[0]!;
    }
    slotRawInitialFraction = t.slotRawInitialFraction;
    slotApcScale = t.slotApcScale;
    slotLiquidityCoef = t.slotLiquidityCoef;
    dailyVolumeUsd = t.dailyVolumeUsd;
    depthStart = t.depthStart;
    depthNotionalUsd = t.depthNotionalUsd;
    depthImpact = t.depthImpact;
    assetPriceUsd = t.assetPriceUsd;
    assetOneMinusHaircut = t.assetOneMinusHaircut;
  }

  /** Bracketed static requirement (reference: static-requirement.ts `bracketed`). */
  function bracketed(slot: number, n: number, im: boolean): number {
    const ts = slotTierStart[slot]!;
    const tc = slotTierCount[slot]!;
    let total = 0;
    for (let b = 0; b <= tc; b++) {
      const lo = b === 0 ? 0 : tierFromUsd[ts + b - 1]!;
      const hi = b < tc ? tierFromUsd[ts + b]! : Number.POSITIVE_INFINITY;
      if (n <= lo) break;
      const rate =
        b === 0
          ? im
            ? slotStaticIm[slot]!
            : slotStaticMm[slot]!
          : im
            ? tierIm[ts + b - 1]!
            : tierMm[ts + b - 1]!;
      total += rate * (Math.min(n, hi) - lo);
    }
    return total;
  }

  /** Stand-alone requirement of one net position (reference: crossPositionRequirement). */
  function requirement(slot: number, i: number, q: number, c: number, n: number, mark: number): void {
    let imRaw: number;
    let mmRaw: number;
    if (slotSimpleStatic[slot] === 1) {
      // bracketed() with one bracket: 0 + f·(min(n, ∞) − 0) = f·n for n > 0, else 0; no size part.
      imRaw = n <= 0 ? 0 : slotStaticIm[slot]! * n;
      mmRaw = n <= 0 ? 0 : slotStaticMm[slot]! * n;
    } else if (slotPolicy[slot] === POLICY_STATIC) {
      const tieredIm = bracketed(slot, n, true);
      const tieredMm = bracketed(slot, n, false);
      let sizeIm = 0;
      let sizeMm = 0;
      if (slotHasSizeScaling[slot] === 1 && n > 0) {
        const scaledIm = Math.min(
          slotSizeMaxFraction[slot]! * n,
          tieredIm + slotSizeFactor[slot]! * Math.sqrt(n) * n,
        );
        sizeIm = Math.max(0, scaledIm - tieredIm);
        sizeMm = tieredIm > 0 ? (sizeIm * tieredMm) / tieredIm : 0;
      }
      imRaw = tieredIm + sizeIm;
      mmRaw = tieredMm + sizeMm;
    } else {
      imRaw = slotRawInitialFraction[slot]! * n;
      mmRaw = imRaw * slotMaintenanceShare[slot]!;
    }
    const apc = slotApcScale[slot]!;
    const rIm = imRaw * apc;
    const rMm = mmRaw * apc;
    if (kind[i] !== KIND_OPTION || q === 0) {
      reqIm = rIm;
      reqMm = rMm;
      return;
    }
    const units = Math.abs(q) * c;
    if (q > 0) {
      const valueUsd = units * mark;
      reqIm = Math.min(valueUsd, rIm);
      reqMm = Math.min(valueUsd, rMm);
      return;
    }
    const ratio = rIm > 0 ? rMm / rIm : 0;
    const s = indexUsdCol[i]!;
    const k = strikeUsd[i]!;
    const otmPerUnit = isCall[i] === 1 ? Math.max(0, k - s) : Math.max(0, s - k);
    const otmUsd = units * otmPerUnit;
    const minUsd = crossShortOptionMinimum[i]! * n;
    const charge = rIm - otmUsd;
    reqIm = Math.max(charge, minUsd);
    reqMm = Math.max(rMm - otmUsd, minUsd * ratio);
  }

  /** Cost to walk instrument i's depth curve for `n` USD (reference: depthCurveCostUsd). */
  function depthCost(i: number, n: number): number {
    let cost = 0;
    let x0 = 0;
    let y0 = 0;
    let slope = 0;
    const end = depthStart[i + 1]!;
    for (let d = depthStart[i]!; d < end; d++) {
      const pn = depthNotionalUsd[d]!;
      const pi = depthImpact[d]!;
      const dx = pn - x0;
      if (dx <= 0) continue;
      slope = (pi - y0) / dx;
      if (n <= pn) {
        const w = n - x0;
        return cost + w * y0 + 0.5 * slope * w * w;
      }
      cost += 0.5 * (y0 + pi) * dx;
      x0 = pn;
      y0 = pi;
    }
    const w = n - x0;
    return cost + w * y0 + 0.5 * slope * w * w;
  }

  function liquidityCost(slot: number, i: number, notional: number): number {
    const model = liquidityModel[i]!;
    if (model === 0) return 0;
    const n = Math.max(0, notional - liquidityFreeUsd[i]!);
    if (n === 0) return 0;
    if (model === 2) return depthCost(i, n);
    return slotLiquidityCoef[slot]! * Math.sqrt(n / dailyVolumeUsd[i]!) * n;
  }

  /** Collects the distinct underlyings of rows [s, s+n) into underlyingList, ascending; returns the count. */
  function collectUnderlyings(s: number, n: number): number {
    stamp++;
    let count = 0;
    for (let r = 0; r < n; r++) {
      const und = instrumentUnderlying[posInstrumentCol[s + r]!]!;
      if (underlyingStamp[und] === stamp) continue;
      underlyingStamp[und] = stamp;
      let j = count++;
      while (j > 0 && underlyingList[j - 1]! > und) {
        underlyingList[j] = underlyingList[j - 1]!;
        j--;
      }
      underlyingList[j] = und;
    }
    return count;
  }

  function netPnlAt(i: number, q: number, e: number, c: number, mark: number): number {
    return kind[i] === KIND_INVERSE_PERP ? c * (mark * (q / e) - q) : c * (q * mark - q * e);
  }

  /** Cross-mode wrong-way add-on (reference: crossWrongWay); writes reqIm/reqMm. */
  function crossWrongWay(a: number, s: number, n: number): void {
    const count = collectUnderlyings(s, n);
    const posInstrument = posInstrumentCol;
    const posSize = posSizeCol;
    const posEntryUsd = posEntryUsdCol;
    const collateral = collateralCol;
    for (let x = 0; x < count; x++) {
      const und = underlyingList[x]!;
      uDelta[und] = 0;
      uIm[und] = 0;
      uMm[und] = 0;
      uNotional[und] = 0;
    }
    for (let r = 0; r < n; r++) {
      const row = s + r;
      const i = posInstrument[row]!;
      const pb = netPnlAt(i, posSize[row]!, posEntryUsd[row]!, contractSize[i]!, bumpedMarkUsd[i]!);
      const und = instrumentUnderlying[i]!;
      uDelta[und] = uDelta[und]! + -(pb - posPnl[r]!) / 0.01;
      uIm[und] = uIm[und]! + posIm[r]!;
      uMm[und] = uMm[und]! + posMm[r]!;
      uNotional[und] = uNotional[und]! + posNotional[r]!;
    }
    let im = 0;
    let mm = 0;
    for (let k = 0; k < nA; k++) {
      const amount = collateral[a * nA + k]!;
      const cu = assetUnderlying[k]!;
      if (amount === 0 || cu < 0) continue;
      const gross = amount * assetPriceUsd[k]!;
      if (gross <= 0) continue;
      for (let x = 0; x < count; x++) {
        const und = underlyingList[x]!;
        const r = Math.max(0, rho[cu * nU + und]!);
        const delta = uDelta[und]!;
        const notional = uNotional[und]!;
        if (r === 0 || delta <= 0 || notional <= 0) continue;
        const e = uIm[und]!;
        const fIm = e / notional;
        const exposed = Math.min(gross, delta);
        const add = r * exposed * fIm;
        const addMm = e > 0 ? (add * uMm[und]!) / e : 0;
        if (add <= 0) continue;
        im += add;
        mm += addMm;
      }
    }
    reqIm = im;
    reqMm = mm;
  }

  /**
   * The smallest scenario P&L of one underlying (NaN when any is NaN) for at most three options,
   * the net delta read from and the result written to uOut (U_NET_DELTA, U_LOWEST), without
   * storing the vector: the same per-point expressions as `scenarioVector`, whose running
   * minimum it is (Math.min is symmetric, so the order of the minima does not matter).
   */
  function lowestScenarioPnl(und: number, optionCount: number): void {
    const netDelta = uOut[U_NET_DELTA]!;
    const nM = moveCount[und]!;
    const go = gridMoveOffset[und]!;
    const g = gridMoves;
    const d = scenarioDeltaCopy;
    // The first point is peeled off each loop (Math.min(+∞, x) is the loop's first step):
    // measured a little faster than starting the loops at 0.
    if (nM === 0) {
      uOut[U_LOWEST] = Number.POSITIVE_INFINITY;
      return;
    }
    if (optionCount === 0) {
      let lo = Math.min(Number.POSITIVE_INFINITY, netDelta * g[go]!);
      for (let j = 1; j < nM; j++) lo = Math.min(lo, netDelta * g[(go + j) | 0]!);
      uOut[U_LOWEST] = lo;
      return;
    }
    const nS = nM * volShockCount[und]!;
    if (nS === 0) {
      uOut[U_LOWEST] = Number.POSITIVE_INFINITY;
      return;
    }
    const o0 = optionOffset[0]!;
    const w0 = optionWeight[0]!;
    if (optionCount === 1) {
      let lo = Math.min(Number.POSITIVE_INFINITY, netDelta * g[go]! + w0 * d[o0]!);
      for (let j = 1; j < nS; j++) lo = Math.min(lo, netDelta * g[(go + j) | 0]! + w0 * d[(o0 + j) | 0]!);
      uOut[U_LOWEST] = lo;
      return;
    }
    const o1 = optionOffset[1]!;
    const w1 = optionWeight[1]!;
    if (optionCount === 2) {
      let lo = Math.min(Number.POSITIVE_INFINITY, netDelta * g[go]! + w0 * d[o0]! + w1 * d[o1]!);
      for (let j = 1; j < nS; j++)
        lo = Math.min(lo, netDelta * g[(go + j) | 0]! + w0 * d[(o0 + j) | 0]! + w1 * d[(o1 + j) | 0]!);
      uOut[U_LOWEST] = lo;
      return;
    }
    const o2 = optionOffset[2]!;
    const w2 = optionWeight[2]!;
    let lo = Math.min(Number.POSITIVE_INFINITY, netDelta * g[go]! + w0 * d[o0]! + w1 * d[o1]! + w2 * d[o2]!);
    for (let j = 1; j < nS; j++)
      lo = Math.min(
        lo,
        netDelta * g[(go + j) | 0]! + w0 * d[(o0 + j) | 0]! + w1 * d[(o1 + j) | 0]! + w2 * d[(o2 + j) | 0]!,
      );
    uOut[U_LOWEST] = lo;
    return;
  }

  /**
   * The P&L vector of one underlying into scenarioPnl: netDelta·m at every grid point, plus each
   * option's weight × its Δ vector, in position order, exactly the reference's
   * `pnl = D·m; pnl += w_i·Δ_i` per scenario. Up to three options are added in one pass over the
   * grid (the same additions per element in the same order); more take one pass each. Without
   * options only the first vol-shock row is written (every row is the same). The net delta is
   * read from uOut[U_NET_DELTA]; the smallest P&L (NaN when any is NaN) goes to uOut[U_LOWEST]:
   * Math.min is symmetric, so two running minima are exact.
   */
  function scenarioVector(und: number, optionCount: number): void {
    const netDelta = uOut[U_NET_DELTA]!;
    // Without options the first vol-shock row (nM points) is enough: every row is the same.
    const nS = optionCount === 0 ? moveCount[und]! : moveCount[und]! * volShockCount[und]!;
    const go = gridMoveOffset[und]!;
    const g = gridMoves;
    const deltaUsd = scenarioDeltaUsdCol;
    const pnl = scenarioPnl;
    let lo = Number.POSITIVE_INFINITY;
    if (optionCount === 0) {
      for (let j = 0; j < nS; j++) {
        const x = netDelta * g[go + j]!;
        pnl[j] = x;
        lo = Math.min(lo, x);
      }
      uOut[U_LOWEST] = lo;
      return;
    }
    const o0 = optionOffset[0]!;
    const w0 = optionWeight[0]!;
    if (optionCount === 1) {
      for (let j = 0; j < nS; j++) {
        const x = netDelta * g[go + j]! + w0 * deltaUsd[o0 + j]!;
        pnl[j] = x;
        lo = Math.min(lo, x);
      }
      uOut[U_LOWEST] = lo;
      return;
    }
    const o1 = optionOffset[1]!;
    const w1 = optionWeight[1]!;
    if (optionCount === 2) {
      for (let j = 0; j < nS; j++) {
        const x = netDelta * g[go + j]! + w0 * deltaUsd[o0 + j]! + w1 * deltaUsd[o1 + j]!;
        pnl[j] = x;
        lo = Math.min(lo, x);
      }
      uOut[U_LOWEST] = lo;
      return;
    }
    const o2 = optionOffset[2]!;
    const w2 = optionWeight[2]!;
    if (optionCount === 3) {
      for (let j = 0; j < nS; j++) {
        const x =
          netDelta * g[go + j]! + w0 * deltaUsd[o0 + j]! + w1 * deltaUsd[o1 + j]! + w2 * deltaUsd[o2 + j]!;
        pnl[j] = x;
        lo = Math.min(lo, x);
      }
      uOut[U_LOWEST] = lo;
      return;
    }
    for (let j = 0; j < nS; j++)
      pnl[j] =
        netDelta * g[go + j]! + w0 * deltaUsd[o0 + j]! + w1 * deltaUsd[o1 + j]! + w2 * deltaUsd[o2 + j]!;
    for (let x = 3; x < optionCount - 1; x++) {
      const o = optionOffset[x]!;
      const w = optionWeight[x]!;
      for (let j = 0; j < nS; j++) pnl[j] = pnl[j]! + w * deltaUsd[o + j]!;
    }
    const o = optionOffset[optionCount - 1]!;
    const w = optionWeight[optionCount - 1]!;
    for (let j = 0; j < nS; j++) {
      const x = pnl[j]! + w * deltaUsd[o + j]!;
      pnl[j] = x;
      lo = Math.min(lo, x);
    }
    uOut[U_LOWEST] = lo;
    return;
  }

  /**
   * Inputs and outputs of the per-underlying helpers (typed scratch: a double passed to or
   * returned from a call that is not inlined is boxed, an allocation per call).
   */
  const uOut = new Float64Array(10);
  const U_COLL_GROSS = 0;
  const U_COLL_HAIRCUT = 1;
  const U_WORST_LOSS = 2;
  const U_WORST_WITH_COLL = 3;
  /** In: the net delta D_u of the scenario helpers; out: their smallest scenario P&L. */
  const U_NET_DELTA = 4;
  const U_LOWEST = 5;
  /** In: the noise floor of scanLosses; out: calendarCharge's charge; in: addCalendarDelta's delta. */
  const U_NOISE = 6;
  const U_CALENDAR = 7;
  const U_DELTA = 8;
  /** In: portfolioFast's collateral value. */
  const U_COLL_USD = 9;

  /** Gross value and haircut of sub-account a's collateral tied to underlying und, into uOut. */
  function collateralOn(a: number, und: number): void {
    let collGross = 0;
    let collHaircut = 0;
    for (let k = 0; k < nA; k++) {
      const amount = collateralCol[a * nA + k]!;
      if (amount === 0 || assetUnderlying[k] !== und) continue;
      const gross = amount * assetPriceUsd[k]!;
      collGross += gross;
      collHaircut += gross - gross * assetOneMinusHaircut[k]!;
    }
    uOut[U_COLL_GROSS] = collGross;
    uOut[U_COLL_HAIRCUT] = collHaircut;
  }

  /**
   * The largest scenario loss above the noise floor and the largest loss net of the collateral's
   * own move, into uOut. With no collateral on u and no NaN P&L, `lowest` (the smallest P&L)
   * decides both: the reference's scan keeps the largest loss when it clears the floor, and its
   * loss − 0·m maximum is max(0, largest loss) up to the sign of a zero, which the wrong-way
   * add-on's max(0, ·) erases. Otherwise the vector in scenarioPnl is scanned.
   */
  function scanLosses(und: number, optionCount: number): void {
    const lowest = uOut[U_LOWEST]!;
    const collGross = uOut[U_COLL_GROSS]!;
    const noiseUsd = uOut[U_NOISE]!;
    let worstLoss = 0;
    let worstWithColl = 0;
    if (collGross === 0 && !Number.isNaN(lowest)) {
      const largestLoss = -lowest;
      if (largestLoss > 0 && largestLoss > noiseUsd) worstLoss = largestLoss;
      worstWithColl = Math.max(0, largestLoss);
    } else {
      const nM = moveCount[und]!;
      const mo = moveOffset[und]!;
      // Without options only the first vol-shock row was written (every row is the same).
      const nS = optionCount === 0 ? nM : nM * volShockCount[und]!;
      for (let j0 = 0; j0 < nS; j0 += nM) {
        for (let k = 0; k < nM; k++) {
          const loss = -scenarioPnl[j0 + k]!;
          if (loss > worstLoss && loss > noiseUsd) worstLoss = loss;
          worstWithColl = Math.max(worstWithColl, loss - collGross * moves[mo + k]!);
        }
      }
    }
    uOut[U_WORST_LOSS] = worstLoss;
    uOut[U_WORST_WITH_COLL] = worstWithColl;
  }

  /** The calendar-spread charge of the expiry buckets in calendarDelta[0..calendarCount), into uOut. */
  function calendarCharge(und: number, calendarCount: number): void {
    let longs = 0;
    let shorts = 0;
    for (let slot = 0; slot < calendarCount; slot++) {
      const d = calendarDelta[slot]!;
      if (d > 0) longs += d;
      else shorts -= d;
    }
    uOut[U_CALENDAR] = calendarCount > 1 ? uCalendarSpread[und]! * Math.min(longs, shorts) : 0;
  }

  // Accumulators of the current sub-account's scenario pass, across its underlyings.
  let scMmWeighted = 0;
  let scWrongWayIm = 0;
  let scWrongWayMm = 0;

  /**
   * One underlying's scenario requirement R_u (reference: the body of scenarioRequirement's loop
   * over underlyings), from its sums over the sub-account's positions on u in position order:
   * stand-alone IM (the cross cap), short-option minimum, notional (the noise floor), net delta
   * D_u; the options in optionOffset/optionWeight and the expiry-bucket deltas in calendarDelta.
   * Adds to the scenario accumulators and returns R_u.
   */
  function underlyingRequirement(
    a: number,
    und: number,
    crossCap: number,
    shortMin: number,
    notionalSum: number,
    netDelta: number,
    optionCount: number,
    calendarCount: number,
  ): number {
    uOut[U_NET_DELTA] = netDelta;
    scenarioVector(und, optionCount);
    collateralOn(a, und);
    const collHaircut = uOut[U_COLL_HAIRCUT]!;
    // The reference's round-off floor: losses below it are noise of a perfectly hedged book.
    uOut[U_NOISE] = 1e-12 * notionalSum;
    scanLosses(und, optionCount);
    const worstLoss = uOut[U_WORST_LOSS]!;
    const worstWithColl = uOut[U_WORST_WITH_COLL]!;
    calendarCharge(und, calendarCount);
    const calendar = uOut[U_CALENDAR]!;
    const uncapped = Math.max(worstLoss, shortMin) + calendar;
    const r = Math.min(uncapped, crossCap);
    scMmWeighted += uMaintenanceShare[und]! * r;
    const ww = Math.max(0, worstWithColl - worstLoss - collHaircut);
    if (ww > 0) {
      scWrongWayIm += ww;
      scWrongWayMm += ww * uMaintenanceShare[und]!;
    }
    return r;
  }

  /** Adds a non-option delta w·M to its expiry bucket (perps share one); returns the bucket count. */
  function addCalendarDelta(i: number, calendarCount: number): number {
    // A dated future's bucket is its expiry; every perp shares one.
    const key = kind[i] === KIND_DATED_FUTURE ? expiryMs[i]! : -1;
    const delta = uOut[U_DELTA]!;
    let slot = 0;
    while (slot < calendarCount && calendarKey[slot] !== key) slot++;
    if (slot === calendarCount) {
      calendarKey[slot] = key;
      calendarDelta[slot] = 0;
      calendarCount++;
    }
    calendarDelta[slot] = calendarDelta[slot]! + delta;
    return calendarCount;
  }

  /**
   * Correlation aggregation of reqs[0..count) over underlyingList (reference: the end of
   * scenarioRequirement) plus the wrong-way add-ons; writes reqIm/reqMm.
   */
  function aggregateScenario(count: number): void {
    let sum = 0;
    let largest = 0;
    for (let x = 0; x < count; x++) {
      sum += reqs[x]!;
      largest = Math.max(largest, reqs[x]!);
    }
    let quad = 0;
    for (let x = 0; x < count; x++) {
      const row = underlyingList[x]! * nU;
      for (let y = 0; y < count; y++) quad += rho[row + underlyingList[y]!]! * reqs[x]! * reqs[y]!;
    }
    const aggregated = Math.min(sum, Math.max(Math.sqrt(Math.max(0, quad)), largest));
    const share = sum > 0 ? scMmWeighted / sum : uMaintenanceShare[underlyingList[0]!]!;
    reqIm = aggregated + scWrongWayIm;
    reqMm = aggregated * share + scWrongWayMm;
  }

  /**
   * Portfolio-mode scenario requirement (reference: scenarioRequirement) of a sub-account whose
   * stand-alone requirements and notionals are in posIm/posNotional; writes reqIm/reqMm.
   */
  function scenario(a: number, s: number, n: number): void {
    const count = collectUnderlyings(s, n);
    const posInstrument = posInstrumentCol;
    const posSize = posSizeCol;
    const posEntryUsd = posEntryUsdCol;
    const markUsd = markUsdCol;
    scMmWeighted = 0;
    scWrongWayIm = 0;
    scWrongWayMm = 0;
    for (let x = 0; x < count; x++) {
      const und = underlyingList[x]!;
      let crossCap = 0;
      let shortMin = 0;
      let calendarCount = 0;
      let notionalSum = 0;
      let netDelta = 0;
      let optionCount = 0;
      for (let r = 0; r < n; r++) {
        const row = s + r;
        const i = posInstrument[row]!;
        if (instrumentUnderlying[i] !== und) continue;
        const q = posSize[row]!;
        const c = contractSize[i]!;
        crossCap += posIm[r]!;
        notionalSum += posNotional[r]!;
        const k = kind[i]!;
        if (k === KIND_OPTION) {
          optionOffset[optionCount] = scenarioOffset[i]!;
          optionWeight[optionCount] = c * q;
          optionCount++;
          if (q < 0) shortMin += uShortOptionMinimum[und]! * posNotional[r]!;
          continue;
        }
        // w·M: the position's share of the net delta and of its expiry bucket's delta.
        const delta = (k === KIND_INVERSE_PERP ? c * (q / posEntryUsd[row]!) : c * q) * markUsd[i]!;
        netDelta += delta;
        uOut[U_DELTA] = delta;
        calendarCount = addCalendarDelta(i, calendarCount);
      }
      reqs[x] = underlyingRequirement(
        a,
        und,
        crossCap,
        shortMin,
        notionalSum,
        netDelta,
        optionCount,
        calendarCount,
      );
    }
    aggregateScenario(count);
  }

  function one(book: ColumnarBook, out: MarginColumns, a: number): void {
    const s = book.posStart[a]!;
    const n = book.posCount[a]!;
    const slotBase = book.paramSet[a]! * nI;
    const collateral = collateralCol;
    const posInstrument = posInstrumentCol;
    const posSize = posSizeCol;
    const posEntryUsd = posEntryUsdCol;
    const markUsd = markUsdCol;
    const indexUsd = indexUsdCol;
    let collUsd = 0;
    let tied = false;
    for (let k = 0; k < nA; k++) {
      const amount = collateral[a * nA + k]!;
      if (amount === 0) continue;
      const gross = amount * assetPriceUsd[k]!;
      const after = gross * assetOneMinusHaircut[k]!;
      collUsd += assetHasCap[k] === 1 ? Math.min(after, assetCapUsd[k]!) : after;
      if (assetUnderlying[k]! >= 0 && gross > 0) tied = true;
    }
    let pnlUsd = 0;
    let im = 0;
    let mm = 0;
    let liquidity = false;
    const portfolio = book.mode[a] === MODE_PORTFOLIO && n > 0;
    for (let r = 0; r < n; r++) {
      const row = s + r;
      const i = posInstrument[row]!;
      const q = posSize[row]!;
      const e = posEntryUsd[row]!;
      const c = contractSize[i]!;
      const mark = markUsd[i]!;
      const k = kind[i]!;
      const pnl = k === KIND_INVERSE_PERP ? c * (mark * (q / e) - q) : c * (q * mark - q * e);
      pnlUsd += pnl;
      posPnl[r] = pnl;
      const notional =
        k === KIND_INVERSE_PERP
          ? Math.abs(q) * c
          : k === KIND_OPTION
            ? Math.abs(q) * c * indexUsd[i]!
            : Math.abs(q) * c * mark;
      posNotional[r] = notional;
      const slot = slotBase + i;
      if (k !== KIND_OPTION && slotSimpleStatic[slot] === 1) {
        // The common case inline: requirement() for a one-bracket static policy.
        const apc = slotApcScale[slot]!;
        reqIm = (notional <= 0 ? 0 : slotStaticIm[slot]! * notional) * apc;
        reqMm = (notional <= 0 ? 0 : slotStaticMm[slot]! * notional) * apc;
      } else requirement(slot, i, q, c, notional, mark);
      posIm[r] = reqIm;
      posMm[r] = reqMm;
      // Cross and isolated modes sum the stand-alone requirements in position order, as the
      // reference does after its loop: the same additions in the same order.
      im += reqIm;
      mm += reqMm;
      if (liquidityModel[i] === 0) posLiquidity[r] = 0;
      else {
        posLiquidity[r] = liquidityCost(slot, i, notional);
        liquidity = true;
      }
    }
    if (portfolio) {
      scenario(a, s, n);
      im = reqIm;
      mm = reqMm;
    } else if (tied && n > 0) {
      crossWrongWay(a, s, n);
      im += reqIm;
      mm += reqMm;
    }
    // Adding the reference's zero add-ons would not change a non-negative sum: skip them.
    if (liquidity) {
      for (let r = 0; r < n; r++) {
        im += posLiquidity[r]!;
        mm += posLiquidity[r]!;
      }
    }
    if (book.imMultiplied[a] === 1 && im > 0) im += im * (book.imMultiplier[a]! - 1);
    const equity = collUsd + pnlUsd;
    writeResult(out, a, equity, im, mm);
  }

  // Portfolio mode: the stand-alone requirements feed the cross-margin cap; options allowed.
  const portfolioFastSlot = new Uint8Array(u.slotCount);
  for (let slot = 0; slot < u.slotCount; slot++) {
    const i = slot % nI;
    portfolioFastSlot[slot] =
      slotSimpleStatic[slot] === 1 && kind[i] !== KIND_INVERSE_PERP && liquidityModel[i] === 0 ? 1 : 0;
  }

  /**
   * Portfolio-mode sub-account with every position in a portfolio-fast slot: the stand-alone
   * requirements inline (the same expressions as `requirement`), then the scenario pass. When
   * every position is on one underlying (the common shape), the same loop also gathers that
   * underlying's sums in position order, as `scenario` would, and goes straight to its
   * requirement. Returns false, having written nothing, when a position needs the general path.
   */
  function portfolioFast(book: ColumnarBook, out: MarginColumns, a: number): boolean {
    const collUsd = uOut[U_COLL_USD]!;
    const s = book.posStart[a]!;
    const n = book.posCount[a]!;
    if (n === 0) return false;
    const slotBase = book.paramSet[a]! * nI;
    const posInstrument = posInstrumentCol;
    const posSize = posSizeCol;
    const posEntryUsd = posEntryUsdCol;
    const markUsd = markUsdCol;
    const indexUsd = indexUsdCol;
    const apcScale = slotApcScale;
    const und = instrumentUnderlying[posInstrument[s]!]!;
    let single = true;
    let pnlUsd = 0;
    let crossCap = 0;
    let shortMin = 0;
    let notionalSum = 0;
    let netDelta = 0;
    let optionCount = 0;
    let calendarCount = 0;
    for (let r = 0; r < n; r++) {
      const row = s + r;
      const i = posInstrument[row]!;
      const slot = slotBase + i;
      // Only the scratch columns are written before this check: nothing to undo.
      if (portfolioFastSlot[slot] !== 1) return false;
      const q = posSize[row]!;
      const c = contractSize[i]!;
      const mark = markUsd[i]!;
      pnlUsd += c * (q * mark - q * posEntryUsd[row]!);
      const isOption = kind[i] === KIND_OPTION;
      const notional = isOption ? Math.abs(q) * c * indexUsd[i]! : Math.abs(q) * c * mark;
      const apc = apcScale[slot]!;
      let im = (notional <= 0 ? 0 : slotStaticIm[slot]! * notional) * apc;
      let mm = (notional <= 0 ? 0 : slotStaticMm[slot]! * notional) * apc;
      if (!isOption || q === 0) {
        // A linear position (or an empty option line) pays its policy fraction as is.
      } else if (q > 0) {
        const valueUsd = Math.abs(q) * c * mark;
        im = Math.min(valueUsd, im);
        mm = Math.min(valueUsd, mm);
      } else {
        const units = Math.abs(q) * c;
        const ratio = im > 0 ? mm / im : 0;
        const spot = indexUsd[i]!;
        const k = strikeUsd[i]!;
        const otmUsd = units * (isCall[i] === 1 ? Math.max(0, k - spot) : Math.max(0, spot - k));
        const minUsd = crossShortOptionMinimum[i]! * notional;
        im = Math.max(im - otmUsd, minUsd);
        mm = Math.max(mm - otmUsd, minUsd * ratio);
      }
      posNotional[r] = notional;
      posIm[r] = im;
      posMm[r] = mm;
      if (instrumentUnderlying[i] !== und) single = false;
      crossCap += im;
      notionalSum += notional;
      if (isOption) {
        optionOffset[optionCount] = scenarioOffset[i]!;
        optionWeight[optionCount] = c * q;
        optionCount++;
        if (q < 0) shortMin += uShortOptionMinimum[und]! * notional;
      } else {
        // w·M of a linear perp or dated future (inverse perps never reach this path).
        const delta = c * q * mark;
        netDelta += delta;
        uOut[U_DELTA] = delta;
        calendarCount = addCalendarDelta(i, calendarCount);
      }
    }
    let im: number;
    let mm: number;
    if (single) {
      // underlyingRequirement(und) and aggregateScenario(1) inline, with the accumulators in
      // locals: the same operations in the same order (the `0 +` are the accumulators' starts).
      collateralOn(a, und);
      const collGross = uOut[U_COLL_GROSS]!;
      const collHaircut = uOut[U_COLL_HAIRCUT]!;
      // Without collateral on u (and at most three options) only the smallest P&L matters: no
      // vector is stored unless it is needed.
      uOut[U_NET_DELTA] = netDelta;
      if (collGross === 0 && optionCount <= 3) lowestScenarioPnl(und, optionCount);
      else uOut[U_LOWEST] = Number.NaN;
      if (!(collGross === 0 && !Number.isNaN(uOut[U_LOWEST]!))) scenarioVector(und, optionCount);
      uOut[U_NOISE] = 1e-12 * notionalSum;
      scanLosses(und, optionCount);
      const worstLoss = uOut[U_WORST_LOSS]!;
      const worstWithColl = uOut[U_WORST_WITH_COLL]!;
      calendarCharge(und, calendarCount);
      const calendar = uOut[U_CALENDAR]!;
      const uncapped = Math.max(worstLoss, shortMin) + calendar;
      const r = Math.min(uncapped, crossCap);
      const mShare = uMaintenanceShare[und]!;
      const mmWeighted = 0 + mShare * r;
      const ww = Math.max(0, worstWithColl - worstLoss - collHaircut);
      let wwIm = 0;
      let wwMm = 0;
      if (ww > 0) {
        wwIm = 0 + ww;
        wwMm = 0 + ww * mShare;
      }
      const sum = 0 + r;
      const largest = Math.max(0, r);
      const quad = 0 + rho[und * nU + und]! * r * r;
      const aggregated = Math.min(sum, Math.max(Math.sqrt(Math.max(0, quad)), largest));
      const share = sum > 0 ? mmWeighted / sum : mShare;
      im = aggregated + wwIm;
      mm = aggregated * share + wwMm;
    } else {
      scenario(a, s, n);
      im = reqIm;
      mm = reqMm;
    }
    if (book.imMultiplied[a] === 1 && im > 0) im += im * (book.imMultiplier[a]! - 1);
    const equity = collUsd + pnlUsd;
    writeResult(out, a, equity, im, mm);
    return true;
  }

  /** Sub-accounts of the current block that the fast loop left to `portfolioFast` / `one`. */
  const deferred = new Int32Array(BLOCK);

  /**
   * Re-margins accounts[from..to) (or the range itself when `list` is null), in blocks of BLOCK
   * sub-accounts. A cross or isolated sub-account whose positions all sit in plain linear slots
   * and whose collateral is tied to no underlying is computed inline by `fastBlock`, reading each
   * position's slot values from the tables' packed `linearSlotPack`: the same expressions in the
   * same order as `one` (which the reference check covers), without its per-position scratch and
   * calls. The others of the block are then computed, while their rows are still in cache: a
   * portfolio sub-account by `portfolioFast`, any other by `one`. Every sub-account writes its own
   * rows only, so the order in which they are computed does not matter.
   */
  function run(
    book: ColumnarBook,
    tables: TickTables,
    out: MarginColumns,
    list: Int32Array | null,
    from: number,
    to: number,
    afterBlock: BlockHook | null,
  ): void {
    bind(book, tables);
    // Only a sparse list gains from the gather (a dense one streams well by itself).
    const sparse = list !== null && to - from > 0 && list[to - 1]! - list[from]! > 4 * (to - from);
    for (let x0 = from; x0 < to; x0 += BLOCK) {
      const x1 = Math.min(to, x0 + BLOCK);
      if (sparse) gather(book, list!, x0, x1);
      const nd = fastBlock(book, tables, out, list, x0, x1);
      for (let y = 0; y < nd; y++) {
        const a = deferred[y]!;
        if (book.mode[a] !== MODE_PORTFOLIO) {
          one(book, out, a);
          continue;
        }
        // The collateral sum of the fast loop (a sub-account with tied collateral goes to `one`).
        let collUsd = 0;
        let tied = false;
        for (let k = 0; k < nA; k++) {
          const amount = collateralCol[a * nA + k]!;
          if (amount === 0) continue;
          const gross = amount * assetPriceUsd[k]!;
          const after = gross * assetOneMinusHaircut[k]!;
          collUsd += assetHasCap[k] === 1 ? Math.min(after, assetCapUsd[k]!) : after;
          if (assetUnderlying[k]! >= 0 && gross > 0) tied = true;
        }
        uOut[U_COLL_USD] = collUsd;
        if (tied || !portfolioFast(book, out, a)) one(book, out, a);
      }
      if (afterBlock !== null) afterBlock(list!, x0, x1);
    }
  }

  /**
   * A sparse list (an incremental pass) touches each sub-account's cache lines cold. Load one
   * value from each line the block will read first: the loads are independent, so the processor
   * overlaps their misses, and the computation finds them in cache. Not the lines it will only
   * write (the result records and flags): a store miss does not hold the computation up, while
   * loading them took miss slots from the reads (at 1M, a 72k-row pass 12.0 → 10.5 ms), and so
   * did leaving out a position row's last instrument id (→ 10.0 ms).
   */
  function gather(book: ColumnarBook, list: Int32Array, x0: number, x1: number): void {
    const posStart = book.posStart;
    const posCount = book.posCount;
    const mode = book.mode;
    const paramSet = book.paramSet;
    const imMultiplied = book.imMultiplied;
    const collateral = book.collateral;
    const posInstrument = book.posInstrument;
    const posSize = book.posSize;
    const posEntryUsd = book.posEntryUsd;
    const na = book.assetCount;
    let touch = 0;
    // Two stages: the account columns first (independent loads), then the position rows,
    // whose addresses depend on posStart (by then in cache).
    for (let y = x0; y < x1; y++) {
      const b = list[y]!;
      touch += posStart[b]! + posCount[b]! + mode[b]! + paramSet[b]! + imMultiplied[b]! + collateral[b * na]!;
    }
    for (let y = x0; y < x1; y++) {
      const b = list[y]!;
      const r = posStart[b]!;
      // First and last rows: a sub-account's positions may straddle two cache lines.
      const last = r + Math.max(0, posCount[b]! - 1);
      touch +=
        posInstrument[r]! +
        posSize[r]! +
        posEntryUsd[r]! +
        posInstrument[last]! +
        posSize[last]! +
        posEntryUsd[last]!;
    }
    gatherSink += touch;
  }

  /**
   * The cross fast path over accounts[x0..x1) (or the range): computes every plain cross or
   * isolated sub-account and lists the others in `deferred`; returns their count. A loop
   * without calls, and the other paths' work grouped after it: 1–3% faster on the bench
   * venue's mix than interleaving them.
   */
  function fastBlock(
    book: ColumnarBook,
    tables: TickTables,
    out: MarginColumns,
    list: Int32Array | null,
    x0: number,
    x1: number,
  ): number {
    const posStart = book.posStart;
    const posCount = book.posCount;
    const mode = book.mode;
    const paramSet = book.paramSet;
    const imMultiplier = book.imMultiplier;
    const imMultiplied = book.imMultiplied;
    const collateral = book.collateral;
    const posInstrument = book.posInstrument;
    const posSize = book.posSize;
    const posEntryUsd = book.posEntryUsd;
    const pack = tables.linearSlotPack;
    const price = tables.assetPriceUsd;
    const oneMinusHaircut = tables.assetOneMinusHaircut;
    const res = out.results;
    const liqOut = out.liquidatable;
    const na = book.assetCount;
    const defer = deferred;
    // A venue with a single collateral asset, uncapped and tied to no underlying (USD only).
    const onePlainAsset = na === 1 && assetUnderlying[0]! < 0 && assetHasCap[0] === 0;
    // That asset's price and 1 − haircut, read once per block.
    const price0 = onePlainAsset ? price[0]! : 0;
    const oneMinusHaircut0 = onePlainAsset ? oneMinusHaircut[0]! : 0;
    let nd = 0;
    for (let x = x0; x < x1; x++) {
      const a = list === null ? x : list[x]!;
      let collUsd = 0;
      if (onePlainAsset) {
        // The loop below for one uncapped asset tied to no underlying.
        const amount = collateral[a]!;
        if (amount !== 0) collUsd += amount * price0 * oneMinusHaircut0;
      } else {
        let tied = false;
        for (let k = 0; k < na; k++) {
          const amount = collateral[a * na + k]!;
          if (amount === 0) continue;
          const gross = amount * price[k]!;
          const after = gross * oneMinusHaircut[k]!;
          collUsd += assetHasCap[k] === 1 ? Math.min(after, assetCapUsd[k]!) : after;
          if (assetUnderlying[k]! >= 0 && gross > 0) tied = true;
        }
        if (tied) {
          defer[nd++] = a;
          continue;
        }
      }
      if (mode[a] === MODE_PORTFOLIO) {
        defer[nd++] = a;
        continue;
      }
      const s = posStart[a]!;
      const end = s + posCount[a]!;
      const slotBase = paramSet[a]! * nI;
      let pnlUsd = 0;
      let im = 0;
      let mm = 0;
      let r = s;
      for (; r < end; r++) {
        // The slot's flag, contract size, mark, IM and MM fractions and APC scale, packed.
        const p = ((slotBase + posInstrument[r]!) * SLOT_PACK) | 0;
        if (pack[p] !== 1) break;
        const q = posSize[r]!;
        const c = pack[(p + 1) | 0]!;
        const mark = pack[(p + 2) | 0]!;
        pnlUsd += c * (q * mark - q * posEntryUsd[r]!);
        const notional = Math.abs(q) * c * mark;
        const apc = pack[(p + 5) | 0]!;
        im += (notional <= 0 ? 0 : pack[(p + 3) | 0]! * notional) * apc;
        mm += (notional <= 0 ? 0 : pack[(p + 4) | 0]! * notional) * apc;
      }
      if (r < end) {
        defer[nd++] = a;
        continue;
      }
      // imMultiplied[a] = imMultiplier[a] > 1: the 8-byte multiplier is read only where it is set.
      if (imMultiplied[a] === 1 && im > 0) im += im * (imMultiplier[a]! - 1);
      const equity = collUsd + pnlUsd;
      // The row's record (margin-columns.ts: equity, IM, MM, health at a·4).
      const r4 = a * 4;
      res[r4] = equity;
      res[r4 + 1] = im;
      res[r4 + 2] = mm;
      res[r4 + 3] = mm === 0 ? Number.POSITIVE_INFINITY : equity / mm;
      liqOut[a] = mm > 0 && equity < mm ? 1 : 0;
    }
    return nd;
  }

  return {
    runRange(book, tables, out, from, to) {
      run(book, tables, out, null, from, to, null);
    },
    runList(book, tables, out, list, from, to, afterBlock = null) {
      run(book, tables, out, list, from, to, afterBlock);
    },
  };
}
