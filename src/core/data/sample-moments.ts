/**
 * Sample statistics of a return series (dimensionless numbers in, dimensionless out), used by
 * data inspection, the synthetic-market calibration and its tests.
 */

/** Arithmetic mean; NaN for an empty sample. */
export function sampleMean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return values.length === 0 ? Number.NaN : sum / values.length;
}

/** Sample standard deviation with the n − 1 (Bessel) divisor; NaN for fewer than two values. */
export function sampleStdDev(values: ArrayLike<number>): number {
  if (values.length < 2) return Number.NaN;
  const mean = sampleMean(values);
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const d = (values[i] as number) - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / (values.length - 1));
}

/**
 * Excess kurtosis m4 / m2² − 3 with population (1/n) central moments: 0 for a normal sample,
 * positive for fat tails. NaN for fewer than four values.
 */
export function excessKurtosis(values: ArrayLike<number>): number {
  if (values.length < 4) return Number.NaN;
  const mean = sampleMean(values);
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < values.length; i++) {
    const d2 = ((values[i] as number) - mean) ** 2;
    m2 += d2;
    m4 += d2 * d2;
  }
  m2 /= values.length;
  m4 /= values.length;
  return m4 / (m2 * m2) - 3;
}

/**
 * Sample autocorrelation at `lag` periods: Σ(x_t − x̄)(x_{t+lag} − x̄) / Σ(x_t − x̄)², the
 * usual (biased, Box–Jenkins) estimator.
 */
export function autocorrelation(values: ArrayLike<number>, lag: number): number {
  const n = values.length;
  if (lag < 0 || lag >= n) return Number.NaN;
  const mean = sampleMean(values);
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - mean;
    den += d * d;
    if (i + lag < n) num += d * ((values[i + lag] as number) - mean);
  }
  return num / den;
}

/** Pearson correlation of two equally long samples; NaN if lengths differ or one is constant. */
export function pearsonCorrelation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length < 2) return Number.NaN;
  const ma = sampleMean(a);
  const mb = sampleMean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}
