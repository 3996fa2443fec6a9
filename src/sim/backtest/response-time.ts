/*
 * Response time of a requirement to a volatility regime shift.
 *
 * Detector (ex post, for evaluation only; no policy sees it): at bar t the realised volatility
 * of the W bar returns after t, σ_after = √(mean r²) over (t, t+W], is compared with that of
 * the W returns up to t, σ_before over (t−W, t]. An up-shift is a bar with
 * σ_after / σ_before ≥ `ratioMin` (default 2: volatility doubles); after one, the detector
 * skips W bars so one regime change counts once. Returns spanning a gap (NaN) are left out.
 *
 * Response: the requirement's new level is its peak over the `maxPeriods` bars after the shift,
 * L₁ = max IM over (t, t+maxPeriods]; the response time is the number of bars k ≥ 1 until the
 * requirement has covered 90 % of its move from the level at the shift, IM[t+k] ≥ L₀ + 0.9·(L₁ − L₀)
 * (the usual rise time). A requirement that does not rise by at least 10 % (L₁ < 1.1·L₀, a
 * static one) has no response (null): it did not answer the shift at all.
 */

export interface RegimeShift {
  /** Bar index of the last bar before the shift. */
  readonly index: number;
  /** σ_after / σ_before. */
  readonly volRatio: number;
}

function rms(r: Float64Array, from: number, to: number): number {
  let s = 0;
  let c = 0;
  for (let i = from; i < to; i++) {
    const x = r[i] as number;
    if (Number.isNaN(x)) continue;
    s += x * x;
    c++;
  }
  return c === 0 ? Number.NaN : Math.sqrt(s / c);
}

/** Up-shifts of realised volatility between bars [from, to); `barReturns[i]` is the return ending at bar i (NaN if none). */
export function detectVolShifts(
  barReturns: Float64Array,
  windowPeriods: number,
  ratioMin: number,
  from: number,
  to: number,
): RegimeShift[] {
  const w = windowPeriods;
  const shifts: RegimeShift[] = [];
  for (let t = from + w; t + w < to; t++) {
    const before = rms(barReturns, t - w + 1, t + 1);
    const after = rms(barReturns, t + 1, t + w + 1);
    if (!(before > 0 && after > 0)) continue;
    const ratio = after / before;
    if (ratio >= ratioMin) {
      shifts.push({ index: t, volRatio: ratio });
      t += w;
    }
  }
  return shifts;
}

/** Bars until the requirement covers 90 % of its rise to its post-shift peak, per shift (null = no rise of ≥ 10 %). */
export function responseTimes(
  requirement: Float64Array,
  shifts: readonly RegimeShift[],
  maxPeriods: number,
): (number | null)[] {
  return shifts.map(({ index }) => {
    const start = requirement[index] as number;
    if (!(start > 0)) return null;
    const end = Math.min(requirement.length - 1, index + maxPeriods);
    let peak = start;
    for (let j = index + 1; j <= end; j++) {
      const v = requirement[j] as number;
      if (v > peak) peak = v;
    }
    if (peak < 1.1 * start) return null;
    const target = start + 0.9 * (peak - start);
    for (let k = 1; index + k <= end; k++) {
      if ((requirement[index + k] as number) >= target) return k;
    }
    return null;
  });
}

/** Median response in bars, counting a missing response as slower than any; null when most never respond or there are no shifts. */
export function medianResponse(times: readonly (number | null)[]): number | null {
  if (times.length === 0) return null;
  const sorted = times.map((t) => (t === null ? Number.POSITIVE_INFINITY : t)).sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const m =
    sorted.length % 2 === 1
      ? (sorted[Math.floor(mid)] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return Number.isFinite(m) ? m : null;
}
