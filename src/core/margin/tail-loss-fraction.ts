import { normalPdf, normalQuantile } from "../dist/normal.ts";
import { studentTPdf, studentTQuantile } from "../dist/student-t.ts";
import type { TailDistribution } from "./risk-params.ts";

/*
 * Parametric tail loss of a zero-mean return with standard deviation `sigma` (a fraction, over
 * the horizon), as VaR or Expected Shortfall at `confidence`, normal or unit-variance
 * Student-t. Closed forms (docs/margin.md):
 *   normal VaR = σ·z,                     z = Φ⁻¹(α)
 *   normal ES  = σ·φ(z)/(1−α)
 *   t VaR      = σ·s·q,                   q = t_ν⁻¹(α), s = √((ν−2)/ν) rescales to unit variance
 *   t ES       = σ·s·f_ν(q)·(ν+q²)/((ν−1)(1−α))
 */

/** Tail loss as a fraction (same unit as `sigma`) for a horizon standard deviation `sigma`. */
export function tailLossFraction(
  sigma: number,
  confidence: number,
  measure: "var" | "es",
  distribution: TailDistribution,
): number {
  if (distribution.type === "normal") {
    const z = normalQuantile(confidence);
    return measure === "var" ? sigma * z : (sigma * normalPdf(z)) / (1 - confidence);
  }
  const nu = distribution.dof;
  const scale = Math.sqrt((nu - 2) / nu);
  const q = studentTQuantile(confidence, nu);
  if (measure === "var") return sigma * scale * q;
  return (sigma * scale * studentTPdf(q, nu) * (nu + q * q)) / ((nu - 1) * (1 - confidence));
}

/** Scales an annualised volatility to a horizon in hours (24/7 markets: 8760 hours a year). */
export function horizonSigma(volAnnual: number, horizonHours: number): number {
  return volAnnual * Math.sqrt(horizonHours / 8760);
}
