import { describe, expect, it } from "vitest";
import { ewmaVarianceSeries } from "./ewma-variance.ts";

describe("ewmaVarianceSeries", () => {
  it("matches a hand-derived recursion on a three-return series", () => {
    // r = (0.01, −0.02, 0.03), λ = 0.9.
    // σ²₀ = (1e-4 + 4e-4 + 9e-4)/3 = 4.6666…e-4
    // σ²₁ = 0.9·4.6666…e-4 + 0.1·1e-4 = 4.2e-4 + 1e-5 = 4.3e-4
    // σ²₂ = 0.9·4.3e-4 + 0.1·4e-4 = 3.87e-4 + 4e-5 = 4.27e-4
    // σ²₃ = 0.9·4.27e-4 + 0.1·9e-4 = 3.843e-4 + 9e-5 = 4.743e-4
    const v = ewmaVarianceSeries(Float64Array.of(0.01, -0.02, 0.03), 0.9);
    expect(v.length).toBe(4);
    expect(v[0]).toBeCloseTo(4.666666666666667e-4, 18);
    expect(v[1]).toBeCloseTo(4.3e-4, 18);
    expect(v[2]).toBeCloseTo(4.27e-4, 18);
    expect(v[3]).toBeCloseTo(4.743e-4, 18);
  });

  it("uses an explicit initial variance when given", () => {
    // σ²₁ = 0.94·1e-4 + 0.06·0.02² = 9.4e-5 + 2.4e-5 = 1.18e-4
    const v = ewmaVarianceSeries(Float64Array.of(0.02), 0.94, 1e-4);
    expect(v[1]).toBeCloseTo(1.18e-4, 18);
  });

  it("rejects a decay factor outside (0, 1), naming the field", () => {
    expect(() => ewmaVarianceSeries(Float64Array.of(0.01), 1)).toThrow(/lambda/);
    expect(() => ewmaVarianceSeries(Float64Array.of(0.01), 0)).toThrow(/lambda/);
  });
});
