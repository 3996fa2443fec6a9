import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { black76FromStdDev, black76Price } from "./black76.ts";
import { black76Greeks } from "./black76-greeks.ts";

describe("black76Price", () => {
  it("matches a hand-computed at-the-money value", () => {
    // F = K = 100, σ = 20%, T = 1, r = 0: d₁ = 0.1, d₂ = −0.1, price = 100·(Φ(0.1) − Φ(−0.1))
    // = 100·0.0796556745… = 7.96556745…
    expect(black76Price("call", 100, 100, 1, 0.2, 0)).toBeCloseTo(7.965567455405804, 12);
  });

  it("black76FromStdDev with vol·√T and exp(−rT) computed once gives black76Price's very floats", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        fc.double({ min: 0.5, max: 2, noNaN: true }),
        fc.double({ min: -1, max: 5, noNaN: true }),
        fc.double({ min: 0.01, max: 3, noNaN: true }),
        fc.double({ min: -0.05, max: 0.2, noNaN: true }),
        fc.array(fc.double({ min: -0.9, max: 2, noNaN: true }), { minLength: 1, maxLength: 8 }),
        (isCall, spot, moneyness, years, vol, rate, moves) => {
          const strike = spot * moneyness;
          const discount = Math.exp(-rate * Math.max(years, 0));
          const stdDev = vol * Math.sqrt(Math.max(years, 0));
          for (const m of moves) {
            const forward = spot * (1 + m);
            expect(
              Object.is(
                black76FromStdDev(isCall, forward, strike, stdDev, discount),
                black76Price(isCall ? "call" : "put", forward, strike, years, vol, rate),
              ),
            ).toBe(true);
          }
        },
      ),
    );
  });

  it("agrees with black76Greeks (the margin code's price is the Greeks' price) to 1e-14 of F + K", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 10, max: 1e5, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.double({ min: -0.05, max: 0.2, noNaN: true }),
        fc.constantFrom("call" as const, "put" as const),
        (forward, logMoneyness, expiryYears, vol, rate, kind) => {
          const strike = forward * Math.exp(logMoneyness);
          const a = black76Price(kind, forward, strike, expiryYears, vol, rate);
          const b = black76Greeks(kind, forward, strike, expiryYears, vol, rate).price;
          expect(Math.abs(a - b)).toBeLessThan(1e-14 * (forward + strike) * 4);
        },
      ),
    );
  });
});
