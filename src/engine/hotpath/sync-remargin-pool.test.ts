import { afterAll, describe, expect, it } from "vitest";
import { createMarginColumns, type MarginColumns } from "../../core/hotpath/margin-columns.ts";
import { randomVenue } from "../../core/hotpath/random-hotpath-venue.ts";
import { createRemarginKernel } from "../../core/hotpath/remargin-kernel.ts";
import { prepareTickTables } from "../../core/hotpath/tick-tables.ts";
import { int32Column } from "../../core/hotpath/typed-columns.ts";
import { createSyncRemarginPool, type SyncRemarginPool } from "./sync-remargin-pool.ts";

/*
 * The synchronous pool (the engine's threads): whichever thread computes which chunk, every row
 * is bit-identical to the single-threaded kernel; new buffers reach the workers; the workers do
 * take chunks (with small chunks they must, over many runs).
 */

function rows(out: MarginColumns, n: number): number[] {
  const r: number[] = [];
  for (let a = 0; a < n; a++)
    r.push(
      out.equityUsd[a]!,
      out.initialMarginUsd[a]!,
      out.maintenanceMarginUsd[a]!,
      out.health[a]!,
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
