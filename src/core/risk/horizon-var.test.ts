import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { describe, expect, it } from "vitest";
import { normalQuantile } from "../dist/normal.ts";
import { fitGarch } from "../vol/fit-garch.ts";
import { garchHorizonVariance } from "../vol/garch-term-structure.ts";
import { historicalVarEs } from "./historical-var.ts";
import { horizonVarEs } from "./horizon-var.ts";
import { normalVarEs } from "./parametric-var.ts";

function normalReturns(n: number, sigma: number, seed: number): Float64Array {
  const rng = xoroshiro128plus(seed);
  return Float64Array.from(
    { length: n },
    () => sigma * normalQuantile(uniformFloat64(rng) * (1 - 2e-16) + 1e-16),
  );
}

describe("horizonVarEs", () => {
  const returns = normalReturns(2000, 0.02, 99);

  it("sqrt-time historical is √h times the one-period historical VaR", () => {
    const one = historicalVarEs(
      returns.map((x) => -x),
      0.99,
    );
    const ten = horizonVarEs(
      returns,
      { method: "historical" },
      {
        confidence: 0.99,
        horizonPeriods: 10,
        horizonMethod: "sqrt-time",
      },
    );
    expect(ten.valueAtRisk).toBeCloseTo(one.valueAtRisk * Math.sqrt(10), 14);
  });

  it("direct historical on i.i.d. normal returns agrees with sqrt-time within sampling error", () => {
    const spec = { confidence: 0.99, horizonPeriods: 5 } as const;
    const direct = horizonVarEs(returns, { method: "historical" }, { ...spec, horizonMethod: "direct" });
    // True 5-day 99% VaR: 0.02·√5·2.326 = 0.1040.
    expect(direct.valueAtRisk).toBeGreaterThan(0.085);
    expect(direct.valueAtRisk).toBeLessThan(0.125);
  });

  it("EWMA parametric: direct equals sqrt-time (flat term structure)", () => {
    const method = { method: "normal", vol: { model: "ewma", lambda: 0.94 } } as const;
    const a = horizonVarEs(returns, method, { confidence: 0.99, horizonPeriods: 7, horizonMethod: "direct" });
    const b = horizonVarEs(returns, method, {
      confidence: 0.99,
      horizonPeriods: 7,
      horizonMethod: "sqrt-time",
    });
    expect(a.valueAtRisk).toBeCloseTo(b.valueAtRisk, 15);
  });

  it("GARCH parametric direct uses the closed-form term structure", () => {
    const method = { method: "normal", vol: { model: "garch", innovations: "normal" } } as const;
    const v = horizonVarEs(returns, method, {
      confidence: 0.99,
      horizonPeriods: 20,
      horizonMethod: "direct",
    });
    const fit = fitGarch(returns, "normal");
    const sigma = Math.sqrt(garchHorizonVariance(fit.params, fit.nextPeriodVariance, 20));
    expect(v.valueAtRisk).toBeCloseTo(normalVarEs(sigma, 0.99).valueAtRisk, 14);
  });

  it("Student-t at equal σ has a higher 99% ES than the normal", () => {
    const vol = { model: "ewma", lambda: 0.94 } as const;
    const spec = { confidence: 0.99, horizonPeriods: 1, horizonMethod: "sqrt-time" } as const;
    const t = horizonVarEs(returns, { method: "student-t", nu: 4, vol }, spec);
    const n = horizonVarEs(returns, { method: "normal", vol }, spec);
    expect(t.expectedShortfall).toBeGreaterThan(n.expectedShortfall);
  });

  it("FHS on i.i.d. normal returns is close to the normal VaR", () => {
    const v = horizonVarEs(
      returns,
      { method: "fhs", lambda: 0.97 },
      {
        confidence: 0.99,
        horizonPeriods: 1,
        horizonMethod: "sqrt-time",
      },
    );
    expect(v.valueAtRisk).toBeGreaterThan(0.02 * 2.326 * 0.8);
    expect(v.valueAtRisk).toBeLessThan(0.02 * 2.326 * 1.25);
  });
});
