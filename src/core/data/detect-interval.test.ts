import { describe, expect, it } from "vitest";
import { detectIntervalMs, formatIntervalLabel, parseIntervalLabel } from "./detect-interval.ts";

describe("detectIntervalMs", () => {
  it("takes the most common spacing, not the smallest", () => {
    // Spacings 60, 60, 30, 60, 120 s: 60 s occurs three times.
    const t = Float64Array.from([0, 60, 120, 150, 210, 330].map((s) => s * 1000));
    expect(detectIntervalMs(t)).toBe(60_000);
  });
  it("breaks ties toward the smaller spacing and returns 0 for one row", () => {
    expect(detectIntervalMs(Float64Array.from([0, 10, 30]))).toBe(10);
    expect(detectIntervalMs(Float64Array.from([5]))).toBe(0);
  });
});

describe("interval labels", () => {
  it("formats with the largest exact unit", () => {
    expect(formatIntervalLabel(86_400_000)).toBe("1d");
    expect(formatIntervalLabel(8 * 3_600_000)).toBe("8h");
    expect(formatIntervalLabel(60_000)).toBe("1m");
    expect(formatIntervalLabel(90_000)).toBe("90s");
    expect(formatIntervalLabel(6000)).toBe("6s");
    expect(formatIntervalLabel(250)).toBe("250ms");
    expect(formatIntervalLabel(7 * 86_400_000)).toBe("1w");
  });
  it("parses labels back", () => {
    expect(parseIntervalLabel("1d")).toBe(86_400_000);
    expect(parseIntervalLabel("1h")).toBe(3_600_000);
    expect(parseIntervalLabel("1m")).toBe(60_000);
    expect(parseIntervalLabel("15m")).toBe(900_000);
    expect(parseIntervalLabel("250ms")).toBe(250);
    expect(parseIntervalLabel("0d")).toBeUndefined();
    expect(parseIntervalLabel("1y")).toBeUndefined();
    expect(parseIntervalLabel("day")).toBeUndefined();
  });
});
