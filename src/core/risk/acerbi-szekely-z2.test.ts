import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { describe, expect, it } from "vitest";
import { normalQuantile } from "../dist/normal.ts";
import { acerbiSzekelyZ2, acerbiSzekelyZ2Test } from "./acerbi-szekely-z2.ts";
import { normalVarEs } from "./parametric-var.ts";

describe("Acerbi–Székely Z2", () => {
  it("matches a hand computation", () => {
    // T = 4, c = 0.5 (α = 0.5), VaR = 1, ES = 2 everywhere; losses (3, 0.5, 1.5, −1).
    // Exceedances: 3 and 1.5 → Σ L/ES = 1.5 + 0.75 = 2.25; Z2 = 1 − 2.25/(4·0.5) = −0.125.
    const z2 = acerbiSzekelyZ2(
      Float64Array.of(3, 0.5, 1.5, -1),
      new Float64Array(4).fill(1),
      new Float64Array(4).fill(2),
      0.5,
    );
    expect(z2).toBeCloseTo(-0.125, 15);
  });

  const T = 500;
  const c = 0.975;
  const { valueAtRisk, expectedShortfall } = normalVarEs(1, c);
  const varArr = new Float64Array(T).fill(valueAtRisk);
  const esArr = new Float64Array(T).fill(expectedShortfall);
  const quantile = (_t: number, u: number) => normalQuantile(u);
  function draws(scale: number, seed: number, rng = xoroshiro128plus(seed)): Float64Array {
    return Float64Array.from(
      { length: T },
      () => scale * normalQuantile(uniformFloat64(rng) * (1 - 2e-16) + 1e-16),
    );
  }

  it("does not reject the true model, rejects a model that understates σ by half, and is seeded", () => {
    const options = { simulations: 500, seed: 3 };
    const good = acerbiSzekelyZ2Test(draws(1, 41), varArr, esArr, c, quantile, options);
    expect(good.pValue).toBeGreaterThan(0.05);
    const bad = acerbiSzekelyZ2Test(draws(1.5, 42), varArr, esArr, c, quantile, options);
    expect(bad.z2).toBeLessThan(0);
    expect(bad.pValue).toBeLessThan(0.01);
    expect(acerbiSzekelyZ2Test(draws(1, 41), varArr, esArr, c, quantile, options)).toEqual(good);
  });

  it("Z2 averages to about zero under the model (E[Z2] = 0)", () => {
    // One generator stream for all samples (nearby seeds give correlated first draws).
    const rng = xoroshiro128plus(1000);
    let sum = 0;
    for (let s = 0; s < 200; s++) sum += acerbiSzekelyZ2(draws(1, 0, rng), varArr, esArr, c);
    // sd of one Z2 here ≈ 0.3, so the mean of 200 has sd ≈ 0.02.
    expect(Math.abs(sum / 200)).toBeLessThan(0.07);
  });

  it("rejects mismatched lengths and too few simulations", () => {
    expect(() => acerbiSzekelyZ2(Float64Array.of(1), Float64Array.of(1, 2), Float64Array.of(1), 0.9)).toThrow(
      /expectedShortfall/,
    );
    expect(() =>
      acerbiSzekelyZ2Test(draws(1, 1), varArr, esArr, c, quantile, { simulations: 10, seed: 1 }),
    ).toThrow(/simulations/);
  });
});
