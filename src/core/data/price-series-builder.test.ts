import { describe, expect, it } from "vitest";
import { MarginalError } from "../errors.ts";
import { resolvePriceColumns } from "./csv-columns.ts";
import { MAX_WARNING_MESSAGES, PriceSeriesBuilder } from "./price-series-builder.ts";

const canonical = resolvePriceColumns("timestamp,open,high,low,close,volume".split(","), "mem.csv");

function build(rows: string[], skipBadRows = false) {
  const builder = new PriceSeriesBuilder("mem.csv", canonical, { skipBadRows });
  for (const [i, row] of rows.entries()) builder.addRow(row.split(","), i + 2);
  return builder.finish();
}

function errorOf(rows: string[]): MarginalError {
  try {
    build(rows);
  } catch (error) {
    if (error instanceof MarginalError) return error;
    throw error;
  }
  throw new Error("expected an error");
}

describe("PriceSeriesBuilder", () => {
  it("builds columns, detects the interval and reports gaps", () => {
    const s = build([
      "2024-01-01T00:00:00Z,1,2,0.5,1.5,10",
      "2024-01-01T01:00:00Z,1.5,2,1,1.8,11",
      "2024-01-01T02:00:00Z,1.8,2,1,1.9,12",
      "2024-01-01T05:00:00Z,1.9,2,1,2,13",
    ]);
    expect(Array.from(s.close)).toEqual([1.5, 1.8, 1.9, 2]);
    expect(Array.from(s.volume ?? [])).toEqual([10, 11, 12, 13]);
    expect(s.intervalMs).toBe(3_600_000);
    expect(s.gaps).toEqual([
      { afterIndex: 2, fromMs: Date.UTC(2024, 0, 1, 2), toMs: Date.UTC(2024, 0, 1, 5), missingPeriods: 2 },
    ]);
  });

  it("names file, line and field in errors", () => {
    const e = errorOf(["2024-01-01T00:00:00Z,1,2,0.5,1.5,10", "2024-01-02T00:00:00Z,1,2,0.5,NaN,10"]);
    expect(e.code).toBe("invalid_data");
    expect(e.message).toBe("mem.csv line 3, field close: 'NaN' is not a number");
    expect(e.details).toEqual({ file: "mem.csv", line: 3, field: "close" });
  });

  it("reads an empty volume cell as missing (NaN) but rejects volume text that is not a number", () => {
    const s = build(["2024-01-01T00:00:00Z,1,2,0.5,1.5,", "2024-01-02T00:00:00Z,1.5,2,1,1.8,7"]);
    expect(Array.from(s.close)).toEqual([1.5, 1.8]);
    expect(Number.isNaN(s.volume?.[0])).toBe(true);
    expect(s.volume?.[1]).toBe(7);
    const e = errorOf(["2024-01-01T00:00:00Z,1,2,0.5,1.5,ten"]);
    expect(e.message).toBe("mem.csv line 2, field volume: 'ten' is not a number");
  });

  it("tolerates float noise of 1e-9 relative in OHLC checks but not more", () => {
    // SPY's adjusted file has high 49.63974380493163 with close 49.63974380493164.
    expect(build(["2024-01-01T00:00:00Z,49,49.63974380493163,48.9,49.63974380493164,1"]).close.length).toBe(
      1,
    );
    expect(errorOf(["2024-01-01T00:00:00Z,49,49.6397,48.9,49.6398,1"]).message).toMatch(
      /field high: high 49.6397 < close 49.6398/,
    );
  });

  it("counts every warning but keeps a bounded number of messages", () => {
    const rows = ["2024-01-01T00:00:00Z,1,2,0.5,1.5,10"];
    for (let i = 0; i < MAX_WARNING_MESSAGES + 5; i++) rows.push("2023-01-01T00:00:00Z,1,2,0.5,1.5,10");
    const s = build(rows, true);
    expect(s.warningCount).toBe(MAX_WARNING_MESSAGES + 5);
    expect(s.warnings).toHaveLength(MAX_WARNING_MESSAGES);
    expect(s.close.length).toBe(1);
  });

  it("rejects a file without data rows", () => {
    expect(() => build([])).toThrow(/mem\.csv: no data rows/);
  });
});
