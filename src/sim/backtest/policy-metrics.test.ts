import { describe, expect, it } from "vitest";
import { policyMetrics } from "./policy-metrics.ts";

const DAY = 86_400_000;
const days = (n: number) => Float64Array.from({ length: n }, (_, i) => i * DAY);
const nan = (n: number) => new Float64Array(n).fill(Number.NaN);

describe("policyMetrics bookkeeping", () => {
  it("counts breaches, means and rises on a hand-made path", () => {
    // Seven daily bars. IM path and MM = IM/2; the losses after each bar (last one unobservable).
    const im = Float64Array.from([0.1, 0.12, 0.15, 0.3, 0.3, 0.2, 0.35]);
    const mm = im.map((x) => x / 2);
    const worstLoss = Float64Array.from([0.06, 0.02, 0.08, 0.2, 0.1, 0.11, Number.NaN]);
    const simpleReturn = Float64Array.from([-0.06, 0.02, 0.08, -0.2, 0.1, -0.11, Number.NaN]);
    const m = policyMetrics({
      name: "hand",
      initialFraction: im,
      maintenanceFraction: mm,
      worstLoss,
      simpleReturn,
      barReturns: nan(7),
      timestampsMs: days(7),
      intervalMs: DAY,
      confidence: 0.99,
      from: 0,
      to: 7,
    });
    // Scored bars 0..5 (bar 6 has no horizon). MM = 0.05, 0.06, 0.075, 0.15, 0.15, 0.1.
    // Losses 0.06>0.05 ✓(long), 0.02 ✗, 0.08>0.075 ✓(short), 0.2>0.15 ✓(long), 0.1 ✗, 0.11>0.1 ✓(long).
    expect(m.periods).toBe(6);
    expect(m.mmBreaches).toBe(4);
    expect(m.longBreaches).toBe(3);
    expect(m.shortBreaches).toBe(1);
    expect(m.mmBreachRate).toBeCloseTo(4 / 6, 15);
    // IM breaches: 0.06<0.1, 0.08<0.15, 0.2<0.3, 0.11<0.2 → none.
    expect(m.imBreaches).toBe(0);
    // Mean IM over the scored bars: (0.1+0.12+0.15+0.3+0.3+0.2)/6 = 1.17/6 = 0.195.
    expect(m.meanRequirement).toBeCloseTo(0.195, 15);
    expect(m.leverage).toBeCloseTo(1 / 0.195, 12);
    // Median of sorted [0.1, 0.12, 0.15, 0.2, 0.3, 0.3] = (0.15+0.2)/2 = 0.175; MM half of it.
    expect(m.medianRequirement).toBeCloseTo(0.175, 15);
    expect(m.medianMaintenance).toBeCloseTo(0.0875, 15);
    // Worst shortfall: max(0.06−0.05, 0.08−0.075, 0.2−0.15, 0.11−0.1) = 0.05.
    expect(m.worstShortfall).toBeCloseTo(0.05, 15);
    // Rises within scored bars 0..5: 1-day max 0.3/0.15 − 1 = 1; 5-day 0.2/0.1 − 1 = 1.
    expect(m.maxDailyRise).toBeCloseTo(1, 15);
    expect(m.max5DayRise).toBeCloseTo(1, 15);
    // Peak to trough 0.3/0.1 = 3.
    expect(m.peakToTrough).toBeCloseTo(3, 15);
    // Kupiec by hand: n=6, x=4, p=0.01, p̂=2/3:
    // LR = −2[(2 ln 0.99 + 4 ln 0.01) − (2 ln(1/3) + 4 ln(2/3))].
    const lr = -2 * (2 * Math.log(0.99) + 4 * Math.log(0.01) - (2 * Math.log(1 / 3) + 4 * Math.log(2 / 3)));
    expect(m.kupiec.lr).toBeCloseTo(lr, 10);
    expect(m.kupiec.pValue).toBeLessThan(1e-6);
    // Hits 1,0,1,1,0,1: transitions n01=2 (0→1 twice), n10=2, n11=1, n00=0, so CC ≥ Kupiec's LR.
    expect(m.christoffersen.lrCC).toBeGreaterThanOrEqual(m.kupiec.lr);
    // No volatility data: no regime shift, no response time.
    expect(m.responseEvents).toBe(0);
    expect(m.responsePeriods).toBeNull();
  });

  it("scores only the window [from, to) and reports a 5-day rise apart from the 1-day one", () => {
    const im = Float64Array.from([0.1, 0.12, 0.15, 0.3, 0.3, 0.2, 0.35, 0.35]);
    const m = policyMetrics({
      name: "w",
      initialFraction: im,
      maintenanceFraction: im.map((x) => x * 0.5),
      worstLoss: new Float64Array(8).fill(0.01),
      simpleReturn: new Float64Array(8).fill(0.01),
      barReturns: nan(8),
      timestampsMs: days(8),
      intervalMs: DAY,
      confidence: 0.99,
      from: 1,
      to: 8,
    });
    // Bars 1..7: 1-day rises 0.25, 1.0, 0, −, 0.75, 0 → 1.0; 5-day pairs (6,1): 0.35/0.12−1 = 1.9167,
    // (7,2): 0.35/0.15−1 = 1.3333 → 1.9167 (the pair (5,0) is outside the window).
    expect(m.periods).toBe(7);
    expect(m.maxDailyRise).toBeCloseTo(1, 15);
    expect(m.max5DayRise).toBeCloseTo(0.35 / 0.12 - 1, 14);
    expect(m.peakToTrough).toBeCloseTo(0.35 / 0.12, 14);
    expect(m.mmBreaches).toBe(0);
    expect(m.worstShortfall).toBe(0);
  });

  it("refuses a window with fewer than two scored bars", () => {
    const one = Float64Array.from([0.1]);
    expect(() =>
      policyMetrics({
        name: "short",
        initialFraction: one,
        maintenanceFraction: one,
        worstLoss: one,
        simpleReturn: one,
        barReturns: one,
        timestampsMs: days(1),
        intervalMs: DAY,
        confidence: 0.99,
        from: 0,
        to: 1,
      }),
    ).toThrow(/scored bar/);
  });
});
