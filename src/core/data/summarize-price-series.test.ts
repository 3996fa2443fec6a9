import { describe, expect, it } from "vitest";
import type { PriceSeries } from "./price-series.ts";
import { summarizePriceSeries } from "./summarize-price-series.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

function series(close: number[], days: number[]): PriceSeries {
  const timestampsMs = Float64Array.from(days, (d) => T0 + d * DAY);
  const gaps = [];
  for (let i = 1; i < days.length; i++) {
    const step = (days[i] as number) - (days[i - 1] as number);
    if (step > 1)
      gaps.push({
        afterIndex: i - 1,
        fromMs: timestampsMs[i - 1] as number,
        toMs: timestampsMs[i] as number,
        missingPeriods: step - 1,
      });
  }
  return {
    source: "mem",
    timestampsMs,
    open: undefined,
    high: undefined,
    low: undefined,
    close: Float64Array.from(close),
    volume: undefined,
    intervalMs: DAY,
    gaps,
    warnings: [],
  };
}

describe("summarizePriceSeries", () => {
  it("reports hand-computed figures for a small daily series with one gap", () => {
    // Closes 100, 110, 88, [gap of 2 days], 44, 66 on days 0, 1, 2, 5, 6.
    const s = summarizePriceSeries(series([100, 110, 88, 44, 66], [0, 1, 2, 5, 6]));
    expect(s.rows).toBe(5);
    expect(s.firstTimestamp).toBe("2024-01-01T00:00:00Z");
    expect(s.lastTimestamp).toBe("2024-01-07T00:00:00Z");
    expect(s.frequency).toBe("1d");
    expect(s.gaps).toBe(1);
    expect(s.missingPeriods).toBe(2);
    expect(s.largestGaps).toEqual([
      { from: "2024-01-03T00:00:00Z", to: "2024-01-06T00:00:00Z", missingPeriods: 2 },
    ]);
    // Returns used: ln 1.1, ln 0.8, ln 1.5 (88 → 44 spans the gap and is excluded).
    expect(s.returns).toBe(3);
    const r = [Math.log(1.1), Math.log(0.8), Math.log(1.5)];
    const mean = (r[0]! + r[1]! + r[2]!) / 3;
    const sd = Math.sqrt(r.reduce((a, x) => a + (x - mean) ** 2, 0) / 2);
    expect(s.annualizedVolatility).toBeCloseTo(sd * Math.sqrt(365), 12);
    // Worst per-period return is 110 → 88 = −20 %, not the −50 % across the gap.
    expect(s.worstReturn?.value).toBeCloseTo(-0.2, 14);
    expect(s.worstReturn?.timestamp).toBe("2024-01-03T00:00:00Z");
    // Drawdown is on levels: 110 → 44 = −60 %.
    expect(s.maxDrawdown.value).toBeCloseTo(0.6, 14);
    expect(s.maxDrawdown.peakTimestamp).toBe("2024-01-02T00:00:00Z");
    expect(s.maxDrawdown.troughTimestamp).toBe("2024-01-06T00:00:00Z");
  });

  it("has no volatility or worst return for a single row", () => {
    const s = summarizePriceSeries(series([5], [0]));
    expect(s.annualizedVolatility).toBeNull();
    expect(s.worstReturn).toBeNull();
    expect(s.maxDrawdown.value).toBe(0);
  });
});
