import { describe, expect, it } from "vitest";
import { black76Price } from "../pricing/black76.ts";
import { markPriceUsd, positionNotionalUsd, positionPnlUsd, yearsToExpiry } from "./instrument-pricing.ts";
import type { MarketParams } from "./risk-params.ts";
import type { MarketState } from "./types.ts";

const policy = { type: "static", initialFraction: 0.05, maintenanceFraction: 0.025 } as const;
const linear: MarketParams = {
  instrument: { type: "linear-perp" },
  underlying: "BTC",
  contractSize: 0.001,
  tickSize: 0.1,
  policy,
};
const inverse: MarketParams = {
  instrument: { type: "inverse-perp" },
  underlying: "BTC",
  contractSize: 100,
  tickSize: 0.5,
  policy,
};
const T0 = 1_795_564_800_000;
const call: MarketParams = {
  instrument: {
    type: "option",
    optionKind: "call",
    strike: 100_000,
    expiryMs: T0 + 3_155_760_000 /* 0.1 y of 365.25 days */,
  },
  underlying: "BTC",
  contractSize: 1,
  tickSize: 0.5,
  policy,
};
const market: MarketState = {
  asOfMs: T0,
  underlyings: { BTC: { indexPriceUsd: 100_000, impliedVolAnnual: 0.6 } },
  collateral: {},
};

describe("instrument pricing", () => {
  it("linear perp: PnL and notional in USD (hand-computed)", () => {
    // 2000 contracts × 0.001 BTC = 2 BTC long from 95k to 100k: +10,000 USD; notional 2·100k = 200k.
    expect(positionPnlUsd(linear, 2000, 95_000, 100_000)).toBeCloseTo(10_000, 9);
    expect(positionNotionalUsd(linear, -2000, 100_000, 100_000)).toBeCloseTo(200_000, 9);
  });

  it("inverse perp: USD contracts, PnL in coin valued at the mark (hand-computed)", () => {
    // Long 1000 × 100 USD from 80k to 100k. PnL in BTC = 100,000·(1/80,000 − 1/100,000) = 0.25 BTC,
    // valued at 100k = 25,000 USD. Notional is the fixed 100,000 USD.
    expect(positionPnlUsd(inverse, 1000, 80_000, 100_000)).toBeCloseTo(25_000, 8);
    // Short the same: −0.25 BTC = −25,000 USD. A long loses when the price halves: 100k·(1/80k − 1/40k)
    // = −1.25 BTC at 40k = −50,000 USD.
    expect(positionPnlUsd(inverse, -1000, 80_000, 100_000)).toBeCloseTo(-25_000, 8);
    expect(positionPnlUsd(inverse, 1000, 80_000, 40_000)).toBeCloseTo(-50_000, 8);
    expect(positionNotionalUsd(inverse, 1000, 40_000, 40_000)).toBe(100_000);
  });

  it("option: Black-76 mark at the index forward with the market's vol; notional on the underlying", () => {
    expect(yearsToExpiry(T0 + 3_155_760_000, T0)).toBeCloseTo(0.1, 15);
    expect(markPriceUsd(market, "C", call)).toBeCloseTo(
      black76Price("call", 100_000, 100_000, 0.1, 0.6, 0),
      9,
    );
    expect(positionNotionalUsd(call, -3, 7000, 100_000)).toBe(300_000);
    // Expired options are worth their intrinsic value.
    expect(
      markPriceUsd(
        {
          ...market,
          asOfMs: T0 + 40_000 * 864_000,
          underlyings: { BTC: { indexPriceUsd: 103_000, impliedVolAnnual: 0.6 } },
        },
        "C",
        call,
      ),
    ).toBe(3000);
  });

  it("a quoted mark overrides the model; bad quotes are located", () => {
    expect(markPriceUsd({ ...market, markets: { X: { markPriceUsd: 101_000 } } }, "X", linear)).toBe(101_000);
    expect(() => markPriceUsd({ ...market, markets: { X: { markPriceUsd: -1 } } }, "X", linear)).toThrow(
      "market.markets.X.markPriceUsd: must be a finite number ≥ 0",
    );
    expect(() => markPriceUsd({ ...market, underlyings: {} }, "X", linear)).toThrow(
      "market.underlyings.BTC: is missing",
    );
  });
});
