/**
 * Default parameters of the synthetic market (see docs/synthetic-market.md for the model and
 * how they were calibrated to the Binance BTC/ETH/SOL daily and hourly data in ../shared/data).
 */

/** Per-asset parameters. */
export interface SyntheticAssetParams {
  /** First open price, in USD. */
  readonly startPrice: number;
  /** Target total annualised volatility of log returns (diffusion, GARCH, crashes together). */
  readonly annualVolatility: number;
  /** How hard a crash hits this asset, relative to the common crash size (BTC = 1). */
  readonly crashBeta: number;
  /** Typical traded volume per day, in units of the asset. */
  readonly dailyVolume: number;
}

/** Model parameters shared by all assets, stated per DAY and rescaled to the interval. */
export interface SyntheticModelParams {
  /** GARCH(1,1) reaction α at a daily interval. */
  readonly garchAlphaDaily: number;
  /** GARCH persistence α + β at a daily interval (half-life ln 0.5 / ln persistence days). */
  readonly garchPersistenceDaily: number;
  /** α at interval Δ (days) is garchAlphaDaily · Δ^exponent. */
  readonly garchAlphaIntervalExponent: number;
  /** Student-t degrees of freedom of the innovations (> 2; scaled to unit variance). */
  readonly degreesOfFreedom: number;
  /** Expected crash episodes per year (Poisson arrivals). */
  readonly crashesPerYear: number;
  /** Crash jump size, in daily diffusive standard deviations: uniform on [min, max]. */
  readonly crashJumpSigmasMin: number;
  readonly crashJumpSigmasMax: number;
  /** Variance multiplier right after a crash (4 = volatility doubles). */
  readonly crashVarianceMultiplier: number;
  /** e-folding time of the post-crash excess variance, in days. */
  readonly crashDecayDays: number;
  /** Correlation of innovations for pairs with no entry in `DEFAULT_PAIR_CORRELATIONS`. */
  readonly defaultCorrelation: number;
}

export const DEFAULT_MODEL_PARAMS: SyntheticModelParams = {
  garchAlphaDaily: 0.1,
  garchPersistenceDaily: 0.97,
  garchAlphaIntervalExponent: 0.1,
  degreesOfFreedom: 4.5,
  crashesPerYear: 1,
  crashJumpSigmasMin: 4,
  crashJumpSigmasMax: 8,
  crashVarianceMultiplier: 4,
  crashDecayDays: 7,
  defaultCorrelation: 0.6,
};

const KNOWN_ASSETS: Readonly<Record<string, SyntheticAssetParams>> = {
  BTC: { startPrice: 60_000, annualVolatility: 0.65, crashBeta: 1, dailyVolume: 25_000 },
  ETH: { startPrice: 3_000, annualVolatility: 0.85, crashBeta: 1.15, dailyVolume: 400_000 },
  SOL: { startPrice: 150, annualVolatility: 1.15, crashBeta: 1.4, dailyVolume: 3_000_000 },
  BNB: { startPrice: 600, annualVolatility: 0.9, crashBeta: 1.2, dailyVolume: 150_000 },
  XRP: { startPrice: 0.6, annualVolatility: 1.0, crashBeta: 1.2, dailyVolume: 100_000_000 },
  DOGE: { startPrice: 0.15, annualVolatility: 1.3, crashBeta: 1.3, dailyVolume: 1_000_000_000 },
  ADA: { startPrice: 0.5, annualVolatility: 1.0, crashBeta: 1.2, dailyVolume: 100_000_000 },
};

const OTHER_ASSET: SyntheticAssetParams = {
  startPrice: 100,
  annualVolatility: 0.9,
  crashBeta: 1.2,
  dailyVolume: 1_000_000,
};

// Innovation correlations, measured on daily log returns of ../shared/data/daily (2018–2025,
// SOL from 2020-08): BTC–ETH 0.828, BTC–SOL 0.575, ETH–SOL 0.647.
const DEFAULT_PAIR_CORRELATIONS: Readonly<Record<string, number>> = {
  "BTC/ETH": 0.83,
  "BTC/SOL": 0.58,
  "ETH/SOL": 0.65,
};

/** Default parameters for a symbol (upper-cased); unknown symbols get generic altcoin values. */
export function defaultAssetParams(symbol: string): SyntheticAssetParams {
  return KNOWN_ASSETS[symbol.toUpperCase()] ?? OTHER_ASSET;
}

/** Default correlation of the innovations of two symbols. */
export function defaultPairCorrelation(
  a: string,
  b: string,
  fallback = DEFAULT_MODEL_PARAMS.defaultCorrelation,
): number {
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  return DEFAULT_PAIR_CORRELATIONS[`${x}/${y}`] ?? DEFAULT_PAIR_CORRELATIONS[`${y}/${x}`] ?? fallback;
}
