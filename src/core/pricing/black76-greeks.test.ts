import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MarginalError } from "../errors.ts";
import { black76Greeks } from "./black76-greeks.ts";
import { GREEK_NAMES, type OptionGreeks } from "./option-greeks.ts";

interface QuantLibCase extends OptionGreeks {
  model: "black76" | "bsm";
  kind: "call" | "put";
  underlying: number;
  strike: number;
  expiryYears: number;
  vol: number;
  rate: number;
  dividendYield: number;
  priceExact: number;
  finiteDifference: string[];
}

// scripts/fixtures/pricing_quantlib.py: QuantLib 1.29's BlackCalculator; rho, vanna and volga are
// QuantLib finite differences there (compared at 1e-7), priceExact is 60-digit mpmath.
const cases = (
  JSON.parse(
    readFileSync(new URL("../../../test/fixtures/pricing/quantlib_greeks.json", import.meta.url), "utf8"),
  ) as { cases: QuantLibCase[] }
).cases.filter((c) => c.model === "black76");

/**
 * Agreement test of the brief: 1e-9 relative or 1e-12 absolute, the absolute part per 100 of
 * underlying (prices and Greeks are homogeneous in the underlying, and the fixture has forwards
 * up to 43 000, where the double-precision closed form itself only holds ~1e-16 × 43 000).
 */
function agrees(actual: number, expected: number, relative: number, absolutePer100: number, scale: number) {
  const error = Math.abs(actual - expected);
  return error <= relative * Math.abs(expected) || error <= (absolutePer100 * scale) / 100;
}

describe("black76Greeks against QuantLib", () => {
  it("covers 130 cases from 1 day to 3 years, 5% to 300% vol, calls and puts", () => {
    expect(cases.length).toBe(130);
    expect(Math.min(...cases.map((c) => c.expiryYears))).toBeCloseTo(1 / 365, 12);
    expect(Math.max(...cases.map((c) => c.vol))).toBe(3);
  });

  for (const greek of GREEK_NAMES) {
    it(`${greek} agrees with QuantLib`, () => {
      for (const c of cases) {
        const g = black76Greeks(c.kind, c.underlying, c.strike, c.expiryYears, c.vol, c.rate);
        const fd = c.finiteDifference.includes(greek);
        const ok = agrees(g[greek], c[greek], fd ? 1e-7 : 1e-9, fd ? 1e-10 : 1e-12, c.underlying);
        if (!ok) expect.fail(`${greek} ${JSON.stringify(c)}: got ${g[greek]}`);
      }
    });
  }

  it("price agrees with the 60-digit value to 1e-12 relative, deep out of the money included", () => {
    for (const c of cases) {
      if (c.priceExact < 1e-290) continue;
      const g = black76Greeks(c.kind, c.underlying, c.strike, c.expiryYears, c.vol, c.rate);
      expect(Math.abs(g.price - c.priceExact) / c.priceExact).toBeLessThan(1e-12);
    }
  });
});

const moderate = fc.record({
  forward: fc.double({ min: 50, max: 200, noNaN: true }),
  z: fc.double({ min: -2.5, max: 2.5, noNaN: true }),
  expiryYears: fc.double({ min: 0.02, max: 3, noNaN: true }),
  vol: fc.double({ min: 0.05, max: 3, noNaN: true }),
  rate: fc.double({ min: -0.02, max: 0.15, noNaN: true }),
  kind: fc.constantFrom("call" as const, "put" as const),
});

function central(f: (v: number) => number, x: number, h: number): number {
  // Richardson-extrapolated central difference: truncation O(h⁴), rounding ~ε·|f|/h.
  const step = (s: number) => (f(x + s) - f(x - s)) / (2 * s);
  return (4 * step(h / 2) - step(h)) / 3;
}

/** |fd − exact| within 1e-5 relative, or within the difference's rounding noise. */
function closeToDifference(exact: number, fd: number, noise: number): void {
  expect(Math.abs(fd - exact)).toBeLessThanOrEqual(1e-5 * Math.abs(exact) + noise);
}

describe("black76Greeks finite-difference properties", () => {
  it("every Greek is the derivative of what it claims to be", () => {
    fc.assert(
      fc.property(moderate, ({ forward, z, expiryYears, vol, rate, kind }) => {
        const stdDev = vol * Math.sqrt(expiryYears);
        const strike = forward * Math.exp(z * stdDev);
        const at = (f = forward, t = expiryYears, v = vol, r = rate) =>
          black76Greeks(kind, f, strike, t, v, r);
        const g = at();
        const hF = 1e-4 * forward * stdDev;
        const hV = 1e-4 * vol;
        const hT = 1e-4 * expiryYears;
        const noise = (h: number, size: number) => (1e-13 * size) / h;
        closeToDifference(
          g.delta,
          central((f) => at(f).price, forward, hF),
          noise(hF, forward),
        );
        closeToDifference(
          g.gamma,
          central((f) => at(f).delta, forward, hF),
          noise(hF, 1),
        );
        closeToDifference(
          g.vega,
          central((v) => at(forward, expiryYears, v).price, vol, hV),
          noise(hV, forward),
        );
        closeToDifference(
          g.theta,
          -central((t) => at(forward, t).price, expiryYears, hT),
          noise(hT, forward),
        );
        closeToDifference(
          g.rho,
          central((r) => at(forward, expiryYears, vol, r).price, rate, 1e-4),
          noise(1e-4, forward),
        );
        closeToDifference(
          g.vanna,
          central((f) => at(f).vega, forward, hF),
          noise(hF, forward),
        );
        closeToDifference(
          g.volga,
          central((v) => at(forward, expiryYears, v).vega, vol, hV),
          noise(hV, forward),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("put–call parity: C − P = D·(F − K), Δ_C − Δ_P = D, equal gamma and vega", () => {
    fc.assert(
      fc.property(moderate, ({ forward, z, expiryYears, vol, rate }) => {
        const strike = forward * Math.exp(z * vol * Math.sqrt(expiryYears));
        const call = black76Greeks("call", forward, strike, expiryYears, vol, rate);
        const put = black76Greeks("put", forward, strike, expiryYears, vol, rate);
        const discount = Math.exp(-rate * expiryYears);
        // Rounding of prices of size max(F, K): a few ulps of F + K.
        const parityGap = call.price - put.price - discount * (forward - strike);
        expect(Math.abs(parityGap)).toBeLessThan(1e-14 * (forward + strike));
        expect(call.delta - put.delta).toBeCloseTo(discount, 14);
        expect(call.gamma).toBeCloseTo(put.gamma, 14);
        expect(Math.abs(call.vega - put.vega)).toBeLessThan(1e-14 * forward);
      }),
    );
  });
});

describe("black76Greeks at the edges", () => {
  it("at expiry: intrinsic value, delta 0/½/1, no time value Greeks", () => {
    // F = 110, K = 100, T = 0: call = 10, put = 0, delta 1 and 0; at the strike delta is ½.
    expect(black76Greeks("call", 110, 100, 0, 0.5, 0.05)).toEqual({
      price: 10,
      delta: 1,
      gamma: 0,
      vega: 0,
      theta: 0.5,
      rho: -0,
      vanna: 0,
      volga: 0,
    });
    expect(black76Greeks("put", 110, 100, 0, 0.5, 0.05).price).toBe(0);
    expect(black76Greeks("put", 100, 100, 0, 0.5, 0.05).delta).toBe(-0.5);
  });

  it("zero vol before expiry: discounted intrinsic; at the strike vega = D·F·√T/√(2π)", () => {
    const discount = Math.exp(-0.05);
    const g = black76Greeks("call", 120, 100, 1, 0, 0.05);
    expect(g.price).toBeCloseTo(20 * discount, 13);
    expect(g.delta).toBeCloseTo(discount, 15);
    expect(g.rho).toBeCloseTo(-20 * discount, 13);
    const atm = black76Greeks("call", 100, 100, 4, 0, 0.05);
    const d4 = Math.exp(-0.2);
    // φ(0) = 0.3989422804014327; vega = D·100·2·φ(0) = 79.788…·D; vanna = D·2·φ(0)/2.
    expect(atm.vega).toBeCloseTo(d4 * 200 * 0.3989422804014327, 12);
    expect(atm.vanna).toBeCloseTo(d4 * 0.3989422804014327, 14);
  });

  it("the vol → 0 and T → 0 limits are continuous with tiny positive values", () => {
    const limit = black76Greeks("call", 100, 100, 1, 0, 0.02);
    const near = black76Greeks("call", 100, 100, 1, 1e-12, 0.02);
    expect(near.price).toBeCloseTo(limit.price, 8);
    expect(near.delta).toBeCloseTo(limit.delta, 8);
    expect(near.vega).toBeCloseTo(limit.vega, 8);
    expect(near.vanna).toBeCloseTo(limit.vanna, 8);
    const otm = black76Greeks("put", 100, 90, 1e-12, 0.8, 0.02);
    expect(otm.price).toBe(0);
    expect(otm.delta).toBe(-0);
  });

  it("no NaN or infinity anywhere in the valid domain", () => {
    const logUniform = (lo: number, hi: number) =>
      fc.double({ min: lo, max: hi, noNaN: true }).map((e) => 10 ** e);
    fc.assert(
      fc.property(
        logUniform(-99, 99),
        logUniform(-99, 99),
        fc.oneof(fc.constant(0), fc.double({ min: 0, max: 30, noNaN: true })),
        fc.oneof(fc.constant(0), fc.double({ min: 0, max: 50, noNaN: true }), logUniform(-300, -1)),
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.constantFrom("call" as const, "put" as const),
        (forward, strike, expiryYears, vol, rate, kind) => {
          const g = black76Greeks(kind, forward, strike, expiryYears, vol, rate);
          for (const name of GREEK_NAMES) {
            if (!Number.isFinite(g[name])) expect.fail(`${name} = ${g[name]}`);
          }
          expect(g.price).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("rejects bad input with an error naming the field", () => {
    const cases: [string, () => unknown][] = [
      ["vol", () => black76Greeks("call", 100, 100, 1, -0.1, 0)],
      ["forward", () => black76Greeks("call", 0, 100, 1, 0.2, 0)],
      ["strike", () => black76Greeks("call", 100, -5, 1, 0.2, 0)],
      ["expiryYears", () => black76Greeks("call", 100, 100, -1, 0.2, 0)],
      ["rate", () => black76Greeks("call", 100, 100, 1, 0.2, Number.NaN)],
      ["vol", () => black76Greeks("call", 100, 100, 1, 75, 0)],
    ];
    for (const [field, call] of cases) {
      try {
        call();
        expect.fail(`${field} accepted`);
      } catch (error) {
        expect(error).toBeInstanceOf(MarginalError);
        expect((error as MarginalError).field).toBe(field);
        expect((error as MarginalError).code).toBe("invalid_input");
      }
    }
  });
});
