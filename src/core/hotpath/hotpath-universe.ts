import { invalidInput } from "../errors.ts";
import { correlationOf } from "../margin/evaluate-subaccount.ts";
import type { PreparedSubaccount } from "../margin/prepared-subaccount.ts";
import type { Policy, RiskParams } from "../margin/risk-params.ts";
import { priceGrid } from "../margin/scenario-requirement.ts";

/*
 * The dense integer ids of the hot path, resolved once from a risk-parameter document: markets,
 * underlyings, collateral assets and parameter sets each numbered in sorted id order. Sorted
 * order is what makes the columnar kernel bit-identical to the reference: the reference sorts
 * positions by market id, underlyings and collateral assets by name, and sums in that order, so
 * a book that keeps each sub-account's positions in ascending instrument index sums in the same
 * order. Everything here depends on the document only; what changes per tick is in tick-tables.ts.
 */

/** Instrument kind codes of the `kind` column. */
export const KIND_LINEAR_PERP = 0;
export const KIND_DATED_FUTURE = 1;
export const KIND_INVERSE_PERP = 2;
export const KIND_OPTION = 3;

/** Policy codes of the `slotPolicy` column. */
export const POLICY_STATIC = 0;
export const POLICY_VOLATILITY = 1;

/** The most scenarios one underlying's grid may have (101 price steps × 3 vol shocks). */
export const MAX_SCENARIOS_PER_UNDERLYING = 303;

export interface HotpathUniverse {
  readonly params: RiskParams;
  /** Market ids in sorted order; instrument index = position in this list. */
  readonly marketIds: readonly string[];
  readonly underlyingIds: readonly string[];
  readonly assetIds: readonly string[];
  /** Parameter-set ids in sorted order; a sub-account's paramSet column is this index + 1 (0 = none). */
  readonly paramSetIds: readonly string[];
  readonly instrumentCount: number;
  readonly underlyingCount: number;
  readonly assetCount: number;
  /** (paramSetIds.length + 1) policy slots per instrument: slot = paramSet·instrumentCount + instrument. */
  readonly slotCount: number;
  readonly kind: Uint8Array;
  readonly contractSize: Float64Array;
  readonly instrumentUnderlying: Int32Array;
  /** Options: strike in USD, 1 for calls and 0 for puts; expiry ms for options and futures (else 0). */
  readonly strikeUsd: Float64Array;
  readonly isCall: Uint8Array;
  readonly expiryMs: Float64Array;
  /**
   * Offset of each option's scenario mark moves in the tick tables' `scenarioDeltaUsd` (−1 for a
   * non-option: its move in a scenario is its mark times the grid's price move, no vector needed).
   */
  readonly scenarioOffset: Int32Array;
  readonly scenarioDeltaCount: number;
  /** Per underlying: grid size, moves (flat, offset moveOffset) and unique vol shocks (flat, offset volOffset). */
  readonly moveCount: Int32Array;
  readonly moveOffset: Int32Array;
  readonly moves: Float64Array;
  readonly volShockCount: Int32Array;
  readonly volShockOffset: Int32Array;
  readonly volShocks: Float64Array;
  /**
   * Per underlying, the price move of every grid point in the layout of the option vectors
   * (vol-shock-major: the moves repeated once per vol shock), flat from offset gridMoveOffset.
   */
  readonly gridMoveOffset: Int32Array;
  readonly gridMoves: Float64Array;
  readonly underlyingMaintenanceShare: Float64Array;
  readonly underlyingShortOptionMinimum: Float64Array;
  readonly underlyingCalendarSpread: Float64Array;
  /** Stressed correlation ρ(u, v) exactly as the reference's correlationOf, row-major nU × nU. */
  readonly rho: Float64Array;
  /** Per collateral asset: the underlying it is tied to (−1 none) and its value cap (Infinity none). */
  readonly assetUnderlying: Int32Array;
  readonly assetCapUsd: Float64Array;
  readonly assetHasCap: Uint8Array;
  /** Per policy slot: static or volatility-scaled, the static fractions, brackets and size scaling. */
  readonly slotPolicy: Uint8Array;
  readonly slotStaticIm: Float64Array;
  readonly slotStaticMm: Float64Array;
  readonly slotMaintenanceShare: Float64Array;
  readonly slotTierStart: Int32Array;
  readonly slotTierCount: Int32Array;
  readonly tierFromUsd: Float64Array;
  readonly tierIm: Float64Array;
  readonly tierMm: Float64Array;
  /** Size scaling: factor per √USD and the max IM fraction; hasSizeScaling 0 when absent. */
  readonly slotHasSizeScaling: Uint8Array;
  readonly slotSizeFactor: Float64Array;
  readonly slotSizeMaxFraction: Float64Array;
  /** Cross-mode short-option minimum fraction per instrument (market's, else underlying's, else 0). */
  readonly crossShortOptionMinimum: Float64Array;
  /** Liquidity model per instrument: 0 none, 1 square-root, 2 depth-curve; free notional in USD. */
  readonly liquidityModel: Uint8Array;
  readonly liquidityFreeUsd: Float64Array;
  readonly maxPositionsPerSubaccount: number;
}

const KIND_CODE = {
  "linear-perp": KIND_LINEAR_PERP,
  "dated-future": KIND_DATED_FUTURE,
  "inverse-perp": KIND_INVERSE_PERP,
  option: KIND_OPTION,
} as const;

function sortedKeys(record: Readonly<Record<string, unknown>> | undefined): string[] {
  return Object.keys(record ?? {}).sort();
}

function policyFor(params: RiskParams, marketId: string, paramSetId: string | undefined): Policy {
  const mp = params.markets[marketId]!;
  if (paramSetId === undefined) return mp.policy;
  return params.paramSets?.[paramSetId]?.markets[marketId]?.policy ?? mp.policy;
}

/** Resolves a parsed risk-parameter document into the dense ids and static columns of the hot path. */
export function resolveHotpathUniverse(params: RiskParams): HotpathUniverse {
  const marketIds = sortedKeys(params.markets);
  const underlyingIds = sortedKeys(params.underlyings);
  const assetIds = sortedKeys(params.collateral);
  const paramSetIds = sortedKeys(params.paramSets);
  const nI = marketIds.length;
  const nU = underlyingIds.length;
  const uIndex = new Map(underlyingIds.map((u, i) => [u, i]));
  const moveCount = new Int32Array(nU);
  const moveOffset = new Int32Array(nU);
  const volShockCount = new Int32Array(nU);
  const volShockOffset = new Int32Array(nU);
  const moveList: number[] = [];
  const volList: number[] = [];
  const gridMoveOffset = new Int32Array(nU);
  const gridMoveList: number[] = [];
  const underlyingMaintenanceShare = new Float64Array(nU);
  const underlyingShortOptionMinimum = new Float64Array(nU);
  const underlyingCalendarSpread = new Float64Array(nU);
  underlyingIds.forEach((u, k) => {
    const up = params.underlyings[u]!;
    const grid = priceGrid(up.priceRange, up.priceSteps);
    // The same de-duplication as the reference (a zero shock appears once).
    const vols = [...new Set([-up.volShockDown, 0, up.volShockUp])];
    moveOffset[k] = moveList.length;
    moveCount[k] = grid.length;
    moveList.push(...grid);
    volShockOffset[k] = volList.length;
    volShockCount[k] = vols.length;
    volList.push(...vols);
    gridMoveOffset[k] = gridMoveList.length;
    for (let v = 0; v < vols.length; v++) gridMoveList.push(...grid);
    underlyingMaintenanceShare[k] = up.maintenanceShare;
    underlyingShortOptionMinimum[k] = up.shortOptionMinimumFraction;
    underlyingCalendarSpread[k] = up.calendarSpreadFraction;
  });
  // correlationOf reads only `params` from the prepared sub-account.
  const corrPrep = { params } as unknown as PreparedSubaccount;
  const rho = new Float64Array(nU * nU);
  for (let a = 0; a < nU; a++)
    for (let b = 0; b < nU; b++)
      rho[a * nU + b] = correlationOf(corrPrep, underlyingIds[a]!, underlyingIds[b]!);

  const kind = new Uint8Array(nI);
  const contractSize = new Float64Array(nI);
  const instrumentUnderlying = new Int32Array(nI);
  const strikeUsd = new Float64Array(nI);
  const isCall = new Uint8Array(nI);
  const expiryMs = new Float64Array(nI);
  const scenarioOffset = new Int32Array(nI);
  const crossShortOptionMinimum = new Float64Array(nI);
  const liquidityModel = new Uint8Array(nI);
  const liquidityFreeUsd = new Float64Array(nI);
  let scenarioDeltaCount = 0;
  marketIds.forEach((id, i) => {
    const mp = params.markets[id]!;
    const u = uIndex.get(mp.underlying);
    if (u === undefined)
      throw invalidInput(`markets.${id}.underlying`, `'${mp.underlying}' is not in underlyings`);
    const ins = mp.instrument;
    kind[i] = KIND_CODE[ins.type];
    contractSize[i] = mp.contractSize;
    instrumentUnderlying[i] = u;
    if (ins.type === "option") {
      strikeUsd[i] = ins.strike;
      isCall[i] = ins.optionKind === "call" ? 1 : 0;
    }
    if (ins.type === "option" || ins.type === "dated-future") expiryMs[i] = ins.expiryMs;
    scenarioOffset[i] = ins.type === "option" ? scenarioDeltaCount : -1;
    if (ins.type === "option") scenarioDeltaCount += moveCount[u]! * volShockCount[u]!;
    crossShortOptionMinimum[i] =
      mp.shortOptionMinimumFraction ?? params.underlyings[mp.underlying]?.shortOptionMinimumFraction ?? 0;
    liquidityModel[i] = mp.liquidity === undefined ? 0 : mp.liquidity.model === "square-root" ? 1 : 2;
    liquidityFreeUsd[i] = mp.liquidity?.freeNotionalUsd ?? 0;
  });

  const slotCount = (paramSetIds.length + 1) * nI;
  const slotPolicy = new Uint8Array(slotCount);
  const slotStaticIm = new Float64Array(slotCount);
  const slotStaticMm = new Float64Array(slotCount);
  const slotMaintenanceShare = new Float64Array(slotCount);
  const slotTierStart = new Int32Array(slotCount);
  const slotTierCount = new Int32Array(slotCount);
  const slotHasSizeScaling = new Uint8Array(slotCount);
  const slotSizeFactor = new Float64Array(slotCount);
  const slotSizeMaxFraction = new Float64Array(slotCount);
  const tiers: { from: number; im: number; mm: number }[] = [];
  for (let ps = 0; ps <= paramSetIds.length; ps++) {
    marketIds.forEach((id, i) => {
      const slot = ps * nI + i;
      const policy = policyFor(params, id, ps === 0 ? undefined : paramSetIds[ps - 1]);
      if (policy.type === "static") {
        slotPolicy[slot] = POLICY_STATIC;
        slotStaticIm[slot] = policy.initialFraction;
        slotStaticMm[slot] = policy.maintenanceFraction;
        slotTierStart[slot] = tiers.length;
        slotTierCount[slot] = policy.tiers?.length ?? 0;
        for (const t of policy.tiers ?? [])
          tiers.push({ from: t.notionalUsdFrom, im: t.initialFraction, mm: t.maintenanceFraction });
        if (policy.sizeScaling !== undefined) {
          slotHasSizeScaling[slot] = 1;
          slotSizeFactor[slot] = policy.sizeScaling.factorPerSqrtUsd;
          slotSizeMaxFraction[slot] = policy.sizeScaling.maxInitialFraction;
        }
      } else {
        slotPolicy[slot] = POLICY_VOLATILITY;
        slotMaintenanceShare[slot] = policy.maintenanceShare;
      }
    });
  }
  const assetUnderlying = new Int32Array(assetIds.length);
  const assetCapUsd = new Float64Array(assetIds.length);
  const assetHasCap = new Uint8Array(assetIds.length);
  assetIds.forEach((a, k) => {
    const cp = params.collateral[a]!;
    assetUnderlying[k] = cp.underlying === undefined ? -1 : (uIndex.get(cp.underlying) ?? -1);
    assetHasCap[k] = cp.maxValueUsd === undefined ? 0 : 1;
    assetCapUsd[k] = cp.maxValueUsd ?? Number.POSITIVE_INFINITY;
  });
  return {
    params,
    marketIds,
    underlyingIds,
    assetIds,
    paramSetIds,
    instrumentCount: nI,
    underlyingCount: nU,
    assetCount: assetIds.length,
    slotCount,
    kind,
    contractSize,
    instrumentUnderlying,
    strikeUsd,
    isCall,
    expiryMs,
    scenarioOffset,
    scenarioDeltaCount,
    moveCount,
    moveOffset,
    moves: Float64Array.from(moveList),
    volShockCount,
    volShockOffset,
    volShocks: Float64Array.from(volList),
    gridMoveOffset,
    gridMoves: Float64Array.from(gridMoveList),
    underlyingMaintenanceShare,
    underlyingShortOptionMinimum,
    underlyingCalendarSpread,
    rho,
    assetUnderlying,
    assetCapUsd,
    assetHasCap,
    slotPolicy,
    slotStaticIm,
    slotStaticMm,
    slotMaintenanceShare,
    slotTierStart,
    slotTierCount,
    tierFromUsd: Float64Array.from(tiers, (t) => t.from),
    tierIm: Float64Array.from(tiers, (t) => t.im),
    tierMm: Float64Array.from(tiers, (t) => t.mm),
    slotHasSizeScaling,
    slotSizeFactor,
    slotSizeMaxFraction,
    crossShortOptionMinimum,
    liquidityModel,
    liquidityFreeUsd,
    maxPositionsPerSubaccount: params.limits?.maxPositionsPerSubaccount ?? 1000,
  };
}
