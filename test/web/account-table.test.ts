import { describe, expect, it } from "vitest";
import { ACCOUNTS_PAGE_ROWS, summaryPath, summarySortOf } from "../../web/src/data/venue-store.ts";
import { rowOfSummary } from "../../web/src/lib/account-table.ts";

/*
 * The accounts table asks the server (GET /v1/subaccounts) for one sorted, searched page; these
 * check the request it builds and the row it makes of an answer.
 */

describe("accounts table", () => {
  it("asks for a sorted, searched page with the cursor of the previous one", () => {
    const q = { sortKey: "health" as const, descending: false, search: "" };
    expect(summaryPath(q, undefined)).toBe(
      `/v1/subaccounts?sort=health&order=asc&limit=${ACCOUNTS_PAGE_ROWS}`,
    );
    expect(
      summaryPath({ ...q, sortKey: "equityUsd", descending: true, search: "  trader 7 " }, "abc_-", 10),
    ).toBe("/v1/subaccounts?sort=equityUsd&order=desc&limit=10&q=trader+7&after=abc_-");
    // The id column sorts by sub-account id on the server.
    expect(summarySortOf("accountId")).toBe("subaccountId");
    // The server refuses searches over 64 characters: the client never sends one.
    const long = new URL(`http://x${summaryPath({ ...q, search: "x".repeat(100) }, undefined)}`);
    expect(long.searchParams.get("q")?.length).toBe(64);
  });

  it("makes a row of a summary item", () => {
    expect(
      rowOfSummary({
        accountId: "x",
        subaccountId: "x-main",
        mode: "cross",
        equityUsd: 10,
        initialMarginUsd: 4,
        maintenanceMarginUsd: 2,
        freeCollateralUsd: 6,
        notionalUsd: 40,
        health: 5,
        marginRatio: 0.2,
        positionsCount: 1,
        inLiquidation: false,
      }),
    ).toEqual({
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
    });
  });
});
