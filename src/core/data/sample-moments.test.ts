import { describe, expect, it } from "vitest";
import {
  autocorrelation,
  excessKurtosis,
  pearsonCorrelation,
  sampleMean,
  sampleStdDev,
} from "./sample-moments.ts";

describe("sample moments (hand-derived on tiny samples)", () => {
  const x = [1, 2, 3, 4];
  it("mean and Bessel-corrected standard deviation", () => {
    // mean 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5; 5 / 3.
    expect(sampleMean(x)).toBe(2.5);
    expect(sampleStdDev(x)).toBeCloseTo(Math.sqrt(5 / 3), 15);
  });
  it("excess kurtosis", () => {
    // m2 = 5/4 = 1.25; m4 = (5.0625·2 + 0.0625·2)/4 = 2.5625; 2.5625 / 1.5625 − 3 = −1.36.
    expect(excessKurtosis(x)).toBeCloseTo(-1.36, 14);
    // One outlier among zeros: [0,0,0,0,0,0,0,0,0,10]: m2 = 9, m4 = 9·1 + 9⁴/10 … computed directly.
    const spike = [0, 0, 0, 0, 0, 0, 0, 0, 0, 10];
    // mean 1; deviations −1 (×9) and 9; m2 = (9 + 81)/10 = 9; m4 = (9 + 6561)/10 = 657; 657/81 − 3.
    expect(excessKurtosis(spike)).toBeCloseTo(657 / 81 - 3, 12);
  });
  it("autocorrelation", () => {
    // num = (−1.5)(−0.5) + (−0.5)(0.5) + (0.5)(1.5) = 1.25; den = 5.
    expect(autocorrelation(x, 1)).toBeCloseTo(0.25, 15);
    expect(autocorrelation(x, 0)).toBeCloseTo(1, 15);
    expect(autocorrelation([1, -1, 1, -1, 1, -1], 1)).toBeCloseTo(-5 / 6, 15);
  });
  it("Pearson correlation", () => {
    // a = [1,2,3], b = [2,4,7]: sab = 5, saa = 2, sbb = 114/9.
    expect(pearsonCorrelation([1, 2, 3], [2, 4, 7])).toBeCloseTo(5 / Math.sqrt((2 * 114) / 9), 14);
    expect(pearsonCorrelation([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 15);
    expect(pearsonCorrelation([1, 2], [1, 2, 3])).toBeNaN();
  });
  it("returns NaN for samples too small", () => {
    expect(sampleStdDev([1])).toBeNaN();
    expect(excessKurtosis([1, 2, 3])).toBeNaN();
  });
});
