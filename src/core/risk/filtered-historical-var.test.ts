import { describe, expect, it } from "vitest";
import { filteredHistoricalVarEs } from "./filtered-historical-var.ts";

describe("filteredHistoricalVarEs", () => {
  it("standardises by each period's σ and rescales by the forecast", () => {
    // r = (−0.04, 0.01, −0.01, 0.03), σ = (0.02, 0.01, 0.005, 0.03) → standardised losses
    // −r/σ = (2, −1, 2, −1)... use distinct values: σ₃ = 0.01 → (2, −1, 2, −3).
    // c = 0.5, n = 4: k = 2 → unit VaR = 2 (2nd largest), unit ES = (2 + 2)/2 = 2; σ_next = 0.05.
    const v = filteredHistoricalVarEs(
      Float64Array.of(-0.04, 0.01, -0.01, 0.03),
      Float64Array.of(0.02, 0.01, 0.005, 0.01),
      0.05,
      0.5,
    );
    expect(v.valueAtRisk).toBeCloseTo(0.1, 15);
    expect(v.expectedShortfall).toBeCloseTo(0.1, 15);
  });

  it("with a constant σ equal to the forecast it is plain historical simulation", () => {
    // Losses 0.01..0.05, c = 0.8: k = 1 → VaR = ES = 0.05.
    const r = Float64Array.of(-0.01, -0.02, -0.03, -0.04, -0.05);
    const v = filteredHistoricalVarEs(r, new Float64Array(5).fill(0.02), 0.02, 0.8);
    expect(v.valueAtRisk).toBeCloseTo(0.05, 15);
  });

  it("rejects a non-positive volatility, naming it", () => {
    expect(() => filteredHistoricalVarEs(Float64Array.of(0.1), Float64Array.of(0), 0.1, 0.9)).toThrow(
      /vols\[0\]/,
    );
  });
});
