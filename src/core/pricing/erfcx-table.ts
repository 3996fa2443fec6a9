import erfcx from "@stdlib/math-base-special-erfcx";

/*
 * A table-driven erfcx(x) = e^{x²}·erfc(x) for x ≥ 0, small enough for V8 to inline into a hot
 * loop. The change of variable y = 400/(4 + x) (S. G. Johnson's, from his Faddeeva package)
 * maps [0, ∞) onto (0, 100] and makes erfcx smooth enough in y that one polynomial of degree 7
 * per unit interval of y reaches full double precision. Evaluating it is a division, a table
 * index and eight multiply-adds, with no branch: the interval [j, j + 1) of y is picked by
 * truncating y, so random arguments cost the same as sorted ones.
 *
 * The coefficients are not copied from anywhere: they are built once, when the module loads,
 * from stdlib's erfcx (the reference) sampled at 32 Chebyshev nodes of each interval: the
 * discrete Chebyshev transform gives the first 8 Chebyshev coefficients (near-minimax, and
 * averaging the reference's own rounding noise, which interpolating at 8 nodes amplified to
 * ~1e-14 in the top coefficient), rewritten as a polynomial in u = 2(y − j) − 1 ∈ [−1, 1].
 * The test measures the result against stdlib's erfcx (≤ 1.5e-15) and R's pnorm (Φ ≤ 1e-15).
 */

const DEGREE = 7;
/** Coefficients per interval: DEGREE + 1, lowest power first. */
export const ERFCX_STRIDE = DEGREE + 1;
// Intervals 0..100: y = 100 exactly (x = 0) falls into [100, 101), which maps to x ∈ [−0.04, 0]
// where erfcx is just as smooth; so the index needs no clamp.
const INTERVALS = 101;
// More nodes than coefficients: the discrete Chebyshev transform then averages the reference's
// own rounding noise instead of interpolating it (aliasing from degrees ≥ 2·NODES − 8 is nil).
const NODES = 32;

/** Monomial coefficients of the Chebyshev polynomials T₀..T_DEGREE, row m = T_m. */
function chebyshevMonomials(): Float64Array[] {
  const rows = [Float64Array.of(1), Float64Array.of(0, 1)];
  for (let m = 2; m <= DEGREE; m++) {
    const previous = rows[m - 1] as Float64Array;
    const beforePrevious = rows[m - 2] as Float64Array;
    const row = new Float64Array(m + 1);
    for (let p = 0; p < previous.length; p++) row[p + 1] = 2 * (previous[p] as number);
    for (let p = 0; p < beforePrevious.length; p++)
      row[p] = (row[p] as number) - (beforePrevious[p] as number);
    rows.push(row);
  }
  return rows;
}

/** Dekker's exact product: a·b = product + returned error, without a fused multiply-add. */
function productError(a: number, b: number, product: number): number {
  const split = 134217729; // 2^27 + 1 (Veltkamp)
  const aBig = split * a;
  const aHigh = aBig - (aBig - a);
  const aLow = a - aHigh;
  const bBig = split * b;
  const bHigh = bBig - (bBig - b);
  const bLow = b - bHigh;
  return aLow * bLow - (product - aHigh * bHigh - aLow * bHigh - aHigh * bLow);
}

/**
 * erfcx at x = 400/y − 4 for a node y, to ~1 ulp. The x a double can hold is off the node by the
 * rounding of 400/y and of −4; sampling erfcx there would add up to ~4 ulps of noise to every
 * coefficient, so the rounding is recovered exactly and corrected for to first order with
 * erfcx′(x) = 2x·erfcx(x) − 2/√π.
 */
function erfcxAtY(y: number): number {
  const quotient = 400 / y;
  const product = quotient * y;
  const quotientError = (400 - product - productError(quotient, y, product)) / y;
  const x = quotient - 4;
  const xError = quotient - x - 4 + quotientError; // Fast2Sum: |quotient| ≥ 4.
  const value = erfcx(x);
  return value + (2 * x * value - 1.1283791670955126) * xError;
}

function buildTable(): Float64Array {
  const table = new Float64Array(INTERVALS * ERFCX_STRIDE);
  const nodeCount = NODES;
  const monomials = chebyshevMonomials();
  const values = new Float64Array(nodeCount);
  for (let j = 0; j < INTERVALS; j++) {
    for (let k = 0; k < nodeCount; k++) {
      const u = Math.cos((Math.PI * (k + 0.5)) / nodeCount);
      const y = j + 0.5 * (u + 1);
      values[k] = erfcxAtY(y);
    }
    for (let m = 0; m <= DEGREE; m++) {
      let sum = 0;
      for (let k = 0; k < nodeCount; k++) {
        sum += (values[k] as number) * Math.cos((Math.PI * m * (k + 0.5)) / nodeCount);
      }
      const chebyshev = ((m === 0 ? 1 : 2) / nodeCount) * sum;
      const row = monomials[m] as Float64Array;
      for (let p = 0; p < row.length; p++) {
        const at = j * ERFCX_STRIDE + p;
        table[at] = (table[at] as number) + chebyshev * (row[p] as number);
      }
    }
  }
  return table;
}

/** The coefficient table, DEGREE + 1 per unit interval of y = 400/(4 + x). */
export const ERFCX_COEFFICIENTS: Float64Array = buildTable();
const c = ERFCX_COEFFICIENTS;

/**
 * erfcx(x) = e^{x²}·erfc(x) for x ≥ 0 (unitless), to a few ulps; finite for every x ≥ 0
 * (beyond x ≈ 400 it keeps only absolute accuracy, ~1e-19, which is all a caller multiplying by
 * e^{−x²} = 0 there needs). Undefined for negative x.
 */
export function erfcxNonNegative(x: number): number {
  // A local alias: each module-level reference costs bytecode, and the bytecode size of the
  // functions V8 inlines into one caller has a budget (see black76-batch.ts).
  const t = c;
  const y = 400 / (4 + x);
  const j = y | 0;
  const u = 2 * (y - j) - 1;
  const at = j * 8; // ERFCX_STRIDE
  // c₀ + u·(c₁ + u·q(u)) with q = (c₂ + u·c₃) + u²·((c₄ + u·c₅) + u²·(c₆ + u·c₇)): the two leading
  // terms, which carry the rounding, as in Horner's scheme, and the small rest in Estrin's,
  // which shortens the dependency chain by 3 multiply-adds (same worst error against stdlib).
  // black76-simd.ts evaluates it in the same order.
  const u2 = u * u;
  const rest =
    (t[at + 2] as number) +
    u * (t[at + 3] as number) +
    u2 *
      ((t[at + 4] as number) +
        u * (t[at + 5] as number) +
        u2 * ((t[at + 6] as number) + u * (t[at + 7] as number)));
  return (t[at] as number) + u * ((t[at + 1] as number) + u * rest);
}
