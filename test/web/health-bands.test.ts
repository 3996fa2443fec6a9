import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  HEALTH_BANDS,
  HISTOGRAM_LABELS,
  healthBucket,
  healthHistogram,
  healthSeverity,
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
});
