import { describe, expect, it } from "vitest";
import { detectVolShifts, medianResponse, responseTimes } from "./response-time.ts";

describe("regime shifts and response time", () => {
  it("finds a doubling of realised volatility once, at the last calm bar", () => {
    // W = 3. Returns ±0.01 on bars 1..6, ±0.05 on bars 7..12. At t = 4 the window after is
    // (0.01, 0.01, 0.05): rms = √(27/3)·0.01 = 0.03, ratio 3 < 4; at t = 5 it is
    // (0.01, 0.05, 0.05): rms = √(51/3)·0.01 = 0.04123, ratio 4.123 ≥ 4.
    const r = new Float64Array(13).fill(Number.NaN);
    for (let i = 1; i <= 12; i++) r[i] = (i % 2 === 0 ? 1 : -1) * (i <= 6 ? 0.01 : 0.05);
    const shifts = detectVolShifts(r, 3, 4, 0, 13);
    expect(shifts).toHaveLength(1);
    expect(shifts[0]?.index).toBe(5);
    expect(shifts[0]?.volRatio).toBeCloseTo(Math.sqrt(17), 12);
  });

  it("counts bars until the requirement covers 90% of its rise to the post-shift peak", () => {
    // Shift at bar 2 from IM 0.1; peak within 10 bars 0.35, target 0.1 + 0.9·0.25 = 0.325, first
    // reached at bar 6 (0.35): 4 bars.
    const req = Float64Array.from([0.1, 0.1, 0.1, 0.15, 0.25, 0.3, 0.35, 0.34]);
    expect(responseTimes(req, [{ index: 2, volRatio: 3 }], 10)).toEqual([4]);
    // A static requirement does not respond; neither does one that rises by less than 10%.
    expect(responseTimes(new Float64Array(7).fill(0.1), [{ index: 2, volRatio: 3 }], 10)).toEqual([null]);
    expect(
      responseTimes(Float64Array.from([0.1, 0.1, 0.1, 0.105, 0.109]), [{ index: 2, volRatio: 3 }], 10),
    ).toEqual([null]);
  });

  it("takes the median with non-responses as slowest", () => {
    expect(medianResponse([1, 3, null])).toBe(3);
    expect(medianResponse([1, null, null])).toBeNull();
    expect(medianResponse([2, 4])).toBe(3);
    expect(medianResponse([])).toBeNull();
  });
});
