import { invalidInput } from "../errors.ts";

/*
 * Limits on pricing inputs. Anything outside is a unit mistake rather than a market (a vol above
 * 5000% a year, an expiry beyond 30 years, a rate or yield beyond ±200% a year), and rejecting it
 * keeps every formula far from overflow: σ√T ≤ 274, |(r − q)·T| ≤ 120, |ln(F/K)| ≤ 461.
 */
export const MAX_VOL = 50;
export const MAX_EXPIRY_YEARS = 30;
export const MAX_ABS_RATE = 2;
export const MIN_PRICE = 1e-100;
/**
 * Total volatility σ√T below which an option is priced as at expiry. The Gaussian is then
 * narrower than any relative price difference a double resolves, and it keeps the at-the-money
 * gamma D·φ/(F·σ√T) finite (≤ 4e199 with F ≥ 1e-100) instead of overflowing.
 */
export const MIN_TOTAL_VOL = 1e-100;
export const MAX_PRICE = 1e100;

function checkPositive(field: string, value: number): void {
  if (!Number.isFinite(value)) throw invalidInput(field, "must be a finite number");
  if (!(value > 0)) throw invalidInput(field, "must be > 0");
  if (value < MIN_PRICE || value > MAX_PRICE) {
    throw invalidInput(field, `must be within [${MIN_PRICE}, ${MAX_PRICE}]`);
  }
}

function checkRate(field: string, value: number): void {
  if (!Number.isFinite(value)) throw invalidInput(field, "must be a finite number");
  if (Math.abs(value) > MAX_ABS_RATE) throw invalidInput(field, `must be within ±${MAX_ABS_RATE}`);
}

/**
 * Validates the common inputs of a European option: underlying and strike (currency, > 0),
 * expiry in years (≥ 0; 0 means at expiry), volatility (annualised, ≥ 0) and the continuously
 * compounded rate. Throws `invalidInput` naming the first bad field; `underlyingField` is the
 * caller's name for the underlying ("forward" or "spot").
 */
export function validateOptionInputs(
  underlyingField: string,
  underlying: number,
  strike: number,
  expiryYears: number,
  vol: number,
  rate: number,
): void {
  checkPositive(underlyingField, underlying);
  checkPositive("strike", strike);
  if (!Number.isFinite(expiryYears)) throw invalidInput("expiryYears", "must be a finite number");
  if (expiryYears < 0) throw invalidInput("expiryYears", "must be ≥ 0");
  if (expiryYears > MAX_EXPIRY_YEARS) throw invalidInput("expiryYears", `must be ≤ ${MAX_EXPIRY_YEARS}`);
  if (!Number.isFinite(vol)) throw invalidInput("vol", "must be a finite number");
  if (vol < 0) throw invalidInput("vol", "must be ≥ 0");
  if (vol > MAX_VOL) throw invalidInput("vol", `must be ≤ ${MAX_VOL}`);
  checkRate("rate", rate);
}

/** Validates a continuous dividend (or foreign-rate / funding) yield, per year. */
export function validateDividendYield(dividendYield: number): void {
  checkRate("dividendYield", dividendYield);
}
