import { describe, expect, it } from "vitest";
import { EWMA_EMPTY, ewmaVolPerUpdate, updateEwmaVol } from "../../web/src/lib/ewma-vol.ts";

describe("EWMA volatility of marks", () => {
  it("matches the RiskMetrics recursion computed by hand", () => {
    // Prices 100 → 110 → 99, λ = 0.94.
    // r1 = ln(1.1) = 0.09531018, σ²1 = r1² = 0.00908403 (the first return seeds the variance)
    // r2 = ln(0.9) = -0.10536052, σ²2 = 0.94·0.00908403 + 0.06·0.01110084 = 0.00853899 + 0.00066605 = 0.00920504
    // σ2 = √0.00920504 = 0.09594289
    let s = updateEwmaVol(EWMA_EMPTY, 100);
    expect(ewmaVolPerUpdate(s)).toBeNull();
    s = updateEwmaVol(s, 110);
    expect(ewmaVolPerUpdate(s)).toBeCloseTo(0.09531018, 7);
    s = updateEwmaVol(s, 99);
    expect(ewmaVolPerUpdate(s)).toBeCloseTo(0.09594289, 7);
  });

  it("ignores a repeated mark and a price that is not a positive number", () => {
    let s = updateEwmaVol(updateEwmaVol(EWMA_EMPTY, 100), 110);
    const before = s;
    s = updateEwmaVol(s, 110);
    s = updateEwmaVol(s, 0);
    s = updateEwmaVol(s, Number.NaN);
    s = updateEwmaVol(s, -5);
    expect(s).toBe(before);
  });
});
