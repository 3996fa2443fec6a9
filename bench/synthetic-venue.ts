/*
 * The seeded synthetic venue of `npm run bench`: 50 underlyings with one linear perp each, 2,000
 * listed options on the first 10 (5 expiries × 20 strikes × call/put), static policies, USD
 * collateral, and N sub-accounts: 90% cross-margined perp traders (1–7 perps, 4 on average) and
 * 10% portfolio-margined option traders (a perp and 3 options on one option underlying, 4
 * positions). Sizes and collateral are drawn so that a few per cent of accounts sit near their
 * maintenance margin, which is what makes the tick-to-liquidation measurement meaningful.
 */
import {
  applyFillToBook,
  type ColumnarBook,
  compactBook,
  createColumnarBook,
  depositToBook,
  openBookSubaccount,
} from "../src/core/hotpath/columnar-book.ts";
import { type HotpathUniverse, resolveHotpathUniverse } from "../src/core/hotpath/hotpath-universe.ts";
import { seededUniform } from "../src/core/hotpath/random-hotpath-venue.ts";
import { parseRiskParams, type RiskParams } from "../src/core/margin/risk-params.ts";
import type { MarketState } from "../src/core/margin/types.ts";

/** Scenario grid and portfolio parameters of every bench underlying (the engine bench venue too). */
export const BENCH_UNDERLYING_PARAMS = {
  priceRange: 0.15,
  priceSteps: 15,
  volShockUp: 0.3,
  volShockDown: 0.2,
  shortOptionMinimumFraction: 0.1,
  calendarSpreadFraction: 0,
  maintenanceShare: 0.6,
};

export const BENCH_T0_MS = 1_800_000_000_000;
const DAY_MS = 86_400_000;
export const UNDERLYINGS = 50;
export const OPTION_UNDERLYINGS = 10;
const EXPIRY_DAYS = [7, 14, 30, 60, 90];
const STRIKES = 20;
/** Off-diagonal stressed correlation of every pair of underlyings. */
export const BENCH_RHO = 0.5;

export interface BenchVenue {
  readonly params: RiskParams;
  readonly universe: HotpathUniverse;
  market: MarketState;
  readonly book: ColumnarBook;
  readonly positions: number;
}

const pad = (i: number) => String(i).padStart(2, "0");
export const underlyingName = (u: number) => `U${pad(u)}`;

function basePrice(u: number): number {
  return 10 * 1.15 ** u;
}

/** The venue's risk-parameter document. */
export function benchRiskParams(): RiskParams {
  const markets: Record<string, unknown> = {};
  const underlyings: Record<string, unknown> = {};
  for (let u = 0; u < UNDERLYINGS; u++) {
    const name = underlyingName(u);
    const im = 0.05 + 0.002 * u;
    underlyings[name] = BENCH_UNDERLYING_PARAMS;
    markets[`${name}-PERP`] = {
      instrument: { type: "linear-perp" },
      underlying: name,
      contractSize: 1,
      tickSize: 0.0001,
      policy: { type: "static", initialFraction: im, maintenanceFraction: im / 2 },
    };
    if (u >= OPTION_UNDERLYINGS) continue;
    const s0 = basePrice(u);
    EXPIRY_DAYS.forEach((days, e) => {
      for (let k = 0; k < STRIKES; k++) {
        const strike = Number((s0 * (0.6 + (0.8 * k) / (STRIKES - 1))).toPrecision(6));
        for (const kind of ["C", "P"]) {
          markets[`${name}-E${e}-K${pad(k)}-${kind}`] = {
            instrument: {
              type: "option",
              optionKind: kind === "C" ? "call" : "put",
              strike,
              expiryMs: BENCH_T0_MS + days * DAY_MS,
            },
            underlying: name,
            contractSize: 1,
            tickSize: 0.0001,
            policy: { type: "static", initialFraction: 0.15, maintenanceFraction: 0.075 },
          };
        }
      }
    });
  }
  const names = Array.from({ length: UNDERLYINGS }, (_, u) => underlyingName(u));
  return parseRiskParams({
    version: 1,
    venue: "bench",
    quoteAsset: "USD",
    markets,
    collateral: { USD: { haircut: { model: "fixed", fraction: 0 } } },
    underlyings,
    correlation: {
      underlyings: names,
      matrix: names.map((_, i) => names.map((__, j) => (i === j ? 1 : BENCH_RHO))),
    },
    limits: { maxPositionsPerSubaccount: 32 },
  });
}

/** The market state at the bench's as-of time: index, perp marks with a small basis, option vols. */
export function benchMarketState(params: RiskParams, seed: number): MarketState {
  const rand = seededUniform(seed ^ 0x9e3779b9);
  const underlyings: Record<string, { indexPriceUsd: number; impliedVolAnnual: number }> = {};
  for (let u = 0; u < UNDERLYINGS; u++)
    underlyings[underlyingName(u)] = { indexPriceUsd: basePrice(u), impliedVolAnnual: 0.5 + 0.5 * rand() };
  const markets: Record<string, { markPriceUsd?: number; impliedVolAnnual?: number }> = {};
  for (const [id, mp] of Object.entries(params.markets)) {
    const s = underlyings[mp.underlying]!.indexPriceUsd;
    markets[id] =
      mp.instrument.type === "option"
        ? { impliedVolAnnual: 0.4 + 0.6 * rand() }
        : { markPriceUsd: s * (1 + (rand() - 0.5) * 0.002) };
  }
  return { asOfMs: BENCH_T0_MS, underlyings, markets, collateral: { USD: { priceUsd: 1 } } };
}

/** Generates the venue with `accounts` sub-accounts from `seed` (shared memory for the workers). */
export function generateBenchVenue(accounts: number, seed: number): BenchVenue {
  const params = benchRiskParams();
  const universe = resolveHotpathUniverse(params);
  const market = benchMarketState(params, seed);
  const rand = seededUniform(seed);
  const book = createColumnarBook(
    universe,
    { subaccounts: accounts, positions: Math.ceil(accounts * 4.4) },
    true,
  );
  const perp = (u: number) => universe.marketIds.indexOf(`${underlyingName(u)}-PERP`);
  const perpIndex = Array.from({ length: UNDERLYINGS }, (_, u) => perp(u));
  const optionsOf = Array.from({ length: OPTION_UNDERLYINGS }, (_, u) =>
    universe.marketIds.flatMap((id, i) => (id.startsWith(`${underlyingName(u)}-E`) ? [i] : [])),
  );
  const usd = universe.assetIds.indexOf("USD");
  const chosen = new Int32Array(8);
  let positions = 0;
  for (let a = 0; a < accounts; a++) {
    const portfolio = rand() < 0.1;
    const idx = openBookSubaccount(universe, book, `acct-${a}`, portfolio ? "portfolio" : "cross");
    let n = 0;
    if (portfolio) {
      const u = Math.floor(rand() * OPTION_UNDERLYINGS);
      chosen[n++] = perpIndex[u]!;
      const opts = optionsOf[u]!;
      while (n < 4) {
        const o = opts[Math.floor(rand() * opts.length)]!;
        if (!chosen.subarray(0, n).includes(o)) chosen[n++] = o;
      }
    } else {
      const want = 1 + Math.floor(rand() * 7);
      while (n < want) {
        const p = perpIndex[Math.floor(rand() * UNDERLYINGS)]!;
        if (!chosen.subarray(0, n).includes(p)) chosen[n++] = p;
      }
    }
    chosen.subarray(0, n).sort();
    let notionalUsd = 0;
    for (let j = 0; j < n; j++) {
      const i = chosen[j]!;
      const s = market.underlyings[universe.underlyingIds[universe.instrumentUnderlying[i]!]!]!.indexPriceUsd;
      const isOption = universe.kind[i] === 3;
      const qty = Math.round((isOption ? 1 + 20 * rand() : (50 + 5000 * rand()) / s) * 100) / 100 || 0.01;
      const size = rand() < 0.5 ? qty : -qty;
      const entry = isOption ? 0.5 + 0.05 * s * rand() : s * (0.97 + 0.06 * rand());
      applyFillToBook(universe, book, idx, i, size, entry);
      notionalUsd += Math.abs(size) * s;
    }
    positions += n;
    // Collateral: a multiple of a 10% requirement, from thin (near liquidation) to comfortable.
    depositToBook(book, idx, usd, Math.round(notionalUsd * 0.1 * (0.6 + 3 * rand() ** 2) * 100) / 100);
  }
  compactBook(book, 0);
  return { params, universe, market, book, positions };
}

/** Moves one underlying's index (and its perp mark) by `factor`, returning the new market state. */
export function moveUnderlying(market: MarketState, u: number, factor: number): MarketState {
  const name = underlyingName(u);
  const prev = market.underlyings[name]!;
  const perpId = `${name}-PERP`;
  const perpQuote = market.markets?.[perpId] ?? {};
  const perpMark = perpQuote.markPriceUsd ?? prev.indexPriceUsd;
  return {
    ...market,
    underlyings: { ...market.underlyings, [name]: { ...prev, indexPriceUsd: prev.indexPriceUsd * factor } },
    markets: { ...market.markets, [perpId]: { ...perpQuote, markPriceUsd: perpMark * factor } },
  };
}
