import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AccountRow, rowsOfAccount, viewAccountTable } from "../../web/src/lib/account-table.ts";

const row = (id: string, health: number | null, inLiquidation = false, equityUsd = 1000): AccountRow => ({
  accountId: id,
  subaccountId: `${id}-main`,
  equityUsd,
  initialMarginUsd: 0,
  maintenanceMarginUsd: 0,
  freeCollateralUsd: 0,
  health,
  notionalUsd: 0,
  positions: health === null ? 0 : 1,
  inLiquidation,
});

const view = { query: "", sortKey: "health" as const, descending: false, page: 0, pageSize: 50 };

describe("accounts table model", () => {
  it("puts the riskiest first: in liquidation, then lowest health, no requirement last", () => {
    const rows = [row("a", 3), row("b", null), row("c", 1.1), row("d", 9, true), row("e", 0.8)];
    expect(viewAccountTable(rows, view).rows.map((r) => r.accountId)).toEqual(["d", "e", "c", "a", "b"]);
    expect(viewAccountTable(rows, { ...view, descending: true }).rows.map((r) => r.accountId)).toEqual([
      "b",
      "a",
      "c",
      "e",
      "d",
    ]);
  });

  it("searches ids case-insensitively and breaks ties by id", () => {
    const rows = [row("demo-trader-00002", 2), row("demo-trader-00001", 2), row("demo-maker", 5)];
    const found = viewAccountTable(rows, { ...view, query: "TRADER" });
    expect(found.total).toBe(2);
    expect(found.rows.map((r) => r.accountId)).toEqual(["demo-trader-00001", "demo-trader-00002"]);
  });

  it("clamps the page into range", () => {
    const rows = Array.from({ length: 120 }, (_, i) => row(`t${String(i).padStart(3, "0")}`, i));
    const last = viewAccountTable(rows, { ...view, page: 99 });
    expect(last.pages).toBe(3);
    expect(last.page).toBe(2);
    expect(last.rows.length).toBe(20); // 120 = 50 + 50 + 20
  });

  it("pages partition the matching rows in sorted order (property)", () => {
    const arb = fc.array(
      fc.record({
        id: fc.string({ minLength: 1, maxLength: 6 }),
        health: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: null }),
      }),
      { maxLength: 120 },
    );
    fc.assert(
      fc.property(arb, fc.integer({ min: 1, max: 40 }), (items, pageSize) => {
        const rows = items.map((x, i) => row(`${x.id}#${i}`, x.health));
        const first = viewAccountTable(rows, { ...view, pageSize });
        const all: AccountRow[] = [];
        for (let p = 0; p < first.pages; p += 1)
          all.push(...viewAccountTable(rows, { ...view, pageSize, page: p }).rows);
        expect(all.length).toBe(rows.length);
        const rank = (r: AccountRow) => (r.health === null ? Number.POSITIVE_INFINITY : r.health);
        for (let i = 1; i < all.length; i += 1)
          expect(rank(all[i]!)).toBeGreaterThanOrEqual(rank(all[i - 1]!));
      }),
    );
  });

  it("builds one row per sub-account from an account answer", () => {
    const rows = rowsOfAccount({
      accountId: "x",
      subaccounts: [
        {
          subaccountId: "x-main",
          balances: { USDC: "10" },
          positions: [{ marketId: "BTC-PERP", size: "1", entryPriceUsd: 1, markPriceUsd: 1 }],
          inLiquidation: false,
          engine: {
            equityUsd: 10,
            initialMarginUsd: 4,
            maintenanceMarginUsd: 2,
            freeCollateralUsd: 6,
            health: 5,
            notionalUsd: 40,
          },
        },
      ],
    });
    expect(rows).toEqual([
      {
        accountId: "x",
        subaccountId: "x-main",
        equityUsd: 10,
        initialMarginUsd: 4,
        maintenanceMarginUsd: 2,
        freeCollateralUsd: 6,
        health: 5,
        notionalUsd: 40,
        positions: 1,
        inLiquidation: false,
      },
    ]);
  });
});
