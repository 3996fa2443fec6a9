import { invalidInput } from "../errors.ts";
import type { GarchParams } from "./garch-variance-series.ts";

function checkHorizon(horizonPeriods: number): void {
  if (!Number.isInteger(horizonPeriods) || horizonPeriods < 1) {
    throw invalidInput("horizonPeriods", "must be an integer ≥ 1");
  }
}

/**
 * Variance of the sum of the next h per-period returns under GARCH(1,1), in squared per-period
 * units. With p = α+β and σ̄² = ω/(1−p), the k-step forecast is σ̄² + p^(k−1)(σ²ₜ₊₁ − σ̄²) (the
 * mean-reverting term structure); summing k = 1..h gives h·σ̄² + (1−p^h)/(1−p)·(σ²ₜ₊₁ − σ̄²).
 * Returns are conditionally uncorrelated, so the variance of the sum is the sum of variances.
 * With p = 1 (EWMA, IGARCH without drift) the forecast is flat: h·σ²ₜ₊₁.
 */
export function garchHorizonVariance(
  params: GarchParams,
  nextPeriodVariance: number,
  horizonPeriods: number,
): number {
  checkHorizon(horizonPeriods);
  const p = params.alpha + params.beta;
  if (p >= 1) return horizonPeriods * (nextPeriodVariance + ((horizonPeriods - 1) / 2) * params.omega);
  const longRun = params.omega / (1 - p);
  return horizonPeriods * longRun + ((1 - p ** horizonPeriods) / (1 - p)) * (nextPeriodVariance - longRun);
}

/** The k-step-ahead conditional variance σ²ₜ₊ₖ for k = 1..h (squared per-period units). */
export function garchVarianceTermStructure(
  params: GarchParams,
  nextPeriodVariance: number,
  horizonPeriods: number,
): Float64Array {
  checkHorizon(horizonPeriods);
  const out = new Float64Array(horizonPeriods);
  let variance = nextPeriodVariance;
  for (let k = 0; k < horizonPeriods; k++) {
    out[k] = variance;
    // E[r²] = σ², so the one-step recursion in expectation is ω + (α+β)σ².
    variance = params.omega + (params.alpha + params.beta) * variance;
  }
  return out;
}
