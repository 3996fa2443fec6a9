import { normalPdf, normalQuantile } from "../dist/normal.ts";
import { studentTPdf, studentTQuantile } from "../dist/student-t.ts";
import { invalidInput } from "../errors.ts";
import { checkConfidence, type VarEs } from "./var-es.ts";

function checkSigma(sigma: number): void {
  if (!(sigma >= 0) || !Number.isFinite(sigma)) throw invalidInput("sigma", "must be a finite number ≥ 0");
}

/**
 * Zero-mean normal VaR and ES of a loss with standard deviation σ (return units over the horizon):
 * VaR = σ·z, ES = σ·φ(z)/(1−c), z = Φ⁻¹(c).
 */
export function normalVarEs(sigma: number, confidence: number): VarEs {
  checkSigma(sigma);
  checkConfidence(confidence);
  const z = normalQuantile(confidence);
  return { valueAtRisk: sigma * z, expectedShortfall: (sigma * normalPdf(z)) / (1 - confidence) };
}

/**
 * Zero-mean Student-t VaR and ES where σ is the loss's STANDARD DEVIATION: the t with ν > 2 dof
 * is scaled to unit variance (scale s = σ·√((ν−2)/ν)), so normal and t with the same σ compare
 * at equal variance. With q = t_ν⁻¹(c) for the unit-scale t: VaR = s·q and
 * ES = s · f_ν(q)·(ν + q²) / ((ν − 1)(1 − c)).
 */
export function studentTVarEs(sigma: number, nu: number, confidence: number): VarEs {
  checkSigma(sigma);
  checkConfidence(confidence);
  if (!(nu > 2) || !Number.isFinite(nu))
    throw invalidInput("nu", "must be a finite number > 2 (finite variance)");
  const scale = sigma * Math.sqrt((nu - 2) / nu);
  const q = studentTQuantile(confidence, nu);
  const esUnitScale = (studentTPdf(q, nu) * (nu + q * q)) / ((nu - 1) * (1 - confidence));
  return { valueAtRisk: scale * q, expectedShortfall: scale * esUnitScale };
}
