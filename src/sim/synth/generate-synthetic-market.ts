import type { PriceSeries } from "../../core/data/price-series.ts";
import { invalidInput } from "../../core/errors.ts";
import { choleskyLower } from "./cholesky.ts";
import { RandomSource } from "./random-source.ts";
import {
  DEFAULT_MODEL_PARAMS,
  defaultAssetParams,
  defaultPairCorrelation,
  type SyntheticAssetParams,
  type SyntheticModelParams,
} from "./synthetic-market-params.ts";

const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;

/** Limits: the whole market is held in memory (six Float64Arrays per asset). */
export const MAX_SYNTH_PERIODS = 10_000_000;
export const MAX_SYNTH_ASSETS = 32;
export const MAX_SYNTH_CELLS = 10_000_000;

export interface SyntheticMarketOptions {
  /** Any 32-bit integer; the same seed gives the same market, bit for bit. */
  readonly seed: number;
  /** Number of bars per asset. */
  readonly periods: number;
  /** Bar length in milliseconds (1d = 86 400 000). */
  readonly intervalMs: number;
  /** Symbols, e.g. ["BTC", "ETH", "SOL"]; any symbol works (unknown ones get generic defaults). */
  readonly assets: readonly string[];
  /** Open time of the first bar, epoch ms UTC; default 2024-01-01T00:00:00Z. */
  readonly startMs?: number;
  /**
   * Innovation correlation: one number for every pair, or the upper triangle row by row
   * (pairs (0,1), (0,2), …, (1,2), …); default measured BTC/ETH/SOL values, 0.6 otherwise.
   */
  readonly correlation?: number | readonly number[];
  /** Overrides of the shared model parameters. */
  readonly model?: Partial<SyntheticModelParams>;
  /** Overrides of per-asset parameters, by symbol. */
  readonly assetParams?: Readonly<Record<string, Partial<SyntheticAssetParams>>>;
}

export interface SyntheticMarket {
  readonly symbols: readonly string[];
  /** One OHLCV series per symbol, in the order of `symbols`. */
  readonly series: readonly PriceSeries[];
  /** Decimals every price of the matching series is rounded to (and written with). */
  readonly priceDecimals: readonly number[];
  /** Decimals volumes are rounded to. */
  readonly volumeDecimals: number;
  /** Indices (bar numbers) where a crash episode started. */
  readonly crashPeriods: readonly number[];
  /** The innovation correlation matrix used, row-major n×n. */
  readonly correlation: Float64Array;
}

export const SYNTH_VOLUME_DECIMALS = 4;
const DEFAULT_START_MS = Date.UTC(2024, 0, 1);

/**
 * Generates a correlated synthetic crypto market: per asset a GARCH(1,1) variance recursion
 * driven by unit-variance multivariate Student-t innovations (correlated through a Cholesky
 * factor), plus Poisson crash episodes that hit all assets together (a jump down of several
 * daily sigmas, then an exponentially decaying variance spike). Bars carry OHLC from an exact
 * Brownian-bridge draw of the intra-bar extremes, and a volume that grows with |return|.
 * Prices in USD, volumes in asset units, timestamps epoch ms. Pure given `seed`.
 */
export function generateSyntheticMarket(options: SyntheticMarketOptions): SyntheticMarket {
  const model: SyntheticModelParams = { ...DEFAULT_MODEL_PARAMS, ...options.model };
  validate(options, model);
  const symbols = options.assets.map((s) => s.trim().toUpperCase());
  const n = symbols.length;
  const params = symbols.map((s) => ({ ...defaultAssetParams(s), ...options.assetParams?.[s] }));
  const correlation = correlationMatrix(symbols, options.correlation, model.defaultCorrelation);
  const chol = choleskyLower(correlation, n);
  const rng = new RandomSource(options.seed);
  const { periods, intervalMs } = options;
  const startMs = options.startMs ?? DEFAULT_START_MS;

  const days = intervalMs / DAY_MS;
  const years = intervalMs / YEAR_MS;
  // Persistence is kept per unit of calendar time (same half-life at every interval); the
  // reaction α scales with interval^exponent (0.5 is the diffusion limit of GARCH, Nelson 1990;
  // the default 0.1 keeps the stronger intraday clustering seen in the hourly data).
  const persistence = model.garchPersistenceDaily ** days;
  const alpha = Math.min(model.garchAlphaDaily * days ** model.garchAlphaIntervalExponent, 0.9 * persistence);
  // A crash's jump is spread evenly over its first day, so intraday bars see a day of heavy
  // selling rather than one impossible bar.
  const jumpPeriods = Math.max(1, Math.round(1 / days));
  const beta = persistence - alpha;
  const crashProbability = 1 - Math.exp(-model.crashesPerYear * years);
  const kMin = model.crashJumpSigmasMin;
  const kMax = model.crashJumpSigmasMax;
  const meanK = (kMin + kMax) / 2;
  const meanK2 = (kMin * kMin + kMin * kMax + kMax * kMax) / 3;
  const excessDecay = Math.exp(-days / model.crashDecayDays);
  const nu = model.degreesOfFreedom;

  // Split each asset's target variance between diffusion, post-crash excess and jumps so the
  // total annualised volatility matches the target: σ²_target = σ²_diff·(1 + λ(M−1)τ + λE[k²]β²/365).
  const dailySigma = new Float64Array(n);
  const periodSigma = new Float64Array(n);
  const drift = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = params[i] as SyntheticAssetParams;
    const extra =
      model.crashesPerYear * (model.crashVarianceMultiplier - 1) * (model.crashDecayDays / 365) +
      (model.crashesPerYear * meanK2 * p.crashBeta ** 2) / 365;
    const diffusiveAnnualVar = p.annualVolatility ** 2 / (1 + extra);
    dailySigma[i] = Math.sqrt(diffusiveAnnualVar / 365);
    periodSigma[i] = Math.sqrt(diffusiveAnnualVar * years);
    // Compensate the expected crash loss so the log price has no drift on average.
    drift[i] = model.crashesPerYear * years * meanK * p.crashBeta * (dailySigma[i] as number);
  }

  const priceDecimals = params.map((p) => decimalsFor(p.startPrice));
  const columns = symbols.map(() => ({
    open: new Float64Array(periods),
    high: new Float64Array(periods),
    low: new Float64Array(periods),
    close: new Float64Array(periods),
    volume: new Float64Array(periods),
  }));
  const timestampsMs = new Float64Array(periods);
  const variance = new Float64Array(n).fill(1);
  const lastClose = Float64Array.from(params, (p, i) => roundTo(p.startPrice, priceDecimals[i] as number));
  const eps = new Float64Array(n);
  const z = new Float64Array(n);
  const crashPeriods: number[] = [];
  let excess = 0;
  // Active crash jumps: per-period size in daily sigmas and the last period they apply to.
  const jumps: { kPerPeriod: number; lastPeriod: number }[] = [];

  for (let t = 0; t < periods; t++) {
    timestampsMs[t] = startMs + t * intervalMs;
    // One chi-square draw shared by all assets makes the innovations multivariate t: tails
    // arrive together across assets, as they do in crypto.
    const tScale = Math.sqrt((nu - 2) / (2 * rng.gamma(nu / 2)));
    for (let j = 0; j < n; j++) eps[j] = rng.normal();
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j <= i; j++) sum += (chol[i * n + j] as number) * (eps[j] as number);
      z[i] = tScale * sum;
    }
    const crash = rng.uniform() < crashProbability;
    if (crash) {
      const k = kMin + (kMax - kMin) * rng.uniform();
      crashPeriods.push(t);
      jumps.push({ kPerPeriod: k / jumpPeriods, lastPeriod: t + jumpPeriods - 1 });
    }
    let k = 0;
    for (const j of jumps) k += j.kPerPeriod;
    for (let i = 0; i < n; i++) {
      const col = columns[i] as (typeof columns)[number];
      const zi = z[i] as number;
      const s = (periodSigma[i] as number) * Math.sqrt((variance[i] as number) * (1 + excess));
      const jump = -k * (params[i] as SyntheticAssetParams).crashBeta * (dailySigma[i] as number);
      const x = s * zi + (drift[i] as number) + jump;
      variance[i] = 1 - persistence + alpha * zi * zi + beta * (variance[i] as number);
      // Intra-bar extremes of a Brownian bridge from 0 to x with variance s²: the exact
      // distribution P(max ≥ m) = exp(−2m(m − x)/s²), sampled by inversion.
      const up = 0.5 * (x + Math.sqrt(x * x - 2 * s * s * Math.log(rng.uniformPositive())));
      const down = 0.5 * (x - Math.sqrt(x * x - 2 * s * s * Math.log(rng.uniformPositive())));
      const d = priceDecimals[i] as number;
      const unit = 10 ** -d;
      const open = lastClose[i] as number;
      const close = Math.max(unit, roundTo(open * Math.exp(x), d));
      col.open[t] = open;
      col.close[t] = close;
      col.high[t] = Math.max(open, close, roundTo(open * Math.exp(up), d));
      col.low[t] = Math.max(unit, Math.min(open, close, roundTo(open * Math.exp(down), d)));
      lastClose[i] = close;
      // Volume grows with the size of the move relative to normal, with lognormal noise.
      const p = params[i] as SyntheticAssetParams;
      const activity = 0.4 + (0.6 * Math.abs(x)) / (periodSigma[i] as number);
      const noise = Math.exp(0.35 * rng.normal() - 0.06125);
      col.volume[t] = Math.max(
        10 ** -SYNTH_VOLUME_DECIMALS,
        roundTo(p.dailyVolume * days * activity * noise, SYNTH_VOLUME_DECIMALS),
      );
    }
    excess = excess * excessDecay + (crash ? model.crashVarianceMultiplier - 1 : 0);
    while (jumps.length > 0 && (jumps[0] as { lastPeriod: number }).lastPeriod <= t) jumps.shift();
  }

  const series: PriceSeries[] = symbols.map((symbol, i) => {
    const col = columns[i] as (typeof columns)[number];
    return {
      source: `synthetic:${symbol}:seed=${options.seed}`,
      timestampsMs: i === 0 ? timestampsMs : timestampsMs.slice(),
      open: col.open,
      high: col.high,
      low: col.low,
      close: col.close,
      volume: col.volume,
      intervalMs,
      gaps: [],
      warnings: [],
    };
  });
  return { symbols, series, priceDecimals, volumeDecimals: SYNTH_VOLUME_DECIMALS, crashPeriods, correlation };
}

/** Price decimals giving about six significant digits at the start price, at least 2. */
function decimalsFor(startPrice: number): number {
  return Math.min(10, Math.max(2, 5 - Math.floor(Math.log10(startPrice))));
}

function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

function correlationMatrix(
  symbols: readonly string[],
  spec: number | readonly number[] | undefined,
  fallback: number,
): Float64Array {
  const n = symbols.length;
  const pairs = (n * (n - 1)) / 2;
  if (Array.isArray(spec) && spec.length !== pairs) {
    throw invalidInput(
      "correlation",
      `expected one number or ${pairs} pair values for ${n} assets, got ${spec.length}`,
    );
  }
  const m = new Float64Array(n * n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    m[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      const rho =
        spec === undefined
          ? defaultPairCorrelation(symbols[i] as string, symbols[j] as string, fallback)
          : typeof spec === "number"
            ? spec
            : (spec[k] as number);
      k++;
      if (!(rho > -1 && rho < 1))
        throw invalidInput("correlation", `pair ${symbols[i]}/${symbols[j]} must be in (−1, 1), got ${rho}`);
      m[i * n + j] = rho;
      m[j * n + i] = rho;
    }
  }
  return m;
}

function validate(o: SyntheticMarketOptions, m: SyntheticModelParams): void {
  // Seeds are 32-bit: wider integers would silently collide after truncation.
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffff_ffff) {
    throw invalidInput("seed", `must be an integer in 0..4294967295, got ${o.seed}`);
  }
  if (!Number.isInteger(o.periods) || o.periods < 1 || o.periods > MAX_SYNTH_PERIODS) {
    throw invalidInput("periods", `must be an integer in 1..${MAX_SYNTH_PERIODS}, got ${o.periods}`);
  }
  if (!Number.isInteger(o.intervalMs) || o.intervalMs < 1000)
    throw invalidInput("intervalMs", `must be a whole number of ms ≥ 1000, got ${o.intervalMs}`);
  if (o.assets.length < 1 || o.assets.length > MAX_SYNTH_ASSETS)
    throw invalidInput("assets", `need 1..${MAX_SYNTH_ASSETS} symbols, got ${o.assets.length}`);
  if (o.assets.length * o.periods > MAX_SYNTH_CELLS)
    throw invalidInput("periods", `assets × periods must be ≤ ${MAX_SYNTH_CELLS}`);
  const upper = o.assets.map((s) => s.trim().toUpperCase());
  upper.forEach((s, i) => {
    if (!/^[A-Z0-9._-]{1,20}$/.test(s)) throw invalidInput("assets", `bad symbol '${o.assets[i]}'`);
    if (upper.indexOf(s) !== i) throw invalidInput("assets", `duplicate symbol '${s}'`);
  });
  if (o.startMs !== undefined && !Number.isFinite(o.startMs))
    throw invalidInput("startMs", "must be a finite epoch-ms time");
  if (!(m.degreesOfFreedom > 2))
    throw invalidInput("model.degreesOfFreedom", "must be > 2 (finite variance)");
  if (
    !(m.garchAlphaDaily >= 0 && m.garchAlphaDaily < m.garchPersistenceDaily && m.garchPersistenceDaily < 1)
  ) {
    throw invalidInput("model.garchPersistenceDaily", "need 0 ≤ α < α + β < 1");
  }
  if (!(m.crashesPerYear >= 0)) throw invalidInput("model.crashesPerYear", "must be ≥ 0");
  if (!(m.crashJumpSigmasMin >= 0 && m.crashJumpSigmasMax >= m.crashJumpSigmasMin))
    throw invalidInput("model.crashJumpSigmasMax", "need 0 ≤ min ≤ max");
  if (!(m.crashVarianceMultiplier >= 1)) throw invalidInput("model.crashVarianceMultiplier", "must be ≥ 1");
  if (!(m.crashDecayDays > 0)) throw invalidInput("model.crashDecayDays", "must be > 0");
  for (const s of upper) {
    const p = { ...defaultAssetParams(s), ...o.assetParams?.[s] };
    if (!(p.startPrice > 0 && p.annualVolatility > 0 && p.crashBeta >= 0 && p.dailyVolume > 0)) {
      throw invalidInput(
        `assetParams.${s}`,
        "startPrice, annualVolatility, dailyVolume must be > 0 and crashBeta ≥ 0",
      );
    }
  }
}
