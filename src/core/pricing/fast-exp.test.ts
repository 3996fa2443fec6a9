import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastExp } from "./fast-exp.ts";

const EPSILON = Number.EPSILON; // 2.2e-16, one ulp at 1.

function relativeError(x: number): number {
  const reference = Math.exp(x);
  return Math.abs(fastExp(x) - reference) / reference;
}

describe("fastExp", () => {
  it("agrees with Math.exp to 2 ulps on a dense grid of [−708, 709]", () => {
    // Math.exp is V8's port of fdlibm (< 1 ulp), an independent implementation.
    let worst = 0;
    for (let i = 0; i <= 200_000; i++) worst = Math.max(worst, relativeError(-708 + (i * 1417) / 200_000));
    expect(worst).toBeLessThan(2 * EPSILON);
  });

  it("agrees with Math.exp to 2 ulps on random arguments, tiny ones included", () => {
    fc.assert(
      fc.property(fc.double({ min: -708, max: 709, noNaN: true }), (x) => relativeError(x) < 2 * EPSILON),
      { numRuns: 2000 },
    );
  });

  it("is exact where the answer is exact, and underflows to 0 like Math.exp", () => {
    expect(fastExp(0)).toBe(1);
    expect(fastExp(Math.LN2 * 10)).toBeCloseTo(1024, 12);
    expect(fastExp(1)).toBe(Math.E); // e rounds to the same double
    expect(fastExp(-745.2)).toBe(0);
    expect(fastExp(-1e300)).toBe(0);
    expect(fastExp(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(fastExp(Number.NaN)).toBeNaN();
    // Subnormal results keep their absolute accuracy: e^−740 = 4.2e-322 (85 in units of 2^−1074).
    expect(fastExp(-740)).toBe(Math.exp(-740));
  });
});
