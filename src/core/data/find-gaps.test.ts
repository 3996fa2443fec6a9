import { describe, expect, it } from "vitest";
import { findGaps } from "./find-gaps.ts";

const H = 3_600_000;
const DAY = 86_400_000;
const MONDAY = 19_723 * DAY; // 2024-01-01

describe("findGaps", () => {
  it("reports each larger spacing with the whole periods missing", () => {
    // Hours 0,1,2,5,6,8: 3 → 4 missing after index 2 (2 periods), 7 missing after index 4.
    const t = Float64Array.from([0, 1, 2, 5, 6, 8].map((h) => h * H));
    expect(findGaps(t, H)).toEqual([
      { afterIndex: 2, fromMs: 2 * H, toMs: 5 * H, missingPeriods: 2 },
      { afterIndex: 4, fromMs: 6 * H, toMs: 8 * H, missingPeriods: 1 },
    ]);
  });

  it("ignores jitter smaller than half a period (irregular snapshots)", () => {
    const t = Float64Array.from([0, 6000, 13_000, 19_000]);
    expect(findGaps(t, 6000)).toEqual([]);
  });

  it("on a weekday calendar, skips weekends but counts a missing weekday", () => {
    // Fri 5 → Mon 8 is a weekend (no gap); Mon 8 → Wed 10 misses Tuesday; Wed 10 → Fri 12
    // misses Thursday; Fri 12 → Tue 16 misses Monday only (the weekend does not count).
    const fri = MONDAY + 4 * DAY;
    const t = Float64Array.from([fri, fri + 3 * DAY, fri + 5 * DAY, fri + 7 * DAY, fri + 11 * DAY]);
    expect(findGaps(t, DAY, "weekdays").map((g) => [g.afterIndex, g.missingPeriods])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
  });
});
