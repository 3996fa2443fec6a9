import { chiSquareSurvival } from "../dist/chi-square.ts";
import { invalidInput } from "../errors.ts";

export interface LikelihoodRatioTest {
  /** The likelihood-ratio statistic (≥ 0). */
  readonly lr: number;
  /** P(χ²_df > lr): small values reject the model. */
  readonly pValue: number;
}

/** x·ln(y) with the limit 0·ln 0 = 0, so degenerate counts (no exceptions, all exceptions) work. */
export function xLogY(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(y);
}

/** Validates counts of exceptions out of observations. */
export function checkCounts(observations: number, exceptions: number): void {
  if (!Number.isInteger(observations) || observations < 1) {
    throw invalidInput("observations", "must be an integer ≥ 1");
  }
  if (!Number.isInteger(exceptions) || exceptions < 0 || exceptions > observations) {
    throw invalidInput("exceptions", "must be an integer in [0, observations]");
  }
}

/**
 * Kupiec (1995) proportion-of-failures test: x exceptions in n periods against the expected
 * exception probability p = 1 − confidence.
 * LR = −2[(n−x)ln(1−p) + x ln p − (n−x)ln(1−x/n) − x ln(x/n)] ~ χ²(1), with 0·ln 0 = 0, so
 * x = 0 gives LR = −2n ln(1−p) and x = n gives LR = −2n ln p.
 */
export function kupiecPof(observations: number, exceptions: number, confidence: number): LikelihoodRatioTest {
  checkCounts(observations, exceptions);
  if (!(confidence > 0 && confidence < 1)) throw invalidInput("confidence", "must be in (0, 1)");
  const n = observations;
  const x = exceptions;
  const p = 1 - confidence;
  const pHat = x / n;
  const logNull = xLogY(n - x, 1 - p) + xLogY(x, p);
  const logAlt = xLogY(n - x, 1 - pHat) + xLogY(x, pHat);
  const lr = Math.max(0, -2 * (logNull - logAlt));
  return { lr, pValue: chiSquareSurvival(lr, 1) };
}
