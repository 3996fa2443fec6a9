import gammaln from "@stdlib/math-base-special-gammaln";

const LN_2PI = Math.log(2 * Math.PI);

/**
 * Full Gaussian log-likelihood of zero-mean returns with conditional variances σ²ₜ (squared
 * per-period units): −½ Σ (ln 2π + ln σ²ₜ + rₜ²/σ²ₜ). Only the first `returns.length` variances are
 * used, so the (n+1)-long output of `garchVarianceSeries` can be passed directly.
 */
export function gaussianLogLikelihood(returns: Float64Array, variances: Float64Array): number {
  let sum = 0;
  for (let t = 0; t < returns.length; t++) {
    const v = variances[t]!;
    const r = returns[t]!;
    sum += LN_2PI + Math.log(v) + (r * r) / v;
  }
  return -0.5 * sum;
}

/**
 * Log-likelihood of zero-mean returns whose standardised innovations zₜ = rₜ/σₜ follow a Student-t
 * with ν > 2 degrees of freedom scaled to UNIT VARIANCE (the fGarch "std" convention), so σ²ₜ is
 * the conditional variance itself:
 * ln f(r) = lnΓ((ν+1)/2) − lnΓ(ν/2) − ½ln(π(ν−2)) − ½ln σ² − (ν+1)/2 · ln(1 + z²/(ν−2)).
 */
export function studentTLogLikelihood(returns: Float64Array, variances: Float64Array, nu: number): number {
  if (!(nu > 2)) return Number.NEGATIVE_INFINITY;
  const constant = gammaln((nu + 1) / 2) - gammaln(nu / 2) - 0.5 * Math.log(Math.PI * (nu - 2));
  const halfNuPlusOne = (nu + 1) / 2;
  const nuMinusTwo = nu - 2;
  let sum = 0;
  for (let t = 0; t < returns.length; t++) {
    const v = variances[t]!;
    const r = returns[t]!;
    sum += -0.5 * Math.log(v) - halfNuPlusOne * Math.log1p((r * r) / (v * nuMinusTwo));
  }
  return returns.length * constant + sum;
}
