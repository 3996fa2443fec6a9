/*
 * The order book a liquidation sells into, as a depth curve: within a band of `bandFraction`
 * around the mid the book holds `bandNotionalUsd`, spread evenly (impact grows linearly with
 * size); beyond the band the cumulative depth grows with the square of the distance (impact
 * grows with the square root of size, the usual empirical law). The curve is continuous at the
 * band edge:
 *   impact(Q) = band · Q / D            for Q ≤ D
 *   impact(Q) = band · √(Q / D)         for Q > D
 * with D = bandNotionalUsd · depthScale. Impact is a fraction of the price.
 */

export interface DepthCurve {
  /** Price distance (fraction) that the calibrated notional covers. */
  readonly bandFraction: number;
  /** Notional (USD) resting within the band on one side of the book. */
  readonly bandNotionalUsd: number;
}

/** Price impact (fraction of price, ≥ 0) of a market order of `notionalUsd` against the curve. */
export function impactFraction(notionalUsd: number, curve: DepthCurve): number {
  if (!(notionalUsd > 0)) return 0;
  const x = notionalUsd / curve.bandNotionalUsd;
  return curve.bandFraction * (x <= 1 ? x : Math.sqrt(x));
}
