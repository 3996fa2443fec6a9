import { describe, expect, it } from "vitest";
import { normalPdf } from "../dist/normal.ts";
import { studentTPdf } from "../dist/student-t.ts";
import { gaussianLogLikelihood, studentTLogLikelihood } from "./log-likelihood.ts";

const r = Float64Array.of(0.01, -0.035, 0.002);
const v = Float64Array.of(4e-4, 2.5e-4, 9e-4, 123 /* the trailing forecast is ignored */);

describe("log-likelihoods", () => {
  it("Gaussian equals Σ ln(φ(r/σ)/σ)", () => {
    let expected = 0;
    for (let t = 0; t < r.length; t++) {
      const s = Math.sqrt(v[t]!);
      expected += Math.log(normalPdf(r[t]! / s) / s);
    }
    expect(gaussianLogLikelihood(r, v)).toBeCloseTo(expected, 11);
  });

  it("Student-t is the unit-variance t density: f(r) = t_ν(r/s)/s with s = σ√((ν−2)/ν)", () => {
    for (const nu of [2.5, 4, 10, 50]) {
      let expected = 0;
      for (let t = 0; t < r.length; t++) {
        const s = Math.sqrt(v[t]! * ((nu - 2) / nu));
        expected += Math.log(studentTPdf(r[t]! / s, nu) / s);
      }
      expect(studentTLogLikelihood(r, v, nu)).toBeCloseTo(expected, 10);
    }
  });

  it("Student-t tends to the Gaussian as ν grows, and is −∞ for ν ≤ 2", () => {
    expect(studentTLogLikelihood(r, v, 1e7)).toBeCloseTo(gaussianLogLikelihood(r, v), 5);
    expect(studentTLogLikelihood(r, v, 2)).toBe(Number.NEGATIVE_INFINITY);
  });
});
