import type { OptionKind } from "./black76.ts";
import { black76GreeksUnchecked } from "./black76-greeks.ts";
import type { OptionGreeks } from "./option-greeks.ts";
import { validateDividendYield, validateOptionInputs } from "./option-input-limits.ts";

/*
 * Generalised Black-Scholes-Merton is Black-76 on the forward F = S·e^{(r−q)T}. With the Black-76
 * Greeks taken at that forward (F fixed) and the chain rule through ∂F/∂S = F/S, ∂F/∂r = T·F and
 * ∂F/∂T = (r − q)·F:
 *   delta = Δ_F·F/S, gamma = Γ_F·(F/S)², vanna = vanna_F·F/S, vega and volga unchanged,
 *   rho (S and q fixed) = −T·V + Δ_F·T·F  (= θK·T·D·Φ(θd₂)),
 *   theta (S fixed) = theta_F − Δ_F·(r − q)·F.
 * Sharing the kernel keeps one implementation of the edge cases.
 */

/**
 * Black-Scholes-Merton price and Greeks of a European option on a spot paying a continuous
 * dividend yield q: spot and strike in currency (> 0), expiry in years (≥ 0), vol per year
 * (≥ 0), rate and dividend yield continuously compounded per year. Delta, gamma and vanna are
 * with respect to the spot; rho holds spot and q fixed. Throws `invalidInput` naming a bad field.
 */
export function bsmGreeks(
  kind: OptionKind,
  spot: number,
  strike: number,
  expiryYears: number,
  vol: number,
  rate: number,
  dividendYield: number,
): OptionGreeks {
  validateOptionInputs("spot", spot, strike, expiryYears, vol, rate);
  validateDividendYield(dividendYield);
  const growth = Math.exp((rate - dividendYield) * expiryYears);
  const forward = spot * growth;
  const g = black76GreeksUnchecked(kind === "call", forward, strike, expiryYears, vol, rate);
  return {
    price: g.price,
    delta: g.delta * growth,
    gamma: g.gamma * growth * growth,
    vega: g.vega,
    theta: g.theta - g.delta * (rate - dividendYield) * forward,
    rho: g.rho + g.delta * expiryYears * forward,
    vanna: g.vanna * growth,
    volga: g.volga,
  };
}
