import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { invalidInput } from "../errors.ts";

/**
 * Acerbi–Székely (2014) test statistic Z2 of an Expected Shortfall forecast, in the loss sign
 * convention (Lₜ = −rₜ > 0 is a loss, VaR and ES positive):
 * Z2 = 1 − Σₜ Lₜ·1{Lₜ > VaRₜ} / (T·α·ESₜ), α = 1 − confidence.
 * Under a correct model E[Z2] = 0; Z2 < 0 means realised tail losses exceed the forecast ES
 * (risk underestimated), Z2 > 0 that the model is conservative. Z2 is unitless.
 */
export function acerbiSzekelyZ2(
  losses: Float64Array,
  valueAtRisk: Float64Array,
  expectedShortfall: Float64Array,
  confidence: number,
): number {
  const T = losses.length;
  if (T === 0) throw invalidInput("losses", "need at least one period");
  if (valueAtRisk.length !== T || expectedShortfall.length !== T) {
    throw invalidInput("expectedShortfall", "VaR and ES need one value per period");
  }
  const alpha = 1 - confidence;
  let sum = 0;
  for (let t = 0; t < T; t++) {
    const loss = losses[t]!;
    if (loss > valueAtRisk[t]!) sum += loss / expectedShortfall[t]!;
  }
  return 1 - sum / (T * alpha);
}

export interface Z2MonteCarloOptions {
  /** Number of simulated paths (≥ 100; 1000 gives a p-value standard error below 0.016). */
  readonly simulations: number;
  /** Seed of the xoroshiro128+ generator: the same seed gives the same p-value. */
  readonly seed: number;
}

export interface Z2Result {
  readonly z2: number;
  /** P(Z2 ≤ observed) under the model, (1 + #{Z2ₛᵢₘ ≤ Z2}) / (M + 1): small rejects. */
  readonly pValue: number;
  readonly simulations: number;
  readonly seed: number;
}

/**
 * Z2 with its Monte-Carlo p-value under the forecasting model itself: each path draws one loss per
 * period from the model's predictive distribution, given as its quantile function
 * `lossQuantile(t, u)` (u uniform in [0, 1)), and recomputes Z2 with the same VaRₜ and ESₜ. A
 * one-sided test (Acerbi–Székely's Z2 rejects when realised tail losses are too large).
 */
export function acerbiSzekelyZ2Test(
  losses: Float64Array,
  valueAtRisk: Float64Array,
  expectedShortfall: Float64Array,
  confidence: number,
  lossQuantile: (t: number, u: number) => number,
  options: Z2MonteCarloOptions,
): Z2Result {
  if (
    !Number.isInteger(options.simulations) ||
    options.simulations < 100 ||
    options.simulations > 1_000_000
  ) {
    throw invalidInput("simulations", "must be an integer in [100, 1e6]");
  }
  const z2 = acerbiSzekelyZ2(losses, valueAtRisk, expectedShortfall, confidence);
  const T = losses.length;
  const simulated = new Float64Array(T);
  const rng = xoroshiro128plus(options.seed);
  let atMost = 0;
  for (let s = 0; s < options.simulations; s++) {
    for (let t = 0; t < T; t++) simulated[t] = lossQuantile(t, uniformFloat64(rng));
    if (acerbiSzekelyZ2(simulated, valueAtRisk, expectedShortfall, confidence) <= z2) atMost++;
  }
  return {
    z2,
    pValue: (1 + atMost) / (options.simulations + 1),
    simulations: options.simulations,
    seed: options.seed,
  };
}
