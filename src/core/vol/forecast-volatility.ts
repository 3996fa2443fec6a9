import { invalidInput } from "../errors.ts";
import { checkLambda, ewmaVarianceSeries } from "./ewma-variance.ts";
import { fitGarch } from "./fit-garch.ts";
import { garchHorizonVariance } from "./garch-term-structure.ts";
import { trailingRealizedVol } from "./realized-variance.ts";

export type VolForecastSpec =
  | { model: "ewma"; lambda: number }
  | { model: "garch"; innovations: "normal" | "student-t" }
  | { model: "realized"; windowPeriods: number };

export interface VolForecast {
  /** Next-period σ, per period (fraction of log return, not annualised). */
  perPeriodVol: number;
  /** σ of the sum of the next h per-period log returns. */
  horizonVol: number;
}

/**
 * Forecasts volatility from zero-mean per-period log returns (oldest first) for the next period
 * and over the next `horizonPeriods` periods. EWMA and realised: flat term structure
 * (horizonVol = σ·√h). GARCH(1,1): refitted on `returns` by maximum likelihood, horizon variance
 * from the closed-form mean-reverting term structure. Units: per period of the input returns.
 */
export function forecastVolatility(
  returns: Float64Array,
  spec: VolForecastSpec,
  horizonPeriods: number,
): VolForecast {
  if (!Number.isInteger(horizonPeriods) || horizonPeriods < 1) {
    throw invalidInput("horizonPeriods", "must be an integer ≥ 1");
  }
  if (returns.length === 0) throw invalidInput("returns", "need at least one return");
  switch (spec.model) {
    case "ewma": {
      checkLambda(spec.lambda, "spec.lambda");
      const variances = ewmaVarianceSeries(returns, spec.lambda);
      const perPeriodVol = Math.sqrt(variances[returns.length]!);
      return { perPeriodVol, horizonVol: perPeriodVol * Math.sqrt(horizonPeriods) };
    }
    case "garch": {
      const fit = fitGarch(returns, spec.innovations);
      return {
        perPeriodVol: Math.sqrt(fit.nextPeriodVariance),
        horizonVol: Math.sqrt(garchHorizonVariance(fit.params, fit.nextPeriodVariance, horizonPeriods)),
      };
    }
    case "realized": {
      const perPeriodVol = trailingRealizedVol(returns, spec.windowPeriods);
      return { perPeriodVol, horizonVol: perPeriodVol * Math.sqrt(horizonPeriods) };
    }
  }
}
