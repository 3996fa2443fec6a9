import { invalidInput } from "../errors.ts";
import { garchVarianceSeries, meanSquare } from "./garch-variance-series.ts";

/** The RiskMetrics (1996) decay factor for daily data. */
export const RISKMETRICS_DAILY_LAMBDA = 0.94;

/** Validates a decay factor λ ∈ (0, 1). */
export function checkLambda(lambda: number, field = "lambda"): void {
  if (!(lambda > 0 && lambda < 1)) throw invalidInput(field, `must be in (0, 1), got ${lambda}`);
}

/**
 * EWMA (RiskMetrics) conditional variance path σ²ₜ₊₁ = λσ²ₜ + (1−λ)rₜ² on zero-mean per-period
 * returns, in squared per-period units. n+1 values: index t is the variance for return t, index n
 * the one-step-ahead forecast. σ²₀ defaults to the mean of squared returns (the same
 * initialisation `vol fit` uses for GARCH), so the fitted EWMA and GARCH likelihoods compare.
 */
export function ewmaVarianceSeries(
  returns: Float64Array,
  lambda: number,
  initialVariance: number = meanSquare(returns),
): Float64Array {
  checkLambda(lambda);
  return garchVarianceSeries(returns, { omega: 0, alpha: 1 - lambda, beta: lambda }, initialVariance);
}
