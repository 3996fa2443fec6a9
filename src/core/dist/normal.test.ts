import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalCdf, normalPdf, normalQuantile } from "./normal.ts";

interface NormalFixture {
  x: number[];
  pdf: number[];
  cdf: number[];
  p: number[];
  quantile: number[];
}

// Values from R 4.2 (scripts/fixtures/dist_r.R). R's pnorm underflows to 0 below x ≈ −37.52
// while erfc still returns a subnormal, so results below 1e-300 are compared absolutely.
const fixture = JSON.parse(
  readFileSync(new URL("../../../test/fixtures/dist/r_normal.json", import.meta.url), "utf8"),
) as NormalFixture;

function relativeError(actual: number, expected: number): number {
  if (Math.abs(expected) < 1e-300) return Math.abs(actual - expected) / 1e-300;
  return Math.abs(actual - expected) / Math.abs(expected);
}

function maxRelativeError(f: (v: number) => number, inputs: number[], expected: number[]): number {
  let worst = 0;
  inputs.forEach((v, i) => {
    worst = Math.max(worst, relativeError(f(v), expected[i] ?? Number.NaN));
  });
  return worst;
}

describe("normal distribution against R", () => {
  it("pdf agrees with dnorm to 1e-13 relative", () => {
    expect(maxRelativeError(normalPdf, fixture.x, fixture.pdf)).toBeLessThan(1e-13);
  });
  it("cdf agrees with pnorm to 1e-13 relative, deep lower tail included", () => {
    expect(maxRelativeError(normalCdf, fixture.x, fixture.cdf)).toBeLessThan(1e-13);
  });
  it("quantile agrees with qnorm to 1e-12 relative from p = 1e-300 to 1 − 1e-8", () => {
    expect(maxRelativeError(normalQuantile, fixture.p, fixture.quantile)).toBeLessThan(1e-12);
  });
});

describe("normal distribution laws", () => {
  it("quantile(½) is +0 and the edges are infinite, NaN outside [0, 1]", () => {
    expect(Object.is(normalQuantile(0.5), 0)).toBe(true);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
  });
  // The round trip's condition number is ~x² (dp/p = x·dx for a tail), up to ~1400 at p = 1e-300,
  // so the bound is a few ulps of the quantile times that condition number. Below p ≈ 1e-100
  // erfcinv itself drifts to ~1e-13 relative (7e-14 at 1e-300 against qnorm), still within the
  // R fixture's 1e-12, so the property covers the probabilities risk actually uses.
  it("cdf(quantile(p)) = p to within 8·ε·x² relative for tail probabilities", () => {
    fc.assert(
      fc.property(fc.double({ min: -100, max: -0.31, noNaN: true }), (log10p) => {
        const p = 10 ** log10p;
        const x = normalQuantile(p);
        expect(Math.abs(normalCdf(x) - p) / p).toBeLessThan(8 * Number.EPSILON * Math.max(1, x * x));
      }),
    );
  });
  it("Φ(x) + Φ(−x) = 1", () => {
    fc.assert(
      fc.property(fc.double({ min: -8, max: 8, noNaN: true }), (x) => {
        expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 15);
      }),
    );
  });
});
