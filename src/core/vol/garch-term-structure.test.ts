import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { garchHorizonVariance, garchVarianceTermStructure } from "./garch-term-structure.ts";

describe("GARCH term structure", () => {
  it("reverts to the long-run variance by hand", () => {
    // ω = 2e-6, α = 0.1, β = 0.8: p = 0.9, σ̄² = 2e-6/0.1 = 2e-5; σ²ₜ₊₁ = 1e-4
    // k = 2: 2e-5 + 0.9·(8e-5) = 9.2e-5; k = 3: 2e-5 + 0.81·8e-5 = 8.48e-5
    // sum h = 3: 3·2e-5 + (1 − 0.729)/0.1 · 8e-5 = 6e-5 + 2.71·8e-5 = 2.768e-4
    const params = { omega: 2e-6, alpha: 0.1, beta: 0.8 };
    const ts = garchVarianceTermStructure(params, 1e-4, 3);
    expect(ts[0]).toBeCloseTo(1e-4, 18);
    expect(ts[1]).toBeCloseTo(9.2e-5, 18);
    expect(ts[2]).toBeCloseTo(8.48e-5, 18);
    expect(garchHorizonVariance(params, 1e-4, 3)).toBeCloseTo(2.768e-4, 17);
  });

  it("closed-form horizon variance equals the summed term structure (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-7, max: 1e-4, noNaN: true }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        fc.double({ min: 0, max: 0.69, noNaN: true }),
        fc.double({ min: 1e-6, max: 1e-2, noNaN: true }),
        fc.integer({ min: 1, max: 400 }),
        (omega, alpha, beta, next, h) => {
          const params = { omega, alpha, beta };
          const summed = garchVarianceTermStructure(params, next, h).reduce((a, b) => a + b, 0);
          expect(garchHorizonVariance(params, next, h)).toBeCloseTo(summed, 12);
        },
      ),
    );
  });

  it("is flat for EWMA (α + β = 1, ω = 0): h·σ²", () => {
    expect(garchHorizonVariance({ omega: 0, alpha: 0.06, beta: 0.94 }, 4e-4, 10)).toBeCloseTo(4e-3, 18);
  });

  it("rejects a non-integer horizon", () => {
    expect(() => garchHorizonVariance({ omega: 0, alpha: 0.06, beta: 0.94 }, 4e-4, 1.5)).toThrow(
      /horizonPeriods/,
    );
  });
});
