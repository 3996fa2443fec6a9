import { describe, expect, it } from "vitest";
import { closeLogReturns } from "../../core/data/log-returns.ts";
import type { PriceSeries } from "../../core/data/price-series.ts";
import {
  autocorrelation,
  excessKurtosis,
  pearsonCorrelation,
  sampleStdDev,
} from "../../core/data/sample-moments.ts";
import { generateSyntheticMarket } from "./generate-synthetic-market.ts";

const DAY = 86_400_000;
const squares = (r: Float64Array) => r.map((x) => x * x);

describe("generateSyntheticMarket: shape over 20 000 daily periods", () => {
  const market = generateSyntheticMarket({
    seed: 42,
    periods: 20_000,
    intervalMs: DAY,
    assets: ["BTC", "ETH", "SOL"],
  });
  const returns = market.series.map((s) => closeLogReturns(s));

  it("has fat tails: excess kurtosis clearly above 0", () => {
    // A normal sample of 20 000 has excess-kurtosis SE √(24/n) ≈ 0.035; we ask for > 3.
    for (const r of returns) expect(excessKurtosis(r)).toBeGreaterThan(3);
  });

  it("clusters volatility: ACF of squared returns clearly positive at lags 1–5", () => {
    // Under independence the ACF has SE ≈ 1/√n ≈ 0.007; each lag must exceed 0.02 (≈ 3 SE)
    // for the calibrated BTC and ETH, and the average over lags 1–5 must exceed 0.04 for all.
    for (const [i, r] of returns.entries()) {
      const acf = [1, 2, 3, 4, 5].map((k) => autocorrelation(squares(r), k));
      if (i < 2) for (const a of acf) expect(a).toBeGreaterThan(0.02);
      expect(acf.reduce((a, b) => a + b, 0) / 5).toBeGreaterThan(0.04);
    }
  });

  it("without GARCH and crashes the same checks fail (the tests can tell)", () => {
    const plain = generateSyntheticMarket({
      seed: 42,
      periods: 20_000,
      intervalMs: DAY,
      assets: ["BTC"],
      model: { garchAlphaDaily: 0, garchPersistenceDaily: 0.5, crashesPerYear: 0 },
    });
    const r = closeLogReturns(plain.series[0] as PriceSeries);
    const acf = [1, 2, 3, 4, 5].map((k) => autocorrelation(squares(r), k));
    expect(Math.max(...acf.map(Math.abs))).toBeLessThan(0.02);
  });

  it("hits its annualised volatility targets (crashes included)", () => {
    // Targets BTC 0.65, ETH 0.85, SOL 1.15; over 55 simulated years a ±8 % band.
    [0.65, 0.85, 1.15].forEach((target, i) => {
      const vol = sampleStdDev(returns[i] as Float64Array) * Math.sqrt(365);
      expect(Math.abs(vol / target - 1)).toBeLessThan(0.08);
    });
  });

  it("has crash episodes at about the configured rate, each a large joint fall", () => {
    // λ = 1 / year over 20 000 / 365 = 54.8 years: Poisson SD ≈ 7.4.
    expect(market.crashPeriods.length).toBeGreaterThan(30);
    expect(market.crashPeriods.length).toBeLessThan(80);
    const [btc, eth] = returns as [Float64Array, Float64Array];
    const dailySd = sampleStdDev(btc);
    let both = 0;
    for (const t of market.crashPeriods) {
      // Return index t − 1 ends on bar t; bar 0 has no return.
      if (t === 0) continue;
      if ((btc[t - 1] as number) < -2 * dailySd && (eth[t - 1] as number) < -2 * dailySd) both++;
    }
    expect(both / market.crashPeriods.length).toBeGreaterThan(0.8);
  });

  it("keeps the default BTC–ETH correlation near the real 0.83", () => {
    // Common crash jumps add a little correlation on top of the innovations' 0.83.
    expect(
      Math.abs(pearsonCorrelation(returns[0] as Float64Array, returns[1] as Float64Array) - 0.83),
    ).toBeLessThan(0.05);
  });

  it.each([0.2, 0.5, 0.83])("reproduces a configured correlation %f (crashes off)", (rho) => {
    const m = generateSyntheticMarket({
      seed: 7,
      periods: 20_000,
      intervalMs: DAY,
      assets: ["A", "B"],
      correlation: rho,
      model: { crashesPerYear: 0 },
    });
    const [a, b] = m.series.map((s) => closeLogReturns(s)) as [Float64Array, Float64Array];
    // SE of a correlation ≈ (1 − ρ²)/√n ≤ 0.007 for n = 20 000; fat tails and the GARCH
    // variance mismatch between assets roughly triple it, so ±0.03.
    expect(Math.abs(pearsonCorrelation(a, b) - rho)).toBeLessThan(0.03);
  });
});

describe("generateSyntheticMarket: bars", () => {
  it("builds consistent OHLC, continuous opens and volume that grows with |return|", () => {
    const m = generateSyntheticMarket({
      seed: 3,
      periods: 5000,
      intervalMs: 3_600_000,
      assets: ["BTC", "DOGE", "XYZ"],
    });
    for (const s of m.series) {
      const { open, high, low, close, volume } = s as Required<{
        [K in keyof PriceSeries]: NonNullable<PriceSeries[K]>;
      }>;
      const broken: number[] = [];
      for (let t = 0; t < s.close.length; t++) {
        const o = open[t] as number;
        const c = close[t] as number;
        const ok =
          (low[t] as number) > 0 &&
          (low[t] as number) <= Math.min(o, c) &&
          (high[t] as number) >= Math.max(o, c) &&
          (volume[t] as number) > 0 &&
          (t === 0 || o === close[t - 1]);
        if (!ok) broken.push(t);
      }
      expect(broken).toEqual([]);
      const absReturns = closeLogReturns(s).map(Math.abs);
      expect(pearsonCorrelation(absReturns, volume.subarray(1))).toBeGreaterThan(0.3);
      expect(s.timestampsMs[1]! - s.timestampsMs[0]!).toBe(3_600_000);
    }
    expect(m.symbols).toEqual(["BTC", "DOGE", "XYZ"]);
    expect(m.series[0]?.open?.[0]).toBe(60_000);
    expect(m.priceDecimals).toEqual([2, 6, 3]);
  });

  it("scales per-period variance with the interval: hourly annualises like daily", () => {
    const m = generateSyntheticMarket({
      seed: 11,
      periods: 24 * 365 * 4,
      intervalMs: 3_600_000,
      assets: ["BTC"],
    });
    const vol = sampleStdDev(closeLogReturns(m.series[0] as PriceSeries)) * Math.sqrt(8760);
    // Target 0.65; spreading crash jumps over a day lowers hourly variance a little.
    expect(vol).toBeGreaterThan(0.5);
    expect(vol).toBeLessThan(0.75);
  });

  it("is a pure function of its seed", () => {
    const a = generateSyntheticMarket({ seed: 9, periods: 300, intervalMs: DAY, assets: ["BTC", "ETH"] });
    const b = generateSyntheticMarket({ seed: 9, periods: 300, intervalMs: DAY, assets: ["BTC", "ETH"] });
    const c = generateSyntheticMarket({ seed: 10, periods: 300, intervalMs: DAY, assets: ["BTC", "ETH"] });
    expect(Array.from(a.series[1]?.close ?? [])).toEqual(Array.from(b.series[1]?.close ?? []));
    expect(Array.from(a.series[1]?.close ?? [])).not.toEqual(Array.from(c.series[1]?.close ?? []));
  });

  it("rejects bad options with the field named", () => {
    const base = { seed: 1, periods: 10, intervalMs: DAY, assets: ["BTC", "ETH", "SOL"] };
    expect(() => generateSyntheticMarket({ ...base, periods: 0 })).toThrow(/^periods:/);
    expect(() => generateSyntheticMarket({ ...base, seed: 1.5 })).toThrow(/^seed:/);
    expect(() => generateSyntheticMarket({ ...base, seed: 2 ** 32 })).toThrow(/^seed:/);
    expect(() => generateSyntheticMarket({ ...base, assets: ["BTC", "btc"] })).toThrow(
      /duplicate symbol 'BTC'/,
    );
    expect(() => generateSyntheticMarket({ ...base, correlation: [0.5, 0.5] })).toThrow(
      /expected one number or 3 pair values/,
    );
    expect(() => generateSyntheticMarket({ ...base, correlation: [0.9, 0.9, -0.9] })).toThrow(
      /not positive definite/,
    );
    expect(() => generateSyntheticMarket({ ...base, correlation: 1 })).toThrow(/must be in \(−1, 1\)/);
    expect(() => generateSyntheticMarket({ ...base, model: { degreesOfFreedom: 2 } })).toThrow(
      /degreesOfFreedom/,
    );
  });
});
