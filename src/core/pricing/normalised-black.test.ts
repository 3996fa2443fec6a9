import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalCdf } from "../dist/normal.ts";
import { normalisedBlack, normalisedVega } from "./normalised-black.ts";

interface ExactCase {
  model: string;
  kind: "call" | "put";
  underlying: number;
  strike: number;
  expiryYears: number;
  vol: number;
  rate: number;
  priceExact: number;
}

const exactCases = (
  JSON.parse(
    readFileSync(new URL("../../../test/fixtures/pricing/quantlib_greeks.json", import.meta.url), "utf8"),
  ) as { cases: ExactCase[] }
).cases.filter((c) => c.model === "black76" && c.priceExact > 1e-290);

describe("normalisedBlack", () => {
  it("at the money it is erf(s/(2√2)) = 2Φ(s/2) − 1", () => {
    for (const s of [0.01, 0.2, 1, 3, 10]) {
      expect(normalisedBlack(0, s)).toBeCloseTo(2 * normalCdf(0.5 * s) - 1, 15);
    }
  });

  it("matches the 60-digit prices of the fixture to 1e-12 relative (deep OTM down to 1e-100)", () => {
    let worst = 0;
    for (const c of exactCases) {
      const x = (c.kind === "call" ? 1 : -1) * Math.log(c.underlying / c.strike);
      const scale = Math.exp(-c.rate * c.expiryYears) * Math.sqrt(c.underlying * c.strike);
      const b = normalisedBlack(x, c.vol * Math.sqrt(c.expiryYears));
      worst = Math.max(worst, Math.abs(b * scale - c.priceExact) / c.priceExact);
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it("is positive, increasing in s and bounded by e^{x/2}, below the money", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -20, max: 0, noNaN: true }),
        fc.double({ min: 1e-3, max: 20, noNaN: true }),
        (x, s) => {
          const b = normalisedBlack(x, s);
          expect(b).toBeGreaterThanOrEqual(0);
          expect(b).toBeLessThanOrEqual(Math.exp(0.5 * x));
          expect(normalisedBlack(x, s * 1.01)).toBeGreaterThanOrEqual(b);
        },
      ),
    );
  });

  it("agrees with the textbook form where that one does not cancel, and vega is its derivative", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: 0.05, max: 3, noNaN: true }),
        (x, s) => {
          const textbook =
            Math.exp(0.5 * x) * normalCdf(x / s + s / 2) - Math.exp(-0.5 * x) * normalCdf(x / s - s / 2);
          expect(Math.abs(normalisedBlack(x, s) - textbook)).toBeLessThan(1e-14);
          const h = 1e-5 * s;
          const fd = (normalisedBlack(x, s + h) - normalisedBlack(x, s - h)) / (2 * h);
          expect(Math.abs(fd - normalisedVega(x, s))).toBeLessThan(1e-8);
        },
      ),
    );
  });
});
