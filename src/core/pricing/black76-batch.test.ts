import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BATCH_CALL, BATCH_PUT, type Black76BatchOutputs, black76Batch } from "./black76-batch.ts";
import { black76Greeks } from "./black76-greeks.ts";
import { GREEK_NAMES } from "./option-greeks.ts";

function outputs(n: number): Black76BatchOutputs {
  return {
    price: new Float64Array(n),
    delta: new Float64Array(n),
    gamma: new Float64Array(n),
    vega: new Float64Array(n),
    theta: new Float64Array(n),
    rho: new Float64Array(n),
    vanna: new Float64Array(n),
    volga: new Float64Array(n),
  };
}

const row = fc.record({
  call: fc.boolean(),
  forward: fc.double({ min: 1, max: 1e5, noNaN: true }),
  z: fc.double({ min: -8, max: 8, noNaN: true }),
  expiryYears: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 5, noNaN: true })),
  vol: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 4, noNaN: true })),
  rate: fc.double({ min: -0.1, max: 0.3, noNaN: true }),
});

// Wide inputs: forwards over ten decades, strikes up to e^±12 times the forward (deep in and out
// of the money), expiries down to 1e-8 years, vols from 0.1% to the 5000% limit, rates ±200%.
const wideRow = fc.record({
  call: fc.boolean(),
  log10Forward: fc.double({ min: -3, max: 7, noNaN: true }),
  logMoneyness: fc.double({ min: -12, max: 12, noNaN: true }),
  expiryYears: fc.oneof(
    fc.double({ min: 1e-8, max: 0.01, noNaN: true }),
    fc.double({ min: 0, max: 30, noNaN: true }),
  ),
  vol: fc.oneof(
    fc.double({ min: 0.001, max: 0.1, noNaN: true }),
    fc.double({ min: 0, max: 50, noNaN: true }),
  ),
  rate: fc.double({ min: -2, max: 2, noNaN: true }),
});

describe("black76Batch", () => {
  it("prices like the object API to 1e-12 relative unless the price is tiny against D·(F + K)", () => {
    // The rule: where price ≥ 1e-3·D·(F + K), |batch − reference| ≤ 1e-12·reference; everywhere,
    // |batch − reference| ≤ 4e-15·D·(F + K). The batch forms D·θ·[F·Φ(θd₁) − K·Φ(θd₂)], whose
    // cancellation costs ~1 ulp of D·(F + K) (measured worst 5.7e-16 over 200,000 wide rows, so
    // 4.5e-13 relative at the 1e-3 threshold); the reference (normalised Black) has none.
    fc.assert(
      fc.property(fc.array(wideRow, { minLength: 1, maxLength: 40 }), (rows) => {
        const forward = Float64Array.from(rows, (r) => 10 ** r.log10Forward);
        const inputs = {
          kind: Uint8Array.from(rows, (r) => (r.call ? BATCH_CALL : BATCH_PUT)),
          forward,
          strike: Float64Array.from(rows, (r, i) => (forward[i] ?? 0) * Math.exp(r.logMoneyness)),
          expiryYears: Float64Array.from(rows, (r) => r.expiryYears),
          vol: Float64Array.from(rows, (r) => r.vol),
          rate: Float64Array.from(rows, (r) => r.rate),
        };
        const out = outputs(rows.length);
        black76Batch(inputs, out);
        rows.forEach((r, i) => {
          const f = inputs.forward[i] ?? 0;
          const k = inputs.strike[i] ?? 0;
          const reference = black76Greeks(r.call ? "call" : "put", f, k, r.expiryYears, r.vol, r.rate).price;
          const scale = Math.exp(-r.rate * r.expiryYears) * (f + k);
          const got = out.price[i] ?? Number.NaN;
          const error = Math.abs(got - reference);
          if (!(error <= 4e-15 * scale)) expect.fail(`price[${i}] = ${got}, reference ${reference}`);
          if (reference >= 1e-3 * scale && !(error <= 1e-12 * reference))
            expect.fail(`price[${i}] = ${got}, reference ${reference}: relative ${error / reference}`);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("matches the object API (the reference) Greek by Greek", () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 40 }), (rows) => {
        const n = rows.length;
        const inputs = {
          kind: Uint8Array.from(rows, (r) => (r.call ? BATCH_CALL : BATCH_PUT)),
          forward: Float64Array.from(rows, (r) => r.forward),
          strike: Float64Array.from(
            rows,
            (r) => r.forward * Math.exp(r.z * Math.max(r.vol * Math.sqrt(r.expiryYears), 0.01)),
          ),
          expiryYears: Float64Array.from(rows, (r) => r.expiryYears),
          vol: Float64Array.from(rows, (r) => r.vol),
          rate: Float64Array.from(rows, (r) => r.rate),
        };
        const out = outputs(n);
        black76Batch(inputs, out);
        rows.forEach((r, i) => {
          const strike = inputs.strike[i] ?? 0;
          const g = black76Greeks(r.call ? "call" : "put", r.forward, strike, r.expiryYears, r.vol, r.rate);
          for (const name of GREEK_NAMES) {
            const got = out[name][i] ?? Number.NaN;
            // The batch price is the textbook closed form, exact to ~ε·(F + K) absolutely; the
            // Greeks share their formulas with the reference.
            const tolerance = 1e-9 * Math.abs(g[name]) + 1e-14 * (r.forward + strike) * (1 + r.expiryYears);
            if (!(Math.abs(got - g[name]) <= tolerance))
              expect.fail(`${name}[${i}] = ${got}, reference ${g[name]}`);
          }
        });
      }),
      { numRuns: 200 },
    );
  });

  it("names the bad row and writes nothing", () => {
    const inputs = {
      kind: Uint8Array.of(0, 1),
      forward: Float64Array.of(100, 100),
      strike: Float64Array.of(100, 100),
      expiryYears: Float64Array.of(1, 1),
      vol: Float64Array.of(0.2, -0.2),
      rate: Float64Array.of(0, 0),
    };
    const out = outputs(2);
    expect(() => black76Batch(inputs, out)).toThrow(/vol\[1\]/);
    expect(out.price[0]).toBe(0);
    expect(() => black76Batch({ ...inputs, vol: Float64Array.of(0.2) }, out)).toThrow(
      /vol: must have length 2/,
    );
    expect(() => black76Batch({ ...inputs, vol: Float64Array.of(0.2, 0.2) }, outputs(1))).toThrow(
      /out.price/,
    );
  });
});
