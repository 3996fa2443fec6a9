import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { normalQuantile } from "../dist/normal.ts";
import { haircutFraction, valueCollateral } from "./collateral-valuation.ts";
import { parseRiskParams } from "./risk-params.ts";
import type { MarketState } from "./types.ts";

const params = parseRiskParams(
  JSON.parse(readFileSync(new URL("../../../examples/venue-risk-params.json", import.meta.url), "utf8")),
);
const market: MarketState = {
  asOfMs: 0,
  underlyings: { BTC: { indexPriceUsd: 100_000, volAnnual: 0.5 } },
  collateral: {
    USDC: { priceUsd: 1 },
    BTC: { priceUsd: 100_000, volAnnual: 0.5 },
    ETH: { priceUsd: 4000, volAnnual: 3 },
  },
};

describe("valueCollateral", () => {
  it("haircut = z₀.₉₉·σ·√(24/8760), clamped (hand-computed)", () => {
    // BTC: 2.326348·0.5/√365 = 2.326348·0.0261712 = 0.0608832…
    const h = haircutFraction("BTC", params.collateral.BTC!, market);
    expect(h).toBeCloseTo((normalQuantile(0.99) * 0.5) / Math.sqrt(365), 15);
    expect(h).toBeCloseTo(0.060883, 6);
    // ETH at 300% vol: 2.326348·3/√365 = 0.3653 → within the 0.5 cap; at 500%: 0.6088 → capped at 0.5.
    expect(
      haircutFraction("ETH", params.collateral.ETH!, {
        ...market,
        collateral: { ETH: { priceUsd: 1, volAnnual: 5 } },
      }),
    ).toBe(0.5);
    // Floor: a 5%-vol asset would get 0.0061 → floored at 0.02.
    expect(
      haircutFraction("BTC", params.collateral.BTC!, {
        ...market,
        collateral: { BTC: { priceUsd: 1, volAnnual: 0.05 } },
      }),
    ).toBe(0.02);
  });

  it("sums assets after haircuts and applies the concentration cap", () => {
    // 1000 USDC + 2 BTC·100k·(1 − 0.0608832) = 1000 + 187,823.36…
    const r = valueCollateral(params, market, [
      { asset: "BTC", amount: 1 },
      { asset: "USDC", amount: 1000 },
      { asset: "BTC", amount: 1 },
    ]);
    const h = haircutFraction("BTC", params.collateral.BTC!, market);
    expect(r.valueUsd).toBeCloseTo(1000 + 200_000 * (1 - h), 8);
    expect(r.breakdown).toEqual([expect.objectContaining({ component: "haircut", asset: "BTC" })]);
    // 1000 BTC = 100M gross, ~93.9M after haircut, capped at 50M.
    const capped = valueCollateral(params, market, [{ asset: "BTC", amount: 1000 }]);
    expect(capped.valueUsd).toBe(50_000_000);
    expect(capped.lines[0]!.capDeductionUsd).toBeCloseTo(100_000_000 * (1 - h) - 50_000_000, 4);
  });

  it("rejects unknown assets, negative amounts and missing prices with their location", () => {
    expect(() => valueCollateral(params, market, [{ asset: "DOGE", amount: 1 }])).toThrow(
      "collateral.0.asset: 'DOGE' is not a collateral asset of this venue",
    );
    expect(() =>
      valueCollateral(params, market, [
        { asset: "USDC", amount: 1 },
        { asset: "BTC", amount: -1 },
      ]),
    ).toThrow("collateral.1.amount: must be a finite number ≥ 0");
    expect(() =>
      valueCollateral(params, { ...market, collateral: {} }, [{ asset: "USDC", amount: 1 }]),
    ).toThrow("market.collateral.USDC.priceUsd: is missing");
  });
});
