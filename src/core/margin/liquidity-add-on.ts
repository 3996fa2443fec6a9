import { invalidInput } from "../errors.ts";
import type { LiquidityParams } from "./risk-params.ts";
import type { DepthPoint } from "./types.ts";

/*
 * Liquidity / concentration add-on: the cost of unwinding a position against the market.
 *   square-root: cost = k·σ_daily·√(N/ADV)·N   (σ_daily = σ_annual/√365), grows as N^1.5;
 *   depth-curve: cost = ∫₀ᴺ impact(x) dx, with impact linearly interpolated between the curve's
 *                points (from (0, 0)) and extended past the last point with the last slope, so
 *                a position larger than the visible book still pays more than linearly.
 * Only the notional above `freeNotionalUsd` is charged.
 */

/** Cost in USD to walk a depth curve for `notionalUsd`. */
export function depthCurveCostUsd(depth: readonly DepthPoint[], notionalUsd: number): number {
  let cost = 0;
  let x0 = 0;
  let y0 = 0;
  let slope = 0;
  for (const p of depth) {
    const dx = p.notionalUsd - x0;
    if (dx <= 0) continue;
    slope = (p.impactFraction - y0) / dx;
    if (notionalUsd <= p.notionalUsd) {
      const w = notionalUsd - x0;
      return cost + w * y0 + 0.5 * slope * w * w;
    }
    cost += 0.5 * (y0 + p.impactFraction) * dx;
    x0 = p.notionalUsd;
    y0 = p.impactFraction;
  }
  const w = notionalUsd - x0;
  return cost + w * y0 + 0.5 * slope * w * w;
}

/** Validates a depth curve from the market state (ascending notional, non-decreasing impact). */
export function checkDepth(depth: readonly DepthPoint[], field: string): void {
  let prev = { notionalUsd: 0, impactFraction: 0 };
  depth.forEach((p, i) => {
    if (!(Number.isFinite(p.notionalUsd) && p.notionalUsd > prev.notionalUsd))
      throw invalidInput(`${field}.${i}.notionalUsd`, "must be finite and strictly increasing");
    if (
      !(Number.isFinite(p.impactFraction) && p.impactFraction >= prev.impactFraction && p.impactFraction < 1)
    )
      throw invalidInput(`${field}.${i}.impactFraction`, "must be finite, non-decreasing and < 1");
    prev = p;
  });
}

/** Liquidity add-on in USD for a net position of `notionalUsd`. */
export function liquidityAddOnUsd(
  lp: LiquidityParams,
  notionalUsd: number,
  data: { volAnnual?: number; dailyVolumeUsd?: number; depth?: readonly DepthPoint[] },
  field: string,
): number {
  const n = Math.max(0, notionalUsd - (lp.freeNotionalUsd ?? 0));
  if (n === 0) return 0;
  if (lp.model === "depth-curve") {
    if (data.depth === undefined || data.depth.length === 0)
      throw invalidInput(`${field}.depth`, "is required by the depth-curve liquidity add-on");
    checkDepth(data.depth, `${field}.depth`);
    return depthCurveCostUsd(data.depth, n);
  }
  const adv = data.dailyVolumeUsd;
  if (adv === undefined || !(adv > 0 && Number.isFinite(adv)))
    throw invalidInput(`${field}.dailyVolumeUsd`, "is required (> 0) by the square-root liquidity add-on");
  if (data.volAnnual === undefined)
    throw invalidInput(`${field}.volAnnual`, "an underlying vol is required by the square-root add-on");
  const sigmaDaily = data.volAnnual / Math.sqrt(365);
  return (lp.impactCoefficient ?? 0) * sigmaDaily * Math.sqrt(n / adv) * n;
}
