import type { StaticPolicy } from "./risk-params.ts";

/*
 * Static policy: fractions of notional with leverage brackets applied marginally (each USD of
 * notional pays the rate of the bracket it falls in). This equals the venue convention "bracket
 * rate of the total notional minus a maintenance deduction" (Binance's cum amount), is
 * continuous, and is monotone because rates never fall in higher brackets (schema-enforced).
 * The size-scaling add-on (perp-DEX style) raises the IM fraction by factor·√notional, capped at
 * maxInitialFraction; MM keeps its ratio to IM, so IM ≥ MM always holds.
 */

export interface StaticRequirement {
  /** Base bracket: initialFraction·notional, USD. */
  readonly baseImUsd: number;
  readonly baseMmUsd: number;
  /** Extra from higher brackets, USD. */
  readonly tiersImUsd: number;
  readonly tiersMmUsd: number;
  /** Extra from size scaling, USD. */
  readonly sizeImUsd: number;
  readonly sizeMmUsd: number;
  readonly imUsd: number;
  readonly mmUsd: number;
}

/** Bracketed requirement in USD for a notional in USD, for IM or MM rates. */
function bracketed(
  policy: StaticPolicy,
  notionalUsd: number,
  key: "initialFraction" | "maintenanceFraction",
): number {
  const brackets = [
    {
      notionalUsdFrom: 0,
      initialFraction: policy.initialFraction,
      maintenanceFraction: policy.maintenanceFraction,
    },
    ...(policy.tiers ?? []),
  ];
  let total = 0;
  for (let i = 0; i < brackets.length; i++) {
    const lo = brackets[i]!.notionalUsdFrom;
    const hi = brackets[i + 1]?.notionalUsdFrom ?? Number.POSITIVE_INFINITY;
    if (notionalUsd <= lo) break;
    total += brackets[i]![key] * (Math.min(notionalUsd, hi) - lo);
  }
  return total;
}

/** Static IM and MM in USD for a position of `notionalUsd` (≥ 0), with its parts. */
export function staticRequirement(policy: StaticPolicy, notionalUsd: number): StaticRequirement {
  const baseImUsd = policy.initialFraction * notionalUsd;
  const baseMmUsd = policy.maintenanceFraction * notionalUsd;
  const tieredIm = bracketed(policy, notionalUsd, "initialFraction");
  const tieredMm = bracketed(policy, notionalUsd, "maintenanceFraction");
  let sizeImUsd = 0;
  let sizeMmUsd = 0;
  const scaling = policy.sizeScaling;
  if (scaling !== undefined && notionalUsd > 0) {
    const scaledIm = Math.min(
      scaling.maxInitialFraction * notionalUsd,
      tieredIm + scaling.factorPerSqrtUsd * Math.sqrt(notionalUsd) * notionalUsd,
    );
    sizeImUsd = Math.max(0, scaledIm - tieredIm);
    sizeMmUsd = tieredIm > 0 ? (sizeImUsd * tieredMm) / tieredIm : 0;
  }
  return {
    baseImUsd,
    baseMmUsd,
    tiersImUsd: tieredIm - baseImUsd,
    tiersMmUsd: tieredMm - baseMmUsd,
    sizeImUsd,
    sizeMmUsd,
    imUsd: tieredIm + sizeImUsd,
    mmUsd: tieredMm + sizeMmUsd,
  };
}
