import type { PriceSeries } from "../../core/data/price-series.ts";

/**
 * The loss per unit of notional that a position opened at close i suffers by the close
 * `horizonPeriods` bars later, for the worse of a long and a short unit position:
 * |close[i+h] / close[i] − 1| (a long loses 1 − P₁/P₀ when the price falls, a short
 * P₁/P₀ − 1 when it rises; notional is measured at close i). NaN where the horizon runs past
 * the end of the data or across a gap (the bars must be exactly h intervals apart), so such a
 * bar is never scored. Also returns the signed simple return, for long/short splits.
 */
export function horizonLosses(
  series: Pick<PriceSeries, "close" | "timestampsMs" | "intervalMs">,
  horizonPeriods: number,
): { readonly worstLoss: Float64Array; readonly simpleReturn: Float64Array } {
  const n = series.close.length;
  const worstLoss = new Float64Array(n).fill(Number.NaN);
  const simpleReturn = new Float64Array(n).fill(Number.NaN);
  const spanMs = horizonPeriods * series.intervalMs;
  for (let i = 0; i + horizonPeriods < n; i++) {
    const j = i + horizonPeriods;
    const dt = (series.timestampsMs[j] as number) - (series.timestampsMs[i] as number);
    if (Math.abs(dt - spanMs) > 1) continue;
    const r = (series.close[j] as number) / (series.close[i] as number) - 1;
    simpleReturn[i] = r;
    worstLoss[i] = Math.abs(r);
  }
  return { worstLoss, simpleReturn };
}
