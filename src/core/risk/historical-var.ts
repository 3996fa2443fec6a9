import { invalidInput } from "../errors.ts";
import { checkConfidence, type VarEs } from "./var-es.ts";

/**
 * Number of tail observations k = ⌈n·(1−c)⌉ (at least 1). A small tolerance keeps n(1−c) that is
 * an integer up to rounding (250 × 0.01 = 2.5000000000000004) from being pushed up by one.
 */
export function tailCount(n: number, confidence: number): number {
  return Math.max(1, Math.ceil(n * (1 - confidence) - 1e-9));
}

/**
 * Historical-simulation VaR and ES of a sample of losses (positive = loss, any units).
 * Quantile definition: VaR is the k-th largest loss with k = ⌈n(1−c)⌉, which is the inverse of
 * the empirical cdf, inf{x : F̂(x) ≥ c} (R's quantile type 1 at probability c). ES is the mean of
 * the k largest losses (VaR included). Example: n = 250, c = 0.99 → k = 3, VaR = 3rd worst loss.
 * `scratch` (length ≥ n) avoids an allocation when called in a rolling loop.
 */
export function historicalVarEs(
  losses: Float64Array,
  confidence: number,
  scratch: Float64Array = new Float64Array(losses.length),
): VarEs {
  checkConfidence(confidence);
  const n = losses.length;
  if (n === 0) throw invalidInput("losses", "need at least one observation");
  const sorted = scratch.subarray(0, n);
  sorted.set(losses);
  sorted.sort();
  const k = tailCount(n, confidence);
  let tailSum = 0;
  for (let i = n - k; i < n; i++) tailSum += sorted[i]!;
  const valueAtRisk = sorted[n - k]!;
  if (!Number.isFinite(valueAtRisk)) throw invalidInput("losses", "must all be finite numbers");
  return { valueAtRisk, expectedShortfall: tailSum / k };
}

/**
 * h-period returns as sums of h consecutive per-period log returns: overlapping (n−h+1 sums, one
 * per start) or non-overlapping (⌊n/h⌋ blocks, aligned to end at the latest return so the most
 * recent data is always used). Overlapping sums use all data but are autocorrelated.
 */
export function aggregateReturns(
  returns: Float64Array,
  horizonPeriods: number,
  overlapping: boolean,
): Float64Array {
  if (!Number.isInteger(horizonPeriods) || horizonPeriods < 1) {
    throw invalidInput("horizonPeriods", "must be an integer ≥ 1");
  }
  const n = returns.length;
  if (n < horizonPeriods) throw invalidInput("returns", `need at least ${horizonPeriods} returns`);
  if (overlapping) {
    const out = new Float64Array(n - horizonPeriods + 1);
    let window = 0;
    for (let t = 0; t < n; t++) {
      window += returns[t]!;
      if (t >= horizonPeriods) window -= returns[t - horizonPeriods]!;
      if (t >= horizonPeriods - 1) out[t - horizonPeriods + 1] = window;
    }
    return out;
  }
  const blocks = Math.floor(n / horizonPeriods);
  const out = new Float64Array(blocks);
  const first = n - blocks * horizonPeriods;
  for (let b = 0; b < blocks; b++) {
    let sum = 0;
    for (let i = 0; i < horizonPeriods; i++) sum += returns[first + b * horizonPeriods + i]!;
    out[b] = sum;
  }
  return out;
}
