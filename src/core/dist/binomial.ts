import binomialCdfStd from "@stdlib/stats-base-dists-binomial-cdf";

/** Binomial cdf P(X ≤ x) for X ~ Bin(n trials, p success probability), via stdlib. */
export function binomialCdf(x: number, n: number, p: number): number {
  return binomialCdfStd(x, n, p);
}
