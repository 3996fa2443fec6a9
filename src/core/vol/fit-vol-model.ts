import { invalidInput } from "../errors.ts";
import { annualizeVolatility } from "./annualize-volatility.ts";
import { checkLambda, ewmaVarianceSeries } from "./ewma-variance.ts";
import { fitGarch } from "./fit-garch.ts";
import { meanSquare } from "./garch-variance-series.ts";
import { gaussianLogLikelihood } from "./log-likelihood.ts";

export type VolModelName = "ewma" | "garch" | "garch-t";

/**
 * The `vol fit` report. Per-period quantities are in the units of the input returns (fractions of
 * log return per bar); `annualizedLongRunVol` is a fraction per √year.
 * For EWMA: ω = 0, α = 1−λ, β = λ, persistence = 1 and there is no long-run variance, so
 * `annualizedLongRunVol` is the zero-mean sample volatility √(mean r²) annualised, the level the
 * EWMA recursion is started from.
 */
export interface VolModelReport {
  readonly model: VolModelName;
  readonly n: number;
  readonly omega: number;
  readonly alpha: number;
  readonly beta: number;
  readonly nu?: number;
  readonly lambda?: number;
  readonly logLikelihood: number;
  readonly persistence: number;
  readonly annualizedLongRunVol: number;
  readonly nextPeriodVol: number;
}

/**
 * Fits (GARCH) or evaluates (EWMA with the given λ, which is not estimated) a zero-mean volatility
 * model on per-period log returns, with σ²₁ = mean of squared returns for every model, and the
 * full log-likelihood (Gaussian for ewma and garch, unit-variance Student-t for garch-t).
 */
export function fitVolModel(
  returns: Float64Array,
  model: VolModelName,
  lambda: number,
  periodsPerYear: number,
): VolModelReport {
  if (returns.length < 2) throw invalidInput("returns", `need at least 2 returns, got ${returns.length}`);
  if (model === "ewma") {
    checkLambda(lambda);
    const variances = ewmaVarianceSeries(returns, lambda);
    return {
      model,
      n: returns.length,
      omega: 0,
      alpha: 1 - lambda,
      beta: lambda,
      lambda,
      logLikelihood: gaussianLogLikelihood(returns, variances),
      persistence: 1,
      annualizedLongRunVol: annualizeVolatility(Math.sqrt(meanSquare(returns)), periodsPerYear),
      nextPeriodVol: Math.sqrt(variances[returns.length]!),
    };
  }
  const fit = fitGarch(returns, model === "garch" ? "normal" : "student-t");
  const report: VolModelReport = {
    model,
    n: returns.length,
    omega: fit.params.omega,
    alpha: fit.params.alpha,
    beta: fit.params.beta,
    logLikelihood: fit.logLikelihood,
    persistence: fit.persistence,
    annualizedLongRunVol: annualizeVolatility(Math.sqrt(fit.longRunVariance), periodsPerYear),
    nextPeriodVol: Math.sqrt(fit.nextPeriodVariance),
  };
  return fit.nu === undefined ? report : { ...report, nu: fit.nu };
}
