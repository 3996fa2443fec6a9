import { assertInvariant } from "../errors.ts";

/** GARCH(1,1) parameters on per-period returns (fractions, not percent). */
export interface GarchParams {
  /** Constant term ω, in squared per-period return units. */
  readonly omega: number;
  /** Weight α on the last squared return. */
  readonly alpha: number;
  /** Weight β on the last conditional variance. */
  readonly beta: number;
}

/**
 * Conditional variance path of σ²ₜ₊₁ = ω + α·rₜ² + β·σ²ₜ, started at `initialVariance` (σ² of the
 * first return). Returns n+1 values (squared per-period return units): index t is the variance
 * used for return t, and index n is the one-step-ahead forecast after the last return. EWMA is the
 * special case ω = 0, α = 1−λ, β = λ, so both models share this one filter.
 * `out` may be passed to avoid allocating in a loop (an optimiser calls this thousands of times).
 */
export function garchVarianceSeries(
  returns: Float64Array,
  params: GarchParams,
  initialVariance: number,
  out: Float64Array = new Float64Array(returns.length + 1),
): Float64Array {
  assertInvariant(out.length >= returns.length + 1, "variance buffer too short");
  const { omega, alpha, beta } = params;
  let variance = initialVariance;
  out[0] = variance;
  for (let t = 0; t < returns.length; t++) {
    const r = returns[t]!;
    variance = omega + alpha * r * r + beta * variance;
    out[t + 1] = variance;
  }
  return out;
}

/** Mean of squared returns (squared per-period units): the zero-mean sample variance, used as σ²₁. */
export function meanSquare(returns: Float64Array, from = 0, to = returns.length): number {
  assertInvariant(to > from, "meanSquare needs at least one return");
  let sum = 0;
  for (let t = from; t < to; t++) sum += returns[t]! * returns[t]!;
  return sum / (to - from);
}
