import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HEALTH_BAND_EDGES, HEALTH_BAND_LABELS } from "../../src/server/subaccount-summary.ts";
import {
  HEALTH_BANDS,
  HISTOGRAM_LABELS,
  healthBucket,
  healthHistogram,
  healthSeverity,
  histogramOfBands,
  IN_LIQUIDATION_BUCKET,
  NO_REQUIREMENT_BUCKET,
} from "../../web/src/lib/health-bands.ts";

describe("health bands", () => {
  it("puts boundary values in the band that starts there", () => {
    expect(HISTOGRAM_LABELS[healthBucket(0.999, false)]).toBe("< 1");
    expect(HISTOGRAM_LABELS[healthBucket(1, false)]).toBe("1–1.2"); // health 1 = equity equals MM: liquidatable, but the band starts at 1
    expect(HISTOGRAM_LABELS[healthBucket(1.2, false)]).toBe("1.2–1.5");
    expect(HISTOGRAM_LABELS[healthBucket(4.999, false)]).toBe("2–5");
    expect(HISTOGRAM_LABELS[healthBucket(5, false)]).toBe("≥ 5");
    expect(HISTOGRAM_LABELS[healthBucket(-3, false)]).toBe("< 1");
  });

  it("counts accounts in liquidation and without requirement apart", () => {
    expect(healthBucket(3, true)).toBe(IN_LIQUIDATION_BUCKET);
    expect(healthBucket(null, false)).toBe(NO_REQUIREMENT_BUCKET);
    expect(healthSeverity(3, true)).toBe(0);
    expect(healthSeverity(null, false)).toBe(3);
    expect(healthSeverity(1.1, false)).toBe(1);
  });

  it("histograms: the counts add up to the rows, each row in exactly one bucket (property)", () => {
    const row = fc.record({
      health: fc.option(fc.double({ min: -10, max: 1e6, noNaN: true }), { nil: null }),
      inLiquidation: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 200 }), (rows) => {
        const counts = healthHistogram(rows);
        expect(counts.length).toBe(HEALTH_BANDS.length + 2);
        expect(counts.reduce((a, b) => a + b, 0)).toBe(rows.length);
        expect(counts[IN_LIQUIDATION_BUCKET]).toBe(rows.filter((r) => r.inLiquidation).length);
      }),
    );
  });

  it("reads the server's bands into the histogram's order by label", () => {
    const bands = HEALTH_BANDS.map((b, i) => ({
      label: b.label,
      fromHealth: null,
      toHealth: null,
      count: i + 1,
    }));
    // Order on the wire does not matter: labels do.
    const counts = histogramOfBands({
      bands: [...bands].reverse(),
      inLiquidation: 7,
      noRequirement: 8,
      total: 36,
    });
    expect(counts).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(counts.length).toBe(HISTOGRAM_LABELS.length);
    expect(counts[IN_LIQUIDATION_BUCKET]).toBe(7);
    expect(counts[NO_REQUIREMENT_BUCKET]).toBe(8);
  });

  it("uses the server's bands (labels and edges)", () => {
    expect(HEALTH_BANDS.map((b) => b.label)).toEqual([...HEALTH_BAND_LABELS]);
    expect(HEALTH_BANDS.slice(1).map((b) => b.fromHealth)).toEqual([...HEALTH_BAND_EDGES]);
  });
});
