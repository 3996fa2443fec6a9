import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";

/*
 * Chi-square distribution with k degrees of freedom, through stdlib (regularised lower incomplete
 * gamma, Boost's algorithm). Used for the p-values of likelihood-ratio backtests.
 */

/** Chi-square cdf P(X ≤ x) with k > 0 degrees of freedom. */
export function chiSquareCdf(x: number, k: number): number {
  return chisquareCdf(x, k);
}

/**
 * Upper tail P(X > x). Computed as 1 − cdf, so it loses relative precision below ~1e-15; fine
 * for p-values compared against 1–5% levels.
 */
export function chiSquareSurvival(x: number, k: number): number {
  if (x <= 0) return 1;
  return Math.max(0, 1 - chisquareCdf(x, k));
}
