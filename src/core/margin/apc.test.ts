import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyApc } from "./apc.ts";
import type { ApcParams } from "./risk-params.ts";

const DAY = 86_400_000;
const T0 = 1_600_000_000_000;

describe("applyApc", () => {
  it("stressed weight: 25% on the stressed-period fraction", () => {
    // 0.25·0.20 + 0.75·0.08 = 0.05 + 0.06 = 0.11
    const p: ApcParams = { tool: { type: "stressed-weight", weight: 0.25, stressedFraction: 0.2 } };
    expect(applyApc(undefined, 0.08, T0, p).fraction).toBeCloseTo(0.11, 15);
    // Above the stressed figure the raw requirement rules: max(0.3, 0.25·0.2 + 0.75·0.3 = 0.275) = 0.3
    expect(applyApc(undefined, 0.3, T0, p).fraction).toBeCloseTo(0.3, 15);
  });

  it("lookback floor: never below the long-lookback fraction", () => {
    const p: ApcParams = { tool: { type: "lookback-floor", floorFraction: 0.07 } };
    expect(applyApc(undefined, 0.05, T0, p).fraction).toBe(0.07);
    expect(applyApc(undefined, 0.09, T0, p).fraction).toBe(0.09);
  });

  it("buffer: 25% on top in calm markets, drawn down when the raw figure rises", () => {
    const p: ApcParams = { tool: { type: "buffer", bufferShare: 0.25 } };
    const s1 = applyApc(undefined, 0.08, T0, p); // 0.08·1.25 = 0.10
    expect(s1.fraction).toBeCloseTo(0.1, 15);
    // Raw rises to 0.09: the buffer absorbs it, output stays at the previous 0.10.
    const s2 = applyApc(s1.state, 0.09, T0 + DAY, p);
    expect(s2.fraction).toBeCloseTo(0.1, 15);
    // Raw rises to 0.12 > 0.10: buffer exhausted, output = raw.
    const s3 = applyApc(s2.state, 0.12, T0 + 2 * DAY, p);
    expect(s3.fraction).toBeCloseTo(0.12, 15);
    // Raw falls back to 0.08: buffer rebuilt, 0.10.
    expect(applyApc(s3.state, 0.08, T0 + 3 * DAY, p).fraction).toBeCloseTo(0.1, 15);
  });

  it("speed limit caps the daily rise of the APC target, but not below raw by default", () => {
    const p: ApcParams = { tool: { type: "lookback-floor", floorFraction: 0.2 }, maxDailyRise: 0.5 };
    const s1 = applyApc(undefined, 0.1, T0, { tool: { type: "none" } });
    // Target 0.2, limit 0.1·1.5^1 = 0.15, raw 0.1 → 0.15.
    expect(applyApc(s1.state, 0.1, T0 + DAY, p).fraction).toBeCloseTo(0.15, 15);
    // Half a day: 0.1·1.5^0.5 = 0.122474487…
    expect(applyApc(s1.state, 0.1, T0 + DAY / 2, p).fraction).toBeCloseTo(0.1 * Math.sqrt(1.5), 14);
    // Raw jumps to 0.3: the speed limit (0.15) may not hold it below raw → 0.3.
    expect(applyApc(s1.state, 0.3, T0 + DAY, p).fraction).toBe(0.3);
    // Unless the document allows it: min(target 0.3, 0.15) = 0.15.
    expect(applyApc(s1.state, 0.3, T0 + DAY, { ...p, speedLimitBelowRaw: true }).fraction).toBeCloseTo(
      0.15,
      15,
    );
  });

  it("hysteresis: falls at most maxDailyFall per day", () => {
    const p: ApcParams = { tool: { type: "none" }, maxDailyFall: 0.1 };
    const s1 = applyApc(undefined, 0.2, T0, p);
    // 0.2·0.9² = 0.162 after two days, although raw is 0.05.
    expect(applyApc(s1.state, 0.05, T0 + 2 * DAY, p).fraction).toBeCloseTo(0.162, 15);
    // Ten days later: 0.2·0.9^10 = 0.069735… still above 0.05.
    expect(applyApc(s1.state, 0.05, T0 + 10 * DAY, p).fraction).toBeCloseTo(0.2 * 0.9 ** 10, 14);
  });

  it("rejects time going backwards and bad fractions", () => {
    const p: ApcParams = { tool: { type: "none" } };
    const s = applyApc(undefined, 0.1, T0, p).state;
    expect(() => applyApc(s, 0.1, T0 - 1, p)).toThrow(/asOfMs: must not go back in time/);
    expect(() => applyApc(s, Number.NaN, T0, p)).toThrow(/rawFraction/);
  });

  it("never returns less than raw (default) and rises no faster than the limit above raw", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 0.5, noNaN: true }), { minLength: 1, maxLength: 40 }),
        (raws) => {
          const p: ApcParams = {
            tool: { type: "buffer", bufferShare: 0.25 },
            maxDailyRise: 0.3,
            maxDailyFall: 0.05,
          };
          let state: ReturnType<typeof applyApc>["state"] | undefined;
          raws.forEach((raw, i) => {
            const prev = state;
            const step = applyApc(prev, raw, T0 + i * DAY, p);
            expect(step.fraction).toBeGreaterThanOrEqual(raw);
            if (prev !== undefined) {
              expect(step.fraction).toBeLessThanOrEqual(Math.max(raw, prev.fraction * 1.3) * (1 + 1e-12));
              expect(step.fraction).toBeGreaterThanOrEqual(prev.fraction * 0.95 * (1 - 1e-12));
            }
            state = step.state;
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
