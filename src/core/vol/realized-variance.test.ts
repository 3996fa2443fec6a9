import { describe, expect, it } from "vitest";
import { realizedVarianceByBlock, trailingRealizedVol } from "./realized-variance.ts";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

describe("realised variance", () => {
  it("sums squared hourly returns per UTC day, by timestamp", () => {
    // Day 0: hours 22, 23 → 0.01² + 0.02² = 5e-4. Day 1: hours 0, 5 (a gap between) → 0.03² + 0.01² = 1e-3.
    const returns = Float64Array.of(0.01, -0.02, 0.03, 0.01);
    const times = Float64Array.of(22 * HOUR_MS, 23 * HOUR_MS, DAY_MS, DAY_MS + 5 * HOUR_MS);
    const rv = realizedVarianceByBlock(returns, times, DAY_MS);
    expect(Array.from(rv.blockStartMs)).toEqual([0, DAY_MS]);
    expect(rv.realizedVariance[0]).toBeCloseTo(5e-4, 18);
    expect(rv.realizedVariance[1]).toBeCloseTo(1e-3, 18);
    expect(Array.from(rv.returnCount)).toEqual([2, 2]);
  });

  it("trailing realised vol is √(mean r²) over the last window", () => {
    // last two: (0.03² + 0.04²)/2 = (9e-4 + 16e-4)/2 = 1.25e-3 → σ = 0.0353553…
    expect(trailingRealizedVol(Float64Array.of(0.5, 0.03, -0.04), 2)).toBeCloseTo(0.035355339059327, 14);
  });

  it("rejects unsorted timestamps and too-short series", () => {
    expect(() =>
      realizedVarianceByBlock(Float64Array.of(0.1, 0.1), Float64Array.of(DAY_MS, 0), DAY_MS),
    ).toThrow(/returnTimestampsMs/);
    expect(() => trailingRealizedVol(Float64Array.of(0.1), 2)).toThrow(/returns/);
  });
});
