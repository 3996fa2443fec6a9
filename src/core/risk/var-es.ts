import { invalidInput } from "../errors.ts";

/**
 * Value-at-Risk and Expected Shortfall at one confidence level, both as POSITIVE LOSSES in the
 * units of the returns they came from (fractions of log return over the stated horizon).
 * VaR is the loss exceeded with probability 1 − confidence; ES the expected loss beyond it.
 */
export interface VarEs {
  readonly valueAtRisk: number;
  readonly expectedShortfall: number;
}

/** Validates a VaR confidence level c ∈ (0, 1), e.g. 0.99. */
export function checkConfidence(confidence: number, field = "confidence"): void {
  if (!(confidence > 0 && confidence < 1)) throw invalidInput(field, `must be in (0, 1), got ${confidence}`);
}
