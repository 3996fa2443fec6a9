import { describe, expect, it } from "vitest";
import { accountView } from "../src/core/hotpath/account-view.ts";
import {
  createMarginColumns,
  resultEquityUsd,
  resultInitialMarginUsd,
  resultMaintenanceMarginUsd,
} from "../src/core/hotpath/margin-columns.ts";
import { createRemarginKernel } from "../src/core/hotpath/remargin-kernel.ts";
import { prepareTickTables } from "../src/core/hotpath/tick-tables.ts";
import { computeSubaccountMargin } from "../src/core/margin/compute-subaccount-margin.ts";
import { generateBenchVenue } from "./synthetic-venue.ts";

/*
 * The bench venue goes through the kernel's fast paths (cross perps, portfolio options), which
 * the random venues reach less often: its results must also equal the reference bit for bit,
 * and its shape must be the one the issue describes.
 */
describe("bench synthetic venue", () => {
  it("has the described shape and is re-margined bit-identically to the reference", () => {
    const v = generateBenchVenue(1500, 99);
    const { universe, book } = v;
    expect(universe.instrumentCount).toBe(2050);
    expect(v.positions / book.subaccountCount).toBeGreaterThan(3.5);
    expect(v.positions / book.subaccountCount).toBeLessThan(4.5);
    let portfolio = 0;
    for (let a = 0; a < book.subaccountCount; a++) portfolio += book.mode[a] === 2 ? 1 : 0;
    expect(portfolio / book.subaccountCount).toBeGreaterThan(0.07);
    expect(portfolio / book.subaccountCount).toBeLessThan(0.13);
    const out = createMarginColumns(book.subaccountCount);
    createRemarginKernel(universe).runRange(
      book,
      prepareTickTables(universe, v.market),
      out,
      0,
      book.subaccountCount,
    );
    for (let a = 0; a < book.subaccountCount; a++) {
      const r = computeSubaccountMargin(v.params, v.market, accountView(universe, book, a), {
        liquidationPrices: false,
      });
      expect([
        resultEquityUsd(out, a),
        resultInitialMarginUsd(out, a),
        resultMaintenanceMarginUsd(out, a),
      ]).toEqual([r.equityUsd, r.initialMarginUsd, r.maintenanceMarginUsd]);
    }
  });
});
