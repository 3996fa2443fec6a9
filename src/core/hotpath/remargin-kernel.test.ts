import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeSubaccountMargin } from "../margin/compute-subaccount-margin.ts";
import { parseRiskParams } from "../margin/risk-params.ts";
import type { MarketState } from "../margin/types.ts";
import { accountView } from "./account-view.ts";
import { applyFillToBook, createColumnarBook, depositToBook, openBookSubaccount } from "./columnar-book.ts";
import {
  buildHolderIndex,
  clearTickChanges,
  collectAffectedSubaccounts,
  type HolderIndex,
} from "./holder-index.ts";
import { resolveHotpathUniverse } from "./hotpath-universe.ts";
import {
  createMarginColumns,
  type MarginColumns,
  resultEquityUsd,
  resultHealth,
  resultInitialMarginUsd,
  resultMaintenanceMarginUsd,
} from "./margin-columns.ts";
import { type RandomVenue, randomFill, randomVenue, seededUniform } from "./random-hotpath-venue.ts";
import { createRemarginKernel } from "./remargin-kernel.ts";
import { prepareTickTables, type TickTables, updateTickTables } from "./tick-tables.ts";

/** The scenario grid and portfolio parameters of every underlying in these tests' documents. */
const SCENARIO_UNDERLYING = {
  priceRange: 0.15,
  priceSteps: 7,
  volShockUp: 0.3,
  volShockDown: 0.2,
  shortOptionMinimumFraction: 0.02,
  calendarSpreadFraction: 0.03,
  maintenanceShare: 0.6,
};

/** The reference (object) results of every sub-account, as columns of plain numbers. */
function referenceColumns(v: RandomVenue) {
  const rows = [];
  for (let a = 0; a < v.book.subaccountCount; a++) {
    const r = computeSubaccountMargin(v.params, v.market, accountView(v.universe, v.book, a), {
      liquidationPrices: false,
    });
    rows.push([r.equityUsd, r.initialMarginUsd, r.maintenanceMarginUsd, r.health, r.liquidatable ? 1 : 0]);
  }
  return rows;
}

function kernelRows(out: MarginColumns, n: number) {
  const rows = [];
  for (let a = 0; a < n; a++)
    rows.push([
      resultEquityUsd(out, a),
      resultInitialMarginUsd(out, a),
      resultMaintenanceMarginUsd(out, a),
      resultHealth(out, a),
      out.liquidatable[a],
    ]);
  return rows;
}

function fullPass(v: RandomVenue, tables: TickTables): MarginColumns {
  const out = createMarginColumns(v.book.subaccountCount);
  createRemarginKernel(v.universe).runRange(v.book, tables, out, 0, v.book.subaccountCount);
  return out;
}

describe("remargin kernel", () => {
  it("matches hand-derived figures for a cross perp position", () => {
    const params = parseRiskParams({
      version: 1,
      venue: "hand",
      quoteAsset: "USD",
      markets: {
        "BTC-PERP": {
          instrument: { type: "linear-perp" },
          underlying: "BTC",
          contractSize: 1,
          tickSize: 0.01,
          policy: { type: "static", initialFraction: 0.1, maintenanceFraction: 0.05 },
        },
      },
      collateral: { USD: { haircut: { model: "fixed", fraction: 0 } } },
      underlyings: {
        BTC: {
          priceRange: 0.2,
          priceSteps: 5,
          volShockUp: 0,
          volShockDown: 0,
          shortOptionMinimumFraction: 0,
          calendarSpreadFraction: 0,
          maintenanceShare: 0.5,
        },
      },
    });
    const universe = resolveHotpathUniverse(params);
    const book = createColumnarBook(universe, { subaccounts: 1, positions: 1 });
    const market: MarketState = {
      asOfMs: 0,
      underlyings: { BTC: { indexPriceUsd: 110 } },
      collateral: { USD: { priceUsd: 1 } },
    };
    const cross = openBookSubaccount(universe, book, "c", "cross");
    depositToBook(book, cross, 0, 50);
    applyFillToBook(universe, book, cross, 0, 2, 100);
    const port = openBookSubaccount(universe, book, "p", "portfolio");
    depositToBook(book, port, 0, 50);
    applyFillToBook(universe, book, port, 0, 2, 100);
    const out = createMarginColumns(2);
    createRemarginKernel(universe).runRange(book, prepareTickTables(universe, market), out, 0, 2);
    // equity = 50 + 2·(110 − 100) = 70; notional 2·110 = 220; IM 10% = 22, MM 5% = 11.
    expect(resultEquityUsd(out, 0)).toBe(70);
    expect(resultInitialMarginUsd(out, 0)).toBeCloseTo(22, 12);
    expect(resultMaintenanceMarginUsd(out, 0)).toBeCloseTo(11, 12);
    expect(resultHealth(out, 0)).toBeCloseTo(70 / 11, 12);
    // Portfolio: worst move −20% loses 2·110·0.2 = 44 > cross cap 22, so IM = 22, MM = 0.5·22 = 11.
    expect(resultInitialMarginUsd(out, 1)).toBeCloseTo(22, 12);
    expect(resultMaintenanceMarginUsd(out, 1)).toBeCloseTo(11, 12);
    expect(out.liquidatable[0]).toBe(0);
  });

  it("is bit-identical to the reference margin code on random venues", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const v = randomVenue(seed, 30);
        const out = fullPass(v, prepareTickTables(v.universe, v.market));
        expect(kernelRows(out, v.book.subaccountCount)).toEqual(referenceColumns(v));
      }),
      { numRuns: 40 },
    );
  });

  it("is bit-identical to the reference on a USD-only venue with many options per underlying", () => {
    // One collateral asset tied to nothing (the kernel's one-asset shortcut), up to 8 options on
    // one underlying (the fused vector passes for 1–3 options and the general one), perps,
    // inverse perps and two futures expiries (calendar buckets), portfolio and cross modes.
    const T0 = 1_800_000_000_000;
    const DAY = 86_400_000;
    const st = { type: "static", initialFraction: 0.1, maintenanceFraction: 0.05 };
    const markets: Record<string, unknown> = {};
    for (const [u, s0] of [
      ["BTC", 100],
      ["ETH", 10],
    ] as const) {
      const base = { underlying: u, tickSize: 0.01, policy: st };
      markets[`${u}-PERP`] = { instrument: { type: "linear-perp" }, contractSize: 1, ...base };
      markets[`${u}-INV`] = { instrument: { type: "inverse-perp" }, contractSize: 100, ...base };
      for (const d of [30, 90])
        markets[`${u}-F${d}`] = {
          instrument: { type: "dated-future", expiryMs: T0 + d * DAY },
          contractSize: 1,
          ...base,
        };
      for (const k of [0.8, 0.9, 1, 1.1, 1.2])
        for (const kind of ["call", "put"] as const)
          markets[`${u}-${kind}-${k}`] = {
            instrument: { type: "option", optionKind: kind, strike: s0 * k, expiryMs: T0 + 45 * DAY },
            contractSize: 1,
            shortOptionMinimumFraction: 0.05,
            ...base,
          };
    }
    const params = parseRiskParams({
      version: 1,
      venue: "usd-only",
      quoteAsset: "USD",
      markets,
      collateral: { USD: { haircut: { model: "fixed", fraction: 0 } } },
      underlyings: Object.fromEntries(["BTC", "ETH"].map((u) => [u, SCENARIO_UNDERLYING])),
      correlation: {
        underlyings: ["BTC", "ETH"],
        matrix: [
          [1, 0.4],
          [0.4, 1],
        ],
      },
    });
    const market: MarketState = {
      asOfMs: T0,
      underlyings: {
        BTC: { indexPriceUsd: 100, impliedVolAnnual: 0.6 },
        ETH: { indexPriceUsd: 10, impliedVolAnnual: 0.8 },
      },
      markets: { "BTC-PERP": { markPriceUsd: 100.2 }, "BTC-F90": { markPriceUsd: 101.5 } },
      collateral: { USD: { priceUsd: 1 } },
    };
    const universe = resolveHotpathUniverse(params);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const rand = seededUniform(seed);
        const book = createColumnarBook(universe, { subaccounts: 2, positions: 4 });
        for (let a = 0; a < 24; a++) {
          const idx = openBookSubaccount(universe, book, `s${a}`, rand() < 0.8 ? "portfolio" : "cross");
          depositToBook(book, idx, 0, Math.round(rand() * 5_000));
          // Half the sub-accounts stay on BTC only (the single-underlying fast path).
          const onBtc = rand() < 0.5;
          const fills = 1 + Math.floor(rand() * 10);
          for (let f = 0; f < fills; f++) {
            let i = Math.floor(rand() * universe.instrumentCount);
            if (onBtc) i = Math.floor(rand() * (universe.instrumentCount / 2));
            const isOption = universe.kind[i] === 3;
            const s0 = universe.marketIds[i]!.startsWith("BTC") ? 100 : 10;
            const price = isOption ? 0.5 + 5 * rand() : s0 * (0.95 + 0.1 * rand());
            applyFillToBook(universe, book, idx, i, Math.round((rand() - 0.5) * 80) / 4 || 0.25, price);
          }
        }
        const v: RandomVenue = { params, universe, market, book };
        const out = fullPass(v, prepareTickTables(universe, market));
        expect(kernelRows(out, book.subaccountCount)).toEqual(referenceColumns(v));
      }),
      { numRuns: 25 },
    );
  });

  it("stays bit-identical through long random sequences of fills, deposits and price moves (incremental)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const rand = seededUniform(seed ^ 0x5bd1e995);
        const v = randomVenue(seed, 20);
        const { universe, book } = v;
        const kernel = createRemarginKernel(universe);
        const tables = prepareTickTables(universe, v.market);
        const kept = createMarginColumns(64);
        kernel.runRange(book, tables, kept, 0, book.subaccountCount);
        clearTickChanges(tables);
        let index: HolderIndex = buildHolderIndex(universe, book);
        const marks = new Uint8Array(64);
        const affected = new Int32Array(64);
        let touchedTotal = 0;
        for (let step = 0; step < 60; step++) {
          const roll = rand();
          if (roll < 0.35) {
            const a = Math.floor(rand() * book.subaccountCount);
            const fill = randomFill(rand, v, a);
            applyFillToBook(universe, book, a, fill.instrument, fill.size, fill.priceUsd);
            kernel.runList(book, tables, kept, Int32Array.of(a), 0, 1);
          } else if (roll < 0.5) {
            const a = Math.floor(rand() * book.subaccountCount);
            depositToBook(book, a, Math.floor(rand() * book.assetCount), (rand() - 0.3) * 500);
            kernel.runList(book, tables, kept, Int32Array.of(a), 0, 1);
            index = buildHolderIndex(universe, book);
          } else if (roll < 0.55 && book.subaccountCount < 64) {
            const a = openBookSubaccount(universe, book, `new-${step}`, "portfolio");
            depositToBook(book, a, universe.assetIds.indexOf("USD"), 1_000);
            kernel.runList(book, tables, kept, Int32Array.of(a), 0, 1);
            index = buildHolderIndex(universe, book);
          } else {
            // An oracle tick on one underlying: only its instruments and tied collateral change.
            const u = Math.floor(rand() * universe.underlyingCount);
            const name = universe.underlyingIds[u]!;
            const prev = v.market.underlyings[name]!;
            const indexUsd = prev.indexPriceUsd * (1 + (rand() - 0.5) * 0.3);
            const markets = { ...v.market.markets };
            for (const [id, mp] of Object.entries(v.params.markets)) {
              const q = markets[id];
              if (mp.underlying === name && q?.markPriceUsd !== undefined)
                markets[id] = { ...q, markPriceUsd: indexUsd * (1 + (rand() - 0.5) * 0.01) };
            }
            const collateral = { ...v.market.collateral };
            for (const [asset, cp] of Object.entries(v.params.collateral))
              if (cp.underlying === name) collateral[asset] = { priceUsd: indexUsd };
            v.market = {
              ...v.market,
              underlyings: { ...v.market.underlyings, [name]: { ...prev, indexPriceUsd: indexUsd } },
              markets,
              collateral,
            };
            const only = new Uint8Array(universe.underlyingCount);
            only[u] = 1;
            updateTickTables(universe, tables, v.market, only);
            if (index.structureVersion !== book.structureVersion) index = buildHolderIndex(universe, book);
            const n = collectAffectedSubaccounts(index, tables, marks, affected);
            touchedTotal += n;
            kernel.runList(book, tables, kept, affected, 0, n);
            clearTickChanges(tables);
          }
        }
        const fresh = prepareTickTables(universe, v.market);
        expect(kernelRows(kept, book.subaccountCount)).toEqual(
          kernelRows(fullPass(v, fresh), book.subaccountCount),
        );
        expect(kernelRows(kept, book.subaccountCount)).toEqual(referenceColumns(v));
        expect(touchedTotal).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 15 },
    );
  });

  it("keeps its copy of the option scenario moves in step with the tables it is given", () => {
    // Portfolio sub-accounts of a perp, a future and 1–3 options on one underlying, USD only:
    // the scenario loop that reads the kernel's copy of the option Δ vectors.
    const T0 = 1_800_000_000_000;
    const DAY = 86_400_000;
    const base = {
      underlying: "BTC",
      contractSize: 1,
      tickSize: 0.01,
      policy: { type: "static", initialFraction: 0.1, maintenanceFraction: 0.05 },
    };
    const markets: Record<string, unknown> = {
      "BTC-PERP": { instrument: { type: "linear-perp" }, ...base },
      "BTC-F30": { instrument: { type: "dated-future", expiryMs: T0 + 30 * DAY }, ...base },
    };
    for (const k of [80, 100, 120])
      for (const kind of ["call", "put"] as const)
        markets[`BTC-${kind}-${k}`] = {
          instrument: { type: "option", optionKind: kind, strike: k, expiryMs: T0 + 45 * DAY },
          ...base,
        };
    const params = parseRiskParams({
      version: 1,
      venue: "scenario-copy",
      quoteAsset: "USD",
      markets,
      collateral: { USD: { haircut: { model: "fixed", fraction: 0 } } },
      underlyings: { BTC: SCENARIO_UNDERLYING },
    });
    const universe = resolveHotpathUniverse(params);
    const marketAt = (s: number): MarketState => ({
      asOfMs: T0,
      underlyings: { BTC: { indexPriceUsd: s, impliedVolAnnual: 0.6 } },
      markets: { "BTC-PERP": { markPriceUsd: s * 1.002 }, "BTC-F30": { markPriceUsd: s * 1.01 } },
      collateral: { USD: { priceUsd: 1 } },
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const rand = seededUniform(seed);
        const book = createColumnarBook(universe, { subaccounts: 2, positions: 4 });
        for (let a = 0; a < 24; a++) {
          const idx = openBookSubaccount(universe, book, `s${a}`, "portfolio");
          depositToBook(book, idx, 0, Math.round(rand() * 5_000));
          for (let f = 0; f < 1 + Math.floor(rand() * 4); f++) {
            const i = Math.floor(rand() * universe.instrumentCount);
            const price = universe.kind[i] === 3 ? 0.5 + 5 * rand() : 95 + 10 * rand();
            applyFillToBook(universe, book, idx, i, Math.round((rand() - 0.5) * 80) / 4 || 0.25, price);
          }
        }
        const n = book.subaccountCount;
        const kernel = createRemarginKernel(universe);
        const run = (tables: TickTables) => {
          const out = createMarginColumns(n);
          kernel.runRange(book, tables, out, 0, n);
          return kernelRows(out, n);
        };
        const v: RandomVenue = { params, universe, market: marketAt(100), book };
        const expected100 = referenceColumns(v);
        v.market = marketAt(110);
        const expected110 = referenceColumns(v);
        // Two tables objects in turn, then one updated in place: always the reference's figures.
        const at100 = prepareTickTables(universe, marketAt(100));
        const at110 = prepareTickTables(universe, marketAt(110));
        for (const [tables, expected] of [
          [at100, expected100],
          [at110, expected110],
          [at100, expected100],
          [at110, expected110],
        ] as const)
          expect(run(tables)).toEqual(expected);
        updateTickTables(universe, at100, marketAt(110));
        expect(run(at100)).toEqual(expected110);
      }),
      { numRuns: 15 },
    );
  });

  it("re-margins only the holders of the instruments that moved", () => {
    const v = randomVenue(42, 40);
    const { universe, book } = v;
    const tables = prepareTickTables(universe, v.market);
    clearTickChanges(tables);
    const name = universe.underlyingIds[0]!;
    const prev = v.market.underlyings[name]!;
    const collateral = { ...v.market.collateral };
    for (const [asset, cp] of Object.entries(v.params.collateral))
      if (cp.underlying === name) collateral[asset] = { priceUsd: prev.indexPriceUsd * 1.05 };
    v.market = {
      ...v.market,
      underlyings: { ...v.market.underlyings, [name]: { ...prev, indexPriceUsd: prev.indexPriceUsd * 1.05 } },
      collateral,
    };
    const only = new Uint8Array(universe.underlyingCount);
    only[0] = 1;
    updateTickTables(universe, tables, v.market, only);
    const n = collectAffectedSubaccounts(
      buildHolderIndex(universe, book),
      tables,
      new Uint8Array(40),
      new Int32Array(40),
    );
    let holders = 0;
    for (let a = 0; a < book.subaccountCount; a++) {
      let holds = false;
      for (let r = book.posStart[a]!; r < book.posStart[a]! + book.posCount[a]!; r++)
        if (universe.instrumentUnderlying[book.posInstrument[r]!] === 0) holds = true;
      for (let k = 0; k < book.assetCount; k++)
        if (universe.assetUnderlying[k] === 0 && book.collateral[a * book.assetCount + k] !== 0) holds = true;
      if (holds) holders++;
    }
    expect(n).toBe(holders);
    expect(n).toBeLessThan(book.subaccountCount);
  });
});
