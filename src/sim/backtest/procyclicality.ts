/*
 * Procyclicality of a requirement path: how fast and how far it rises. Rises are relative
 * (0.5 = +50 %), the same unit as the APC speed limit `maxDailyRise`, and measured between bars
 * exactly `lagMs` apart in time, so a data gap never makes two distant bars look adjacent.
 */

/** Largest relative rise req[i]/req[i−lag] − 1 (unitless) within bars [from, to); 0 when it never rises. */
export function maxRelativeRise(
  requirement: Float64Array,
  timestampsMs: Float64Array,
  intervalMs: number,
  lagMs: number,
  from: number,
  to: number,
): number {
  const lag = Math.max(1, Math.round(lagMs / intervalMs));
  const spanMs = lag * intervalMs;
  let best = 0;
  for (let i = from + lag; i < to; i++) {
    const now = requirement[i] as number;
    const before = requirement[i - lag] as number;
    if (!(now > 0 && before > 0)) continue;
    if (Math.abs((timestampsMs[i] as number) - (timestampsMs[i - lag] as number) - spanMs) > 1) continue;
    const rise = now / before - 1;
    if (rise > best) best = rise;
  }
  return best;
}

/** Highest over lowest requirement (unitless ratio ≥ 1) within bars [from, to); NaN when none is set. */
export function peakToTrough(requirement: Float64Array, from: number, to: number): number {
  let hi = Number.NEGATIVE_INFINITY;
  let lo = Number.POSITIVE_INFINITY;
  for (let i = from; i < to; i++) {
    const v = requirement[i] as number;
    if (!(v > 0)) continue;
    if (v > hi) hi = v;
    if (v < lo) lo = v;
  }
  return lo === Number.POSITIVE_INFINITY ? Number.NaN : hi / lo;
}
