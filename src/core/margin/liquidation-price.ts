import { type Evaluation, evaluateSubaccount } from "./evaluate-subaccount.ts";
import type { NetPosition, PreparedSubaccount } from "./prepared-subaccount.ts";
import { shiftedMarkUsd } from "./prepared-subaccount.ts";

/*
 * Liquidation price of one position, holding everything else fixed: the price at which
 * equity = MM. In isolated and cross mode only this market's price moves; in portfolio mode the
 * whole underlying moves (all its positions and the collateral tied to it), because that is the
 * move the scenarios price. Found numerically for every instrument (bracketing on a fixed ladder
 * of relative moves, then bisection to 1e-10 relative), which also covers options and
 * piecewise tiers; the closed form for a linear perp is checked against it in the tests.
 * Returns the mark (perps, futures) or the underlying price (options); null when no price in
 * [0.1%, 100×] of today's liquidates the account; today's price when it already is liquidatable.
 */

const LADDER_DOWN = [0.98, 0.95, 0.9, 0.8, 0.65, 0.5, 0.35, 0.2, 0.1, 0.03, 0.001];
const LADDER_UP = [1.02, 1.05, 1.1, 1.25, 1.5, 2, 3, 5, 10, 30, 100];

function gap(e: Evaluation): number {
  return e.equityUsd - e.maintenanceMarginUsd;
}

/** Liquidation price (USD) of net position `p` of a prepared sub-account, or null. */
export function liquidationPrice(prep: PreparedSubaccount, p: NetPosition): number | null {
  if (p.size === 0) return null;
  const portfolio = prep.sub.mode === "portfolio";
  const shiftAt = (factor: number) =>
    portfolio ? { underlying: p.mp.underlying, factor } : { marketId: p.marketId, factor };
  const g = (factor: number) => gap(evaluateSubaccount(prep, shiftAt(factor)));
  const isOption = p.mp.instrument.type === "option";
  const priceAt = (factor: number) =>
    isOption ? p.indexUsd * factor : shiftedMarkUsd(p, p.indexUsd * factor, 0, prep.market.asOfMs);
  const g0 = g(1);
  if (g0 <= 0) return isOption ? p.indexUsd : p.markUsd;
  // Find the nearest sign change on either side.
  let best: { lo: number; hi: number } | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const ladder of [LADDER_DOWN, LADDER_UP]) {
    let prev = 1;
    for (const f of ladder) {
      if (g(f) <= 0) {
        const distance = Math.abs(Math.log(f));
        if (distance < bestDistance) {
          bestDistance = distance;
          best = { lo: prev, hi: f };
        }
        break;
      }
      prev = f;
    }
  }
  if (best === undefined) return null;
  // Bisection: `lo` is safe (gap > 0), `hi` liquidates.
  let { lo, hi } = best;
  for (let i = 0; i < 80 && Math.abs(hi - lo) > 1e-10 * Math.abs(lo); i++) {
    const mid = 0.5 * (lo + hi);
    if (g(mid) > 0) lo = mid;
    else hi = mid;
  }
  return priceAt(0.5 * (lo + hi));
}
