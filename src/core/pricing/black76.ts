import { normalCdf } from "../dist/normal.ts";

export type OptionKind = "call" | "put";

/**
 * Black-76 price of a European option on a forward F, in the same currency unit as F and K,
 * discounted at the continuously compounded rate r over `expiryYears`. At or after expiry
 * (expiryYears ≤ 0) or with zero volatility it is the discounted intrinsic value.
 */
export function black76Price(
  kind: OptionKind,
  forward: number,
  strike: number,
  expiryYears: number,
  vol: number,
  rate: number,
): number {
  const discount = Math.exp(-rate * Math.max(expiryYears, 0));
  const stdDev = vol * Math.sqrt(Math.max(expiryYears, 0));
  return black76FromStdDev(kind === "call", forward, strike, stdDev, discount);
}

/**
 * `black76Price` from its two factors that do not depend on the forward: the total standard
 * deviation vol·√T and the discount factor exp(−r·T). A grid of forwards at one expiry and vol
 * computes them once and gets, point by point, the very same floats as `black76Price`.
 */
export function black76FromStdDev(
  isCall: boolean,
  forward: number,
  strike: number,
  stdDev: number,
  discount: number,
): number {
  if (stdDev <= 0) {
    const intrinsic = isCall ? Math.max(forward - strike, 0) : Math.max(strike - forward, 0);
    return discount * intrinsic;
  }
  const d1 = Math.log(forward / strike) / stdDev + 0.5 * stdDev;
  const d2 = d1 - stdDev;
  return isCall
    ? discount * (forward * normalCdf(d1) - strike * normalCdf(d2))
    : discount * (strike * normalCdf(-d2) - forward * normalCdf(-d1));
}
