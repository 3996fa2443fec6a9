import { invalidInput } from "../errors.ts";
import { historicalVarEs } from "./historical-var.ts";
import { checkConfidence, type VarEs } from "./var-es.ts";

/**
 * Filtered historical simulation (Barone-Adesi, Hull–White): standardise each past return by the
 * volatility the model had for it, zₜ = rₜ/σₜ, take the historical VaR/ES of the standardised
 * losses −zₜ, and rescale by the forecast σ for the next period. `vols[t]` is σ for returns[t]
 * (per period), `nextVol` the one-step-ahead σ. Result in per-period return units.
 */
export function filteredHistoricalVarEs(
  returns: Float64Array,
  vols: Float64Array,
  nextVol: number,
  confidence: number,
): VarEs {
  checkConfidence(confidence);
  if (vols.length < returns.length) throw invalidInput("vols", "need one volatility per return");
  if (!(nextVol >= 0)) throw invalidInput("nextVol", "must be ≥ 0");
  const standardisedLosses = new Float64Array(returns.length);
  for (let t = 0; t < returns.length; t++) {
    const sigma = vols[t]!;
    if (!(sigma > 0)) throw invalidInput(`vols[${t}]`, "must be > 0");
    standardisedLosses[t] = -returns[t]! / sigma;
  }
  const unit = historicalVarEs(standardisedLosses, confidence);
  return { valueAtRisk: nextVol * unit.valueAtRisk, expectedShortfall: nextVol * unit.expectedShortfall };
}
