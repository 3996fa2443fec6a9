/** The largest peak-to-trough fall of a price path. */
export interface MaxDrawdown {
  /** Fall from the peak as a fraction of the peak (0.81 = −81 %); 0 if prices never fell. */
  readonly value: number;
  /** Row index of the running peak before the trough. */
  readonly peakIndex: number;
  /** Row index of the trough. */
  readonly troughIndex: number;
}

/**
 * Maximum drawdown of `prices` (any positive price unit): max over t of 1 − p_t / max_{s≤t} p_s.
 * Gaps do not matter here: a drawdown is about levels, not per-period returns.
 */
export function maxDrawdown(prices: Float64Array): MaxDrawdown {
  let peak = prices[0] ?? Number.NaN;
  let peakIndex = 0;
  let best: MaxDrawdown = { value: 0, peakIndex: 0, troughIndex: 0 };
  for (let i = 1; i < prices.length; i++) {
    const p = prices[i] as number;
    if (p > peak) {
      peak = p;
      peakIndex = i;
      continue;
    }
    const drawdown = 1 - p / peak;
    if (drawdown > best.value) best = { value: drawdown, peakIndex, troughIndex: i };
  }
  return best;
}
