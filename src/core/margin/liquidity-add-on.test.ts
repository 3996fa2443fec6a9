import { describe, expect, it } from "vitest";
import { depthCurveCostUsd, liquidityAddOnUsd } from "./liquidity-add-on.ts";

const depth = [
  { notionalUsd: 1_000_000, impactFraction: 0.001 },
  { notionalUsd: 10_000_000, impactFraction: 0.01 },
];

describe("liquidity add-on", () => {
  it("square-root impact k·σ_daily·√(N/ADV)·N (hand-computed)", () => {
    // k 0.5, σ_annual 0.73 → σ_daily 0.73/√365 = 0.0382103; N 4M, ADV 1B: √0.004 = 0.0632456.
    // 0.5·0.0382103·0.0632456·4M = 4833.30…
    const cost = liquidityAddOnUsd(
      { model: "square-root", impactCoefficient: 0.5 },
      4_000_000,
      { volAnnual: 0.73, dailyVolumeUsd: 1e9 },
      "m",
    );
    expect(cost).toBeCloseTo(0.5 * (0.73 / Math.sqrt(365)) * Math.sqrt(0.004) * 4e6, 8);
    expect(cost).toBeCloseTo(4833.3, 0);
    // Only notional above the free amount: N − 1M = 3M.
    const free = liquidityAddOnUsd(
      { model: "square-root", impactCoefficient: 0.5, freeNotionalUsd: 1e6 },
      4e6,
      { volAnnual: 0.73, dailyVolumeUsd: 1e9 },
      "m",
    );
    expect(free).toBeCloseTo(0.5 * (0.73 / Math.sqrt(365)) * Math.sqrt(0.003) * 3e6, 8);
  });

  it("walks the depth curve: ∫ impact (hand-computed trapezoids)", () => {
    // Up to 1M: ½·1M·0.001 = 500. To 4M: 500 + 3M·0.001 + ½·slope·(3M)², slope = 0.009/9M = 1e-9 → 500 + 3000 + 4500 = 8000.
    expect(depthCurveCostUsd(depth, 1_000_000)).toBeCloseTo(500, 9);
    expect(depthCurveCostUsd(depth, 4_000_000)).toBeCloseTo(8000, 6);
    // Past the curve the last slope continues: 12M → cost(10M) = 500 + 9M·(0.001+0.01)/2 = 50,000; then
    // 2M·0.01 + ½·1e-9·(2M)² = 20,000 + 2,000 → 72,000.
    expect(depthCurveCostUsd(depth, 12_000_000)).toBeCloseTo(72_000, 5);
  });

  it("grows faster than linearly in size", () => {
    for (const model of ["square-root", "depth-curve"] as const) {
      const f = (n: number) =>
        liquidityAddOnUsd(
          { model, impactCoefficient: 1 },
          n,
          { volAnnual: 0.5, dailyVolumeUsd: 1e9, depth },
          "m",
        );
      expect(f(2e6)).toBeGreaterThan(2 * f(1e6));
      expect(f(8e6)).toBeGreaterThan(4 * f(2e6));
    }
  });

  it("names the missing market data", () => {
    expect(() =>
      liquidityAddOnUsd(
        { model: "square-root", impactCoefficient: 1 },
        1e6,
        { volAnnual: 0.5 },
        "market.markets.X",
      ),
    ).toThrow("market.markets.X.dailyVolumeUsd: is required (> 0) by the square-root liquidity add-on");
    expect(() =>
      liquidityAddOnUsd(
        { model: "depth-curve" },
        1e6,
        {
          depth: [
            { notionalUsd: 5, impactFraction: 0.1 },
            { notionalUsd: 4, impactFraction: 0.2 },
          ],
        },
        "d",
      ),
    ).toThrow("d.depth.1.notionalUsd: must be finite and strictly increasing");
  });
});
