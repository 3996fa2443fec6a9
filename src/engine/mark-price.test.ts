import { describe, expect, it } from "vitest";
import type { SourceReport } from "./engine-state.ts";
import { checkOracleReport, computeMarkTicks, medianTicks } from "./mark-price.ts";

const rules = {
  sources: ["a", "b", "c"],
  minSources: 2,
  maxAgeMs: 10_000,
  maxDeviationFraction: 0.05,
  deviationWindowMs: 500,
  maxConfidenceFraction: 0.01,
  haltAfterMs: 60_000,
};
const at = 1_000_000;
const book = (entries: [string, bigint, number][]) =>
  new Map<string, SourceReport>(entries.map(([s, p, t]) => [s, { priceTicks: p, publishedAtMs: t }]));

describe("oracle rules", () => {
  it("takes the median (even count: floor of the middle two)", () => {
    expect(medianTicks([1n, 5n, 9n])).toBe(5n);
    expect(medianTicks([1n, 4n, 9n, 10n])).toBe(6n);
  });

  it("rejects out-of-order, stale, wide and deviating reports, in that order", () => {
    const sources = book([
      ["a", 100_000n, at - 100],
      ["b", 100_100n, at - 100],
    ]);
    const report = { source: "a", priceTicks: 100_000n, confidenceTicks: 10n, publishedAtMs: at - 100 };
    expect(checkOracleReport(sources, rules, report, at)).toBe("oracle_out_of_order");
    expect(
      checkOracleReport(sources, rules, { ...report, source: "c", publishedAtMs: at - 10_001 }, at),
    ).toBe("oracle_stale");
    expect(
      checkOracleReport(
        sources,
        rules,
        { ...report, source: "c", publishedAtMs: at, confidenceTicks: 1_001n },
        at,
      ),
    ).toBe("oracle_confidence");
    // Others' median 100 050; 94 000 is 6.05 % away (> 5 %); 96 000 is 4.05 % away.
    expect(
      checkOracleReport(
        sources,
        rules,
        { ...report, source: "c", publishedAtMs: at, priceTicks: 94_000n },
        at,
      ),
    ).toBe("oracle_deviation");
    expect(
      checkOracleReport(
        sources,
        rules,
        { ...report, source: "c", publishedAtMs: at, priceTicks: 96_000n },
        at,
      ),
    ).toBe(null);
  });

  it("does not compare with reports older than the deviation window (a genuine crash)", () => {
    const sources = book([
      ["a", 100_000n, at - 1_000],
      ["b", 100_000n, at - 1_000],
    ]);
    expect(
      checkOracleReport(
        sources,
        rules,
        { source: "c", priceTicks: 80_000n, confidenceTicks: 8n, publishedAtMs: at },
        at,
      ),
    ).toBe(null);
  });

  it("marks the median of fresh, agreeing sources, or nothing below minSources", () => {
    expect(
      computeMarkTicks(
        book([
          ["a", 100n, at],
          ["b", 102n, at],
          ["c", 50n, at],
        ]),
        rules,
        at,
      ),
    ).toBe(101n);
    // One fresh source left: no mark.
    expect(
      computeMarkTicks(
        book([
          ["a", 100n, at],
          ["b", 102n, at - 20_000],
        ]),
        rules,
        at,
      ),
    ).toBe(null);
    // Two fresh but disagreeing by 50 %: neither agrees with the median, no mark.
    expect(
      computeMarkTicks(
        book([
          ["a", 100n, at],
          ["b", 150n, at],
        ]),
        rules,
        at,
      ),
    ).toBe(null);
  });
});
