import { chiSquareSurvival } from "../dist/chi-square.ts";
import { invalidInput } from "../errors.ts";
import { kupiecPof, xLogY } from "./kupiec-pof.ts";

export interface TransitionCounts {
  /** nᵢⱼ: periods with state i followed by state j (1 = exception). */
  readonly n00: number;
  readonly n01: number;
  readonly n10: number;
  readonly n11: number;
}

export interface ChristoffersenTest {
  readonly counts: TransitionCounts;
  /** Independence LR (first-order Markov vs independent), χ²(1). */
  readonly lrInd: number;
  readonly pInd: number;
  /** Conditional coverage LR = Kupiec LR (on all n periods) + lrInd, χ²(2). */
  readonly lrCC: number;
  readonly pCC: number;
}

/** Counts the transitions between consecutive periods of a 0/1 exception sequence. */
export function transitionCounts(hits: Uint8Array): TransitionCounts {
  const c = [0, 0, 0, 0];
  for (let t = 1; t < hits.length; t++) {
    const i = (hits[t - 1]! ? 2 : 0) + (hits[t]! ? 1 : 0);
    c[i] = c[i]! + 1;
  }
  return { n00: c[0]!, n01: c[1]!, n10: c[2]!, n11: c[3]! };
}

/**
 * Christoffersen (1998) independence and conditional-coverage tests on a sequence of exceptions
 * (1 = the loss exceeded VaR). With π₀₁ = n01/(n00+n01), π₁₁ = n11/(n10+n11) and
 * π = (n01+n11)/(n−1): LR_ind = −2[ln L(π) − ln L(π₀₁, π₁₁)], where
 * ln L(π₀₁, π₁₁) = n00 ln(1−π₀₁) + n01 ln π₀₁ + n10 ln(1−π₁₁) + n11 ln π₁₁.
 * Degenerate counts follow 0·ln 0 = 0: with no exception (or no exception before the last
 * period) the row n10+n11 is empty, its terms vanish and LR_ind = 0 (no evidence of clustering).
 * LR_cc adds Kupiec's LR on all n periods (the usual convention; some authors use n−1).
 */
export function christoffersen(hits: Uint8Array, confidence: number): ChristoffersenTest {
  if (hits.length < 2) throw invalidInput("hits", "need at least two periods");
  const counts = transitionCounts(hits);
  const { n00, n01, n10, n11 } = counts;
  const row0 = n00 + n01;
  const row1 = n10 + n11;
  const pi01 = row0 === 0 ? 0 : n01 / row0;
  const pi11 = row1 === 0 ? 0 : n11 / row1;
  const pi = (n01 + n11) / (row0 + row1);
  const logIndependent = xLogY(n00 + n10, 1 - pi) + xLogY(n01 + n11, pi);
  const logMarkov = xLogY(n00, 1 - pi01) + xLogY(n01, pi01) + xLogY(n10, 1 - pi11) + xLogY(n11, pi11);
  const lrInd = Math.max(0, -2 * (logIndependent - logMarkov));
  let exceptions = 0;
  for (const h of hits) exceptions += h ? 1 : 0;
  const lrCC = kupiecPof(hits.length, exceptions, confidence).lr + lrInd;
  return { counts, lrInd, pInd: chiSquareSurvival(lrInd, 1), lrCC, pCC: chiSquareSurvival(lrCC, 2) };
}
