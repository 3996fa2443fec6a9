import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { StaticPolicy } from "./risk-params.ts";
import { staticRequirement } from "./static-requirement.ts";

const tiered: StaticPolicy = {
  type: "static",
  initialFraction: 0.05,
  maintenanceFraction: 0.025,
  tiers: [
    { notionalUsdFrom: 1_000_000, initialFraction: 0.1, maintenanceFraction: 0.05 },
    { notionalUsdFrom: 5_000_000, initialFraction: 0.2, maintenanceFraction: 0.1 },
  ],
};

describe("staticRequirement", () => {
  it("applies brackets marginally (hand-computed)", () => {
    // 6M: 1M·0.05 + 4M·0.10 + 1M·0.20 = 50k + 400k + 200k = 650k IM;
    //     1M·0.025 + 4M·0.05 + 1M·0.10 = 25k + 200k + 100k = 325k MM.
    const r = staticRequirement(tiered, 6_000_000);
    expect(r.imUsd).toBeCloseTo(650_000, 8);
    expect(r.mmUsd).toBeCloseTo(325_000, 8);
    expect(r.baseImUsd).toBeCloseTo(300_000, 8);
    expect(r.tiersImUsd).toBeCloseTo(350_000, 8);
    expect(staticRequirement(tiered, 400_000).imUsd).toBeCloseTo(20_000, 9);
  });

  it("equals the bracket-rate-minus-deduction convention", () => {
    // Deduction for bracket k: cum_k = cum_{k−1} + from_k·(rate_k − rate_{k−1}).
    // 3M in bracket 2: 3M·0.10 − 1M·(0.10 − 0.05) = 300k − 50k = 250k.
    expect(staticRequirement(tiered, 3_000_000).imUsd).toBeCloseTo(250_000, 8);
  });

  it("is continuous at bracket edges and monotone", () => {
    for (const edge of [1_000_000, 5_000_000]) {
      const below = staticRequirement(tiered, edge * (1 - 1e-12)).imUsd;
      const above = staticRequirement(tiered, edge * (1 + 1e-12)).imUsd;
      expect(Math.abs(above - below)).toBeLessThan(1e-3);
    }
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e8, noNaN: true }),
        fc.double({ min: 0, max: 1e8, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a < b ? [a, b] : [b, a];
          const rl = staticRequirement(tiered, lo);
          const rh = staticRequirement(tiered, hi);
          expect(rh.imUsd).toBeGreaterThanOrEqual(rl.imUsd);
          expect(rh.mmUsd).toBeGreaterThanOrEqual(rl.mmUsd);
          expect(rl.imUsd).toBeGreaterThanOrEqual(rl.mmUsd);
        },
      ),
    );
  });

  it("adds the √size scaling, capped (hand-computed)", () => {
    const p: StaticPolicy = {
      type: "static",
      initialFraction: 0.05,
      maintenanceFraction: 0.025,
      sizeScaling: { factorPerSqrtUsd: 0.00002, maxInitialFraction: 0.2 },
    };
    // N = 1M: fraction 0.05 + 0.00002·1000 = 0.07 → IM 70k; MM keeps the 1:2 ratio → 35k.
    const r = staticRequirement(p, 1_000_000);
    expect(r.imUsd).toBeCloseTo(70_000, 8);
    expect(r.mmUsd).toBeCloseTo(35_000, 8);
    // N = 100M: 0.05 + 0.00002·10000 = 0.25 → capped at 0.2 → 20M IM, 10M MM.
    const big = staticRequirement(p, 100_000_000);
    expect(big.imUsd).toBeCloseTo(20_000_000, 6);
    expect(big.mmUsd).toBeCloseTo(10_000_000, 6);
  });
});
