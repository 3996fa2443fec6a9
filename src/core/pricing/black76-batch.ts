import { invalidInput } from "../errors.ts";
import { type Black76SimdKernel, createBlack76SimdKernel, SIMD_CHUNK_OPTIONS } from "./black76-simd.ts";
import { erfcxNonNegative } from "./erfcx-table.ts";
import { fastExp } from "./fast-exp.ts";
import { fastLog } from "./fast-log.ts";
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

/** Rows per call of the inner loops (see `black76Batch`). */
const CHUNK_OPTIONS = 4096;

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

// Module-local copies of the imported limits and functions. A TypeScript loader (tsx/esbuild)
// may compile imports to getter properties on a module object, and reading one per option cost
// ~80 ns/option in the validation loop alone; plain consts are free.
//
// Why erfcx, exp and log are local table-driven functions rather than stdlib's erfcx and
// Math.exp/Math.log: those are calls V8 cannot inline (a C++ libm call also spills every live
// float register), and together they were ~60% of the loop's time. The replacements are small
// enough that V8 inlines all five call sites; V8 inlines at most ~920 bytes of callee bytecode
// into one function, which is why they are written with literals and local aliases, and why
// nothing else may be called from the loop without checking `--trace-turbo-inlining`.
const MIN_UNDERLYING = MIN_PRICE;
const MAX_UNDERLYING = MAX_PRICE;
const MAX_T = MAX_EXPIRY_YEARS;
const MAX_SIGMA = MAX_VOL;
const MAX_R = MAX_ABS_RATE;
const MIN_STD_DEV = MIN_TOTAL_VOL;
const scaledErfc = erfcxNonNegative;
const exp = fastExp;
const log = fastLog;

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
function validateRows(inputs: Black76BatchInputs, from: number, to: number): void {
  const { kind, forward, strike, expiryYears, vol, rate } = inputs;
  for (let i = from; i < to; i++) {
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

/** The WebAssembly SIMD kernel (black76-simd.ts), or null where the runtime lacks it. */
const simdKernel = createBlack76SimdKernel({
  minPrice: MIN_UNDERLYING,
  maxPrice: MAX_UNDERLYING,
  maxExpiryYears: MAX_T,
  maxVol: MAX_SIGMA,
  maxAbsRate: MAX_R,
  minStdDev: MIN_STD_DEV,
});

/** Whether `black76Batch` runs the WebAssembly SIMD kernel here (else the JavaScript loop). */
export const BLACK76_BATCH_USES_SIMD: boolean = simdKernel !== null;

/**
 * Prices N European options on forwards with Black-76 and writes price and Greeks (the units and
 * conventions of `black76Greeks`: delta/gamma in the forward, vega/volga per 1.00 vol, theta per
 * year, rho per 1.00 rate with the forward fixed) into the caller's columns. Allocates nothing
 * per row: d₁, d₂, φ(d₁) and the two Φ values are computed once per option and shared by every
 * Greek; φ(d₂) comes from φ(d₁)·F/K, so each option costs one logarithm and two exponentials.
 *
 * The price is the textbook D·θ·[F·Φ(θd₁) − K·Φ(θd₂)], accurate to ~1e-15·(F + K) absolutely; deep
 * out of the money its relative accuracy degrades (use `black76Greeks`, whose price goes through
 * the cancellation-free normalised Black function, when relative accuracy of tiny prices matters,
 * e.g. for implied volatility). Edge cases (σ√T = 0) follow `black76Greeks`.
 * Throws `invalidInput` naming the first bad row, e.g. `vol[17]`, before writing anything.
 *
 * Runs the WebAssembly SIMD kernel (black76-simd.ts; 1M options in ~47 ms against ~88 ms for
 * the JavaScript loop on one core of the bench machine) where the runtime has one,
 * else `black76BatchPortable`'s JavaScript loop; the two agree to ~1 ulp of ln(F/K) (bit for
 * bit for F/K ∈ [¾, 3/2)). Either way a row's result does not depend on its position or on the
 * batch's length, so sharding a batch gives the same bits as pricing it whole.
 */
export function black76Batch(inputs: Black76BatchInputs, out: Black76BatchOutputs): void {
  priceBatch(inputs, out, simdKernel);
}

/** `black76Batch` on its JavaScript path only (the fallback, and the SIMD kernel's reference). */
export function black76BatchPortable(inputs: Black76BatchInputs, out: Black76BatchOutputs): void {
  priceBatch(inputs, out, null);
}

function priceBatch(
  inputs: Black76BatchInputs,
  out: Black76BatchOutputs,
  kernel: Black76SimdKernel | null,
): void {
  const n = inputs.kind.length;
  if (n > MAX_BATCH_OPTIONS) throw invalidInput("kind", `batch is limited to ${MAX_BATCH_OPTIONS} options`);
  for (const [name, column] of Object.entries(inputs)) {
    if ((column as Uint8Array | Float64Array).length !== n) throw invalidInput(name, `must have length ${n}`);
  }
  for (const [name, column] of Object.entries(out)) {
    if ((column as Float64Array).length < n) throw invalidInput(`out.${name}`, `must have length ≥ ${n}`);
  }
  if (kernel !== null) {
    // All rows are validated before any is written. The kernel validates a chunk once it is in
    // its memory (a few instructions per pair); measured end to end, that beats validateRows on
    // the caller's columns even though each chunk is then copied in twice.
    for (let from = 0; from < n; from += SIMD_CHUNK_OPTIONS) {
      const to = Math.min(n, from + SIMD_CHUNK_OPTIONS);
      copyIntoKernel(kernel, inputs, from, to);
      const suspect = kernel.validate(to - from);
      // validateRows throws naming the first bad row; the suspect may be the padding row.
      if (suspect >= 0) validateRows(inputs, from + suspect, to);
    }
    // A batch of one chunk is still in the kernel's memory.
    const copied = n <= SIMD_CHUNK_OPTIONS;
    for (let from = 0; from < n; from += SIMD_CHUNK_OPTIONS)
      priceRowsSimd(kernel, inputs, out, from, Math.min(n, from + SIMD_CHUNK_OPTIONS), copied);
    return;
  }
  // Both passes run in chunks: a function called a few hundred times is optimised whole by V8,
  // while one long call runs on on-stack-replacement code, measured ~1.5× slower here in a
  // process that prices a batch only a few times. All rows are validated before any is written.
  for (let from = 0; from < n; from += CHUNK_OPTIONS)
    validateRows(inputs, from, Math.min(n, from + CHUNK_OPTIONS));
  for (let from = 0; from < n; from += CHUNK_OPTIONS)
    priceRows(inputs, out, from, Math.min(n, from + CHUNK_OPTIONS));
}

/**
 * Prices rows [from, to) (at most SIMD_CHUNK_OPTIONS) with the kernel: copies the inputs into
 * its memory unless they are there already, runs it, copies the outputs back (memcpy speed; the kernel's memory cannot be the
 * caller's columns) and overwrites the rows it listed as at expiry.
 */
function priceRowsSimd(
  kernel: Black76SimdKernel,
  inputs: Black76BatchInputs,
  out: Black76BatchOutputs,
  from: number,
  to: number,
  copied: boolean,
): void {
  const n = to - from;
  const whole = n === SIMD_CHUNK_OPTIONS;
  if (!copied) copyIntoKernel(kernel, inputs, from, to);
  const edgeCount = kernel.run(n);
  const got = kernel.outputs;
  out.price.set(whole ? got.price : got.price.subarray(0, n), from);
  out.delta.set(whole ? got.delta : got.delta.subarray(0, n), from);
  out.gamma.set(whole ? got.gamma : got.gamma.subarray(0, n), from);
  out.vega.set(whole ? got.vega : got.vega.subarray(0, n), from);
  out.theta.set(whole ? got.theta : got.theta.subarray(0, n), from);
  out.rho.set(whole ? got.rho : got.rho.subarray(0, n), from);
  out.vanna.set(whole ? got.vanna : got.vanna.subarray(0, n), from);
  out.volga.set(whole ? got.volga : got.volga.subarray(0, n), from);
  for (let e = 0; e < edgeCount; e++) {
    const row = kernel.edges[e] as number;
    // The kernel works on pairs; an odd chunk's padding row may be listed too.
    if (row < n) priceRowAtExpiry(kernel, row, out, from + row);
  }
}

function copyIntoKernel(
  kernel: Black76SimdKernel,
  inputs: Black76BatchInputs,
  from: number,
  to: number,
): void {
  kernel.kind.set(inputs.kind.subarray(from, to));
  const into = kernel.inputs;
  into.forward.set(inputs.forward.subarray(from, to));
  into.strike.set(inputs.strike.subarray(from, to));
  into.expiryYears.set(inputs.expiryYears.subarray(from, to));
  into.vol.set(inputs.vol.subarray(from, to));
  into.rate.set(inputs.rate.subarray(from, to));
}

/**
 * Row `i` of the batch, row `row` of the kernel's chunk, which has σ√T < MIN_STD_DEV: priced as
 * `priceRows` prices it, from the kernel's copy of the inputs (the caller's columns may be its
 * output columns too).
 */
function priceRowAtExpiry(kernel: Black76SimdKernel, row: number, out: Black76BatchOutputs, i: number): void {
  const { forward, strike, expiryYears, rate } = kernel.inputs;
  const t = expiryYears[row] as number;
  const r = rate[row] as number;
  const sign = 1 - 2 * (kernel.kind[row] as number);
  writeAtExpiry(i, sign, forward[row] as number, strike[row] as number, t, r, exp(-r * t), Math.sqrt(t), out);
}

/** Prices rows [from, to) of validated inputs into `out` (see `black76Batch`). */
function priceRows(inputs: Black76BatchInputs, out: Black76BatchOutputs, from: number, to: number): void {
  const { kind, forward, strike, expiryYears, vol, rate } = inputs;
  const { price, delta, gamma, vega, theta, rho, vanna, volga } = out;
  for (let i = from; i < to; i++) {
    // θ = +1 for a call, −1 for a put, without a branch (kind is 0 or 1 after validation).
    const sign = 1 - 2 * (kind[i] as number);
    const f = forward[i] as number;
    const k = strike[i] as number;
    const t = expiryYears[i] as number;
    const sigma = vol[i] as number;
    const r = rate[i] as number;
    const discount = exp(-r * t);
    const sqrtT = Math.sqrt(t);
    const stdDev = sigma * sqrtT;
    if (stdDev >= MIN_STD_DEV) {
      // Divisions are the slowest arithmetic here: one reciprocal serves d₁, 1/σ = √T/(σ√T) and
      // σ/√T = σ²/(σ√T).
      const invStdDev = 1 / stdDev;
      const moneyness = f / k;
      const d1 = log(moneyness) * invStdDev + 0.5 * stdDev;
      const d2 = d1 - stdDev;
      // e^{−d₁²/2} serves φ(d₁) and Φ(θd₁); e^{−d₂²/2} = e^{−d₁²/2}·F/K because d₁² − d₂² =
      // 2·ln(F/K), which saves the second exponential. Below ~1e-290 the product would be built
      // from a subnormal and lose digits, so that rare case takes the exponential.
      const gaussian1 = exp(-0.5 * d1 * d1);
      const gaussian2 = gaussian1 > 1e-290 ? gaussian1 * moneyness : exp(-0.5 * d2 * d2);
      // Φ is taken at θd directly, so small out-of-the-money probabilities never come from a
      // 1 − Φ cancellation: Φ(z) = ½·e^{−z²/2}·erfcx(|z|/√2) for z ≤ 0, one minus that above.
      const z1 = sign * d1;
      const z2 = sign * d2;
      const tail1 = 0.5 * gaussian1 * scaledErfc(Math.abs(z1) * Math.SQRT1_2);
      const tail2 = 0.5 * gaussian2 * scaledErfc(Math.abs(z2) * Math.SQRT1_2);
      // Branch-free selection: the signs of z are random across a book, a branch on them would
      // be mispredicted half the time. pos·(1 − tail) + (1 − pos)·tail, rounded as 1 − tail.
      const pos1 = +(z1 > 0);
      const pos2 = +(z2 > 0);
      const cdf1 = pos1 + (1 - 2 * pos1) * tail1;
      const cdf2 = pos2 + (1 - 2 * pos2) * tail2;
      const value = Math.max(sign * discount * (f * cdf1 - k * cdf2), 0);
      const discountedPdf = discount * INV_SQRT_2PI * gaussian1;
      const vegaValue = discountedPdf * f * sqrtT;
      const invSigma = sqrtT * invStdDev;
      price[i] = value;
      delta[i] = sign * discount * cdf1;
      // Where φ(d₁) underflowed these are all exactly 0, as in black76Greeks; d₁, d₂ and the
      // reciprocals stay finite (σ√T ≥ MIN_STD_DEV, σ > 0), so no 0·∞ arises.
      gamma[i] = discountedPdf / (f * stdDev);
      vega[i] = vegaValue;
      theta[i] = r * value - 0.5 * discountedPdf * f * sigma * sigma * invStdDev;
      rho[i] = -t * value;
      vanna[i] = -discountedPdf * d2 * invSigma;
      volga[i] = vegaValue * d1 * d2 * invSigma;
    } else {
      writeAtExpiry(i, sign, f, k, t, r, discount, sqrtT, out);
    }
  }
}

/**
 * Zero total volatility (σ√T < MIN_STD_DEV): discounted intrinsic value and the limits of
 * `black76Greeks` (Φ is 1, 0 or ½ at the strike; gamma and volga 0; vega and vanna keep their
 * at-the-strike limits). Out of the hot loop because real batches rarely take it.
 */
function writeAtExpiry(
  i: number,
  sign: number,
  f: number,
  k: number,
  t: number,
  r: number,
  discount: number,
  sqrtT: number,
  out: Black76BatchOutputs,
): void {
  const itm = f === k ? 0.5 : sign * (f - k) > 0 ? 1 : 0;
  const value = Math.max(sign * discount * (f - k) * itm, 0);
  const atStrikeScale = f === k ? INV_SQRT_2PI * sqrtT : 0;
  out.price[i] = value;
  out.delta[i] = sign * discount * itm;
  out.gamma[i] = 0;
  out.vega[i] = discount * f * atStrikeScale;
  out.theta[i] = r * value;
  out.rho[i] = -t * value;
  out.vanna[i] = 0.5 * discount * atStrikeScale;
  out.volga[i] = 0;
}
