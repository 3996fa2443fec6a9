import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BATCH_CALL,
  BATCH_PUT,
  BLACK76_BATCH_USES_SIMD,
  type Black76BatchInputs,
  type Black76BatchOutputs,
  black76Batch,
  black76BatchPortable,
} from "./black76-batch.ts";
import { black76Greeks } from "./black76-greeks.ts";
import { SIMD_CHUNK_OPTIONS } from "./black76-simd.ts";
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

// Every property is checked on both paths: the WebAssembly SIMD kernel (what black76Batch runs
// on Node) and the JavaScript fallback.
describe.each([
  { path: "SIMD kernel", black76Batch },
  { path: "JavaScript fallback", black76Batch: black76BatchPortable },
])("black76Batch ($path)", ({ black76Batch }) => {
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

/** Wide random rows, at-expiry ones included (T = 0 or σ = 0), as columns. */
function wideBatch(n: number, seed: number): Black76BatchInputs {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const inputs = {
    kind: new Uint8Array(n),
    forward: new Float64Array(n),
    strike: new Float64Array(n),
    expiryYears: new Float64Array(n),
    vol: new Float64Array(n),
    rate: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    inputs.kind[i] = uniform() < 0.5 ? BATCH_CALL : BATCH_PUT;
    const forward = 10 ** (-3 + 10 * uniform());
    inputs.forward[i] = forward;
    // Half near the money (F/K within e^±0.2, where both paths take ln F/K the same way), half
    // up to e^±12 away.
    inputs.strike[i] = forward * Math.exp((uniform() < 0.5 ? 0.4 : 24) * (uniform() - 0.5));
    inputs.expiryYears[i] = uniform() < 0.03 ? 0 : uniform() < 0.1 ? 1e-8 * uniform() : 30 * uniform();
    inputs.vol[i] = uniform() < 0.03 ? 0 : uniform() < 0.5 ? 0.05 + uniform() : 50 * uniform();
    inputs.rate[i] = 4 * uniform() - 2;
  }
  return inputs;
}

describe("black76Batch's SIMD kernel", () => {
  it("is what black76Batch runs on this runtime", () => {
    // Node ≥ 16.4 has WebAssembly SIMD; if this fails, the kernel did not compile and every
    // "SIMD kernel" test above silently ran the fallback.
    expect(BLACK76_BATCH_USES_SIMD).toBe(true);
  });

  it("agrees with the JavaScript path: bit for bit where both take ln F/K alike, else to 1e-12", () => {
    // Three chunks and an odd tail, so chunk boundaries, the padding lane and the at-expiry
    // rows (overwritten after the kernel) are all crossed.
    const n = 2 * SIMD_CHUNK_OPTIONS + 1001;
    const inputs = wideBatch(n, 7);
    const simd = outputs(n);
    const portable = outputs(n);
    black76Batch(inputs, simd);
    black76BatchPortable(inputs, portable);
    let differing = 0;
    for (let i = 0; i < n; i++) {
      const ratio = (inputs.forward[i] as number) / (inputs.strike[i] as number);
      const sameLog = ratio >= 0.75 && ratio < 1.5;
      for (const name of GREEK_NAMES) {
        const a = simd[name][i] as number;
        const b = portable[name][i] as number;
        if (Object.is(a, b)) continue;
        differing++;
        // ln F/K differs by ~1 ulp; e^{−d₁²/2} multiplies that by up to d₁² (~500 here).
        if (sameLog || !(Math.abs(a - b) <= 1e-12 * Math.abs(b)))
          expect.fail(`${name}[${i}] = ${a} (SIMD), ${b} (JavaScript), F/K = ${ratio}`);
      }
    }
    // Most far-from-the-money rows agree exactly too; a handful differ in the last bits.
    expect(differing).toBeLessThan(n);
  });

  it("gives each row the same bits whatever batch it is priced in", () => {
    const n = SIMD_CHUNK_OPTIONS + 333;
    const inputs = wideBatch(n, 11);
    const whole = outputs(n);
    black76Batch(inputs, whole);
    // An odd split puts every row in the other lane of its pair, and in another chunk.
    const split = 777;
    const slice = (from: number, to: number): Black76BatchInputs => ({
      kind: inputs.kind.subarray(from, to),
      forward: inputs.forward.subarray(from, to),
      strike: inputs.strike.subarray(from, to),
      expiryYears: inputs.expiryYears.subarray(from, to),
      vol: inputs.vol.subarray(from, to),
      rate: inputs.rate.subarray(from, to),
    });
    const head = outputs(split);
    const tail = outputs(n - split);
    black76Batch(slice(split, n), tail);
    black76Batch(slice(0, split), head);
    for (const name of GREEK_NAMES)
      for (let i = 0; i < n; i++) {
        const part = i < split ? head[name][i] : tail[name][i - split];
        if (!Object.is(part, whole[name][i]))
          expect.fail(`${name}[${i}]: ${part} in parts, ${whole[name][i]} whole`);
      }
  });

  it("finds a bad row in a later chunk, names it, and writes nothing", () => {
    const n = 3 * SIMD_CHUNK_OPTIONS + 5;
    const bad = 2 * SIMD_CHUNK_OPTIONS + 17;
    const cases: [keyof Black76BatchInputs, number][] = [
      ["kind", 2],
      ["forward", 0],
      ["strike", Number.POSITIVE_INFINITY],
      ["expiryYears", 30.000001],
      ["vol", Number.NaN],
      ["rate", -2.5],
    ];
    for (const [column, value] of cases) {
      const inputs = wideBatch(n, 3);
      inputs[column][bad] = value;
      const out = outputs(n);
      out.price.fill(-1);
      expect(() => black76Batch(inputs, out)).toThrow(new RegExp(`${column}\\[${bad}\\]`));
      expect(out.price.every((p) => p === -1)).toBe(true);
    }
  });

  it("prices odd batches of one and three rows (the kernel pads them to pairs)", () => {
    for (const n of [1, 3]) {
      const inputs = wideBatch(n, 5);
      const simd = outputs(n);
      const portable = outputs(n);
      black76Batch(inputs, simd);
      black76BatchPortable(inputs, portable);
      for (const name of GREEK_NAMES)
        for (let i = 0; i < n; i++) {
          const a = simd[name][i] as number;
          const b = portable[name][i] as number;
          if (!(Math.abs(a - b) <= 1e-12 * Math.abs(b))) expect.fail(`${name}[${i}] = ${a}, JavaScript ${b}`);
        }
    }
  });
});
