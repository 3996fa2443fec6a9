import { configOf, type EngineState, type SubaccountState } from "./engine-state.ts";
import { computeRisk, positionNotionalUsd } from "./subaccount-risk.ts";

/*
 * Which positions a liquidation closes, in what order and how much. Positions are ranked by
 * risk reduction per unit of cost: the maintenance margin the position carries (MM with it minus
 * MM without it) divided by what closing it costs the account at the worst auction price
 * (auction discount + insurance fee, × notional). Each is closed only as far as needed to bring
 * health back to the target, estimated linearly in the closed fraction; an account whose
 * liquidation is funded by the insurance fund (bankrupt) is closed in full.
 */

export interface PlanStep {
  marketId: string;
  /** Lots to close, positive (the direction follows from the position's sign). */
  lots: bigint;
}

function ceilLots(fraction: number, absLots: bigint): bigint {
  if (fraction >= 1) return absLots;
  const scaled = BigInt(Math.ceil(fraction * Number(absLots)));
  if (scaled < 1n) return 1n;
  return scaled > absLots ? absLots : scaled;
}

/**
 * The liquidation plan of a sub-account at the current marks (empty when nothing to close).
 * `discountFraction` is the auction discount the closing will cost (default: the cap, the most
 * conservative; a takeover passes the auction's current discount so it closes no more than needed).
 */
export function planLiquidation(
  state: EngineState,
  s: SubaccountState,
  discountFraction?: number,
): PlanStep[] {
  const marketIds = [...s.positions.keys()].sort();
  const abs = (v: bigint) => (v < 0n ? -v : v);
  if (s.liquidation !== null && s.liquidation.insuranceDrawnUnits > 0n) {
    return marketIds.map((marketId) => ({ marketId, lots: abs(s.positions.get(marketId)!.lots) }));
  }
  const rules = configOf(state).cfg.liquidation;
  const costFraction = (discountFraction ?? rules.auctionMaxDiscountFraction) + rules.insuranceFeeFraction;
  const risk = computeRisk(state, s);
  const ranked = marketIds.map((marketId) => {
    const positions = new Map(s.positions);
    positions.delete(marketId);
    const without = computeRisk(state, {
      balances: s.balances,
      positions,
      mode: s.mode,
      settings: s.settings,
    });
    const mmShare = Math.max(risk.maintenanceMarginUsd - without.maintenanceMarginUsd, 0);
    const costUsd = positionNotionalUsd(state, marketId, s.positions.get(marketId)!.lots) * costFraction;
    return { marketId, mmShare, costUsd, score: costUsd > 0 ? mmShare / costUsd : mmShare };
  });
  ranked.sort((a, b) => b.score - a.score || (a.marketId < b.marketId ? -1 : 1));
  let equity = risk.equityUsd;
  let mm = risk.maintenanceMarginUsd;
  const plan: PlanStep[] = [];
  for (const r of ranked) {
    if (mm <= 0 || equity >= rules.targetHealth * mm) break;
    const absLots = abs(s.positions.get(r.marketId)!.lots);
    // Closing a fraction x: equity − x·cost ≥ target·(mm − x·mmShare) ⇔ x ≥ (target·mm − equity)/(target·mmShare − cost).
    const gain = rules.targetHealth * r.mmShare - r.costUsd;
    const needed = gain > 0 ? (rules.targetHealth * mm - equity) / gain : 1;
    const lots = ceilLots(needed, absLots);
    plan.push({ marketId: r.marketId, lots });
    const fraction = Number(lots) / Number(absLots);
    equity -= fraction * r.costUsd;
    mm -= fraction * r.mmShare;
  }
  return plan;
}
