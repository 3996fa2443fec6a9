import { invalidInput } from "../errors.ts";
import { annualizeVolatility } from "../vol/annualize-volatility.ts";
import { forecastVolatility } from "../vol/forecast-volatility.ts";
import type { VolSource } from "./risk-params.ts";
import { horizonSigma } from "./tail-loss-fraction.ts";
import type { MarketState } from "./types.ts";

/*
 * The volatility a volatility-scaled policy uses for one underlying, from the source the
 * document chooses: a supplied forecast or implied vol (annualised numbers in the market
 * state), or a model (EWMA, GARCH, realised) run on the market state's return history.
 * Horizon scaling: √time for supplied/implied/EWMA/realised; GARCH uses its own term structure
 * over whole periods, then √time for the remainder.
 */

export interface UnderlyingVolatility {
  /** Annualised volatility (fraction per √year), 24/7 calendar. */
  readonly volAnnual: number;
  /** σ of the log return over the horizon (fraction). */
  readonly horizonSigma: number;
  readonly source: VolSource["model"];
}

/** Volatility of `underlying` over `horizonHours` from `source`. */
export function underlyingVolatility(
  market: MarketState,
  underlying: string,
  source: VolSource,
  horizonHours: number,
): UnderlyingVolatility {
  const u = market.underlyings[underlying];
  const field = `market.underlyings.${underlying}`;
  if (u === undefined) throw invalidInput(field, "is missing");
  if (source.model === "supplied" || source.model === "implied") {
    const key = source.model === "supplied" ? "volAnnual" : "impliedVolAnnual";
    const vol = u[key];
    if (vol === undefined)
      throw invalidInput(`${field}.${key}`, `is required by volSource '${source.model}'`);
    if (!(Number.isFinite(vol) && vol > 0 && vol < 20))
      throw invalidInput(`${field}.${key}`, "must be in (0, 20)");
    return { volAnnual: vol, horizonSigma: horizonSigma(vol, horizonHours), source: source.model };
  }
  const returns = u.returns;
  const periodHours = u.returnPeriodHours;
  if (returns === undefined || returns.length < 2)
    throw invalidInput(`${field}.returns`, `at least 2 returns are required by volSource '${source.model}'`);
  if (periodHours === undefined || !(periodHours > 0 && Number.isFinite(periodHours)))
    throw invalidInput(`${field}.returnPeriodHours`, "must be a number of hours > 0");
  const data = Float64Array.from(returns);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) throw invalidInput(`${field}.returns.${i}`, "must be finite");
  }
  const wholePeriods = Math.max(1, Math.floor(horizonHours / periodHours));
  const forecast = forecastVolatility(data, source, wholePeriods);
  const remainder = horizonHours / periodHours / wholePeriods;
  const sigma = forecast.horizonVol * Math.sqrt(remainder);
  return {
    volAnnual: annualizeVolatility(forecast.perPeriodVol, 8760 / periodHours),
    horizonSigma: sigma,
    source: source.model,
  };
}
