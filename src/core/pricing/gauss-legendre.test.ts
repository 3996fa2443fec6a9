import { describe, expect, it } from "vitest";
import { gaussLegendreRule } from "./gauss-legendre.ts";

describe("gaussLegendreRule", () => {
  it("the 2-point rule is ±1/√3 with weights 1", () => {
    const rule = gaussLegendreRule(2);
    expect([...rule.nodes].sort()).toEqual(
      [-1 / Math.sqrt(3), 1 / Math.sqrt(3)].map((v) => expect.closeTo(v, 15)),
    );
    expect([...rule.weights]).toEqual([expect.closeTo(1, 15), expect.closeTo(1, 15)]);
  });

  it("the 12-point rule integrates x^k exactly up to degree 23", () => {
    const rule = gaussLegendreRule(12);
    for (let k = 0; k <= 23; k++) {
      let sum = 0;
      rule.nodes.forEach((x, i) => {
        sum += (rule.weights[i] ?? 0) * x ** k;
      });
      // ∫₋₁¹ x^k dx = 2/(k+1) for even k, 0 for odd k.
      expect(sum).toBeCloseTo(k % 2 === 0 ? 2 / (k + 1) : 0, 14);
    }
  });

  it("rejects a bad order", () => {
    expect(() => gaussLegendreRule(0)).toThrow(/n/);
  });
});
