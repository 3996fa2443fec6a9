import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MarginalError } from "../errors.ts";
import { black76Greeks } from "./black76-greeks.ts";
import { black76ImpliedVol, MAX_IMPLIED_VOL_CONDITION } from "./black76-implied-vol.ts";

const KINDS = ["call", "put"] as const;
const EXPIRIES = [1 / 365, 7 / 365, 30 / 365, 0.25, 1, 3];
const VOLS = [0.05, 0.1, 0.3, 0.8, 1.5, 3];
// Strikes at F·e^{z·σ√T}: from 40 standard deviations in the money to 40 out of it.
const ZS = [-40, -20, -12, -8, -5, -3, -1, -0.3, 0, 0.3, 1, 3, 5, 8, 12, 20, 40];

describe("black76ImpliedVol round trip", () => {
  it("recovers σ to 1e-10 across the grid wherever the price is ≥ 1e-300 and κ = V/(σ·vega) ≤ 1e5", () => {
    let checked = 0;
    let deepOtm = 0;
    let worst = 0;
    for (const kind of KINDS)
      for (const expiryYears of EXPIRIES)
        for (const vol of VOLS)
          for (const z of ZS) {
            const forward = 100;
            const strike = forward * Math.exp(z * vol * Math.sqrt(expiryYears));
            const g = black76Greeks(kind, forward, strike, expiryYears, vol, 0.03);
            const kappa = g.price / (vol * g.vega);
            if (!(g.price >= 1e-300) || !(kappa <= 1e5)) continue;
            const implied = black76ImpliedVol(kind, forward, strike, expiryYears, g.price, 0.03);
            const error = Math.abs(implied - vol) / vol;
            worst = Math.max(worst, error);
            if (error > 1e-10) expect.fail(`${kind} T=${expiryYears} σ=${vol} z=${z}: ${implied}`);
            checked++;
            if (g.price < 1e-12 * forward) deepOtm++;
          }
    expect(checked).toBeGreaterThan(750);
    expect(deepOtm).toBeGreaterThan(200);
    expect(worst).toBeLessThan(1e-10);
  });

  it("beyond κ = 1e5 the error stays within κ·1e-15, or the price is rejected as not identifiable", () => {
    for (const kind of KINDS)
      for (const vol of VOLS)
        for (const z of ZS) {
          const strike = 100 * Math.exp(z * vol);
          const g = black76Greeks(kind, 100, strike, 1, vol, 0);
          const kappa = g.price / (vol * g.vega);
          if (!(kappa > 1e5) || !(g.price > 0)) continue;
          try {
            const implied = black76ImpliedVol(kind, 100, strike, 1, g.price, 0);
            // A deep in-the-money price equal to intrinsic to rounding gives 0.
            if (implied !== 0) expect(Math.abs(implied - vol) / vol).toBeLessThan(kappa * 1e-15);
          } catch (error) {
            expect((error as MarginalError).message).toMatch(/not identifiable/);
            expect(kappa).toBeGreaterThan(MAX_IMPLIED_VOL_CONDITION / 100);
          }
        }
  });

  it("round-trips random arbitrage-free prices (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...KINDS),
        fc.double({ min: -30, max: 30, noNaN: true }),
        fc.double({ min: 0.001, max: 10, noNaN: true }),
        fc.double({ min: 0.01, max: 5, noNaN: true }),
        (kind, z, vol, expiryYears) => {
          const strike = 100 * Math.exp(z * vol * Math.sqrt(expiryYears));
          fc.pre(strike >= 1e-100 && strike <= 1e100);
          const g = black76Greeks(kind, 100, strike, expiryYears, vol, 0.01);
          const kappa = g.price / (vol * g.vega);
          fc.pre(g.price >= 1e-300 && kappa <= 1e5);
          const implied = black76ImpliedVol(kind, 100, strike, expiryYears, g.price, 0.01);
          expect(Math.abs(implied - vol) / vol).toBeLessThan(1e-10);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("black76ImpliedVol bounds and edges", () => {
  it("rejects prices outside the no-arbitrage bounds and states them", () => {
    // Call, F = 100, K = 90, r = 0, T = 1: bounds [10, 100).
    expect(() => black76ImpliedVol("call", 100, 90, 1, 9.5, 0)).toThrow(/no-arbitrage bounds \[10, 100\)/);
    expect(() => black76ImpliedVol("call", 100, 90, 1, 100, 0)).toThrow(/\[10, 100\)/);
    // Put with r = 5%: upper bound D·K = 90·e^{−0.05} = 85.6106…
    expect(() => black76ImpliedVol("put", 100, 90, 1, 86, 0.05)).toThrow(/85\.61/);
    try {
      black76ImpliedVol("call", 100, 90, 1, -1, 0);
      expect.fail("accepted a negative price");
    } catch (error) {
      expect(error).toBeInstanceOf(MarginalError);
      expect((error as MarginalError).field).toBe("price");
      expect((error as MarginalError).details).toEqual({ lowerBound: 10, upperBound: 100 });
    }
  });

  it("gives 0 at the discounted intrinsic value and rejects expiry 0", () => {
    expect(black76ImpliedVol("call", 100, 90, 1, 10 * Math.exp(-0.02), 0.02)).toBe(0);
    expect(black76ImpliedVol("put", 100, 90, 2, 0, 0)).toBe(0);
    expect(() => black76ImpliedVol("call", 100, 90, 0, 10, 0)).toThrow(/expiryYears/);
  });

  it("recovers a hand-computed at-the-money vol", () => {
    // ATM, r = 0: price = F·(2Φ(σ√T/2) − 1) = 7.965567455405804 for σ = 20%, T = 1 (see black76.test.ts).
    expect(black76ImpliedVol("call", 100, 100, 1, 7.965567455405804, 0)).toBeCloseTo(0.2, 14);
  });

  it("solves prices near the upper bound (very high vol) and tiny deep OTM prices", () => {
    // σ√T = 6: price ≈ 99.73 of the bound 100, κ ≈ 38. At σ√T = 12, κ ≈ 1.4e7 and the
    // round trip is only good to ~1e-9, as κ·ε predicts.
    const high = black76Greeks("call", 100, 100, 1, 6, 0).price;
    expect(Math.abs(black76ImpliedVol("call", 100, 100, 1, high, 0) - 6) / 6).toBeLessThan(1e-10);
    const tiny = black76Greeks("call", 100, 400, 0.1, 0.3, 0).price; // ≈ 1e-46
    expect(tiny).toBeLessThan(1e-40);
    expect(black76ImpliedVol("call", 100, 400, 0.1, tiny, 0)).toBeCloseTo(0.3, 12);
  });
});
