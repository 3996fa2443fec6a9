import { describe, expect, it } from "vitest";
import { parseRiskParams } from "./risk-params.ts";
import type { MarketState, SubaccountInput } from "./types.ts";
import { whatIf } from "./what-if.ts";

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
const sub: SubaccountInput = {
  id: "a",
  mode: "cross",
  positions: [{ marketId: "BTC-PERP", size: 10, entryPrice: 100 }],
  collateral: [{ asset: "USD", amount: 150 }],
};

describe("whatIf", () => {
  it("accepts an order whose after-state meets IM (hand-computed)", () => {
    // Buy 4 more at 100: notional 1400 → IM 140 ≤ equity 150.
    const r = whatIf(params, market, sub, { marketId: "BTC-PERP", side: "buy", size: 4, price: 100 });
    expect(r.before.initialMarginUsd).toBeCloseTo(100, 12);
    expect(r.after.initialMarginUsd).toBeCloseTo(140, 12);
    expect(r).toMatchObject({ accepted: true, reason: "meets_initial_margin" });
  });

  it("rejects one that does not, and prices the fill's own edge as PnL", () => {
    // Buy 6 at 101: IM 160 > equity 150 − 6 (paid 1 over the mark on 6) = 144.
    const r = whatIf(params, market, sub, { marketId: "BTC-PERP", side: "buy", size: 6, price: 101 });
    expect(r.after.equityUsd).toBeCloseTo(144, 12);
    expect(r).toMatchObject({ accepted: false, reason: "insufficient_margin" });
  });

  it("always accepts a risk-reducing order, even when the account is under IM", () => {
    const poor = { ...sub, collateral: [{ asset: "USD", amount: 60 }] };
    const r = whatIf(params, market, poor, { marketId: "BTC-PERP", side: "sell", size: 3, price: 100 });
    expect(r.after.equityUsd).toBeLessThan(r.after.initialMarginUsd + 10);
    expect(r).toMatchObject({ accepted: true, reason: "reduces_risk" });
    // Flipping beyond flat to a bigger short is not a reduction.
    const flip = whatIf(params, market, poor, { marketId: "BTC-PERP", side: "sell", size: 25, price: 100 });
    expect(flip.reason).toBe("insufficient_margin");
  });

  it("changes nothing and validates the order", () => {
    const copy = structuredClone(sub);
    whatIf(params, market, sub, { marketId: "BTC-PERP", side: "sell", size: 1, price: 100 });
    expect(sub).toEqual(copy);
    expect(() => whatIf(params, market, sub, { marketId: "X", side: "buy", size: 1, price: 1 })).toThrow(
      "order.marketId: unknown market 'X'",
    );
    expect(() =>
      whatIf(params, market, sub, { marketId: "BTC-PERP", side: "buy", size: 0, price: 1 }),
    ).toThrow("order.size: must be a finite number of contracts > 0");
  });
});
