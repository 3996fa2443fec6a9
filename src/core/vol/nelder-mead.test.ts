import { describe, expect, it } from "vitest";
import { nelderMead } from "./nelder-mead.ts";

describe("nelderMead", () => {
  it("finds the Rosenbrock minimum at (1, 1)", () => {
    const rosenbrock = (x: Float64Array) => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2;
    const result = nelderMead(rosenbrock, Float64Array.of(-1.2, 1), {
      step: 0.5,
      maxEvaluations: 5000,
      tolerance: 1e-16,
    });
    expect(result.x[0]).toBeCloseTo(1, 4);
    expect(result.x[1]).toBeCloseTo(1, 4);
    expect(result.value).toBeLessThan(1e-8);
  });

  it("treats non-finite values as infeasible and stays within the feasible region", () => {
    const f = (x: Float64Array) => (x[0]! < 0 ? Number.NaN : (x[0]! - 2) ** 2);
    const result = nelderMead(f, Float64Array.of(0.5), { step: 1, maxEvaluations: 500, tolerance: 1e-14 });
    expect(result.x[0]).toBeCloseTo(2, 5);
  });
});
