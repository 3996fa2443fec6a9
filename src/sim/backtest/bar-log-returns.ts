import type { PriceSeries } from "../../core/data/price-series.ts";

/**
 * Log return ending at each bar, ln(close[i]/close[i−1]), aligned with the bars (length n);
 * NaN at bar 0 and at a bar that follows a data gap (never a multi-period move as one period).
 */
export function barLogReturns(
  series: Pick<PriceSeries, "close" | "timestampsMs" | "intervalMs">,
): Float64Array {
  const n = series.close.length;
  const out = new Float64Array(n).fill(Number.NaN);
  for (let i = 1; i < n; i++) {
    const dt = (series.timestampsMs[i] as number) - (series.timestampsMs[i - 1] as number);
    if (Math.abs(dt - series.intervalMs) > 1) continue;
    out[i] = Math.log((series.close[i] as number) / (series.close[i - 1] as number));
  }
  return out;
}
