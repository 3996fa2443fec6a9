import { describe, expect, it } from "vitest";
import { formatPriceCsvRow, priceCsvHeader } from "./format-price-csv.ts";
import type { PriceSeries } from "./price-series.ts";

describe("price CSV formatting", () => {
  const s: PriceSeries = {
    source: "mem",
    timestampsMs: Float64Array.from([Date.UTC(2024, 0, 1)]),
    open: Float64Array.from([1]),
    high: Float64Array.from([2.005]),
    low: Float64Array.from([0.5]),
    close: Float64Array.from([1.25]),
    volume: Float64Array.from([10]),
    intervalMs: 0,
    gaps: [],
    warnings: [],
  };
  it("writes the canonical header and fixed decimals", () => {
    expect(priceCsvHeader(s)).toBe("timestamp,open,high,low,close,volume");
    expect(formatPriceCsvRow(s, 0, { priceDecimals: 2, volumeDecimals: 4 })).toBe(
      "2024-01-01T00:00:00Z,1.00,2.00,0.50,1.25,10.0000",
    );
  });
  it("writes only the columns a close-only series has", () => {
    const closeOnly = { ...s, open: undefined, high: undefined, low: undefined, volume: undefined };
    expect(priceCsvHeader(closeOnly)).toBe("timestamp,close");
    expect(formatPriceCsvRow(closeOnly, 0, { priceDecimals: 3, volumeDecimals: 0 })).toBe(
      "2024-01-01T00:00:00Z,1.250",
    );
  });
});
