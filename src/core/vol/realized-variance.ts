import { invalidInput } from "../errors.ts";

export interface RealizedVarianceSeries {
  /** Start of each block (ms since epoch, UTC), ascending. */
  readonly blockStartMs: Float64Array;
  /** Sum of squared intraday log returns in the block (squared per-block units). */
  readonly realizedVariance: Float64Array;
  /** How many intraday returns fell in the block (fewer than expected when there were gaps). */
  readonly returnCount: Int32Array;
}

/**
 * Aggregates intraday log returns into realised variance per block (e.g. hourly returns into
 * daily RV with blockMs = 86 400 000): RV = Σ r² over the returns whose timestamp falls in
 * [blockStart, blockStart + blockMs). Returns are grouped by timestamp, not by count, so a return
 * dropped at a data gap shortens its block instead of shifting every later block.
 * `returnTimestampsMs[i]` is the time the return i is attributed to (e.g. its bar's open time).
 */
export function realizedVarianceByBlock(
  returns: Float64Array,
  returnTimestampsMs: Float64Array,
  blockMs: number,
): RealizedVarianceSeries {
  if (returns.length !== returnTimestampsMs.length) {
    throw invalidInput("returnTimestampsMs", "must have one timestamp per return");
  }
  if (!(blockMs > 0)) throw invalidInput("blockMs", "must be positive");
  const starts: number[] = [];
  const sums: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < returns.length; i++) {
    const block = Math.floor(returnTimestampsMs[i]! / blockMs) * blockMs;
    const last = starts.length - 1;
    if (last >= 0 && block < starts[last]!) throw invalidInput("returnTimestampsMs", "must be ascending");
    if (last < 0 || block !== starts[last]) {
      starts.push(block);
      sums.push(0);
      counts.push(0);
    }
    const j = starts.length - 1;
    sums[j] = sums[j]! + returns[i]! * returns[i]!;
    counts[j] = counts[j]! + 1;
  }
  return {
    blockStartMs: Float64Array.from(starts),
    realizedVariance: Float64Array.from(sums),
    returnCount: Int32Array.from(counts),
  };
}

/**
 * Realised-volatility forecast of the next period: √(mean of the last `windowPeriods` squared
 * returns), per period. A flat (random-walk) forecast: the h-period σ is this times √h.
 */
export function trailingRealizedVol(returns: Float64Array, windowPeriods: number): number {
  if (!Number.isInteger(windowPeriods) || windowPeriods < 1) {
    throw invalidInput("windowPeriods", "must be an integer ≥ 1");
  }
  if (returns.length < windowPeriods) {
    throw invalidInput(
      "returns",
      `need at least windowPeriods = ${windowPeriods} returns, got ${returns.length}`,
    );
  }
  let sum = 0;
  for (let t = returns.length - windowPeriods; t < returns.length; t++) sum += returns[t]! * returns[t]!;
  return Math.sqrt(sum / windowPeriods);
}
