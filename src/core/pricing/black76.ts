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
  if (stdDev <= 0) {
    const intrinsic = kind === "call" ? Math.max(forward - strike, 0) : Math.max(strike - forward, 0);
    return discount * intrinsic;
  }
  const d1 = Math.log(forward / strike) / stdDev + 0.5 * stdDev;
  const d2 = d1 - stdDev;
  return kind === "call"
    ? discount * (forward * normalCdf(d1) - strike * normalCdf(d2))
    : discount * (strike * normalCdf(-d2) - forward * normalCdf(-d1));
}
