import { valueCollateral } from "./collateral-valuation.ts";
import { crossPositionRequirement, type PositionRequirement } from "./cross-requirement.ts";
import { liquidityAddOnUsd } from "./liquidity-add-on.ts";
import {
  type NetPosition,
  netPnlUsd,
  type PreparedSubaccount,
  shiftedMarkUsd,
} from "./prepared-subaccount.ts";
import { scenarioRequirement } from "./scenario-requirement.ts";
import type { BreakdownItem, MarginResult, PositionResult } from "./types.ts";

/*
 * One evaluation of a prepared sub-account, optionally with one price shifted (used by the
 * liquidation-price root finder): equity, IM, MM and the breakdown. Isolated and cross modes sum
 * the stand-alone requirement of each net position plus the wrong-way add-on; portfolio mode
 * uses scenarios (scenario-requirement.ts). Add-ons (liquidity, IM multiplier) never lower IM.
 */

/** A price shift: the underlying seen by one market (cross) or by a whole underlying (portfolio). */
export interface PriceShift {
  readonly marketId?: string;
  readonly underlying?: string;
  /** Multiplies the index price (and collateral in that underlying, for an underlying shift). */
  readonly factor: number;
}

export type Evaluation = Omit<MarginResult, "positions"> & {
  readonly positions: readonly Omit<PositionResult, "liquidationPrice">[];
};

function underlyingFor(p: NetPosition, shift: PriceShift | undefined): number {
  if (shift === undefined) return p.indexUsd;
  if (shift.marketId === p.marketId || shift.underlying === p.mp.underlying) return p.indexUsd * shift.factor;
  return p.indexUsd;
}

/** Correlation between two underlyings in the (stressed) matrix; 1 when unknown (no offset). */
export function correlationOf(prep: PreparedSubaccount, a: string, b: string): number {
  if (a === b) return 1;
  const c = prep.params.correlation;
  if (c === undefined) return 1;
  const i = c.underlyings.indexOf(a);
  const j = c.underlyings.indexOf(b);
  if (i < 0 || j < 0) return 1;
  const rho = c.matrix[i]?.[j] ?? 1;
  return Math.min(1, Math.max(rho, c.floor ?? -1));
}

/** Equity, IM, MM and breakdown of a prepared sub-account under an optional price shift. */
export function evaluateSubaccount(prep: PreparedSubaccount, shift?: PriceShift): Evaluation {
  const { params, market, sub } = prep;
  const collateralShift = new Map<string, number>();
  if (shift?.underlying !== undefined) {
    for (const c of sub.collateral) {
      const cp = params.collateral[c.asset];
      const price = market.collateral[c.asset]?.priceUsd;
      if (cp?.underlying === shift.underlying && price !== undefined)
        collateralShift.set(c.asset, price * shift.factor);
    }
  }
  const coll = valueCollateral(params, market, sub.collateral, collateralShift);
  const breakdown: BreakdownItem[] = [...coll.breakdown];
  const positions: Omit<PositionResult, "liquidationPrice">[] = [];
  const standalone: PositionRequirement[] = [];
  const marks: number[] = [];
  let pnlUsd = 0;
  for (const p of prep.positions) {
    const s = underlyingFor(p, shift);
    const mark = s === p.indexUsd ? p.markUsd : shiftedMarkUsd(p, s, 0, market.asOfMs);
    marks.push(mark);
    pnlUsd += netPnlUsd(p, mark);
    standalone.push(crossPositionRequirement(params, p, prep.fractions[p.marketId]!, s, mark));
  }
  // Liquidity add-on per net position (all modes): the cost of unwinding it.
  const liquidity = prep.positions.map((p, i) => {
    const lp = p.mp.liquidity;
    if (lp === undefined) return 0;
    const u = market.underlyings[p.mp.underlying];
    const quote = market.markets?.[p.marketId];
    const volAnnual = prep.fractions[p.marketId]?.volAnnual ?? u?.volAnnual ?? u?.impliedVolAnnual;
    const cost = liquidityAddOnUsd(
      lp,
      standalone[i]!.notionalUsd,
      {
        ...(volAnnual === undefined ? {} : { volAnnual }),
        ...(quote?.dailyVolumeUsd === undefined ? {} : { dailyVolumeUsd: quote.dailyVolumeUsd }),
        ...(quote?.depth === undefined ? {} : { depth: quote.depth }),
      },
      `market.markets.${p.marketId}`,
    );
    if (cost > 0)
      breakdown.push({
        component: "liquidity",
        marketId: p.marketId,
        amountUsd: cost,
        maintenanceUsd: cost,
        detail: `${lp.model} cost to unwind ${standalone[i]!.notionalUsd.toFixed(2)} USD`,
      });
    return cost;
  });
  let imUsd = 0;
  let mmUsd = 0;
  let worst: Pick<MarginResult, "worstScenario" | "worstScenarios"> = {};
  if (sub.mode === "portfolio" && prep.positions.length > 0) {
    const sc = scenarioRequirement(prep, shift, marks, standalone, coll.lines);
    imUsd = sc.imUsd;
    mmUsd = sc.mmUsd;
    breakdown.push(...sc.items);
    worst = {
      worstScenarios: sc.worstScenarios,
      ...(sc.worstScenario === undefined ? {} : { worstScenario: sc.worstScenario }),
    };
    prep.positions.forEach((p, i) => {
      const contribution = sc.worstContributionUsd[i] ?? 0;
      positions.push({
        marketId: p.marketId,
        size: p.size,
        markPriceUsd: marks[i]!,
        notionalUsd: standalone[i]!.notionalUsd,
        unrealizedPnlUsd: netPnlUsd(p, marks[i]!),
        initialMarginUsd: contribution + liquidity[i]!,
        maintenanceMarginUsd: contribution * sc.maintenanceShare + liquidity[i]!,
      });
    });
  } else {
    prep.positions.forEach((p, i) => {
      const r = standalone[i]!;
      imUsd += r.imUsd;
      mmUsd += r.mmUsd;
      breakdown.push(...r.items);
      positions.push({
        marketId: p.marketId,
        size: p.size,
        markPriceUsd: marks[i]!,
        notionalUsd: r.notionalUsd,
        unrealizedPnlUsd: netPnlUsd(p, marks[i]!),
        initialMarginUsd: r.imUsd + liquidity[i]!,
        maintenanceMarginUsd: r.mmUsd + liquidity[i]!,
      });
    });
    const ww = crossWrongWay(prep, shift, marks, standalone, coll.lines);
    imUsd += ww.imUsd;
    mmUsd += ww.mmUsd;
    breakdown.push(...ww.items);
  }
  for (const cost of liquidity) {
    imUsd += cost;
    mmUsd += cost;
  }
  if (prep.imMultiplier > 1 && imUsd > 0) {
    const extra = imUsd * (prep.imMultiplier - 1);
    breakdown.push({
      component: "im-multiplier",
      amountUsd: extra,
      maintenanceUsd: 0,
      detail: `trader's stricter margin ×${prep.imMultiplier}`,
    });
    imUsd += extra;
  }
  const equityUsd = coll.valueUsd + pnlUsd;
  const marginRatio = mmUsd === 0 ? 0 : equityUsd <= 0 ? Number.POSITIVE_INFINITY : mmUsd / equityUsd;
  return {
    subaccountId: sub.id,
    mode: sub.mode,
    equityUsd,
    collateralValueUsd: coll.valueUsd,
    unrealizedPnlUsd: pnlUsd,
    initialMarginUsd: imUsd,
    maintenanceMarginUsd: mmUsd,
    freeCollateralUsd: equityUsd - imUsd,
    marginRatio,
    health: mmUsd === 0 ? Number.POSITIVE_INFINITY : equityUsd / mmUsd,
    liquidatable: mmUsd > 0 && equityUsd < mmUsd,
    positions,
    breakdown,
    ...worst,
  };
}

/**
 * Cross-mode wrong-way add-on. For collateral asset c (tied to underlying u_c) and each
 * underlying u where the sub-account is net long Δ_u USD (delta notional, by a −1% bump):
 *   add-on = max(0, ρ(u_c, u)) · min(V_c, Δ_u) · f_u
 * where V_c is c's gross USD value and f_u = (Σ IM on u)/(Σ notional on u): the collateral that
 * backs a same-direction exposure is assumed to lose f_u in the very move the IM covers.
 */
function crossWrongWay(
  prep: PreparedSubaccount,
  shift: PriceShift | undefined,
  marks: readonly number[],
  standalone: readonly PositionRequirement[],
  lines: ReturnType<typeof valueCollateral>["lines"],
): { imUsd: number; mmUsd: number; items: BreakdownItem[] } {
  const items: BreakdownItem[] = [];
  let imUsd = 0;
  let mmUsd = 0;
  const byUnderlying = new Map<string, { delta: number; im: number; mm: number; notional: number }>();
  prep.positions.forEach((p, i) => {
    const s = underlyingFor(p, shift);
    const bumped = shiftedMarkUsd(p, s * 0.99, 0, prep.market.asOfMs);
    const delta = -(netPnlUsd(p, bumped) - netPnlUsd(p, marks[i]!)) / 0.01;
    const e = byUnderlying.get(p.mp.underlying) ?? { delta: 0, im: 0, mm: 0, notional: 0 };
    e.delta += delta;
    e.im += standalone[i]!.imUsd;
    e.mm += standalone[i]!.mmUsd;
    e.notional += standalone[i]!.notionalUsd;
    byUnderlying.set(p.mp.underlying, e);
  });
  for (const line of lines) {
    const cu = prep.params.collateral[line.asset]?.underlying;
    if (cu === undefined || line.grossUsd <= 0) continue;
    for (const [u, e] of [...byUnderlying.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const rho = Math.max(0, correlationOf(prep, cu, u));
      if (rho === 0 || e.delta <= 0 || e.notional <= 0) continue;
      const fIm = e.im / e.notional;
      const exposed = Math.min(line.grossUsd, e.delta);
      const add = rho * exposed * fIm;
      const addMm = e.im > 0 ? (add * e.mm) / e.im : 0;
      if (add <= 0) continue;
      imUsd += add;
      mmUsd += addMm;
      items.push({
        component: "wrong-way",
        asset: line.asset,
        underlying: u,
        amountUsd: add,
        maintenanceUsd: addMm,
        detail: `ρ ${rho.toFixed(2)} × min(collateral ${line.grossUsd.toFixed(2)}, long delta ${e.delta.toFixed(2)}) × IM fraction ${fIm.toFixed(5)}`,
      });
    }
  }
  return { imUsd, mmUsd, items };
}
