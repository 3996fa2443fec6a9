import erfcx from "@stdlib/math-base-special-erfcx";
import { normalCdf } from "../dist/normal.ts";
import { gaussLegendreRule } from "./gauss-legendre.ts";

/*
 * The normalised (undiscounted, unit-geometric-mean) Black call price
 *   b(x, s) = e^{x/2}·Φ(x/s + s/2) − e^{−x/2}·Φ(x/s − s/2),  x = ln(F/K), s = σ√T,
 * so that a Black-76 call is D·√(FK)·b(x, s) and a put is D·√(FK)·b(−x, s).
 *
 * Written naively the two terms cancel for out-of-the-money options, and the relative error of a
 * price 1e-12 of the forward is then ~1e-4, which makes the implied volatility of such prices
 * meaningless. Following Jäckel ("Let's Be Rational", 2015) we instead write, for x ≤ 0,
 *   b = ½·exp(−(h² + t²)/2)·[erfcx(u₁) − erfcx(u₂)],  h = x/s, t = s/2, u₁,₂ = −(h ± t)/√2,
 * which has no exponential cancellation. The remaining difference of two erfcx values loses
 * digits when the interval u₂ − u₁ = √2·t is short; there we integrate erfcx' over the interval
 * with a 12-point Gauss–Legendre rule instead, whose integrand 2/√π − 2u·erfcx(u) is smooth
 * and has no cancellation for moderate u. The largest relative loss is ~2·u² ulps, and the
 * implied volatility's sensitivity to it is divided by h² ≈ 2u², so vol stays at ~1e-15.
 */

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327;
const TWO_OVER_SQRT_PI = 1.1283791670955126;
const RULE = gaussLegendreRule(12);

/** erfcx(u₁) − erfcx(u₂) for u₁ < u₂, choosing the form that loses the fewest digits. */
function erfcxDifference(u1: number, u2: number): number {
  const length = u2 - u1;
  const scale = Math.max(Math.abs(u2), 1);
  if (length * 2 * scale >= 1) return erfcx(u1) - erfcx(u2);
  const half = 0.5 * length;
  const mid = 0.5 * (u1 + u2);
  let sum = 0;
  for (let k = 0; k < RULE.nodes.length; k++) {
    const u = mid + half * (RULE.nodes[k] ?? 0);
    sum += (RULE.weights[k] ?? 0) * (TWO_OVER_SQRT_PI - 2 * u * erfcx(u));
  }
  return half * sum;
}

/** Out-of-the-money part: b(x, s) for x ≤ 0, s ≥ 0. Unitless (a fraction of √(FK)). */
function normalisedBlackOtm(x: number, s: number): number {
  if (!(s > 0)) return 0;
  const h = x / s;
  const t = 0.5 * s;
  const u1 = -(h + t) * SQRT1_2;
  const u2 = -(h - t) * SQRT1_2;
  // With large total volatility erfcx(u₁) overflows; the terms no longer cancel there
  // (their ratio is below 0.2), so the textbook form is exact enough.
  if (u1 < -1) return Math.exp(0.5 * x) * normalCdf(h + t) - Math.exp(-0.5 * x) * normalCdf(h - t);
  const envelope = Math.exp(-0.5 * (h * h + t * t));
  if (envelope === 0) return 0;
  return 0.5 * envelope * erfcxDifference(u1, u2);
}

/**
 * Normalised Black call price b(x, s) for log-moneyness x = ln(F/K) and total volatility
 * s = σ√T ≥ 0 (both unitless). A put is b(−x, s). In the money it adds the intrinsic value
 * 2·sinh(x/2) to the out-of-the-money counterpart (put–call parity), so the time value keeps its
 * relative accuracy.
 */
export function normalisedBlack(x: number, s: number): number {
  if (x > 0) return 2 * Math.sinh(0.5 * x) + normalisedBlackOtm(-x, s);
  return normalisedBlackOtm(x, s);
}

/** ∂b/∂s of the normalised Black price: φ(x/s + s/2)·e^{x/2}, written without overflow. */
export function normalisedVega(x: number, s: number): number {
  if (!(s > 0)) return 0;
  const h = x / s;
  const t = 0.5 * s;
  return INV_SQRT_2PI * Math.exp(-0.5 * (h * h + t * t));
}
