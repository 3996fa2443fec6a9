import { describe, expect, it } from "vitest";
import { canTransfer } from "./can-transfer.ts";
import { computeSubaccountMargin } from "./compute-subaccount-margin.ts";
import { parseRiskParams } from "./risk-params.ts";
import type { AccountInput, MarketState } from "./types.ts";

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
      priceRange: 0.1,
      priceSteps: 5,
      volShockUp: 0.2,
      volShockDown: 0.2,
      shortOptionMinimumFraction: 0.01,
      calendarSpreadFraction: 0.01,
      maintenanceShare: 0.8,
    },
  },
});
const market: MarketState = {
  asOfMs: 0,
  underlyings: { BTC: { indexPriceUsd: 100 } },
  collateral: { USD: { priceUsd: 1 } },
};
const account: AccountInput = {
  id: "acc",
  subaccounts: [
    {
      id: "trading",
      mode: "cross",
      positions: [{ marketId: "BTC-PERP", size: 10, entryPrice: 100 }],
      collateral: [{ asset: "USD", amount: 150 }],
    },
    { id: "savings", mode: "isolated", positions: [], collateral: [] },
  ],
};

describe("canTransfer", () => {
  it("allows moving free collateral only (IM 100 of equity 150 → 50 free)", () => {
    expect(
      canTransfer(params, market, account, {
        fromSubaccountId: "trading",
        toSubaccountId: "savings",
        asset: "USD",
        amount: 50,
      }),
    ).toEqual({
      allowed: true,
      reason: "ok",
      fromFreeCollateralUsd: 0,
    });
    expect(
      canTransfer(params, market, account, {
        fromSubaccountId: "trading",
        toSubaccountId: "savings",
        asset: "USD",
        amount: 50.01,
      }),
    ).toMatchObject({
      allowed: false,
      reason: "insufficient_margin",
    });
    expect(
      canTransfer(params, market, account, {
        fromSubaccountId: "savings",
        toSubaccountId: "trading",
        asset: "USD",
        amount: 1,
      }),
    ).toMatchObject({
      allowed: false,
      reason: "insufficient_balance",
    });
  });

  it("risk never leaks: one sub-account's loss leaves the other's margin untouched", () => {
    const crash = { ...market, underlyings: { BTC: { indexPriceUsd: 50 } } };
    const savings = { ...account.subaccounts[1]!, collateral: [{ asset: "USD", amount: 1000 }] };
    const r = computeSubaccountMargin(params, crash, savings);
    expect(r.equityUsd).toBe(1000);
    expect(computeSubaccountMargin(params, crash, account.subaccounts[0]!).equityUsd).toBeCloseTo(-350, 12);
  });

  it("locates bad requests", () => {
    expect(() =>
      canTransfer(params, market, account, {
        fromSubaccountId: "x",
        toSubaccountId: "savings",
        asset: "USD",
        amount: 1,
      }),
    ).toThrow("fromSubaccountId: no sub-account 'x' in account 'acc'");
    expect(() =>
      canTransfer(params, market, account, {
        fromSubaccountId: "trading",
        toSubaccountId: "savings",
        asset: "USD",
        amount: -1,
      }),
    ).toThrow("amount: must be a finite number > 0");
  });
});
