import { parseRiskParams, type RiskParams } from "../margin/risk-params.ts";
import type { MarketState } from "../margin/types.ts";
import {
  applyFillToBook,
  type ColumnarBook,
  createColumnarBook,
  depositToBook,
  openBookSubaccount,
} from "./columnar-book.ts";
import { type HotpathUniverse, resolveHotpathUniverse } from "./hotpath-universe.ts";

/*
 * A seeded random venue for the hot path's equivalence tests: a risk-parameter document that
 * exercises every component the kernel covers (static brackets and size scaling, volatility-
 * scaled policies with APC, parameter sets, inverse perps, dated futures, calls and puts,
 * liquidity add-ons, volatility haircuts tied to an underlying, caps, stressed correlations), a
 * market state, and a book filled by random fills and deposits. Not a market model: the numbers
 * are only meant to reach every branch.
 */

const DAY_MS = 86_400_000;
export const RANDOM_VENUE_T0_MS = 1_800_000_000_000;

/** A small deterministic PRNG (mulberry32) returning floats in [0, 1). */
export function seededUniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomVenue {
  readonly params: RiskParams;
  readonly universe: HotpathUniverse;
  market: MarketState;
  readonly book: ColumnarBook;
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

function randomPolicy(rand: () => number): Record<string, unknown> {
  if (rand() < 0.5) {
    const im = 0.05 + 0.1 * rand();
    const policy: Record<string, unknown> = {
      type: "static",
      initialFraction: im,
      maintenanceFraction: im / 2,
    };
    if (rand() < 0.3)
      policy.tiers = [
        { notionalUsdFrom: 5_000, initialFraction: im * 1.5, maintenanceFraction: im * 0.8 },
        { notionalUsdFrom: 50_000, initialFraction: im * 2, maintenanceFraction: im },
      ];
    if (rand() < 0.2) policy.sizeScaling = { factorPerSqrtUsd: 0.0002, maxInitialFraction: 0.5 };
    return policy;
  }
  return {
    type: "volatility-scaled",
    horizonHours: pick(rand, [8, 24, 48]),
    confidence: pick(rand, [0.99, 0.995]),
    measure: pick(rand, ["var", "es"]),
    distribution: rand() < 0.5 ? { type: "normal" } : { type: "student-t", dof: 4 },
    volSource: pick(rand, [{ model: "supplied" }, { model: "implied" }, { model: "ewma", lambda: 0.94 }]),
    maintenanceShare: 0.5,
    floorFraction: 0.02,
    capFraction: 0.6,
  };
}

/** A random risk-parameter document with `underlyings` underlyings (2..4). */
export function randomRiskParams(rand: () => number, underlyings: number): RiskParams {
  const names = ["BTC", "ETH", "SOL", "XRP"].slice(0, underlyings);
  const markets: Record<string, unknown> = {};
  const und: Record<string, unknown> = {};
  for (const u of names) {
    und[u] = {
      priceRange: 0.1 + 0.2 * rand(),
      priceSteps: pick(rand, [3, 7, 15]),
      volShockUp: pick(rand, [0, 0.3, 0.5]),
      volShockDown: pick(rand, [0, 0.2]),
      shortOptionMinimumFraction: 0.05,
      calendarSpreadFraction: 0.02,
      maintenanceShare: 0.6,
    };
    const common = () => ({
      underlying: u,
      tickSize: 0.01,
      policy: randomPolicy(rand),
      ...(rand() < 0.3 ? { apc: { tool: { type: "lookback-floor", floorFraction: 0.12 } } } : {}),
      ...(rand() < 0.15
        ? { liquidity: { model: "square-root", impactCoefficient: 0.5, freeNotionalUsd: 1_000 } }
        : rand() < 0.12
          ? { liquidity: { model: "depth-curve", freeNotionalUsd: 500 } }
          : {}),
    });
    markets[`${u}-PERP`] = { instrument: { type: "linear-perp" }, contractSize: 1, ...common() };
    if (rand() < 0.6)
      markets[`${u}-INV`] = { instrument: { type: "inverse-perp" }, contractSize: 100, ...common() };
    for (const days of [30, 90]) {
      if (rand() < 0.5)
        markets[`${u}-F${days}`] = {
          instrument: { type: "dated-future", expiryMs: RANDOM_VENUE_T0_MS + days * DAY_MS },
          contractSize: 1,
          ...common(),
        };
    }
    for (const kind of ["call", "put"]) {
      for (const k of [0.8, 1, 1.2]) {
        if (rand() < 0.6)
          markets[`${u}-${kind === "call" ? "C" : "P"}${k * 100}`] = {
            instrument: {
              type: "option",
              optionKind: kind,
              strike: 100 * k,
              expiryMs: RANDOM_VENUE_T0_MS + Math.floor(5 + 100 * rand()) * DAY_MS,
            },
            contractSize: 1,
            ...(rand() < 0.5 ? { shortOptionMinimumFraction: 0.08 } : {}),
            ...common(),
          };
      }
    }
  }
  const n = names.length;
  const matrix: number[][] = names.map((_, i) => names.map((__, j) => (i === j ? 1 : 0)));
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const r = Math.round((rand() * 1.6 - 0.6) * 100) / 100;
      matrix[i]![j] = r;
      matrix[j]![i] = r;
    }
  const firstPerp = `${names[0]}-PERP`;
  return parseRiskParams({
    version: 1,
    venue: "random",
    quoteAsset: "USD",
    markets,
    collateral: {
      USD: { haircut: { model: "fixed", fraction: 0 } },
      [names[0]!]: {
        haircut: {
          model: "volatility",
          horizonHours: 24,
          confidence: 0.99,
          floorFraction: 0.02,
          capFraction: 0.5,
        },
        underlying: names[0]!,
        ...(rand() < 0.5 ? { maxValueUsd: 20_000 } : {}),
      },
      [`${names[1]!}X`]: { haircut: { model: "fixed", fraction: 0.1 }, underlying: names[1]! },
    },
    underlyings: und,
    correlation: { underlyings: names, matrix, ...(rand() < 0.5 ? { floor: 0.2 } : {}) },
    paramSets: {
      mm: { description: "market makers", markets: { [firstPerp]: { policy: randomPolicy(rand) } } },
    },
  });
}

/** A random market state for the document at `asOfMs`. */
export function randomMarketState(rand: () => number, params: RiskParams, asOfMs: number): MarketState {
  const underlyings: Record<string, MarketState["underlyings"][string]> = {};
  for (const u of Object.keys(params.underlyings)) {
    underlyings[u] = {
      indexPriceUsd: 60 + 80 * rand(),
      volAnnual: 0.3 + rand(),
      impliedVolAnnual: 0.3 + rand(),
      returns: Array.from({ length: 30 }, () => (rand() - 0.5) * 0.08),
      returnPeriodHours: 24,
    };
  }
  const markets: Record<string, NonNullable<MarketState["markets"]>[string]> = {};
  for (const [id, mp] of Object.entries(params.markets)) {
    const index = underlyings[mp.underlying]!.indexPriceUsd;
    markets[id] = {
      ...(mp.instrument.type === "option"
        ? rand() < 0.5
          ? { impliedVolAnnual: 0.4 + rand() }
          : {}
        : { markPriceUsd: index * (1 + (rand() - 0.5) * 0.01) }),
      dailyVolumeUsd: 1e6 * (1 + rand()),
      depth: [
        { notionalUsd: 1_000, impactFraction: 0.001 },
        { notionalUsd: 10_000, impactFraction: 0.01 },
        { notionalUsd: 100_000, impactFraction: 0.05 },
      ],
    };
  }
  const collateral: Record<string, { priceUsd: number; volAnnual?: number }> = {};
  for (const [asset, cp] of Object.entries(params.collateral)) {
    const u = cp.underlying;
    collateral[asset] = { priceUsd: u === undefined ? 1 : underlyings[u]!.indexPriceUsd };
  }
  return { asOfMs, underlyings, markets, collateral };
}

/** A random fill for sub-account a: size in contracts and a price near the mark. */
export function randomFill(
  rand: () => number,
  venue: RandomVenue,
  a: number,
): { instrument: number; size: number; priceUsd: number } {
  const { universe, book } = venue;
  // Isolated sub-accounts keep trading the market they hold.
  const held = book.posCount[a]! > 0 ? book.posInstrument[book.posStart[a]!]! : -1;
  const instrument = book.mode[a] === 0 && held >= 0 ? held : Math.floor(rand() * universe.instrumentCount);
  const und = venue.market.underlyings[universe.params.markets[universe.marketIds[instrument]!]!.underlying]!;
  const isOption = universe.kind[instrument] === 3;
  const priceUsd = isOption ? 1 + 20 * rand() : und.indexPriceUsd * (0.95 + 0.1 * rand());
  const size = Math.round((rand() - 0.5) * 40 * 4) / 4 || 0.25;
  return { instrument, size, priceUsd };
}

/** A random venue: document, market state and `subaccounts` sub-accounts with random positions. */
export function randomVenue(seed: number, subaccounts: number, shared = false): RandomVenue {
  const rand = seededUniform(seed);
  const params = randomRiskParams(rand, 2 + Math.floor(rand() * 3));
  const universe = resolveHotpathUniverse(params);
  const market = randomMarketState(rand, params, RANDOM_VENUE_T0_MS);
  const book = createColumnarBook(universe, { subaccounts: 2, positions: 4 }, shared);
  const venue: RandomVenue = { params, universe, market, book };
  const modes = ["isolated", "cross", "portfolio"] as const;
  const usd = universe.assetIds.indexOf("USD");
  const tiedA = universe.assetIds.findIndex((x) => x !== "USD" && !x.endsWith("X"));
  const tiedB = universe.assetIds.findIndex((x) => x.endsWith("X"));
  for (let s = 0; s < subaccounts; s++) {
    const a = openBookSubaccount(universe, book, `sub-${s}`, pick(rand, modes), {
      ...(rand() < 0.2 ? { imMultiplier: 1 + rand() } : {}),
      ...(rand() < 0.2 ? { paramSetId: "mm" } : {}),
    });
    depositToBook(book, a, usd, Math.round(rand() * 10_000));
    if (rand() < 0.25) depositToBook(book, a, tiedA, Math.round(rand() * 300) / 4);
    if (rand() < 0.2) depositToBook(book, a, tiedB, Math.round(rand() * 200) / 4);
    const fills = Math.floor(rand() * 7);
    for (let f = 0; f < fills; f++) {
      const fill = randomFill(rand, venue, a);
      applyFillToBook(universe, book, a, fill.instrument, fill.size, fill.priceUsd);
    }
  }
  return venue;
}
