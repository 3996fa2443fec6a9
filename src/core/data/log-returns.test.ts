import { describe, expect, it } from "vitest";
import { closeLogReturns, closeLogReturnsWithTimes } from "./log-returns.ts";

describe("closeLogReturns", () => {
  const close = Float64Array.from([100, 110, 99, 99, 198]);
  const timestampsMs = Float64Array.from([0, 1, 2, 5, 6]);

  it("gives ln(c_i / c_{i-1}) per period", () => {
    const r = closeLogReturns({ close, gaps: [] });
    expect(Array.from(r)).toEqual([Math.log(1.1), Math.log(0.9), 0, Math.log(2)]);
  });

  it("excludes a return spanning a gap", () => {
    // Gap after index 2 (t = 2 → 5): the 99 → 99 return is dropped.
    const gaps = [{ afterIndex: 2, fromMs: 2, toMs: 5, missingPeriods: 2 }];
    const timed = closeLogReturnsWithTimes({ close, gaps, timestampsMs });
    expect(Array.from(timed.returns)).toEqual([Math.log(1.1), Math.log(0.9), Math.log(2)]);
    expect(Array.from(timed.timestampsMs)).toEqual([1, 2, 6]);
    expect(Array.from(timed.endIndices)).toEqual([1, 2, 4]);
    expect(closeLogReturns({ close, gaps })).toHaveLength(3);
  });

  it("is empty for a single price", () => {
    expect(closeLogReturns({ close: Float64Array.from([5]), gaps: [] })).toHaveLength(0);
  });
});
