import type { PriceSeries } from "../../core/data/price-series.ts";

/*
 * The exogenous price path of a cascade from a bar series: four sub-steps per bar when it has
 * OHLC — open, the two extremes in the order that fits the bar (a down bar is assumed to
 * reach its high first, then its low), close — and one (the close) otherwise. Real intrabar
 * extremes matter here: BTC closed at 4.8 k on 2020-03-12 but traded at 3.8 k on the 13th.
 * The requirement in force during bar i is the one set at the close of bar i − 1.
 */
export function cascadePath(
  series: Pick<PriceSeries, "open" | "high" | "low" | "close" | "timestampsMs" | "intervalMs">,
  from: number,
  to: number,
): { priceUsd: Float64Array; timestampsMs: Float64Array; requirementBar: Int32Array } {
  const ohlc = series.open !== undefined && series.high !== undefined && series.low !== undefined;
  const per = ohlc ? 4 : 1;
  const bars = to - from;
  const priceUsd = new Float64Array(bars * per);
  const timestampsMs = new Float64Array(bars * per);
  const requirementBar = new Int32Array(bars * per);
  for (let b = 0; b < bars; b++) {
    const i = from + b;
    const t = series.timestampsMs[i] as number;
    const c = series.close[i] as number;
    const points =
      ohlc && series.open && series.high && series.low
        ? (() => {
            const o = series.open[i] as number;
            const h = series.high[i] as number;
            const l = series.low[i] as number;
            return c < o ? [o, h, l, c] : [o, l, h, c];
          })()
        : [c];
    points.forEach((price, j) => {
      const s = b * per + j;
      priceUsd[s] = price;
      timestampsMs[s] = t + ((j + (ohlc ? 0 : 1)) * series.intervalMs) / per;
      requirementBar[s] = Math.max(0, i - 1);
    });
  }
  return { priceUsd, timestampsMs, requirementBar };
}
