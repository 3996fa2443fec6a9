/*
 * The bench venue of `npm run bench` as an ENGINE state: the same shape as bench/synthetic-venue.ts
 * (50 underlyings with one linear perp each, 2,000 listed options on the first 10, 90% cross
 * perp traders with 1–7 perps, 10% portfolio option traders with a perp and 3 options), but in the
 * engine's exact units (integer lots, price ticks, USD in micro-units), under a core margin
 * policy document, with one market maker per market holding the other side of every position.
 *
 * It is delivered as an engine snapshot (src/engine/snapshot.ts), the format a venue restarts
 * from, because building a million sub-accounts through five million `deposit`/`fill` commands
 * takes minutes; `restore` rebuilds every derived index, and the caller checks conservation.
 * Seeded and deterministic.
 */
import { seededUniform } from "../src/core/hotpath/random-hotpath-venue.ts";
import { black76Price } from "../src/core/pricing/black76.ts";
import type { EngineConfig } from "../src/engine/engine-config.ts";
import { type EngineSnapshot, SNAPSHOT_FORMAT } from "../src/engine/snapshot.ts";
import { BENCH_UNDERLYING_PARAMS } from "./synthetic-venue.ts";

export const ENGINE_BENCH_T0_MS = 1_800_000_000_000;
const DAY_MS = 86_400_000;
export const ENGINE_UNDERLYINGS = 50;
const OPTION_UNDERLYINGS = 10;
const EXPIRY_DAYS = [7, 14, 30, 60, 90];
const STRIKES = 20;
const PRICE_DECIMALS = 4;
const SIZE_DECIMALS = 2;
const USD_DECIMALS = 6;
const TICKS = 10 ** PRICE_DECIMALS;
const LOTS = 10 ** SIZE_DECIMALS;
const YEAR_MS = 365.25 * DAY_MS;

const pad = (i: number) => String(i).padStart(2, "0");
export const engineUnderlyingName = (u: number) => `U${pad(u)}`;
const basePrice = (u: number) => Math.round(10 * 1.15 ** u * TICKS) / TICKS;

interface MarketSpec {
  id: string;
  u: number;
  option: { type: "call" | "put"; strike: number; expiryMs: number; vol: number } | null;
  im: number;
  mm: number;
}

export interface EngineBenchVenue {
  snapshot: EngineSnapshot;
  /** Trader sub-accounts (makers excluded) and their positions. */
  traders: number;
  positions: number;
  markets: number;
}

function markets(seed: number): MarketSpec[] {
  const rand = seededUniform(seed ^ 0x5bd1e995);
  const out: MarketSpec[] = [];
  for (let u = 0; u < ENGINE_UNDERLYINGS; u++) {
    const name = engineUnderlyingName(u);
    const im = Math.round((0.05 + 0.002 * u) * 1000) / 1000;
    out.push({ id: `${name}-PERP`, u, option: null, im, mm: im / 2 });
    if (u >= OPTION_UNDERLYINGS) continue;
    const s0 = basePrice(u);
    EXPIRY_DAYS.forEach((days, e) => {
      for (let k = 0; k < STRIKES; k++) {
        const strike = Math.round(s0 * (0.6 + (0.8 * k) / (STRIKES - 1)) * TICKS) / TICKS;
        for (const type of ["call", "put"] as const) {
          out.push({
            id: `${name}-E${e}-K${pad(k)}-${type === "call" ? "C" : "P"}`,
            u,
            option: {
              type,
              strike,
              expiryMs: ENGINE_BENCH_T0_MS + days * DAY_MS,
              vol: Math.round((0.4 + 0.6 * rand()) * 100) / 100,
            },
            im: 0.15,
            mm: 0.075,
          });
        }
      }
    });
  }
  return out;
}

/** The venue's engine configuration, with its core policy document and a 1 s valuation step. */
export function engineBenchConfig(seed: number, valuationIntervalMs: number | undefined): EngineConfig {
  const specs = markets(seed);
  const names = Array.from({ length: ENGINE_UNDERLYINGS }, (_, u) => engineUnderlyingName(u));
  const policyMarkets: Record<string, unknown> = {};
  const underlyingParams: Record<string, unknown> = {};
  for (const name of names) underlyingParams[name] = BENCH_UNDERLYING_PARAMS;
  for (const m of specs)
    policyMarkets[m.id] = {
      instrument:
        m.option === null
          ? { type: "linear-perp" }
          : {
              type: "option",
              optionKind: m.option.type,
              strike: m.option.strike,
              expiryMs: m.option.expiryMs,
            },
      underlying: engineUnderlyingName(m.u),
      contractSize: 1,
      tickSize: 1 / TICKS,
      policy: { type: "static", initialFraction: m.im, maintenanceFraction: m.mm },
    };
  return {
    version: "bench-engine-1",
    quoteAsset: "USD",
    assets: [{ id: "USD", decimals: USD_DECIMALS, haircut: 0 }],
    underlyings: names.map((id) => ({
      id,
      priceDecimals: PRICE_DECIMALS,
      // One feed per underlying (each report is a tick); marks stay valid for 10 minutes.
      oracle: {
        sources: ["feed"],
        minSources: 1,
        maxAgeMs: 600_000,
        maxDeviationFraction: 0.5,
        deviationWindowMs: 500,
        maxConfidenceFraction: 0.05,
        haltAfterMs: 3_600_000,
      },
      // A breaker that the bench's single −5…−10% ticks do not trip (it would add its own sweep).
      circuitBreaker: {
        windowMs: 60_000,
        tightenMoveFraction: 0.2,
        haltMoveFraction: 0.4,
        coolingMs: 300_000,
        tightenStep: 0.25,
        maxMultiplier: 3,
        maxRisePerHour: 2,
        relaxAfterMs: 3_600_000,
      },
    })),
    markets: specs.map((m) => ({
      id: m.id,
      underlying: engineUnderlyingName(m.u),
      kind: m.option === null ? "perp" : "option",
      contractSize: "1",
      sizeDecimals: SIZE_DECIMALS,
      priceDecimals: PRICE_DECIMALS,
      initialMarginFraction: m.im,
      maintenanceMarginFraction: m.mm,
      ...(m.option === null
        ? {}
        : {
            expiryMs: m.option.expiryMs,
            option: {
              type: m.option.type,
              strike: m.option.strike.toFixed(PRICE_DECIMALS),
              volatility: m.option.vol,
            },
          }),
    })),
    liquidation: {
      targetHealth: 1.25,
      auctionStartDiscountFraction: 0.005,
      auctionDiscountPerSecondFraction: 0.001,
      auctionMaxDiscountFraction: 0.03,
      insuranceFeeFraction: 0.005,
    },
    riskPolicy: {
      mode: "cross",
      params: {
        version: 1,
        venue: "bench-engine",
        quoteAsset: "USD",
        markets: policyMarkets,
        collateral: { USD: { haircut: { model: "fixed", fraction: 0 } } },
        underlyings: underlyingParams,
        correlation: {
          underlyings: names,
          matrix: names.map((_, i) => names.map((__, j) => (i === j ? 1 : 0.5))),
        },
        limits: { maxPositionsPerSubaccount: 32 },
      },
    },
    ...(valuationIntervalMs === undefined ? {} : { valuationIntervalMs }),
  } as EngineConfig;
}

/** An option's Black-76 value at the bench's start (the makers' entry price), floored at a tick. */
function modelValue(spec: MarketSpec, spot: number): number {
  const o = spec.option!;
  const years = (o.expiryMs - ENGINE_BENCH_T0_MS) / YEAR_MS;
  return Math.max(black76Price(o.type, spot, o.strike, years, o.vol, 0), 1 / TICKS);
}

/** Generates the venue's snapshot: `accounts` trader sub-accounts plus one maker per market. */
export function generateEngineBenchVenue(
  accounts: number,
  seed: number,
  valuationIntervalMs: number | undefined = 1000,
): EngineBenchVenue {
  const config = engineBenchConfig(seed, valuationIntervalMs);
  const specs = markets(seed);
  const perpOf = specs.flatMap((m, i) => (m.option === null ? [i] : []));
  const optionsOf = Array.from({ length: OPTION_UNDERLYINGS }, (_, u) =>
    specs.flatMap((m, i) => (m.option !== null && m.u === u ? [i] : [])),
  );
  const rand = seededUniform(seed);
  const netLots = new Array<bigint>(specs.length).fill(0n);
  const netBasis = new Array<bigint>(specs.length).fill(0n);
  const longLots = new Array<bigint>(specs.length).fill(0n);
  let totalUnits = 0n;
  let positions = 0;
  const subaccounts: EngineSnapshot["subaccounts"] = [];
  const chosen: number[] = [];
  for (let a = 0; a < accounts; a++) {
    const portfolio = rand() < 0.1;
    chosen.length = 0;
    if (portfolio) {
      const u = Math.floor(rand() * OPTION_UNDERLYINGS);
      chosen.push(perpOf[u]!);
      const opts = optionsOf[u]!;
      while (chosen.length < 4) {
        const o = opts[Math.floor(rand() * opts.length)]!;
        if (!chosen.includes(o)) chosen.push(o);
      }
    } else {
      const want = 1 + Math.floor(rand() * 7);
      while (chosen.length < want) {
        const p = perpOf[Math.floor(rand() * ENGINE_UNDERLYINGS)]!;
        if (!chosen.includes(p)) chosen.push(p);
      }
    }
    const rows: [string, string, string][] = [];
    let notionalUsd = 0;
    for (const i of chosen) {
      const spec = specs[i]!;
      const s = basePrice(spec.u);
      const isOption = spec.option !== null;
      const qty = Math.max(1, Math.round((isOption ? 1 + 20 * rand() : (50 + 5000 * rand()) / s) * LOTS));
      const lots = BigInt(rand() < 0.5 ? qty : -qty);
      const entry = isOption ? 0.5 + 0.05 * s * rand() : s * (0.97 + 0.06 * rand());
      const basis = lots * BigInt(Math.max(1, Math.round(entry * TICKS)));
      rows.push([spec.id, lots.toString(), basis.toString()]);
      netLots[i] = netLots[i]! + lots;
      netBasis[i] = netBasis[i]! + basis;
      if (lots > 0n) longLots[i] = longLots[i]! + lots;
      notionalUsd += (Math.abs(Number(lots)) / LOTS) * s;
    }
    rows.sort((x, y) => (x[0] < y[0] ? -1 : 1));
    positions += rows.length;
    // Collateral: a multiple of a 10% requirement, from thin (near liquidation) to comfortable.
    const usd = Math.round(notionalUsd * 0.1 * (0.6 + 3 * rand() ** 2) * 100) / 100;
    const units = BigInt(Math.round(usd * 10 ** USD_DECIMALS));
    totalUnits += units;
    subaccounts.push({
      id: `t${a}/0`,
      accountId: `t${a}`,
      balances: [["USD", units.toString()]],
      positions: rows,
      liquidation: null,
      ...(portfolio ? { mode: "portfolio" as const } : {}),
    });
  }
  // One maker per market takes the other side at the mark (the option's model value).
  specs.forEach((spec, i) => {
    const lots = -netLots[i]!;
    if (lots === 0n) return;
    const s = basePrice(spec.u);
    const entry = spec.option === null ? s : modelValue(spec, s);
    const basis = lots * BigInt(Math.max(1, Math.round(entry * TICKS)));
    if (lots > 0n) longLots[i] = longLots[i]! + lots;
    const notional = (Math.abs(Number(lots)) / LOTS) * s;
    const units = BigInt(Math.ceil(notional * 10)) * 10n ** BigInt(USD_DECIMALS);
    totalUnits += units;
    subaccounts.push({
      id: `mm${i}/0`,
      accountId: `mm${i}`,
      balances: [["USD", units.toString()]],
      positions: [[spec.id, lots.toString(), basis.toString()]],
      liquidation: null,
    });
  });
  const insurance = 10n ** 9n * 10n ** BigInt(USD_DECIMALS);
  const snapshot: EngineSnapshot = {
    format: SNAPSHOT_FORMAT,
    seq: 0,
    clockMs: ENGINE_BENCH_T0_MS,
    config,
    subaccounts,
    underlyings: Array.from({ length: ENGINE_UNDERLYINGS }, (_, u) => {
      const ticks = String(Math.round(basePrice(u) * TICKS));
      return {
        id: engineUnderlyingName(u),
        sources: [["feed", ticks, ENGINE_BENCH_T0_MS]] as [string, string, number][],
        markTicks: ticks,
        markValid: true,
        lastValidAtMs: ENGINE_BENCH_T0_MS,
        status: "active" as const,
        statusReason: "valid_price",
        coolingUntilMs: 0,
        history: [[ENGINE_BENCH_T0_MS, ticks]] as [number, string][],
        marginMultiplier: 1,
        multiplierChangedAtMs: 0,
      };
    }),
    markets: specs.map((m, i) => ({
      id: m.id,
      initialMarginFraction: m.im,
      maintenanceMarginFraction: m.mm,
      settled: false,
      openInterestLots: longLots[i]!.toString(),
    })),
    venue: {
      insurance: [["USD", insurance.toString()]],
      fees: [],
      pnlPool: [],
      deposits: [["USD", (totalUnits + insurance).toString()]],
      withdrawals: [],
    },
    commands: [],
  };
  return { snapshot, traders: accounts, positions, markets: specs.length };
}
