import { describe, expect, it } from "vitest";
import { RandomSource } from "./random-source.ts";

describe("RandomSource", () => {
  it("repeats its sequence for a seed and differs between seeds", () => {
    const draw = (seed: number) => {
      const r = new RandomSource(seed);
      return [r.uniform(), r.normal(), r.gamma(2.25), r.uniformPositive()];
    };
    expect(draw(5)).toEqual(draw(5));
    expect(draw(5)).not.toEqual(draw(6));
  });

  it("draws N(0,1) and Gamma(k,1) with the right first two moments", () => {
    const r = new RandomSource(123);
    const n = 200_000;
    let s1 = 0;
    let s2 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s1 += z;
      s2 += z * z;
      const g = r.gamma(2.25);
      g1 += g;
      g2 += g * g;
    }
    // Standard errors with n = 200 000: mean 1/√n ≈ 0.0022, variance √(2/n) ≈ 0.0032;
    // Gamma(2.25): mean 2.25 (SE 0.0034), variance 2.25 (SE ≈ 0.013). Tolerances ≈ 4–5 SE.
    expect(s1 / n).toBeCloseTo(0, 1);
    expect(Math.abs(s1 / n)).toBeLessThan(0.01);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.015);
    const gm = g1 / n;
    expect(Math.abs(gm - 2.25)).toBeLessThan(0.015);
    expect(Math.abs(g2 / n - gm * gm - 2.25)).toBeLessThan(0.06);
  });

  it("never returns 0 from uniformPositive (safe for log)", () => {
    const r = new RandomSource(1);
    for (let i = 0; i < 10_000; i++) expect(r.uniformPositive()).toBeGreaterThan(0);
  });
});
