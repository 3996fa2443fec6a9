import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { describe, expect, it } from "vitest";
import { normalQuantile } from "../dist/normal.ts";
import { garmanKlassVariance, parkinsonVariance } from "./range-volatility.ts";

describe("range-based variance", () => {
  it("matches hand-computed Parkinson and Garman–Klass values on one bar", () => {
    // O = 100, H = 110, L = 95, C = 105.
    // ln(H/L) = ln(1.157894…) = 0.146603474…; ln(C/O) = ln 1.05 = 0.048790164…
    // Parkinson = 0.146603474² / (4 ln 2) = 0.021492578 / 2.772588722 = 0.007751805…
    // GK = ½·0.021492578 − (2 ln 2 − 1)·0.048790164² = 0.010746289 − 0.386294361·0.002380481
    //    = 0.010746289 − 0.000919567 = 0.009826722…
    const o = Float64Array.of(100);
    const h = Float64Array.of(110);
    const l = Float64Array.of(95);
    const c = Float64Array.of(105);
    expect(parkinsonVariance(h, l)).toBeCloseTo(0.007751805, 8);
    expect(garmanKlassVariance(o, h, l, c)).toBeCloseTo(0.009826722, 8);
  });

  it("recovers the variance of a simulated driftless Brownian motion (seeded)", () => {
    // 400 bars of 1000 Gaussian steps each, σ = 2% per bar. Discrete sampling misses part of
    // the true range, so both estimators are slightly low (~3% here); 8% tolerance.
    const rng = xoroshiro128plus(20240611);
    const bars = 400;
    const steps = 1000;
    const sigmaBar = 0.02;
    const stepSigma = sigmaBar / Math.sqrt(steps);
    const open = new Float64Array(bars);
    const high = new Float64Array(bars);
    const low = new Float64Array(bars);
    const close = new Float64Array(bars);
    let logPrice = Math.log(100);
    for (let b = 0; b < bars; b++) {
      let hi = logPrice;
      let lo = logPrice;
      open[b] = Math.exp(logPrice);
      for (let s = 0; s < steps; s++) {
        logPrice += stepSigma * normalQuantile(uniformFloat64(rng) * (1 - 2e-16) + 1e-16);
        if (logPrice > hi) hi = logPrice;
        if (logPrice < lo) lo = logPrice;
      }
      high[b] = Math.exp(hi);
      low[b] = Math.exp(lo);
      close[b] = Math.exp(logPrice);
    }
    const truth = sigmaBar * sigmaBar;
    expect(parkinsonVariance(high, low) / truth).toBeGreaterThan(0.92);
    expect(parkinsonVariance(high, low) / truth).toBeLessThan(1.08);
    expect(garmanKlassVariance(open, high, low, close) / truth).toBeGreaterThan(0.92);
    expect(garmanKlassVariance(open, high, low, close) / truth).toBeLessThan(1.08);
  });

  it("rejects inconsistent bars, naming the bar", () => {
    expect(() => parkinsonVariance(Float64Array.of(90), Float64Array.of(95))).toThrow(/bars\[0\]/);
    expect(() =>
      garmanKlassVariance(
        Float64Array.of(100),
        Float64Array.of(110),
        Float64Array.of(95),
        Float64Array.of(120),
      ),
    ).toThrow(/bars\[0\]/);
  });
});
