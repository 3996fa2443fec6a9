import { invalidInput } from "../errors.ts";
import { ewmaVarianceSeries } from "../vol/ewma-variance.ts";
import { forecastVolatility, type VolForecastSpec } from "../vol/forecast-volatility.ts";
import { filteredHistoricalVarEs } from "./filtered-historical-var.ts";
import { aggregateReturns, historicalVarEs } from "./historical-var.ts";
import { normalVarEs, studentTVarEs } from "./parametric-var.ts";
import type { VarEs } from "./var-es.ts";

/**
 * How a one-period risk figure becomes an h-period one.
 * "sqrt-time": compute for one period and multiply by √h (exact for i.i.d. zero-mean normal
 * returns with constant volatility; ignores mean reversion of volatility and fat-tail aggregation).
 * "direct": compute on h-period quantities: the GARCH term structure of the h-period variance for
 * parametric methods (identical to sqrt-time for EWMA and realised, whose forecasts are flat), or
 * the empirical distribution of h-period return sums for historical methods.
 */
export type HorizonMethod = "sqrt-time" | "direct";

export type VarMethod =
  | { readonly method: "normal"; readonly vol: VolForecastSpec }
  | { readonly method: "student-t"; readonly nu: number; readonly vol: VolForecastSpec }
  | { readonly method: "historical" }
  | { readonly method: "fhs"; readonly lambda: number };

export interface HorizonVarSpec {
  readonly confidence: number;
  readonly horizonPeriods: number;
  readonly horizonMethod: HorizonMethod;
  /** For "direct" historical and FHS: overlapping h-period sums (default) or disjoint blocks. */
  readonly overlapping?: boolean;
}

function scaleVarEs(v: VarEs, factor: number): VarEs {
  return { valueAtRisk: v.valueAtRisk * factor, expectedShortfall: v.expectedShortfall * factor };
}

function negate(values: Float64Array): Float64Array {
  return values.map((x) => -x);
}

/**
 * VaR and ES over `horizonPeriods` periods from per-period zero-mean log returns (oldest first),
 * as positive losses in log-return units over the horizon. The horizon treatment is always the
 * explicit `spec.horizonMethod`. Student-t is scaled to unit variance (see parametric-var.ts).
 * FHS standardises by EWMA(λ) volatility with σ²₀ = the mean of squared returns.
 */
export function horizonVarEs(returns: Float64Array, method: VarMethod, spec: HorizonVarSpec): VarEs {
  const h = spec.horizonPeriods;
  if (!Number.isInteger(h) || h < 1) throw invalidInput("horizonPeriods", "must be an integer ≥ 1");
  const sqrtTime = spec.horizonMethod === "sqrt-time";
  const overlapping = spec.overlapping ?? true;
  switch (method.method) {
    case "normal":
    case "student-t": {
      const forecast = forecastVolatility(returns, method.vol, h);
      const sigma = sqrtTime ? forecast.perPeriodVol * Math.sqrt(h) : forecast.horizonVol;
      return method.method === "normal"
        ? normalVarEs(sigma, spec.confidence)
        : studentTVarEs(sigma, method.nu, spec.confidence);
    }
    case "historical": {
      if (sqrtTime) return scaleVarEs(historicalVarEs(negate(returns), spec.confidence), Math.sqrt(h));
      return historicalVarEs(negate(aggregateReturns(returns, h, overlapping)), spec.confidence);
    }
    case "fhs": {
      const variances = ewmaVarianceSeries(returns, method.lambda);
      const vols = variances.map(Math.sqrt);
      const nextVol = vols[returns.length]!;
      if (sqrtTime) {
        return scaleVarEs(filteredHistoricalVarEs(returns, vols, nextVol, spec.confidence), Math.sqrt(h));
      }
      // Direct FHS: h-period sums of standardised residuals carry the residuals' own
      // aggregation (fat tails, leftover autocorrelation); rescaled by the flat EWMA forecast.
      const residuals = new Float64Array(returns.length);
      for (let t = 0; t < returns.length; t++) residuals[t] = returns[t]! / vols[t]!;
      const unit = historicalVarEs(negate(aggregateReturns(residuals, h, overlapping)), spec.confidence);
      return scaleVarEs(unit, nextVol);
    }
  }
}
