import { describe, expect, it } from "vitest";
import { choleskyLower } from "./cholesky.ts";

describe("choleskyLower", () => {
  it("factors a 2×2 correlation matrix by hand", () => {
    // [[1, ρ], [ρ, 1]] = L·Lᵀ with L = [[1, 0], [ρ, √(1 − ρ²)]].
    const l = choleskyLower(Float64Array.from([1, 0.6, 0.6, 1]), 2);
    expect(Array.from(l)).toEqual([1, 0, 0.6, 0.8]);
  });

  it("reproduces a 3×3 matrix as L·Lᵀ", () => {
    const m = Float64Array.from([1, 0.83, 0.58, 0.83, 1, 0.65, 0.58, 0.65, 1]);
    const l = choleskyLower(m, 3);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let sum = 0;
        for (let k = 0; k < 3; k++) sum += (l[i * 3 + k] as number) * (l[j * 3 + k] as number);
        expect(sum).toBeCloseTo(m[i * 3 + j] as number, 14);
      }
      for (let j = i + 1; j < 3; j++) expect(l[i * 3 + j]).toBe(0);
    }
  });

  it("rejects a matrix that is not positive definite, naming the field", () => {
    // ρ12 = ρ13 = 0.9 but ρ23 = −0.9 is impossible.
    const m = Float64Array.from([1, 0.9, 0.9, 0.9, 1, -0.9, 0.9, -0.9, 1]);
    expect(() => choleskyLower(m, 3)).toThrow(/correlation: correlation matrix is not positive definite/);
  });
});
