import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bsmGreeks } from "./bsm-greeks.ts";
import { bsmImpliedVol } from "./bsm-implied-vol.ts";

describe("bsmImpliedVol", () => {
  it("round-trips BSM prices with dividend yields to 1e-10", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("call" as const, "put" as const),
        fc.double({ min: -12, max: 12, noNaN: true }),
        fc.double({ min: 0.02, max: 3, noNaN: true }),
        fc.double({ min: 1 / 365, max: 3, noNaN: true }),
        fc.double({ min: -0.01, max: 0.1, noNaN: true }),
        fc.double({ min: -0.01, max: 0.1, noNaN: true }),
        (kind, z, vol, expiryYears, rate, q) => {
          const strike = 100 * Math.exp(z * vol * Math.sqrt(expiryYears));
          const g = bsmGreeks(kind, 100, strike, expiryYears, vol, rate, q);
          fc.pre(g.price >= 1e-300 && g.price / (vol * g.vega) <= 1e5);
          const implied = bsmImpliedVol(kind, 100, strike, expiryYears, g.price, rate, q);
          expect(Math.abs(implied - vol) / vol).toBeLessThan(1e-10);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("states the BSM bounds: a call is worth less than S·e^{−qT}", () => {
    // S = 100, q = 5%, T = 1: upper bound 100·e^{−0.05} = 95.1229…
    expect(() => bsmImpliedVol("call", 100, 100, 1, 96, 0, 0.05)).toThrow(/95\.12/);
    expect(() => bsmImpliedVol("call", 0, 100, 1, 1, 0, 0)).toThrow(/spot/);
  });
});
