import { normalQuantile } from "../dist/normal.ts";
import { invalidInput } from "../errors.ts";
import type { CollateralParams, RiskParams } from "./risk-params.ts";
import { horizonSigma } from "./tail-loss-fraction.ts";
import type { BreakdownItem, CollateralInput, MarketState } from "./types.ts";

/*
 * Collateral valuation: each asset's USD value less a haircut from its own volatility
 * (haircut = z_α·σ_annual·√(horizonHours/8760), clamped to [floor, cap]: the one-sided VaR of
 * the asset over the time it takes to sell it), then a concentration cap on the haircut value.
 */

export interface CollateralLine {
  readonly asset: string;
  readonly amount: number;
  readonly priceUsd: number;
  /** amount·price, USD, before haircut. */
  readonly grossUsd: number;
  readonly haircutFraction: number;
  /** USD after haircut and cap. */
  readonly valueUsd: number;
  readonly haircutUsd: number;
  readonly capDeductionUsd: number;
}

/** Haircut fraction (unitless) of one collateral asset. */
export function haircutFraction(asset: string, cp: CollateralParams, market: MarketState): number {
  const h = cp.haircut;
  if (h.model === "fixed") return h.fraction;
  const vol =
    market.collateral[asset]?.volAnnual ??
    (cp.underlying === undefined
      ? undefined
      : (market.underlyings[cp.underlying]?.volAnnual ??
        market.underlyings[cp.underlying]?.impliedVolAnnual));
  if (vol === undefined)
    throw invalidInput(`market.collateral.${asset}.volAnnual`, "is required by the volatility haircut");
  if (!(Number.isFinite(vol) && vol >= 0 && vol < 20))
    throw invalidInput(`market.collateral.${asset}.volAnnual`, "must be in [0, 20)");
  const raw = normalQuantile(h.confidence) * horizonSigma(vol, h.horizonHours);
  return Math.min(h.capFraction, Math.max(h.floorFraction, raw));
}

/** Values a sub-account's collateral in USD after haircuts and caps, sorted by asset. */
export function valueCollateral(
  params: RiskParams,
  market: MarketState,
  collateral: readonly CollateralInput[],
  priceOverrides?: ReadonlyMap<string, number>,
): { readonly lines: CollateralLine[]; readonly valueUsd: number; readonly breakdown: BreakdownItem[] } {
  const amounts = new Map<string, number>();
  collateral.forEach((c, i) => {
    if (params.collateral[c.asset] === undefined)
      throw invalidInput(`collateral.${i}.asset`, `'${c.asset}' is not a collateral asset of this venue`);
    if (!(Number.isFinite(c.amount) && c.amount >= 0))
      throw invalidInput(`collateral.${i}.amount`, "must be a finite number ≥ 0");
    amounts.set(c.asset, (amounts.get(c.asset) ?? 0) + c.amount);
  });
  const lines: CollateralLine[] = [];
  const breakdown: BreakdownItem[] = [];
  let valueUsd = 0;
  for (const asset of [...amounts.keys()].sort()) {
    const cp = params.collateral[asset]!;
    const amount = amounts.get(asset)!;
    const quoted = market.collateral[asset]?.priceUsd;
    if (quoted === undefined) throw invalidInput(`market.collateral.${asset}.priceUsd`, "is missing");
    if (!(Number.isFinite(quoted) && quoted >= 0))
      throw invalidInput(`market.collateral.${asset}.priceUsd`, "must be a finite number ≥ 0");
    const priceUsd = priceOverrides?.get(asset) ?? quoted;
    const grossUsd = amount * priceUsd;
    const h = haircutFraction(asset, cp, market);
    const afterHaircut = grossUsd * (1 - h);
    const capped = cp.maxValueUsd === undefined ? afterHaircut : Math.min(afterHaircut, cp.maxValueUsd);
    const line = {
      asset,
      amount,
      priceUsd,
      grossUsd,
      haircutFraction: h,
      valueUsd: capped,
      haircutUsd: grossUsd - afterHaircut,
      capDeductionUsd: afterHaircut - capped,
    };
    lines.push(line);
    valueUsd += capped;
    if (line.haircutUsd > 0)
      breakdown.push({
        component: "haircut",
        asset,
        amountUsd: line.haircutUsd,
        detail: `${(h * 100).toFixed(2)}% of ${grossUsd.toFixed(2)} USD deducted from equity`,
      });
    if (line.capDeductionUsd > 0)
      breakdown.push({
        component: "collateral-cap",
        asset,
        amountUsd: line.capDeductionUsd,
        detail: `value above the ${cp.maxValueUsd} USD cap counts nothing`,
      });
  }
  return { lines, valueUsd, breakdown };
}
