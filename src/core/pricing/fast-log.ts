/*
 * ln x as a small function V8 inlines into a hot loop: Math.log is a call into V8's C++ libm,
 * which in the Black-76 batch loop cost ~15 ns per option (the call also spills every live
 * floating-point register). For x in [½, 2) — ln(F/K) for every strike within a factor 2 of the
 * forward, i.e. nearly every listed option — it is a table read and six multiply-adds:
 *   c = j/256 the nearest node to x (j = 128..512),  u = (x − c)/c,  |u| ≤ 1/256,
 *   ln x = ln c + ln(1 + u),  ln(1 + u) = u − u²/2 + … − u⁶/6  (truncation < 1e-17 relative),
 * where x − c is exact (Sterbenz) and ln c is a table built with Math.log when the module loads.
 * c = 1 is a node, so for x within 0.2% of 1 the result is ln(1 + u) with u exact and keeps full
 * relative accuracy. Elsewhere the result is within ~2 ulps of Math.log (measured in the test).
 * Outside [½, 2) (and for NaN) it falls back to Math.log.
 *
 * No bit manipulation (reading the exponent through a typed-array view) is used: measured in
 * the batch loop, the store and reload it needs cost more than the whole polynomial.
 */

/** ln(j/256) and 256/j for j = 0..512 (entries below 128 are never read). */
const LOG_NODES: Float64Array = Float64Array.from({ length: 513 }, (_, j) => Math.log(j / 256));
const INVERSE_NODES: Float64Array = Float64Array.from({ length: 513 }, (_, j) => 256 / j);

/** ln x (unitless) for any x, as Math.log; inline and ~2 ulps for x in [½, 2). */
export function fastLog(x: number): number {
  if (!(x >= 0.5 && x < 2)) return Math.log(x);
  const j = (x * 256 + 0.5) | 0;
  const u = (x - j * (1 / 256)) * (INVERSE_NODES[j] as number);
  const log1pU = u * (1 + u * (-1 / 2 + u * (1 / 3 + u * (-1 / 4 + u * (1 / 5 + u * (-1 / 6))))));
  return (LOG_NODES[j] as number) + log1pU;
}
