import { invalidInput } from "../errors.ts";
import type { OptionKind } from "./black76.ts";
import { normalisedVega } from "./normalised-black.ts";
import { normalisedImpliedVol } from "./normalised-implied-vol.ts";
import { MAX_ABS_RATE, MAX_EXPIRY_YEARS, MAX_PRICE, MIN_PRICE } from "./option-input-limits.ts";

/**
 * Above this ratio of price to σ·vega the volatility is not identifiable: a relative error of one
 * ulp (1.1e-16) in the price moves the volatility by more than 1.1e-2 relative. This happens deep
 * in the money (the time value is lost in the intrinsic value) and within rounding of the upper
 * bound. Below it, the round trip price → vol → price is good to ~κ·1e-16 in vol.
 */
export const MAX_IMPLIED_VOL_CONDITION = 1e14;

function checkPositive(field: string, value: number): void {
  if (!(Number.isFinite(value) && value >= MIN_PRICE && value <= MAX_PRICE)) {
    throw invalidInput(field, `must be a finite number within [${MIN_PRICE}, ${MAX_PRICE}]`);
  }
}

/**
 * Black-76 implied volatility (per year, 1.00 = 100%) of a European option price on a forward:
 * forward, strike and price in currency, expiry in years (> 0), continuously compounded rate.
 * Throws `invalidInput` on bad input, on a price outside the no-arbitrage bounds
 * [D·max(θ(F − K), 0), D·F or D·K) (the message states them), and when the volatility is not
 * identifiable (price/(σ·vega) above `MAX_IMPLIED_VOL_CONDITION`). A price equal to the discounted
 * intrinsic value (to 4 ulps of max(F, K)) gives 0.
 */
export function black76ImpliedVol(
  kind: OptionKind,
  forward: number,
  strike: number,
  expiryYears: number,
  price: number,
  rate: number,
): number {
  checkPositive("forward", forward);
  checkPositive("strike", strike);
  if (!(Number.isFinite(expiryYears) && expiryYears > 0 && expiryYears <= MAX_EXPIRY_YEARS)) {
    throw invalidInput("expiryYears", `must be > 0 and ≤ ${MAX_EXPIRY_YEARS} for an implied volatility`);
  }
  if (!(Number.isFinite(rate) && Math.abs(rate) <= MAX_ABS_RATE)) {
    throw invalidInput("rate", `must be a finite number within ±${MAX_ABS_RATE}`);
  }
  if (!Number.isFinite(price)) throw invalidInput("price", "must be a finite number");
  const isCall = kind === "call";
  const discount = Math.exp(-rate * expiryYears);
  const lower = discount * Math.max(isCall ? forward - strike : strike - forward, 0);
  const upper = discount * (isCall ? forward : strike);
  // In the money, F − K and ln(F/K) carry rounding of ~ε·max(F, K), so the intrinsic value is
  // only known to that; a price within 4 such ulps of it has a time value below rounding, every
  // small enough vol reproduces it, and 0, the smallest, is the answer (deep in-the-money prices
  // land here). Out of the money the bound is an exact 0 and tiny prices are solved as given.
  const roundingOfBound = 4 * Number.EPSILON * discount * Math.max(forward, strike);
  if (lower > 0 && Math.abs(price - lower) <= roundingOfBound) return 0;
  if (!(price >= lower && price < upper)) {
    throw invalidInput("price", `must be within the no-arbitrage bounds [${lower}, ${upper})`, {
      lowerBound: lower,
      upperBound: upper,
    });
  }
  const x = (isCall ? 1 : -1) * Math.log(forward / strike);
  const beta = price / (discount * Math.sqrt(forward * strike));
  const totalVol = normalisedImpliedVol(x, beta);
  const unidentifiable =
    !Number.isFinite(totalVol) ||
    (totalVol > 0 && beta > MAX_IMPLIED_VOL_CONDITION * totalVol * normalisedVega(x, totalVol));
  if (unidentifiable) {
    throw invalidInput(
      "price",
      `volatility is not identifiable: vega·σ is below ${1 / MAX_IMPLIED_VOL_CONDITION} of the price`,
    );
  }
  return totalVol / Math.sqrt(expiryYears);
}
