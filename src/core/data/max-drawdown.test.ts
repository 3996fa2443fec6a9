import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maxDrawdown } from "./max-drawdown.ts";

describe("maxDrawdown", () => {
  it("finds the deepest fall from a running peak", () => {
    // Peaks 100 then 120; troughs 80 (−20 %) and 60 (−50 % from 120).
    expect(maxDrawdown(Float64Array.from([100, 80, 120, 90, 60, 110]))).toEqual({
      value: 0.5,
      peakIndex: 2,
      troughIndex: 4,
    });
  });

  it("is zero for a rising path", () => {
    expect(maxDrawdown(Float64Array.from([1, 2, 3])).value).toBe(0);
  });

  it("matches a brute-force O(n²) search", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 1000, noNaN: true }), { minLength: 1, maxLength: 40 }),
        (xs) => {
          let brute = 0;
          for (let j = 0; j < xs.length; j++)
            for (let i = 0; i <= j; i++) brute = Math.max(brute, 1 - (xs[j] as number) / (xs[i] as number));
          expect(maxDrawdown(Float64Array.from(xs)).value).toBeCloseTo(brute, 12);
        },
      ),
    );
  });
});
