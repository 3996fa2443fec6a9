import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { aggregateReturns, historicalVarEs, tailCount } from "./historical-var.ts";

const reference = JSON.parse(
  readFileSync(fileURLToPath(new URL("../../../test/fixtures/risk/reference.json", import.meta.url)), "utf8"),
) as { historical: { losses: number[]; quantiles: { confidence: number; var: number }[] } };

describe("historicalVarEs", () => {
  it("takes the k-th largest loss, k = ⌈n(1−c)⌉, and averages the k worst for ES", () => {
    // Losses 1..10 (any order), c = 0.8: k = ⌈10·0.2⌉ = 2 → VaR = 9, ES = (10 + 9)/2 = 9.5.
    const losses = Float64Array.of(3, 10, 1, 7, 9, 2, 8, 4, 6, 5);
    expect(historicalVarEs(losses, 0.8)).toEqual({ valueAtRisk: 9, expectedShortfall: 9.5 });
    // c = 0.75: k = ⌈2.5⌉ = 3 → VaR = 8, ES = (10 + 9 + 8)/3 = 9.
    expect(historicalVarEs(losses, 0.75)).toEqual({ valueAtRisk: 8, expectedShortfall: 9 });
  });

  it("uses the 3rd worst of 250 at 99% despite 250·0.01 rounding to 2.5000000000000004", () => {
    expect(tailCount(250, 0.99)).toBe(3);
    expect(tailCount(100, 0.99)).toBe(1);
  });

  it("equals R's quantile(type = 1)", () => {
    const losses = Float64Array.from(reference.historical.losses);
    for (const q of reference.historical.quantiles) {
      expect(historicalVarEs(losses, q.confidence).valueAtRisk).toBe(q.var);
    }
  });

  it("does not reorder its input", () => {
    const losses = Float64Array.of(3, 1, 2);
    historicalVarEs(losses, 0.5);
    expect(Array.from(losses)).toEqual([3, 1, 2]);
  });
});

describe("aggregateReturns", () => {
  it("builds overlapping and non-overlapping h-period sums", () => {
    const r = Float64Array.of(1, 2, 3, 4, 5);
    expect(Array.from(aggregateReturns(r, 2, true))).toEqual([3, 5, 7, 9]);
    // Non-overlapping blocks end at the latest return: (2+3), (4+5); the oldest return is dropped.
    expect(Array.from(aggregateReturns(r, 2, false))).toEqual([5, 9]);
  });
});
