import { describe, expect, it } from "vitest";
import { kupiecPof } from "../../core/risk/kupiec-pof.ts";
import { requirementPath } from "../backtest/requirement-path.ts";
import { generateSyntheticMarket } from "../synth/generate-synthetic-market.ts";
import { candidateMarket, type PolicyBase, type VolCandidate } from "./candidate.ts";
import { candidatePath } from "./candidate-path.ts";
import { optimizeAsset } from "./optimize-asset.ts";
import { volPath } from "./vol-path.ts";

const DAY = 86_400_000;
const base: PolicyBase = {
  confidence: 0.99,
  measure: "es",
  distribution: { type: "student-t", dof: 4 },
  maintenanceShare: 0.75,
  capFraction: 0.5,
  staticMaintenanceRatio: 0.75,
};
// A known volatility process: the seeded generator's GARCH(1,1) with Student-t innovations and crashes.
const market = generateSyntheticMarket({ seed: 20240607, periods: 2400, intervalMs: DAY, assets: ["BTC"] });
const series = market.series[0]!;

describe("the optimizer's fast path equals the product's policy code", () => {
  it.each([
    ["no APC", undefined],
    ["buffer with hysteresis", { tool: { type: "buffer" as const, bufferShare: 0.25 }, maxDailyFall: 0.05 }],
    [
      "speed limit below raw",
      { tool: { type: "buffer" as const, bufferShare: 0.1 }, maxDailyRise: 0.5, speedLimitBelowRaw: true },
    ],
  ])("%s", (_label, apc) => {
    const c: VolCandidate = { lambda: 0.94, horizonHours: 30.5, floorFraction: 0.02, apc, apcLabel: "x" };
    const sigma = volPath(series, { model: "ewma", lambda: 0.94 }, 1000, 30);
    const n = series.close.length;
    const im = new Float64Array(n);
    const mm = new Float64Array(n);
    candidatePath(sigma, series.timestampsMs, c, base, 24, 0, n, im, mm);
    const product = requirementPath(series, candidateMarket(c, base, "BTC"), {
      lookbackPeriods: 1000,
      warmupPeriods: 30,
    });
    for (let i = 0; i < n; i += 7) {
      if (Number.isNaN(product.initialFraction[i])) expect(im[i]).toBeNaN();
      else {
        expect(im[i]).toBeCloseTo(product.initialFraction[i]!, 12);
        expect(mm[i]).toBeCloseTo(product.maintenanceFraction[i]!, 12);
      }
    }
  });
});

describe("walk-forward optimisation on a synthetic market", () => {
  it("recovers a policy whose out-of-sample breach rate is inside the Kupiec acceptance region", () => {
    const r = optimizeAsset(series, "SYN", "SYN", {
      policy: "vol",
      targetConfidence: 0.99,
      horizonMs: DAY,
      base,
      trainDays: 730,
      testDays: 365,
      lambdas: [0.94, 0.97],
      floors: [0],
      multiplierSteps: 16,
    });
    expect(r.folds.length).toBeGreaterThanOrEqual(4);
    const vol = r.policies.find((p) => p.name === "vol")!;
    // Out of sample: every test bar comes after the window its parameters were fitted on.
    expect(vol.periods).toBeGreaterThan(1300);
    expect(vol.kupiec.pValue).toBeGreaterThanOrEqual(0.05);
    // Independent check of the same statement: the count lies in the 95% acceptance region.
    expect(kupiecPof(vol.periods, vol.mmBreaches, 0.99).lr).toBeLessThan(3.841458820694124);
    // The chosen parameters come back as a valid document that names the policy.
    expect(r.riskParams.markets.vol?.policy.type).toBe("volatility-scaled");
    expect(r.riskParams.markets.static?.policy.type).toBe("static");
  });
});
