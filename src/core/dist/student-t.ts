import tCdf from "@stdlib/stats-base-dists-t-cdf";
import tPdf from "@stdlib/stats-base-dists-t-pdf";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";

/*
 * Student-t distribution with ν degrees of freedom (ν > 0, real), unit scale (NOT unit
 * variance: its variance is ν/(ν−2) for ν > 2). stdlib's implementation goes through the
 * regularised incomplete beta function and its inverse (Boost's algorithms).
 */

/** Student-t density at x with ν degrees of freedom. */
export function studentTPdf(x: number, nu: number): number {
  return tPdf(x, nu);
}

/** Student-t cdf at x with ν degrees of freedom. */
export function studentTCdf(x: number, nu: number): number {
  return tCdf(x, nu);
}

/** Student-t quantile for p in (0, 1) with ν degrees of freedom. */
export function studentTQuantile(p: number, nu: number): number {
  return tQuantile(p, nu);
}
