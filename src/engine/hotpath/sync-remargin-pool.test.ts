import { afterAll, describe, expect, it } from "vitest";
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
import { prepareTickTables } from "../../core/hotpath/tick-tables.ts";
import { float64Column, int32Column, uint8Column } from "../../core/hotpath/typed-columns.ts";
import { createSyncRemarginPool, type SyncRemarginPool } from "./sync-remargin-pool.ts";
import { computeVerdicts, type VerdictColumns } from "./verdicts.ts";

/*
 * The synchronous pool (the engine's threads): whichever thread computes which chunk, every row
 * is bit-identical to the single-threaded kernel; new buffers reach the workers; the workers do
 * take chunks (with small chunks they must, over many runs).
 */

function rows(out: MarginColumns, n: number): number[] {
  const r: number[] = [];
  for (let a = 0; a < n; a++)
    r.push(
      resultEquityUsd(out, a),
      resultInitialMarginUsd(out, a),
      resultMaintenanceMarginUsd(out, a),
      resultHealth(out, a),
      out.liquidatable[a]!,
    );
  return r;
}

describe("sync remargin pool", () => {
  const pools: SyncRemarginPool[] = [];
  afterAll(() => {
    for (const p of pools) p.close();
  });

  it("is bit-identical to one thread, reloads changed buffers, and shares the chunks", () => {
    const v = randomVenue(4711, 3000, true);
    const n = v.book.subaccountCount;
    const tables = prepareTickTables(v.universe, v.market, true);
    const single = createMarginColumns(n);
    createRemarginKernel(v.universe).runRange(v.book, tables, single, 0, n);
    const expected = rows(single, n);
    const pool = createSyncRemarginPool(v.universe, 2, { minList: 1, chunk: 8 });
    pools.push(pool);
    expect(pool.waitReady(20_000)).toBe(true);
    // Every row, in a scrambled order (the list is the pool's unit of work).
    const list = int32Column(n, true);
    for (let a = 0; a < n; a++) list[a] = (a * 7919) % n;
    let workerChunks = 0;
    for (let run = 0; run < 40; run++) {
      // A fresh result buffer every few runs: the workers must pick it up before writing.
      const out = createMarginColumns(n, true);
      pool.runList(v.book, tables, out, list, n);
      expect(rows(out, n)).toEqual(expected);
      workerChunks += pool.lastWorkerChunks;
    }
    expect(workerChunks).toBeGreaterThan(0);
  });

  it("computes in the pass the same verdict bytes as one thread after it, whichever thread took a block", () => {
    const v = randomVenue(1234, 3000, true);
    const n = v.book.subaccountCount;
    const nA = v.book.assetCount;
    const tables = prepareTickTables(v.universe, v.market, true);
    let seed = 99;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const columns = (): VerdictColumns => {
      const c: VerdictColumns = {
        eligible: uint8Column(n, true),
        inLiquidation: uint8Column(n, true),
        insuranceDrawn: uint8Column(n, true),
        debt: float64Column(n * nA, true),
        assetAdjustUsd: float64Column(nA, true),
        assetGrossUsd: float64Column(nA, true),
        assetPriceUsd: float64Column(nA, true),
        scalars: float64Column(2, true),
        verdict: uint8Column(n, true),
      };
      return c;
    };
    const pooled = columns();
    for (let a = 0; a < n; a++) {
      pooled.eligible[a] = rand() < 0.9 ? 1 : 0;
      pooled.inLiquidation[a] = rand() < 0.2 ? 1 : 0;
      pooled.insuranceDrawn[a] = rand() < 0.1 ? 1 : 0;
      for (let k = 0; k < nA; k++) pooled.debt[a * nA + k] = rand() < 0.05 ? -100 * rand() : 0;
    }
    for (let k = 0; k < nA; k++) {
      pooled.assetAdjustUsd[k] = rand() < 0.5 ? 0 : -0.05 * rand();
      pooled.assetGrossUsd[k] = 1 + rand();
      pooled.assetPriceUsd[k] = 1 + rand();
    }
    pooled.scalars[0] = 1.5;
    pooled.scalars[1] = 1.25;
    const pool = createSyncRemarginPool(v.universe, 2, { minList: 1, chunk: 16 });
    pools.push(pool);
    expect(pool.waitReady(20_000)).toBe(true);
    const list = int32Column(n, true);
    for (let a = 0; a < n; a++) list[a] = (a * 7919) % n;
    const out = createMarginColumns(n, true);
    let workerChunks = 0;
    for (let run = 0; run < 10; run++) {
      pooled.verdict.fill(7);
      pool.runList(v.book, tables, out, list, n, pooled);
      workerChunks += pool.lastWorkerChunks;
      // One thread, after the pass, from the same results.
      const single = { ...pooled, verdict: uint8Column(n, false) };
      computeVerdicts(single, v.book, out, list, 0, n);
      expect(Array.from(pooled.verdict)).toEqual(Array.from(single.verdict));
    }
    expect(workerChunks).toBeGreaterThan(0);
    const counts = [0, 0];
    for (let a = 0; a < n; a++) counts[pooled.verdict[a]!]!++;
    expect(counts[0], "some rows are not cleared").toBeGreaterThan(0);
    expect(counts[1], "some rows are cleared").toBeGreaterThan(0);
  });

  it("refuses unshared columns with a clear error, and a closed pool", () => {
    const v = randomVenue(5, 50, false);
    const tables = prepareTickTables(v.universe, v.market, false);
    const pool = createSyncRemarginPool(v.universe, 2, { minList: 1 });
    const list = new Int32Array([0, 1, 2]);
    expect(() => pool.runList(v.book, tables, createMarginColumns(50), list, 3)).toThrow(/shared memory/);
    pool.close();
    expect(() => pool.runList(v.book, tables, createMarginColumns(50), list, 3)).toThrow(/closed/);
  });
});
