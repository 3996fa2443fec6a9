import type { EngineConfig } from "./engine-config.ts";

/*
 * A small, realistic venue configuration used by the examples, the scenario tests and the
 * seeded simulation: USDC quote, BTC as haircut collateral, a BTC perpetual, a dated BTC future
 * and a BTC call option, three oracle sources per underlying.
 */

/** Expiry of the demo dated future and option: 2026-03-27T08:00:00Z, in ms since the epoch. */
export const DEMO_EXPIRY_MS = Date.UTC(2026, 2, 27, 8);

export function demoConfig(): EngineConfig {
  const oracle = {
    sources: ["alpha", "beta", "gamma"],
    minSources: 2,
    maxAgeMs: 10_000,
    maxDeviationFraction: 0.05,
    deviationWindowMs: 500,
    maxConfidenceFraction: 0.01,
    haltAfterMs: 60_000,
  };
  const circuitBreaker = {
    windowMs: 60_000,
    tightenMoveFraction: 0.05,
    haltMoveFraction: 0.15,
    coolingMs: 300_000,
    tightenStep: 0.25,
    maxMultiplier: 3,
    maxRisePerHour: 2,
    relaxAfterMs: 3_600_000,
    volRegimeJumpRatio: 4,
    volRegimeRecentReturns: 5,
  };
  return {
    version: "demo-1",
    quoteAsset: "USDC",
    assets: [
      { id: "USDC", decimals: 6, haircut: 0 },
      { id: "BTC", decimals: 8, priceUnderlying: "BTC", haircut: 0.1 },
    ],
    underlyings: [{ id: "BTC", priceDecimals: 2, oracle, circuitBreaker }],
    markets: [
      {
        id: "BTC-PERP",
        underlying: "BTC",
        kind: "perp",
        contractSize: "1",
        sizeDecimals: 3,
        priceDecimals: 2,
        initialMarginFraction: 0.1,
        maintenanceMarginFraction: 0.05,
      },
      {
        id: "BTC-FUT-MAR26",
        underlying: "BTC",
        kind: "future",
        contractSize: "1",
        sizeDecimals: 3,
        priceDecimals: 2,
        initialMarginFraction: 0.1,
        maintenanceMarginFraction: 0.05,
        expiryMs: DEMO_EXPIRY_MS,
      },
      {
        id: "BTC-C-60000-MAR26",
        underlying: "BTC",
        kind: "option",
        contractSize: "1",
        sizeDecimals: 2,
        priceDecimals: 2,
        initialMarginFraction: 0.15,
        maintenanceMarginFraction: 0.075,
        expiryMs: DEMO_EXPIRY_MS,
        option: { type: "call", strike: "60000", volatility: 0.6 },
      },
    ],
    liquidation: {
      targetHealth: 1.25,
      auctionStartDiscountFraction: 0.005,
      auctionDiscountPerSecondFraction: 0.001,
      auctionMaxDiscountFraction: 0.03,
      insuranceFeeFraction: 0.005,
    },
  };
}

/**
 * The demo venue's margin policy as a src/core/margin document: the same static fractions as
 * `demoConfig().markets` (so the two implementations can be checked against each other), a
 * scenario grid for portfolio mode, fixed haircuts.
 */
export function demoRiskParams(): Record<string, unknown> {
  const st = (im: number, mm: number) => ({ type: "static", initialFraction: im, maintenanceFraction: mm });
  return {
    version: 1,
    venue: "demo",
    quoteAsset: "USDC",
    markets: {
      "BTC-PERP": {
        instrument: { type: "linear-perp" },
        underlying: "BTC",
        contractSize: 1,
        tickSize: 0.01,
        policy: st(0.1, 0.05),
      },
      "BTC-FUT-MAR26": {
        instrument: { type: "dated-future", expiryMs: DEMO_EXPIRY_MS },
        underlying: "BTC",
        contractSize: 1,
        tickSize: 0.01,
        policy: st(0.1, 0.05),
      },
      "BTC-C-60000-MAR26": {
        instrument: { type: "option", optionKind: "call", strike: 60_000, expiryMs: DEMO_EXPIRY_MS },
        underlying: "BTC",
        contractSize: 1,
        tickSize: 0.01,
        policy: st(0.15, 0.075),
        shortOptionMinimumFraction: 0.1,
      },
    },
    collateral: {
      USDC: { haircut: { model: "fixed", fraction: 0 } },
      BTC: { haircut: { model: "fixed", fraction: 0.1 }, underlying: "BTC" },
    },
    underlyings: {
      BTC: {
        priceRange: 0.15,
        priceSteps: 7,
        volShockUp: 0.3,
        volShockDown: 0.2,
        shortOptionMinimumFraction: 0.1,
        calendarSpreadFraction: 0.01,
        maintenanceShare: 0.5,
      },
    },
  };
}

/** The demo's inverse (coin-margined) BTC perpetual: 100 USD per contract, settled in BTC. */
export const DEMO_INVERSE_MARKET = {
  id: "BTC-INV-PERP",
  underlying: "BTC",
  kind: "perp",
  contractSize: "100",
  sizeDecimals: 0,
  priceDecimals: 1,
  initialMarginFraction: 0.1,
  maintenanceMarginFraction: 0.05,
  inverse: true,
  settlementAsset: "BTC",
} as const satisfies EngineConfig["markets"][number];

/**
 * The demo venue with everything the engine supports switched on: the inverse perpetual beside
 * the linear markets, and an auction backstop after `backstopDelayMs`.
 */
export function demoConfigFull(backstopDelayMs = 10_000): EngineConfig {
  const base = demoConfig();
  return {
    ...base,
    version: "demo-full-1",
    markets: [...base.markets, { ...DEMO_INVERSE_MARKET }],
    liquidation: { ...base.liquidation, backstopDelayMs },
  };
}

/**
 * `demoRiskParams` for `demoConfigFull`: the inverse perp as an `inverse-perp` instrument with the
 * same static fractions, and a venue parameter set "conservative" (IM 20 %, MM 10 % on the perps).
 */
export function demoRiskParamsFull(): Record<string, unknown> {
  const base = demoRiskParams() as { markets: Record<string, unknown> };
  const st = (im: number, mm: number) => ({ type: "static", initialFraction: im, maintenanceFraction: mm });
  return {
    ...base,
    markets: {
      ...base.markets,
      "BTC-INV-PERP": {
        instrument: { type: "inverse-perp" },
        underlying: "BTC",
        contractSize: 100,
        tickSize: 0.1,
        policy: st(0.1, 0.05),
      },
    },
    paramSets: {
      conservative: {
        description: "stricter margin for accounts the venue flags",
        markets: { "BTC-PERP": { policy: st(0.2, 0.1) }, "BTC-INV-PERP": { policy: st(0.2, 0.1) } },
      },
    },
  };
}
