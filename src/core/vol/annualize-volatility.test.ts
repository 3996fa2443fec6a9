import { describe, expect, it } from "vitest";
import { annualizeVolatility, periodsPerYearFor } from "./annualize-volatility.ts";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

describe("annualisation", () => {
  it("counts crypto periods over 365 days × 24 h and weekday markets over 252 days", () => {
    expect(periodsPerYearFor(DAY_MS, "crypto")).toBe(365);
    expect(periodsPerYearFor(HOUR_MS, "crypto")).toBe(8760);
    expect(periodsPerYearFor(8 * HOUR_MS, "crypto")).toBe(1095);
    expect(periodsPerYearFor(DAY_MS, "weekday")).toBe(252);
    expect(periodsPerYearFor(7 * DAY_MS, "weekday")).toBeCloseTo(50.4, 12);
  });

  it("scales σ by √periods: 2% a day on crypto is 2%·√365 ≈ 38.21% a year", () => {
    expect(annualizeVolatility(0.02, 365)).toBeCloseTo(0.3821, 4);
  });

  it("rejects a non-positive interval", () => {
    expect(() => periodsPerYearFor(0, "crypto")).toThrow(/intervalMs/);
  });
});
