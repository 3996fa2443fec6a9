import { describe, expect, it } from "vitest";
import { parseMarginInput, parseMarketState } from "./margin-input.ts";

const market = {
  asOfMs: 0,
  underlyings: { BTC: { indexPriceUsd: 100 } },
  collateral: { USD: { priceUsd: 1 } },
};

describe("parseMarginInput", () => {
  it("accepts paths or inline documents", () => {
    const r = parseMarginInput({
      riskParams: "venue.json",
      market,
      accounts: [{ id: "a", subaccounts: [{ id: "s", mode: "cross", positions: [], collateral: [] }] }],
    });
    expect(r.riskParams).toBe("venue.json");
  });

  it("locates mistakes in the market state and accounts", () => {
    expect(() => parseMarketState({ ...market, underlyings: { BTC: { indexPriceUsd: -5 } } })).toThrow(
      "market.underlyings.BTC.indexPriceUsd: must be > 0",
    );
    expect(() =>
      parseMarginInput({
        riskParams: "v",
        market,
        accounts: [
          {
            id: "a",
            subaccounts: [
              {
                id: "s",
                mode: "cross",
                positions: [{ marketId: "X", size: 1, entryPrice: 0 }],
                collateral: [],
              },
            ],
          },
        ],
      }),
    ).toThrow("accounts.0.subaccounts.0.positions.0.entryPrice: must be > 0");
    expect(() =>
      parseMarginInput({
        riskParams: "v",
        market,
        accounts: [
          { id: "a", subaccounts: [{ id: "s", mode: "cross", positions: [], collateral: [], leverage: 50 }] },
        ],
      }),
    ).toThrow(/^accounts\.0\.subaccounts\.0: .*leverage/);
  });
});
