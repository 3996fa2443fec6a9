/*
 * e^x as a small function V8 inlines into a hot loop. Math.exp is a call into V8's C++ libm
 * (~15 ns here); this is a few multiply-adds and two table reads. The reduction is the usual
 * one: x = (64m + j)·ln2/64 + r with |r| ≤ ln2/128, so e^x = 2^m · 2^{j/64} · e^r, and e^r is a
 * degree-5 Taylor polynomial (truncation r⁶/720 < 4e-17 relative). ln2/64 is split in a high
 * part with 32 significant bits (so k·high is exact for |k| < 2^21) and a low part, which keeps
 * r exact to ~1e-25. Accuracy: a few ulps (measured in the test against Math.exp).
 */

// Constants, written as literals in fastExp (see there why):
//   1.5·2^52 = 6755399441055744: adding and subtracting it rounds a double to an integer;
//   64/ln2 = 92.33248261689366;
//   ln2 to 32 significant bits (0.6931471803691238), over 64: 0.01083042469326756, and the rest
//   of ln2 (1.9082149292705877e-10), over 64: 2.9815858269852933e-12;
//   −746: e^x underflows to 0 below −745.13, and clamping there keeps the rounding trick's
//   integer in range for any x (even −1e300) while still giving 0;
//   1080: offset of 2^0 in INTEGER_POWERS.

/** 2^{j/64} for j = 0..63. */
const FRACTION_POWERS: Float64Array = Float64Array.from({ length: 64 }, (_, j) => 2 ** (j / 64));
/** 2^m for m = −1080..1030, built by exact halving and doubling (0 below 2^−1074). */
const INTEGER_POWERS: Float64Array = (() => {
  const table = new Float64Array(2111);
  const POW2_OFFSET = 1080;
  let power = 1;
  for (let m = 0; m <= 1030; m++, power *= 2) table[m + POW2_OFFSET] = power;
  power = 1;
  for (let m = 0; m >= -POW2_OFFSET; m--, power /= 2) table[m + POW2_OFFSET] = power;
  return table;
})();

/**
 * e^x (unitless) for x ≤ 709 (larger x is outside the table: the callers' arguments are ≤ 120),
 * to a few ulps; 0 for x < −745.1, and NaN in gives NaN out.
 */
export function fastExp(x: number): number {
  // The constants are literals (named above): every module-level reference costs bytecode, and
  // V8 inlines only ~920 bytes of callees into one function (see black76-batch.ts).
  const clamped = Math.max(x, -746);
  const kf = clamped * 92.33248261689366 + 6755399441055744 - 6755399441055744;
  const r = clamped - kf * 0.01083042469326756 - kf * 2.9815858269852933e-12;
  const k = kf | 0;
  const expm1R = r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120)))));
  const fraction = FRACTION_POWERS[k & 63] as number;
  return (INTEGER_POWERS[(k >> 6) + 1080] as number) * (fraction + fraction * expm1R);
}
