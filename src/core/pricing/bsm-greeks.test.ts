import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { MarginalError } from "../errors.ts";
import { bsmGreeks } from "./bsm-greeks.ts";
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

// scripts/fixtures/pricing_quantlib.py: QuantLib 1.29's AnalyticEuropeanEngine on a
// GeneralizedBlackScholesProcess; vanna and volga are QuantLib finite differences (1e-7).
const cases = (
  JSON.parse(
    readFileSync(new URL("../../../test/fixtures/pricing/quantlib_greeks.json", import.meta.url), "utf8"),
  ) as { cases: QuantLibCase[] }
).cases.filter((c) => c.model === "bsm");

/** 1e-9 relative or 1e-12 absolute per 100 of spot (see black76-greeks.test.ts). */
function agrees(actual: number, expected: number, relative: number, absolutePer100: number, scale: number) {
  const error = Math.abs(actual - expected);
  return error <= relative * Math.abs(expected) || error <= (absolutePer100 * scale) / 100;
}

describe("bsmGreeks against QuantLib", () => {
  it("covers 130 cases with dividend yields and negative rates", () => {
    expect(cases.length).toBe(130);
    expect(cases.some((c) => c.dividendYield > 0)).toBe(true);
    expect(cases.some((c) => c.rate < 0)).toBe(true);
  });

  for (const greek of GREEK_NAMES) {
    it(`${greek} agrees with QuantLib`, () => {
      for (const c of cases) {
        const g = bsmGreeks(c.kind, c.underlying, c.strike, c.expiryYears, c.vol, c.rate, c.dividendYield);
        const fd = c.finiteDifference.includes(greek);
        const ok = agrees(g[greek], c[greek], fd ? 1e-7 : 1e-9, fd ? 1e-10 : 1e-12, c.underlying);
        if (!ok) expect.fail(`${greek} ${JSON.stringify(c)}: got ${g[greek]}`);
      }
    });
  }

  it("price agrees with the 60-digit value to 1e-12 relative", () => {
    for (const c of cases) {
      if (c.priceExact < 1e-290) continue;
      const g = bsmGreeks(c.kind, c.underlying, c.strike, c.expiryYears, c.vol, c.rate, c.dividendYield);
      expect(Math.abs(g.price - c.priceExact) / c.priceExact).toBeLessThan(1e-12);
    }
  });
});

const moderate = fc.record({
  spot: fc.double({ min: 50, max: 200, noNaN: true }),
  z: fc.double({ min: -2.5, max: 2.5, noNaN: true }),
  expiryYears: fc.double({ min: 0.02, max: 3, noNaN: true }),
  vol: fc.double({ min: 0.05, max: 3, noNaN: true }),
  rate: fc.double({ min: -0.02, max: 0.15, noNaN: true }),
  dividendYield: fc.double({ min: -0.02, max: 0.1, noNaN: true }),
  kind: fc.constantFrom("call" as const, "put" as const),
});

function central(f: (v: number) => number, x: number, h: number): number {
  // Richardson-extrapolated central difference: truncation O(h⁴), rounding ~ε·|f|/h.
  const step = (s: number) => (f(x + s) - f(x - s)) / (2 * s);
  return (4 * step(h / 2) - step(h)) / 3;
}

function closeToDifference(exact: number, fd: number, noise: number): void {
  expect(Math.abs(fd - exact)).toBeLessThanOrEqual(1e-5 * Math.abs(exact) + noise);
}

describe("bsmGreeks properties", () => {
  it("every Greek is the derivative of what it claims to be (spot, vol, calendar time, rate)", () => {
    fc.assert(
      fc.property(moderate, ({ spot, z, expiryYears, vol, rate, dividendYield, kind }) => {
        const stdDev = vol * Math.sqrt(expiryYears);
        const strike = spot * Math.exp(z * stdDev);
        const at = (s = spot, t = expiryYears, v = vol, r = rate) =>
          bsmGreeks(kind, s, strike, t, v, r, dividendYield);
        const g = at();
        const hS = 1e-4 * spot * stdDev;
        const hV = 1e-4 * vol;
        const hT = 1e-4 * expiryYears;
        const noise = (h: number, size: number) => (1e-13 * size) / h;
        const size = spot + strike;
        closeToDifference(
          g.delta,
          central((s) => at(s).price, spot, hS),
          noise(hS, size),
        );
        closeToDifference(
          g.gamma,
          central((s) => at(s).delta, spot, hS),
          noise(hS, 1),
        );
        closeToDifference(
          g.vega,
          central((v) => at(spot, expiryYears, v).price, vol, hV),
          noise(hV, size),
        );
        closeToDifference(g.theta, -central((t) => at(spot, t).price, expiryYears, hT), noise(hT, size));
        closeToDifference(
          g.rho,
          central((r) => at(spot, expiryYears, vol, r).price, rate, 1e-4),
          noise(1e-4, size),
        );
        closeToDifference(
          g.vanna,
          central((s) => at(s).vega, spot, hS),
          noise(hS, size),
        );
        closeToDifference(
          g.volga,
          central((v) => at(spot, expiryYears, v).vega, vol, hV),
          noise(hV, size),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("put–call parity: C − P = S·e^{−qT} − K·e^{−rT}", () => {
    fc.assert(
      fc.property(moderate, ({ spot, z, expiryYears, vol, rate, dividendYield }) => {
        const strike = spot * Math.exp(z * vol * Math.sqrt(expiryYears));
        const call = bsmGreeks("call", spot, strike, expiryYears, vol, rate, dividendYield);
        const put = bsmGreeks("put", spot, strike, expiryYears, vol, rate, dividendYield);
        const parity = spot * Math.exp(-dividendYield * expiryYears) - strike * Math.exp(-rate * expiryYears);
        expect(Math.abs(call.price - put.price - parity)).toBeLessThan(1e-14 * (spot + strike) * 4);
        expect(call.delta - put.delta).toBeCloseTo(Math.exp(-dividendYield * expiryYears), 13);
        const rhoGap = call.rho - put.rho - strike * expiryYears * Math.exp(-rate * expiryYears);
        expect(Math.abs(rhoGap)).toBeLessThan(1e-13 * (spot + strike) * expiryYears);
      }),
    );
  });

  it("at expiry and at zero vol: intrinsic value, no NaN", () => {
    // S = 100, K = 90, r = 5%, q = 2%, σ = 0, T = 1: forward 100·e^{0.03} > 90, so the call is
    // 100·e^{−0.02} − 90·e^{−0.05} and delta e^{−0.02}.
    const g = bsmGreeks("call", 100, 90, 1, 0, 0.05, 0.02);
    expect(g.price).toBeCloseTo(100 * Math.exp(-0.02) - 90 * Math.exp(-0.05), 12);
    expect(g.delta).toBeCloseTo(Math.exp(-0.02), 15);
    expect(g.rho).toBeCloseTo(90 * Math.exp(-0.05), 12);
    const atExpiry = bsmGreeks("put", 100, 110, 0, 0.4, 0.05, 0.02);
    expect(atExpiry.price).toBe(10);
    expect(atExpiry.delta).toBe(-1);
    for (const name of GREEK_NAMES) expect(Number.isFinite(atExpiry[name])).toBe(true);
  });

  it("no NaN or infinity over the whole valid domain", () => {
    const logUniform = (lo: number, hi: number) =>
      fc.double({ min: lo, max: hi, noNaN: true }).map((e) => 10 ** e);
    fc.assert(
      fc.property(
        logUniform(-99, 99),
        logUniform(-99, 99),
        fc.oneof(fc.constant(0), fc.double({ min: 0, max: 30, noNaN: true })),
        fc.oneof(fc.constant(0), fc.double({ min: 0, max: 50, noNaN: true })),
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.constantFrom("call" as const, "put" as const),
        (spot, strike, expiryYears, vol, rate, q, kind) => {
          const g = bsmGreeks(kind, spot, strike, expiryYears, vol, rate, q);
          for (const name of GREEK_NAMES) {
            if (!Number.isFinite(g[name])) expect.fail(`${name} = ${g[name]}`);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("rejects a bad dividend yield and names the spot", () => {
    expect(() => bsmGreeks("call", 100, 100, 1, 0.2, 0, Number.POSITIVE_INFINITY)).toThrow(/dividendYield/);
    try {
      bsmGreeks("call", -1, 100, 1, 0.2, 0, 0);
      expect.fail("accepted a negative spot");
    } catch (error) {
      expect((error as MarginalError).field).toBe("spot");
    }
  });
});
