import { closeLogReturnsWithTimes } from "../../core/data/log-returns.ts";
import type { PriceSeries } from "../../core/data/price-series.ts";
import type { VolSource } from "../../core/margin/risk-params.ts";
import { underlyingVolatility } from "../../core/margin/underlying-volatility.ts";

/**
 * The one-bar volatility forecast σ (a fraction per bar) that a volatility-scaled policy with
 * `volSource` sees at every bar, from the product's own `underlyingVolatility` on the trailing
 * `lookbackPeriods` returns ending at or before the bar (NaN before `warmupPeriods` returns).
 * A policy's horizon σ is this times √(horizonHours / barHours), so the optimizer computes the
 * path once per volatility model and scales it per candidate.
 */
export function volPath(
  series: Pick<PriceSeries, "close" | "gaps" | "timestampsMs" | "intervalMs">,
  volSource: VolSource,
  lookbackPeriods: number,
  warmupPeriods: number,
): Float64Array {
  const n = series.close.length;
  const out = new Float64Array(n).fill(Number.NaN);
  const { returns, endIndices } = closeLogReturnsWithTimes(series);
  const periodHours = series.intervalMs / 3_600_000;
  let k = 0;
  for (let i = 0; i < n; i++) {
    while (k < returns.length && (endIndices[k] as number) <= i) k++;
    if (k < Math.max(2, warmupPeriods)) continue;
    const window = Array.from(returns.subarray(Math.max(0, k - lookbackPeriods), k));
    const state = {
      asOfMs: series.timestampsMs[i] as number,
      underlyings: {
        U: { indexPriceUsd: series.close[i] as number, returns: window, returnPeriodHours: periodHours },
      },
      collateral: {},
    };
    out[i] = underlyingVolatility(state, "U", volSource, periodHours).horizonSigma;
  }
  return out;
}
