import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastLog } from "./fast-log.ts";

const EPSILON = Number.EPSILON; // 2.2e-16, one ulp at 1.

function relativeError(x: number): number {
  const reference = Math.log(x);
  if (reference === 0) return Math.abs(fastLog(x));
  return Math.abs(fastLog(x) - reference) / Math.abs(reference);
}

describe("fastLog", () => {
  it("agrees with Math.log to 2 ulps (relative) on a dense grid of its fast range [½, 2)", () => {
    // Math.log is V8's port of fdlibm (< 1 ulp), an independent implementation. The worst case is
    // just inside a node next to 1, where ln c and ln(1 + u) have opposite signs and ln x is half
    // of either: 2 ulps.
    let worst = 0;
    for (let i = 0; i < 300_000; i++) worst = Math.max(worst, relativeError(0.5 + (i * 1.5) / 300_000));
    expect(worst).toBeLessThan(2.1 * EPSILON);
  });

  it("keeps full relative accuracy next to 1, where ln x is tiny", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e-3, max: 1e-3, noNaN: true }),
        (h) => relativeError(1 + h) < 1.01 * EPSILON,
      ),
      { numRuns: 2000 },
    );
    expect(fastLog(1)).toBe(0);
    expect(fastLog(1 + EPSILON)).toBe(Math.log(1 + EPSILON));
  });

  it("is Math.log outside [½, 2), NaN, 0 and ∞ included", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-300, max: 1e300, noNaN: true }),
        (x) => relativeError(x) < 2.1 * EPSILON,
      ),
      { numRuns: 2000 },
    );
    expect(fastLog(0.5)).toBe(-Math.LN2);
    expect(fastLog(2)).toBe(Math.LN2);
    expect(fastLog(1e200)).toBe(Math.log(1e200));
    expect(fastLog(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(fastLog(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(fastLog(-1)).toBeNaN();
    expect(fastLog(Number.NaN)).toBeNaN();
  });
});
