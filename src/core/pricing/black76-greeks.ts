import { normalCdf } from "../dist/normal.ts";
import type { OptionKind } from "./black76.ts";
import { normalisedBlack } from "./normalised-black.ts";
import type { OptionGreeks } from "./option-greeks.ts";
import { MIN_TOTAL_VOL, validateOptionInputs } from "./option-input-limits.ts";

const INV_SQRT_2PI = 0.3989422804014327;

/*
 * Black-76 with the forward F held fixed: V = D·[θF·Φ(θd₁) − θK·Φ(θd₂)], D = e^{−rT}, θ = ±1.
 *   delta = θ·D·Φ(θd₁)              gamma = D·φ(d₁)/(F·σ√T)
 *   vega  = D·F·φ(d₁)·√T            theta = r·V − D·F·φ(d₁)·σ/(2√T)
 *   rho   = −T·V                    vanna = −D·φ(d₁)·d₂/σ       volga = vega·d₁·d₂/σ
 * The price goes through the normalised Black function so out-of-the-money prices keep their
 * relative accuracy down to ~1e-300 of the forward.
 *
 * With zero total volatility (σ = 0 or T = 0, in practice σ√T < MIN_TOTAL_VOL = 1e-100) the option is worth its discounted intrinsic value
 * and the Greeks are the limits as σ√T → 0: Φ(d) becomes 1, 0 or ½ (at the strike), gamma and
 * volga are 0 (at the strike gamma diverges; we report 0, the limit on either side), and at the
 * strike with T > 0, vega → D·F·√T/√(2π) and vanna → D·√T/(2√(2π)). At T = 0 the diffusion
 * term of theta (−∞ exactly at the strike, 0 elsewhere) is left out, so theta = r·V.
 */

/**
 * Unvalidated Black-76 kernel, the reference the batch path is tested against. Inputs: forward
 * and strike in currency, expiry in years (≥ 0), vol per year (≥ 0), continuously compounded rate.
 * Returns the price in currency and Greeks with respect to the forward (see `OptionGreeks`).
 */
export function black76GreeksUnchecked(
  isCall: boolean,
  forward: number,
  strike: number,
  expiryYears: number,
  vol: number,
  rate: number,
): OptionGreeks {
  const theta = isCall ? 1 : -1;
  const discount = Math.exp(-rate * expiryYears);
  const sqrtT = Math.sqrt(expiryYears);
  const stdDev = vol * sqrtT;
  if (!(stdDev >= MIN_TOTAL_VOL)) {
    const price = discount * Math.max(theta * (forward - strike), 0);
    const atStrike = forward === strike;
    const itm = atStrike ? 0.5 : theta * (forward - strike) > 0 ? 1 : 0;
    const pdfScale = atStrike ? INV_SQRT_2PI * sqrtT : 0;
    return {
      price,
      delta: theta * discount * itm,
      gamma: 0,
      vega: discount * forward * pdfScale,
      theta: rate * price,
      rho: -expiryYears * price,
      vanna: 0.5 * discount * pdfScale,
      volga: 0,
    };
  }
  const x = Math.log(forward / strike);
  const price = discount * Math.sqrt(forward * strike) * normalisedBlack(theta * x, stdDev);
  const d1 = x / stdDev + 0.5 * stdDev;
  const d2 = d1 - stdDev;
  const pdf = INV_SQRT_2PI * Math.exp(-0.5 * d1 * d1);
  const delta = theta * discount * normalCdf(theta * d1);
  if (pdf === 0) {
    // Far from the strike every φ(d₁) term is exactly 0; skipping them avoids 0·∞ = NaN.
    return {
      price,
      delta,
      gamma: 0,
      vega: 0,
      theta: rate * price,
      rho: -expiryYears * price,
      vanna: 0,
      volga: 0,
    };
  }
  const vega = discount * forward * pdf * sqrtT;
  return {
    price,
    delta,
    gamma: (discount * pdf) / (forward * stdDev),
    vega,
    theta: rate * price - (discount * forward * pdf * vol) / (2 * sqrtT),
    rho: -expiryYears * price,
    vanna: (-discount * pdf * d2) / vol,
    volga: (vega * d1 * d2) / vol,
  };
}

/**
 * Black-76 price and Greeks of a European option on a forward or future: forward and strike in
 * currency (> 0), expiry in years (≥ 0; 0 gives intrinsic value and limiting Greeks), vol per
 * year (≥ 0), continuously compounded rate per year. Delta and gamma are with respect to the
 * forward, rho holds the forward fixed (ρ = −T·V). Throws `invalidInput` naming a bad field.
 */
export function black76Greeks(
  kind: OptionKind,
  forward: number,
  strike: number,
  expiryYears: number,
  vol: number,
  rate: number,
): OptionGreeks {
  validateOptionInputs("forward", forward, strike, expiryYears, vol, rate);
  return black76GreeksUnchecked(kind === "call", forward, strike, expiryYears, vol, rate);
}
