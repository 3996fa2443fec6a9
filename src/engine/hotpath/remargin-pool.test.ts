import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildHolderIndex,
  clearTickChanges,
  collectAffectedSubaccounts,
} from "../../core/hotpath/holder-index.ts";
import {
  createMarginColumns,
  type MarginColumns,
  resultEquityUsd,
  resultHealth,
  resultInitialMarginUsd,
  resultMaintenanceMarginUsd,
} from "../../core/hotpath/margin-columns.ts";
import { randomVenue } from "../../core/hotpath/random-hotpath-venue.ts";
import { createRemarginKernel } from "../../core/hotpath/remargin-kernel.ts";
import { prepareTickTables, updateTickTables } from "../../core/hotpath/tick-tables.ts";
import { float64Column, int32Column, uint8Column } from "../../core/hotpath/typed-columns.ts";
import { black76Batch } from "../../core/pricing/black76-batch.ts";
import { createRemarginPool, type RemarginPool } from "./remargin-pool.ts";
import { createRemarginSession } from "./remargin-session.ts";

function rows(out: MarginColumns, n: number): number[][] {
  const r: number[][] = [];
  for (let a = 0; a < n; a++)
    r.push([
      resultEquityUsd(out, a),
      resultInitialMarginUsd(out, a),
      resultMaintenanceMarginUsd(out, a),
      resultHealth(out, a),
      out.liquidatable[a]!,
    ]);
  return r;
}

describe("remargin pool (worker threads over shared memory)", () => {
  const seeds = [7, 1234, 99_001];
  const venues = seeds.map((s) => randomVenue(s, 300, true));
  let pools: RemarginPool[] = [];

  beforeAll(async () => {
    pools = await Promise.all(venues.map((v, i) => createRemarginPool(v.universe, 1 + (i % 3))));
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it("gives results bit-identical to the single-threaded kernel (full and incremental)", async () => {
    for (let k = 0; k < venues.length; k++) {
      const v = venues[k]!;
      const pool = pools[k]!;
      const n = v.book.subaccountCount;
      const tables = prepareTickTables(v.universe, v.market, true);
      const single = createMarginColumns(n);
      createRemarginKernel(v.universe).runRange(v.book, tables, single, 0, n);
      const parallel = createMarginColumns(n, true);
      await pool.runFull(v.book, tables, parallel);
      expect(rows(parallel, n)).toEqual(rows(single, n));

      clearTickChanges(tables);
      const name = v.universe.underlyingIds[0]!;
      const prev = v.market.underlyings[name]!;
      v.market = {
        ...v.market,
        underlyings: {
          ...v.market.underlyings,
          [name]: { ...prev, indexPriceUsd: prev.indexPriceUsd * 0.9 },
        },
      };
      const only = new Uint8Array(v.universe.underlyingCount);
      only[0] = 1;
      updateTickTables(v.universe, tables, v.market, only);
      const list = int32Column(n, true);
      const count = collectAffectedSubaccounts(
        buildHolderIndex(v.universe, v.book),
        tables,
        new Uint8Array(n),
        list,
      );
      expect(count).toBeGreaterThan(0);
      await pool.runList(v.book, tables, parallel, list, count);
      createRemarginKernel(v.universe).runRange(v.book, tables, single, 0, n);
      expect(rows(parallel, n)).toEqual(rows(single, n));
    }
  });

  it("drives a session's ticks through the pool with the same results and signals", async () => {
    const a = randomVenue(5150, 300, true);
    const b = randomVenue(5150, 300, true);
    const single = createRemarginSession(a.universe, a.book, a.market, true);
    const parallel = createRemarginSession(b.universe, b.book, b.market, true);
    const pool = await createRemarginPool(b.universe, 2);
    expect(parallel.full()).toEqual(single.full());
    let market = a.market;
    for (let t = 0; t < 6; t++) {
      const u = t % a.universe.underlyingCount;
      const name = a.universe.underlyingIds[u]!;
      const prev = market.underlyings[name]!;
      market = {
        ...market,
        underlyings: { ...market.underlyings, [name]: { ...prev, indexPriceUsd: prev.indexPriceUsd * 0.85 } },
      };
      const only = new Uint8Array(a.universe.underlyingCount);
      only[u] = 1;
      const want = single.tick(market, only);
      expect(await parallel.tickParallel(market, only, pool)).toEqual(want);
      expect(rows(parallel.out, 300)).toEqual(rows(single.out, 300));
    }
    await pool.close();
  });

  it("prices an option batch across the workers exactly as one thread does", async () => {
    const n = 1001;
    const inputs = {
      kind: uint8Column(n, true),
      forward: float64Column(n, true),
      strike: float64Column(n, true),
      expiryYears: float64Column(n, true),
      vol: float64Column(n, true),
      rate: float64Column(n, true),
    };
    for (let i = 0; i < n; i++) {
      inputs.kind[i] = i % 2;
      inputs.forward[i] = 100;
      inputs.strike[i] = 50 + (i % 100);
      inputs.expiryYears[i] = 0.05 + (i % 17) / 10;
      inputs.vol[i] = 0.2 + (i % 13) / 20;
      inputs.rate[i] = 0.01;
    }
    const outputs = () => ({
      price: float64Column(n, true),
      delta: float64Column(n, true),
      gamma: float64Column(n, true),
      vega: float64Column(n, true),
      theta: float64Column(n, true),
      rho: float64Column(n, true),
      vanna: float64Column(n, true),
      volga: float64Column(n, true),
    });
    const single = outputs();
    black76Batch(inputs, single);
    const parallel = outputs();
    await pools[1]!.priceOptions(inputs, parallel);
    expect(Array.from(parallel.price)).toEqual(Array.from(single.price));
    expect(Array.from(parallel.volga)).toEqual(Array.from(single.volga));
    expect(single.price[0]).toBeGreaterThan(0);
  });
});
