import type { PriceSeries } from "./price-series.ts";

/**
 * Close-to-close log returns ln(close[i] / close[i−1]), dimensionless, one per period.
 * A return that spans a gap (listed in `series.gaps`) is EXCLUDED rather than counted as one
 * period: a move over several missing periods would inflate per-period volatility and tails.
 * Weekends of a weekday-calendar series are not gaps, so Friday→Monday returns are kept.
 */
export function closeLogReturns(series: Pick<PriceSeries, "close" | "gaps">): Float64Array {
  return closeLogReturnsWithTimes({ ...series, timestampsMs: new Float64Array(0) }, false).returns;
}

export interface TimedReturns {
  /** Log returns, dimensionless. */
  readonly returns: Float64Array;
  /** For each return, the epoch-ms timestamp of the bar it ends on. */
  readonly timestampsMs: Float64Array;
  /** For each return, the row index of the bar it ends on. */
  readonly endIndices: Int32Array;
}

/**
 * As `closeLogReturns`, also giving each return's end-bar timestamp (epoch ms) and row index,
 * for reports that must say when a return happened.
 */
export function closeLogReturnsWithTimes(
  series: Pick<PriceSeries, "close" | "gaps" | "timestampsMs">,
  withTimes = true,
): TimedReturns {
  const { close, gaps } = series;
  const count = Math.max(0, close.length - 1);
  const spansGap = new Uint8Array(count);
  let excluded = 0;
  for (const gap of gaps) {
    if (gap.afterIndex >= 0 && gap.afterIndex < count && spansGap[gap.afterIndex] === 0) {
      spansGap[gap.afterIndex] = 1;
      excluded++;
    }
  }
  const n = count - excluded;
  const returns = new Float64Array(n);
  const timestampsMs = new Float64Array(withTimes ? n : 0);
  const endIndices = new Int32Array(withTimes ? n : 0);
  let k = 0;
  for (let i = 1; i <= count; i++) {
    if (spansGap[i - 1] === 1) continue;
    returns[k] = Math.log((close[i] as number) / (close[i - 1] as number));
    if (withTimes) {
      timestampsMs[k] = series.timestampsMs[i] as number;
      endIndices[k] = i;
    }
    k++;
  }
  return { returns, timestampsMs, endIndices };
}
