import { describe, expect, it } from "vitest";
import { accountView } from "../../core/hotpath/account-view.ts";
import { applyFillToBook, depositToBook } from "../../core/hotpath/columnar-book.ts";
import {
  resultEquityUsd,
  resultInitialMarginUsd,
  resultMaintenanceMarginUsd,
} from "../../core/hotpath/margin-columns.ts";
import { randomVenue } from "../../core/hotpath/random-hotpath-venue.ts";
import { prepareTickTables } from "../../core/hotpath/tick-tables.ts";
import { computeSubaccountMargin } from "../../core/margin/compute-subaccount-margin.ts";
import type { MarketState } from "../../core/margin/types.ts";
import { createRemarginSession } from "./remargin-session.ts";

function move(market: MarketState, name: string, factor: number, tied: readonly string[]): MarketState {
  const prev = market.underlyings[name]!;
  const collateral = { ...market.collateral };
  for (const asset of tied) collateral[asset] = { priceUsd: prev.indexPriceUsd * factor };
  const markets = { ...market.markets };
  for (const [id, q] of Object.entries(markets))
    if (id.startsWith(`${name}-`) && q.markPriceUsd !== undefined)
      markets[id] = { ...q, markPriceUsd: q.markPriceUsd * factor };
  return {
    ...market,
    underlyings: { ...market.underlyings, [name]: { ...prev, indexPriceUsd: prev.indexPriceUsd * factor } },
    markets,
    collateral,
  };
}

describe("remargin session", () => {
  it("signals exactly the sub-accounts the reference finds newly liquidatable after each tick", () => {
    const v = randomVenue(2024, 120);
    const session = createRemarginSession(v.universe, v.book, v.market);
    const breached = (m: MarketState) =>
      Array.from({ length: v.book.subaccountCount }, (_, a) => {
        const r = computeSubaccountMargin(v.params, m, accountView(v.universe, v.book, a), {
          liquidationPrices: false,
        });
        return (r.maintenanceMarginUsd > 0 && r.equityUsd < r.maintenanceMarginUsd) || r.equityUsd < 0;
      });
    const initial = session.full().map((s) => s.subaccountIndex);
    let before = breached(v.market);
    expect(initial).toEqual(before.flatMap((b, a) => (b ? [a] : [])));
    let market = v.market;
    let signalled = 0;
    for (let t = 0; t < 12; t++) {
      const u = t % v.universe.underlyingCount;
      const name = v.universe.underlyingIds[u]!;
      const tied = Object.entries(v.params.collateral).flatMap(([asset, cp]) =>
        cp.underlying === name ? [asset] : [],
      );
      market = move(market, name, t % 3 === 2 ? 1.3 : 0.75, tied);
      const only = new Uint8Array(v.universe.underlyingCount);
      only[u] = 1;
      const got = session.tick(market, only).map((s) => s.subaccountIndex);
      const after = breached(market);
      expect(got).toEqual(after.flatMap((b, a) => (b && !before[a] ? [a] : [])));
      signalled += got.length;
      before = after;
      if (t === 5) {
        applyFillToBook(
          v.universe,
          v.book,
          3,
          0,
          5,
          market.underlyings[v.universe.underlyingIds[v.universe.instrumentUnderlying[0]!]!]!.indexPriceUsd,
        );
        session.touch(3);
        before = breached(market);
      }
    }
    expect(signalled).toBeGreaterThan(0);
  });

  it("recomputes every instrument when time moves, and refuses an expired future", () => {
    const v = randomVenue(31337, 60);
    const session = createRemarginSession(v.universe, v.book, v.market);
    session.full();
    const later = { ...v.market, asOfMs: v.market.asOfMs + 3 * 86_400_000 };
    session.tick(later, new Uint8Array(v.universe.underlyingCount));
    for (let a = 0; a < v.book.subaccountCount; a++) {
      const r = computeSubaccountMargin(v.params, later, accountView(v.universe, v.book, a), {
        liquidationPrices: false,
      });
      expect([
        resultEquityUsd(session.out, a),
        resultInitialMarginUsd(session.out, a),
        resultMaintenanceMarginUsd(session.out, a),
      ]).toEqual([r.equityUsd, r.initialMarginUsd, r.maintenanceMarginUsd]);
    }
    const future = v.universe.marketIds.findIndex(
      (id) => v.params.markets[id]!.instrument.type === "dated-future",
    );
    if (future >= 0) {
      const expired = { ...v.market, asOfMs: v.universe.expiryMs[future]! + 1 };
      expect(() => session.tick(expired, new Uint8Array(v.universe.underlyingCount))).toThrow(/expired/);
    }
  });

  it("re-margins on the next tick a sub-account that just deposited an asset it did not hold", () => {
    const v = randomVenue(4242, 40);
    const session = createRemarginSession(v.universe, v.book, v.market);
    session.full();
    const u = v.universe.assetUnderlying.findIndex((x) => x >= 0);
    const k = u;
    const und = v.universe.assetUnderlying[k]!;
    let a = 0;
    while (v.book.collateral[a * v.book.assetCount + k] !== 0) a++;
    depositToBook(v.book, a, k, 50);
    session.touch(a);
    const name = v.universe.underlyingIds[und]!;
    const tied = Object.entries(v.params.collateral).flatMap(([asset, cp]) =>
      cp.underlying === name ? [asset] : [],
    );
    const market = move(v.market, name, 0.8, tied);
    const only = new Uint8Array(v.universe.underlyingCount);
    only[und] = 1;
    session.tick(market, only);
    const r = computeSubaccountMargin(v.params, market, accountView(v.universe, v.book, a), {
      liquidationPrices: false,
    });
    expect([resultEquityUsd(session.out, a), resultInitialMarginUsd(session.out, a)]).toEqual([
      r.equityUsd,
      r.initialMarginUsd,
    ]);
  });

  it("adds new positions to the holder index incrementally and still re-margins every holder exactly", () => {
    const v = randomVenue(777, 200);
    const session = createRemarginSession(v.universe, v.book, v.market);
    session.full();
    let added = 0;
    let market = v.market;
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let t = 0; t < 10; t++) {
      // Fills that open positions in instruments the accounts did not hold.
      const changed: number[] = [];
      for (let f = 0; f < 15; f++) {
        const a = Math.floor(rand() * v.book.subaccountCount);
        const i = Math.floor(rand() * v.universe.instrumentCount);
        const name = v.universe.underlyingIds[v.universe.instrumentUnderlying[i]!]!;
        if (v.params.markets[v.universe.marketIds[i]!]!.instrument.type === "dated-future") continue;
        try {
          applyFillToBook(
            v.universe,
            v.book,
            a,
            i,
            rand() < 0.5 ? 2 : -2,
            market.underlyings[name]!.indexPriceUsd,
          );
          changed.push(a);
        } catch {
          // A row at its position limit or an isolated row with another market: not a fill here.
        }
      }
      const versionBefore = v.book.structureVersion;
      added += changed.length;
      session.noteChangedRows(changed);
      const u = Math.floor(rand() * v.universe.underlyingCount);
      const name = v.universe.underlyingIds[u]!;
      const tied = Object.entries(v.params.collateral).flatMap(([asset, cp]) =>
        cp.underlying === name ? [asset] : [],
      );
      market = move(market, name, 0.9 + 0.2 * rand(), tied);
      const only = new Uint8Array(v.universe.underlyingCount);
      only[u] = 1;
      session.tick(market, only);
      for (const a of changed) session.touch(a);
      expect(v.book.structureVersion).toBe(versionBefore);
      expect(session.indexBuilds, "the index was extended, not rebuilt").toBe(1);
      // Every sub-account's results equal the reference at the new market, so no holder of the
      // moved underlying (old or new) was missed.
      for (let a = 0; a < v.book.subaccountCount; a++) {
        const r = computeSubaccountMargin(v.params, market, accountView(v.universe, v.book, a), {
          liquidationPrices: false,
        });
        expect(
          [resultEquityUsd(session.out, a), resultMaintenanceMarginUsd(session.out, a)],
          `tick ${t}, row ${a}`,
        ).toEqual([r.equityUsd, r.maintenanceMarginUsd]);
      }
    }
    expect(added).toBeGreaterThan(50);
  });
  it("defers a clock step to the underlyings that did not move, and stays exact on every row it serves", () => {
    for (const seed of [3, 17, 30, 41]) {
      const v = randomVenue(seed, 150);
      const u = v.universe;
      const session = createRemarginSession(u, v.book, v.market);
      session.full();
      let market = v.market;
      let seedRand = seed;
      const rand = () => {
        seedRand = (seedRand * 1103515245 + 12345) % 2147483648;
        return seedRand / 2147483648;
      };
      const exact = (a: number, label: string) => {
        const r = computeSubaccountMargin(v.params, market, accountView(u, v.book, a), {
          liquidationPrices: false,
        });
        expect(
          [
            resultEquityUsd(session.out, a),
            resultInitialMarginUsd(session.out, a),
            resultMaintenanceMarginUsd(session.out, a),
          ],
          label,
        ).toEqual([r.equityUsd, r.initialMarginUsd, r.maintenanceMarginUsd]);
      };
      let lagged = 0;
      for (let t = 0; t < 10; t++) {
        const und = Math.floor(rand() * u.underlyingCount);
        const name = u.underlyingIds[und]!;
        const tied = Object.entries(v.params.collateral).flatMap(([asset, cp]) =>
          cp.underlying === name ? [asset] : [],
        );
        // Every third tick is the clock alone; every other one steps the clock by a day.
        const clockOnly = t % 3 === 2;
        if (!clockOnly) market = move(market, name, 0.9 + 0.2 * rand(), tied);
        if (clockOnly || t % 2 === 0) market = { ...market, asOfMs: market.asOfMs + 86_400_000 };
        const only = new Uint8Array(u.underlyingCount);
        if (!clockOnly) only[und] = 1;
        session.advance(market, only);
        if (!clockOnly) expect(session.tables.lagging[und], "the moved underlying is current").toBe(0);
        lagged += session.tables.lagging.reduce((n, x) => n + x, 0);
        // A row that does not lag holds no lagging instrument (time-dependent, on a lagging
        // underlying) and is exact now.
        for (let a = 0; a < v.book.subaccountCount; a++) {
          if (session.stale[a] === 1) continue;
          for (let p = v.book.posStart[a]!; p < v.book.posStart[a]! + v.book.posCount[a]!; p++) {
            const i = v.book.posInstrument[p]!;
            expect(
              session.tables.lagging[u.instrumentUnderlying[i]!]! * session.tables.timeDependent[i]!,
            ).toBe(0);
          }
          exact(a, `seed ${seed}, tick ${t}, current row ${a}`);
        }
        // A stale row touched now is re-timed (its own underlyings only) and exact.
        for (let a = 0; a < v.book.subaccountCount; a++) {
          if (session.stale[a] !== 1 || rand() < 0.7) continue;
          session.touch(a);
          expect(session.stale[a]).toBe(0);
          exact(a, `seed ${seed}, tick ${t}, touched row ${a}`);
        }
      }
      expect(lagged, "some underlying lagged behind a clock step").toBeGreaterThan(0);
      // Once every row is brought current, the tables equal fresh ones at the final market.
      session.full();
      const fresh = prepareTickTables(u, market);
      expect(Array.from(session.tables.scenarioDeltaUsd)).toEqual(Array.from(fresh.scenarioDeltaUsd));
      expect(Array.from(session.tables.markUsd)).toEqual(Array.from(fresh.markUsd));
      expect(Array.from(session.tables.slotApcScale)).toEqual(Array.from(fresh.slotApcScale));
      expect(Array.from(session.tables.lagging)).toEqual(new Array(u.underlyingCount).fill(0));
    }
  });
});
