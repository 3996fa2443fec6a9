/**
 * Price and sensitivities of one European option, in QuantLib's conventions. With V the price
 * (currency units of the underlying and strike), U the underlying (the forward for Black-76, the
 * spot for Black-Scholes-Merton), σ the volatility (1.00 = 100% a year), r the continuously
 * compounded rate and T the expiry in years:
 * - `delta` = ∂V/∂U (currency per currency of underlying), `gamma` = ∂²V/∂U²;
 * - `vega` = ∂V/∂σ per 1.00 of volatility, `volga` = ∂²V/∂σ², `vanna` = ∂²V/∂U∂σ;
 * - `theta` = ∂V/∂t per year as calendar time passes (= −∂V/∂T);
 * - `rho` = ∂V/∂r per 1.00 of rate (Black-76 with the forward fixed, BSM with spot and q fixed).
 */
export interface OptionGreeks {
  readonly price: number;
  readonly delta: number;
  readonly gamma: number;
  readonly vega: number;
  readonly theta: number;
  readonly rho: number;
  readonly vanna: number;
  readonly volga: number;
}

/** The Greek names in output order, shared by the batch API and the CLI. */
export const GREEK_NAMES = ["price", "delta", "gamma", "vega", "theta", "rho", "vanna", "volga"] as const;
