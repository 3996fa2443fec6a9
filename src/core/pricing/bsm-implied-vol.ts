import { invalidInput } from "../errors.ts";
import type { OptionKind } from "./black76.ts";
import { black76ImpliedVol } from "./black76-implied-vol.ts";
import { MAX_ABS_RATE, MAX_PRICE, MIN_PRICE } from "./option-input-limits.ts";

/**
 * Black-Scholes-Merton implied volatility (per year) of a European option price on a spot with
 * continuous dividend yield q: spot, strike and price in currency, expiry in years (> 0), rate
 * and yield continuously compounded per year. It is the Black-76 implied volatility at the
 * forward S·e^{(r−q)T}, so the bounds are [D·max(θ(F − K), 0), S·e^{−qT} or D·K); errors as
 * `black76ImpliedVol`, with the underlying named `spot`.
 */
export function bsmImpliedVol(
  kind: OptionKind,
  spot: number,
  strike: number,
  expiryYears: number,
  price: number,
  rate: number,
  dividendYield: number,
): number {
  if (!(Number.isFinite(spot) && spot >= MIN_PRICE && spot <= MAX_PRICE)) {
    throw invalidInput("spot", `must be a finite number within [${MIN_PRICE}, ${MAX_PRICE}]`);
  }
  if (!(Number.isFinite(dividendYield) && Math.abs(dividendYield) <= MAX_ABS_RATE)) {
    throw invalidInput("dividendYield", `must be a finite number within ±${MAX_ABS_RATE}`);
  }
  const growth =
    Number.isFinite(rate) && Number.isFinite(expiryYears)
      ? Math.exp((rate - dividendYield) * expiryYears)
      : 1;
  return black76ImpliedVol(kind, spot * growth, strike, expiryYears, price, rate);
}
