import { describe, expect, it } from "vitest";
import { TimeSeriesBuilder } from "./time-series.ts";

describe("TimeSeriesBuilder", () => {
  it("keeps negative values and turns empty cells into NaN", () => {
    const b = new TimeSeriesBuilder("mem", ["timestamp", "funding_rate", "Other"], 0, undefined);
    b.addRow(["2024-01-01T00:00:00Z", "-0.0001", ""], 2);
    b.addRow(["2024-01-01T08:00:00Z", "0", "3"], 3);
    const s = b.finish();
    expect(Array.from(s.columns.funding_rate ?? [])).toEqual([-0.0001, 0]);
    expect(s.columns.other?.[0]).toBeNaN();
    expect(s.intervalMs).toBe(8 * 3_600_000);
  });
  it("selects columns and rejects unknown ones, bad numbers and repeated timestamps", () => {
    expect(() => new TimeSeriesBuilder("mem", ["timestamp", "a"], 0, ["b"])).toThrow(/no column 'b'/);
    const b = new TimeSeriesBuilder("mem", ["timestamp", "a"], 0, ["A"]);
    b.addRow(["2024-01-01", "1"], 2);
    expect(() => b.addRow(["2024-01-02", "x"], 3)).toThrow("mem line 3, field a: 'x' is not a number");
    expect(() => b.addRow(["2024-01-01", "2"], 4)).toThrow(
      "mem line 4, field timestamp: timestamp duplicated (2024-01-01)",
    );
    const skipping = new TimeSeriesBuilder("mem", ["timestamp", "a"], 0, undefined, true);
    skipping.addRow(["2024-01-02", "1"], 2);
    skipping.addRow(["2024-01-01", "1"], 3);
    expect(skipping.finish().warningCount).toBe(1);
  });
});
