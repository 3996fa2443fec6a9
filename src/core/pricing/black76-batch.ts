import erfcx from "@stdlib/math-base-special-erfcx";
import { invalidInput } from "../errors.ts";
import {
  MAX_ABS_RATE,
  MAX_EXPIRY_YEARS,
  MAX_PRICE,
  MAX_VOL,
  MIN_PRICE,
  MIN_TOTAL_VOL,
} from "./option-input-limits.ts";

/** Option kind codes of the batch API's `kind` column. */
export const BATCH_CALL = 0;
export const BATCH_PUT = 1;

/** Largest batch accepted in one call, so that a caller's mistake cannot allocate without bound. */
export const MAX_BATCH_OPTIONS = 50_000_000;

/** Columnar Black-76 inputs, one row per option; the units are those of `black76Greeks`. */
export interface Black76BatchInputs {
  readonly kind: Uint8Array;
  readonly forward: Float64Array;
  readonly strike: Float64Array;
  readonly expiryYears: Float64Array;
  readonly vol: Float64Array;
  readonly rate: Float64Array;
}

/** Output columns, allocated by the caller, each at least as long as the inputs. */
export interface Black76BatchOutputs {
  readonly price: Float64Array;
  readonly delta: Float64Array;
  readonly gamma: Float64Array;
  readonly vega: Float64Array;
  readonly theta: Float64Array;
  readonly rho: Float64Array;
  readonly vanna: Float64Array;
  readonly volga: Float64Array;
}

const INV_SQRT_2PI = 0.3989422804014327;

// Module-local copies of the imported limits and of erfcx. A TypeScript loader (tsx/esbuild)
// may compile imports to getter properties on a module object, and reading one per option cost
// ~80 ns/option in the validation loop alone; plain consts are free.
const MIN_UNDERLYING = MIN_PRICE;
const MAX_UNDERLYING = MAX_PRICE;
const MAX_T = MAX_EXPIRY_YEARS;
const MAX_SIGMA = MAX_VOL;
const MAX_R = MAX_ABS_RATE;
const MIN_STD_DEV = MIN_TOTAL_VOL;
const scaledErfc = erfcx;

/**
 * Φ(z) given g = e^{−z²/2} (which the caller already has for φ): Φ(z) = ½·g·erfcx(|z|/√2) for
 * z ≤ 0, and 1 minus that for z > 0. erfcx for a non-negative argument is a table of Chebyshev
 * polynomials with no exponential inside, 3–4× faster than stdlib's erfc (whose exp is a pure-JS
 * port), and the tail keeps relative accuracy: the only loss is the rounding of z²/2 inside g,
 * ≤ 32 ulps for |z| ≤ 8.
 */
function normalCdfFromGaussian(z: number, gaussian: number): number {
  const tail = 0.5 * gaussian * scaledErfc(Math.abs(z) * Math.SQRT1_2);
  return z > 0 ? 1 - tail : tail;
}

function checkRow(i: number, inputs: Black76BatchInputs): void {
  const kind = inputs.kind[i];
  const forward = inputs.forward[i] ?? Number.NaN;
  const strike = inputs.strike[i] ?? Number.NaN;
  const expiryYears = inputs.expiryYears[i] ?? Number.NaN;
  const vol = inputs.vol[i] ?? Number.NaN;
  const rate = inputs.rate[i] ?? Number.NaN;
  if (kind !== BATCH_CALL && kind !== BATCH_PUT)
    throw invalidInput(`kind[${i}]`, "must be 0 (call) or 1 (put)");
  if (!(forward >= MIN_PRICE && forward <= MAX_PRICE)) {
    throw invalidInput(`forward[${i}]`, `must be within [${MIN_PRICE}, ${MAX_PRICE}]`);
  }
  if (!(strike >= MIN_PRICE && strike <= MAX_PRICE)) {
    throw invalidInput(`strike[${i}]`, `must be within [${MIN_PRICE}, ${MAX_PRICE}]`);
  }
  if (!(expiryYears >= 0 && expiryYears <= MAX_EXPIRY_YEARS)) {
    throw invalidInput(`expiryYears[${i}]`, `must be within [0, ${MAX_EXPIRY_YEARS}]`);
  }
  if (!(vol >= 0 && vol <= MAX_VOL)) throw invalidInput(`vol[${i}]`, `must be within [0, ${MAX_VOL}]`);
  if (!(Math.abs(rate) <= MAX_ABS_RATE)) throw invalidInput(`rate[${i}]`, `must be within ±${MAX_ABS_RATE}`);
}

/**
 * One pass over the columns with the checks fused into a single condition (80 → ~10 ns per
 * option against calling `checkRow` for every row); `checkRow` runs only on a failing row, to
 * build the error that names it.
 */
function validateRows(inputs: Black76BatchInputs): void {
  const { kind, forward, strike, expiryYears, vol, rate } = inputs;
  for (let i = 0; i < kind.length; i++) {
    const k = kind[i];
    const f = forward[i] as number;
    const x = strike[i] as number;
    const t = expiryYears[i] as number;
    const v = vol[i] as number;
    const r = rate[i] as number;
    const ok =
      (k === BATCH_CALL || k === BATCH_PUT) &&
      f >= MIN_UNDERLYING &&
      f <= MAX_UNDERLYING &&
      x >= MIN_UNDERLYING &&
      x <= MAX_UNDERLYING &&
      t >= 0 &&
      t <= MAX_T &&
      v >= 0 &&
      v <= MAX_SIGMA &&
      r >= -MAX_R &&
      r <= MAX_R;
    if (!ok) checkRow(i, inputs);
  }
}

/**
 * Prices N European options on forwards with Black-76 and writes price and Greeks (the units and
 * conventions of `black76Greeks`: delta/gamma in the forward, vega/volga per 1.00 vol, theta per
 * year, rho per 1.00 rate with the forward fixed) into the caller's columns. Allocates nothing:
 * d₁, d₂, φ(d₁) and the two Φ values are computed once per option and shared by every Greek.
 *
 * The price is the textbook D·θ·[F·Φ(θd₁) − K·Φ(θd₂)], accurate to ~1e-15·(F + K) absolutely; deep
 * out of the money its relative accuracy degrades (use `black76Greeks`, whose price goes through
 * the cancellation-free normalised Black function, when relative accuracy of tiny prices matters,
 * e.g. for implied volatility). Edge cases (σ√T = 0) follow `black76Greeks`.
 * Throws `invalidInput` naming the first bad row, e.g. `vol[17]`, before writing anything.
 */
export function black76Batch(inputs: Black76BatchInputs, out: Black76BatchOutputs): void {
  const n = inputs.kind.length;
  if (n > MAX_BATCH_OPTIONS) throw invalidInput("kind", `batch is limited to ${MAX_BATCH_OPTIONS} options`);
  for (const [name, column] of Object.entries(inputs)) {
    if ((column as Uint8Array | Float64Array).length !== n) throw invalidInput(name, `must have length ${n}`);
  }
  for (const [name, column] of Object.entries(out)) {
    if ((column as Float64Array).length < n) throw invalidInput(`out.${name}`, `must have length ≥ ${n}`);
  }
  validateRows(inputs);

  const { kind, forward, strike, expiryYears, vol, rate } = inputs;
  const { price, delta, gamma, vega, theta, rho, vanna, volga } = out;
  for (let i = 0; i < n; i++) {
    const sign = kind[i] === BATCH_CALL ? 1 : -1;
    const f = forward[i] as number;
    const k = strike[i] as number;
    const t = expiryYears[i] as number;
    const sigma = vol[i] as number;
    const r = rate[i] as number;
    const discount = Math.exp(-r * t);
    const sqrtT = Math.sqrt(t);
    const stdDev = sigma * sqrtT;
    let cdf1: number;
    let cdf2: number;
    let pdf: number;
    let d1 = 0;
    let d2 = 0;
    const diffusive = stdDev >= MIN_STD_DEV;
    if (diffusive) {
      d1 = Math.log(f / k) / stdDev + 0.5 * stdDev;
      d2 = d1 - stdDev;
      // e^{−d₁²/2} serves both φ(d₁) and Φ(θd₁); Φ is taken at θd directly, so the small
      // out-of-the-money probabilities never come from a 1 − Φ cancellation.
      const gaussian1 = Math.exp(-0.5 * d1 * d1);
      cdf1 = normalCdfFromGaussian(sign * d1, gaussian1);
      cdf2 = normalCdfFromGaussian(sign * d2, Math.exp(-0.5 * d2 * d2));
      pdf = INV_SQRT_2PI * gaussian1;
    } else {
      const itm = f === k ? 0.5 : sign * (f - k) > 0 ? 1 : 0;
      cdf1 = itm;
      cdf2 = itm;
      pdf = 0;
    }
    const value = Math.max(sign * discount * (f * cdf1 - k * cdf2), 0);
    price[i] = value;
    delta[i] = sign * discount * cdf1;
    theta[i] = r * value;
    rho[i] = -t * value;
    if (pdf > 0) {
      const vegaValue = discount * f * pdf * sqrtT;
      gamma[i] = (discount * pdf) / (f * stdDev);
      vega[i] = vegaValue;
      theta[i] = r * value - (discount * f * pdf * sigma) / (2 * sqrtT);
      vanna[i] = (-discount * pdf * d2) / sigma;
      volga[i] = (vegaValue * d1 * d2) / sigma;
    } else {
      // Zero total volatility, or φ(d₁) underflowed: the limits of black76Greeks.
      const atStrikeScale = diffusive || f !== k ? 0 : INV_SQRT_2PI * sqrtT;
      gamma[i] = 0;
      vega[i] = discount * f * atStrikeScale;
      vanna[i] = 0.5 * discount * atStrikeScale;
      volga[i] = 0;
    }
  }
}
