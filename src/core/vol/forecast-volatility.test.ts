import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { describe, expect, it } from "vitest";
import { normalQuantile } from "../dist/normal.ts";
import { forecastVolatility } from "./forecast-volatility.ts";

function simulatedGarch(n: number, seed: number): Float64Array {
  const rng = xoroshiro128plus(seed);
  const out = new Float64Array(n);
  let variance = 2e-4;
  for (let t = 0; t < n; t++) {
    const z = normalQuantile(uniformFloat64(rng) * (1 - 2e-16) + 1e-16);
    out[t] = Math.sqrt(variance) * z;
    variance = 1e-5 + 0.1 * out[t]! ** 2 + 0.85 * variance;
  }
  return out;
}

describe("forecastVolatility", () => {
  it("EWMA: flat term structure from the hand-derived recursion", () => {
    // Same series as ewma-variance.test.ts with λ = 0.9: σ²₃ = 4.743e-4.
    const f = forecastVolatility(Float64Array.of(0.01, -0.02, 0.03), { model: "ewma", lambda: 0.9 }, 4);
    expect(f.perPeriodVol).toBeCloseTo(Math.sqrt(4.743e-4), 15);
    expect(f.horizonVol).toBeCloseTo(2 * Math.sqrt(4.743e-4), 15);
  });

  it("realised: trailing window, √h scaling", () => {
    const f = forecastVolatility(
      Float64Array.of(0.5, 0.03, -0.04),
      { model: "realized", windowPeriods: 2 },
      9,
    );
    expect(f.horizonVol).toBeCloseTo(3 * Math.sqrt(1.25e-3), 14);
  });

  it("GARCH: horizon σ lies between √h·σ_next and √h·σ_longrun (mean reversion)", () => {
    // Simulated with ω = 1e-5, α = 0.1, β = 0.85 → long-run σ² = 2e-4.
    const returns = simulatedGarch(3000, 7);
    const h = 30;
    const f = forecastVolatility(returns, { model: "garch", innovations: "normal" }, h);
    const lo = Math.min(f.perPeriodVol, Math.sqrt(2e-4)) * Math.sqrt(h);
    const hi = Math.max(f.perPeriodVol, Math.sqrt(2e-4)) * Math.sqrt(h);
    expect(f.horizonVol).toBeGreaterThan(lo * 0.8);
    expect(f.horizonVol).toBeLessThan(hi * 1.2);
    const one = forecastVolatility(returns, { model: "garch", innovations: "normal" }, 1);
    expect(one.horizonVol).toBeCloseTo(one.perPeriodVol, 15);
  });

  it("rejects a bad horizon and an empty series", () => {
    expect(() => forecastVolatility(Float64Array.of(0.1), { model: "ewma", lambda: 0.94 }, 0)).toThrow(
      /horizonPeriods/,
    );
    expect(() => forecastVolatility(new Float64Array(0), { model: "ewma", lambda: 0.94 }, 1)).toThrow(
      /returns/,
    );
  });
});
