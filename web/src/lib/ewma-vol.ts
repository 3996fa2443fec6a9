/*
 * A live volatility estimate for the overview from the marks the dashboard sees: the
 * exponentially weighted standard deviation of log returns between consecutive marks
 * (RiskMetrics, σ²ₜ = λσ²ₜ₋₁ + (1−λ)r²ₜ). The API publishes no volatility figure, and the
 * marks arrive at the feed's pace, so this is a volatility per update, not annualised.
 */

export interface EwmaVolState {
  readonly lastPrice: number | null;
  /** EWMA variance of log returns per update. */
  readonly variance: number;
  readonly updates: number;
}

export const EWMA_EMPTY: EwmaVolState = { lastPrice: null, variance: 0, updates: 0 };

/** Folds one price (USD, > 0) into the state with decay `lambda` in (0, 1). */
export function updateEwmaVol(state: EwmaVolState, priceUsd: number, lambda = 0.94): EwmaVolState {
  if (!(priceUsd > 0) || !Number.isFinite(priceUsd)) return state;
  if (state.lastPrice === null) return { lastPrice: priceUsd, variance: 0, updates: 0 };
  // Polling sees the same mark again between updates: that is one observation, not a zero return.
  if (priceUsd === state.lastPrice) return state;
  const r = Math.log(priceUsd / state.lastPrice);
  // The first return seeds the variance, so the estimate does not start from zero.
  const variance = state.updates === 0 ? r * r : lambda * state.variance + (1 - lambda) * r * r;
  return { lastPrice: priceUsd, variance, updates: state.updates + 1 };
}

/** The volatility (standard deviation of log returns per update), or null before two prices. */
export function ewmaVolPerUpdate(state: EwmaVolState): number | null {
  return state.updates === 0 ? null : Math.sqrt(state.variance);
}
