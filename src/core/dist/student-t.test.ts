import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { normalQuantile } from "./normal.ts";
import { studentTCdf, studentTPdf, studentTQuantile } from "./student-t.ts";

interface StudentCase {
  nu: number;
  x: number[];
  pdf: number[];
  cdf: number[];
  p: number[];
  quantile: number[];
}

// Values from R 4.2's dt/pt/qt (scripts/fixtures/dist_r.R): ν from 1 to 100 including
// non-integer ν, x out to ±10⁴ and probabilities down to 1e-12.
const fixture = JSON.parse(
  readFileSync(new URL("../../../test/fixtures/dist/r_student_t.json", import.meta.url), "utf8"),
) as { cases: StudentCase[] };

function worstError(f: (v: number, nu: number) => number, pick: (c: StudentCase) => [number[], number[]]) {
  let worst = 0;
  for (const c of fixture.cases) {
    const [inputs, expected] = pick(c);
    inputs.forEach((v, i) => {
      const want = expected[i] ?? Number.NaN;
      // The median is exactly 0, where only an absolute error makes sense.
      const scale = want === 0 ? 1 : Math.abs(want);
      worst = Math.max(worst, Math.abs(f(v, c.nu) - want) / scale);
    });
  }
  return worst;
}

describe("Student-t distribution against R", () => {
  it("has 15 values of ν", () => {
    expect(fixture.cases.length).toBe(15);
  });
  it("pdf agrees with dt to 1e-12 relative", () => {
    expect(worstError(studentTPdf, (c) => [c.x, c.pdf])).toBeLessThan(1e-12);
  });
  it("cdf agrees with pt to 1e-12 relative, tails included", () => {
    expect(worstError(studentTCdf, (c) => [c.x, c.cdf])).toBeLessThan(1e-12);
  });
  it("quantile agrees with qt to 1e-12 relative down to p = 1e-12", () => {
    expect(worstError(studentTQuantile, (c) => [c.p, c.quantile])).toBeLessThan(1e-12);
  });
  it("ν = 1 is the Cauchy distribution: F(x) = ½ + atan(x)/π", () => {
    for (const x of [-50, -3, -1, 0.2, 4]) {
      expect(studentTCdf(x, 1)).toBeCloseTo(0.5 + Math.atan(x) / Math.PI, 14);
    }
  });
  it("approaches the normal as ν grows", () => {
    expect(Math.abs(studentTQuantile(0.01, 1e7) - normalQuantile(0.01))).toBeLessThan(1e-5);
  });
});
