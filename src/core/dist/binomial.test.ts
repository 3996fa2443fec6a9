import { describe, expect, it } from "vitest";
import { binomialCdf } from "./binomial.ts";

describe("binomialCdf", () => {
  it("matches the first terms of the binomial sum", () => {
    // Bin(250, 0.01): P(X ≤ 0) = 0.99^250; P(X ≤ 1) = 0.99^250 + 250·0.01·0.99^249.
    expect(binomialCdf(0, 250, 0.01)).toBeCloseTo(0.99 ** 250, 14);
    expect(binomialCdf(1, 250, 0.01)).toBeCloseTo(0.99 ** 250 + 2.5 * 0.99 ** 249, 14);
    expect(binomialCdf(250, 250, 0.01)).toBe(1);
  });
});
