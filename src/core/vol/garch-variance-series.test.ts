import { describe, expect, it } from "vitest";
import { garchVarianceSeries, meanSquare } from "./garch-variance-series.ts";

describe("garchVarianceSeries", () => {
  it("follows σ²ₜ₊₁ = ω + α r² + β σ² by hand", () => {
    // ω = 1e-6, α = 0.1, β = 0.8, σ²₀ = 1e-4, r = (0.02, −0.01)
    // σ²₁ = 1e-6 + 0.1·4e-4 + 0.8·1e-4 = 1e-6 + 4e-5 + 8e-5 = 1.21e-4
    // σ²₂ = 1e-6 + 0.1·1e-4 + 0.8·1.21e-4 = 1e-6 + 1e-5 + 9.68e-5 = 1.078e-4
    const v = garchVarianceSeries(Float64Array.of(0.02, -0.01), { omega: 1e-6, alpha: 0.1, beta: 0.8 }, 1e-4);
    expect(Array.from(v)).toEqual([1e-4, expect.closeTo(1.21e-4, 18), expect.closeTo(1.078e-4, 18)]);
  });

  it("meanSquare is the zero-mean variance over a range", () => {
    // (0.01² + 0.03²)/2 = (1e-4 + 9e-4)/2 = 5e-4
    expect(meanSquare(Float64Array.of(0.01, 0.03, 7), 0, 2)).toBeCloseTo(5e-4, 18);
  });
});
