import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalQuantile } from "../dist/normal.ts";
import { black76Price } from "../pricing/black76.ts";
import { computeSubaccountMargin } from "./compute-subaccount-margin.ts";
import { parseRiskParams } from "./risk-params.ts";
import type { MarketState, PositionInput, SubaccountInput } from "./types.ts";

/*
 * A small venue with round numbers so every figure can be checked by hand: BTC at 100, ETH at 10,
 * static 10%/5% on perps and futures, 15%/7.5% on options with a 10% short-option minimum.
 */
const T0 = 1_800_000_000_000;
const DAY = 86_400_000;
const YEAR = 365.25 * DAY;
const st = (im: number, mm: number) => ({ type: "static", initialFraction: im, maintenanceFraction: mm });
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
      policy: st(0.1, 0.05),
    },
    "ETH-PERP": {
      instrument: { type: "linear-perp" },
      underlying: "ETH",
      contractSize: 1,
      tickSize: 0.01,
      policy: st(0.1, 0.05),
    },
    "BTC-INV": {
      instrument: { type: "inverse-perp" },
      underlying: "BTC",
      contractSize: 100,
      tickSize: 0.01,
      policy: st(0.1, 0.05),
    },
    "BTC-F1": {
      instrument: { type: "dated-future", expiryMs: T0 + 30 * DAY },
      underlying: "BTC",
      contractSize: 1,
      tickSize: 0.01,
      policy: st(0.1, 0.05),
    },
    "BTC-F2": {
      instrument: { type: "dated-future", expiryMs: T0 + 90 * DAY },
      underlying: "BTC",
      contractSize: 1,
      tickSize: 0.01,
      policy: st(0.1, 0.05),
    },
    "BTC-C": {
      instrument: { type: "option", optionKind: "call", strike: 100, expiryMs: T0 + 0.1 * YEAR },
      underlying: "BTC",
      contractSize: 1,
      tickSize: 0.01,
      policy: st(0.15, 0.075),
      shortOptionMinimumFraction: 0.1,
    },
    "BTC-P": {
      instrument: { type: "option", optionKind: "put", strike: 100, expiryMs: T0 + 0.1 * YEAR },
      underlying: "BTC",
      contractSize: 1,
      tickSize: 0.01,
      policy: st(0.15, 0.075),
      shortOptionMinimumFraction: 0.1,
    },
  },
  collateral: {
    USD: { haircut: { model: "fixed", fraction: 0 } },
    BTC: {
      haircut: {
        model: "volatility",
        horizonHours: 24,
        confidence: 0.99,
        floorFraction: 0,
        capFraction: 0.5,
      },
      underlying: "BTC",
    },
    ETH: { haircut: { model: "fixed", fraction: 0.1 }, underlying: "ETH" },
  },
  underlyings: {
    BTC: {
      priceRange: 0.08,
      priceSteps: 5,
      volShockUp: 0.2,
      volShockDown: 0.2,
      shortOptionMinimumFraction: 0.01,
      calendarSpreadFraction: 0.01,
      maintenanceShare: 0.8,
    },
    ETH: {
      priceRange: 0.05,
      priceSteps: 3,
      volShockUp: 0.2,
      volShockDown: 0.2,
      shortOptionMinimumFraction: 0.01,
      calendarSpreadFraction: 0.01,
      maintenanceShare: 0.8,
    },
  },
  correlation: {
    underlyings: ["BTC", "ETH"],
    matrix: [
      [1, 0.5],
      [0.5, 1],
    ],
  },
  paramSets: {
    vol: {
      description: "BTC-PERP volatility-scaled",
      markets: {
        "BTC-PERP": {
          policy: {
            type: "volatility-scaled",
            horizonHours: 24,
            confidence: 0.99,
            measure: "var",
            distribution: { type: "normal" },
            volSource: { model: "supplied" },
            maintenanceShare: 0.5,
            floorFraction: 0,
            capFraction: 0.9,
          },
        },
      },
    },
  },
});
const market: MarketState = {
  asOfMs: T0,
  underlyings: {
    BTC: { indexPriceUsd: 100, volAnnual: 0.5, impliedVolAnnual: 0.5 },
    ETH: { indexPriceUsd: 10, volAnnual: 0.7, impliedVolAnnual: 0.7 },
  },
  collateral: { USD: { priceUsd: 1 }, BTC: { priceUsd: 100, volAnnual: 0.5 }, ETH: { priceUsd: 10 } },
};
const usd = (amount: number) => [{ asset: "USD", amount }];
const sub = (
  mode: SubaccountInput["mode"],
  positions: PositionInput[],
  collateral = usd(1000),
  settings?: SubaccountInput["settings"],
): SubaccountInput => ({
  id: "s",
  mode,
  positions,
  collateral,
  ...(settings === undefined ? {} : { settings }),
});
const pos = (marketId: string, size: number, entryPrice = 100): PositionInput => ({
  marketId,
  size,
  entryPrice,
});
const sumBreakdownIm = (r: ReturnType<typeof computeSubaccountMargin>) =>
  r.breakdown
    .filter((b) => b.component !== "haircut" && b.component !== "collateral-cap")
    .reduce((a, b) => a + b.amountUsd, 0);

describe("computeSubaccountMargin: hand-computed cases", () => {
  it("isolated linear perp, with the closed-form liquidation price", () => {
    // Long 10 @ 90, mark 100: notional 1000, IM 100, MM 50, PnL +100, equity 100 + 100 = 200.
    const r = computeSubaccountMargin(params, market, sub("isolated", [pos("BTC-PERP", 10, 90)], usd(100)));
    expect(r.equityUsd).toBeCloseTo(200, 12);
    expect(r.initialMarginUsd).toBeCloseTo(100, 12);
    expect(r.maintenanceMarginUsd).toBeCloseTo(50, 12);
    expect(r.freeCollateralUsd).toBeCloseTo(100, 12);
    expect(r.marginRatio).toBeCloseTo(0.25, 12);
    expect(r.health).toBeCloseTo(4, 12);
    // equity(P) = 100 + 10(P − 90) = MM(P) = 0.05·10·P  ⇒  9.5P = 800  ⇒  P = 84.2105263…
    expect(r.positions[0]!.liquidationPrice).toBeCloseTo(800 / 9.5, 7);
    expect(sumBreakdownIm(r)).toBeCloseTo(r.initialMarginUsd, 10);
  });

  it("cross: requirements add; liquidation price holds the other position fixed", () => {
    // BTC long 10 @ 100: IM 100; ETH short 50 @ 10: notional 500, IM 50. Total IM 150, MM 75.
    const r = computeSubaccountMargin(
      params,
      market,
      sub("cross", [pos("BTC-PERP", 10), pos("ETH-PERP", -50, 10)], usd(200)),
    );
    expect(r.initialMarginUsd).toBeCloseTo(150, 12);
    expect(r.maintenanceMarginUsd).toBeCloseTo(75, 12);
    // 200 + 10(P − 100) = 0.5P + 25  ⇒  9.5P = 825  ⇒  P = 86.8421…
    expect(r.positions.find((p) => p.marketId === "BTC-PERP")!.liquidationPrice).toBeCloseTo(825 / 9.5, 7);
    // ETH short: 200 − 50(Q − 10) = 0.05·50·Q + 50  ⇒  52.5Q = 650  ⇒  Q = 12.3809…
    expect(r.positions.find((p) => p.marketId === "ETH-PERP")!.liquidationPrice).toBeCloseTo(650 / 52.5, 7);
  });

  it("inverse perp: USD notional, coin PnL, liquidation at the entry when the margin is exactly MM", () => {
    // Long 10 × 100 USD @ 80, mark 100: PnL = 1000·(100/80 − 1) = 250; notional 1000 → IM 100, MM 50.
    const r = computeSubaccountMargin(params, market, sub("cross", [pos("BTC-INV", 10, 80)], usd(50)));
    expect(r.unrealizedPnlUsd).toBeCloseTo(250, 12);
    expect(r.initialMarginUsd).toBeCloseTo(100, 12);
    // 50 + 1000(P/80 − 1) = 50  ⇒  P = 80.
    expect(r.positions[0]!.liquidationPrice).toBeCloseTo(80, 7);
  });

  it("short options: max(policy − OTM, minimum); long options: min(value, policy)", () => {
    // ATM short 10 calls at S = 100: U = 1000, IM = max(0.15·1000 − 0, 0.1·1000) = 150, MM = max(75, 50) = 75.
    const atm = computeSubaccountMargin(params, market, sub("cross", [pos("BTC-C", -10, 5)]));
    expect(atm.initialMarginUsd).toBeCloseTo(150, 12);
    expect(atm.maintenanceMarginUsd).toBeCloseTo(75, 12);
    // At S = 90 the call is 10 OTM: U = 900, max(135 − 100, 90) = 90 (the minimum binds).
    const low = {
      ...market,
      underlyings: { ...market.underlyings, BTC: { indexPriceUsd: 90, impliedVolAnnual: 0.5 } },
    };
    const otm = computeSubaccountMargin(params, low, sub("cross", [pos("BTC-C", -10, 5)]), {
      liquidationPrices: false,
    });
    expect(otm.initialMarginUsd).toBeCloseTo(90, 12);
    expect(otm.breakdown.some((b) => b.component === "short-option-minimum")).toBe(true);
    // Long 10 calls: value 10·B76(100, 100, 0.1, 0.5) = 10·6.3043… < 150 → IM = value.
    const long = computeSubaccountMargin(params, market, sub("cross", [pos("BTC-C", 10, 5)]), {
      liquidationPrices: false,
    });
    expect(long.initialMarginUsd).toBeCloseTo(10 * black76Price("call", 100, 100, 0.1, 0.5, 0), 10);
  });

  it("volatility-scaled through a venue-assigned parameter set, and the trader's stricter margin", () => {
    // VaR₉₉ of a 24h normal move at 50% vol: 2.326348·0.5/√365 = 0.0608832 → IM 60.8832 on 1000, MM half.
    const r = computeSubaccountMargin(
      params,
      market,
      sub("cross", [pos("BTC-PERP", 10)], usd(1000), { paramSetId: "vol", imMultiplier: 1.5 }),
    );
    const f = (normalQuantile(0.99) * 0.5) / Math.sqrt(365);
    expect(r.maintenanceMarginUsd).toBeCloseTo(500 * f, 10);
    // The trader asked for 1.5× IM: 1.5·60.8832 = 91.3248.
    expect(r.initialMarginUsd).toBeCloseTo(1.5 * 1000 * f, 10);
    expect(r.breakdown.map((b) => b.component)).toEqual(["volatility", "im-multiplier"]);
  });

  it("portfolio: a futures calendar spread pays the spread charge, not two outright charges", () => {
    // Long 10 F1, short 10 F2, both at 100: every grid move is a parallel move → loss 0.
    // Spread charge 0.01·min(1000, 1000) = 10 (instead of 100 + 100 in cross mode); MM = 0.8·10.
    const r = computeSubaccountMargin(
      params,
      market,
      sub("portfolio", [pos("BTC-F1", 10), pos("BTC-F2", -10)]),
      { liquidationPrices: false },
    );
    expect(r.initialMarginUsd).toBeCloseTo(10, 10);
    expect(r.maintenanceMarginUsd).toBeCloseTo(8, 10);
    const cross = computeSubaccountMargin(
      params,
      market,
      sub("cross", [pos("BTC-F1", 10), pos("BTC-F2", -10)]),
      { liquidationPrices: false },
    );
    expect(cross.initialMarginUsd).toBeCloseTo(200, 10);
  });

  it("portfolio: a short call is revalued on every grid point (independent grid loop)", () => {
    let worst = 0;
    const base = black76Price("call", 100, 100, 0.1, 0.5, 0);
    for (const m of [-0.08, -0.04, 0, 0.04, 0.08]) {
      for (const v of [-0.2, 0, 0.2])
        worst = Math.max(
          worst,
          10 * (black76Price("call", 100 * (1 + m), 100, 0.1, 0.5 * (1 + v), 0) - base),
        );
    }
    // The worst is +8%, vol +20%; minimum 0.01·1000 = 10 < worst; cross cap 150 > worst.
    const r = computeSubaccountMargin(params, market, sub("portfolio", [pos("BTC-C", -10, base)]));
    expect(r.initialMarginUsd).toBeCloseTo(worst, 10);
    expect(r.worstScenario).toMatchObject({ underlying: "BTC", priceMove: 0.08, volShock: 0.2 });
    // At the liquidation price (a move of the whole underlying) equity equals MM.
    const liq = r.positions[0]!.liquidationPrice!;
    const at = computeSubaccountMargin(
      params,
      {
        ...market,
        underlyings: {
          ...market.underlyings,
          BTC: { indexPriceUsd: liq, volAnnual: 0.5, impliedVolAnnual: 0.5 },
        },
        collateral: market.collateral,
      },
      sub("portfolio", [pos("BTC-C", -10, base)]),
      { liquidationPrices: false },
    );
    expect(at.equityUsd - at.maintenanceMarginUsd).toBeCloseTo(0, 6);
  });

  it("portfolio: cross-underlying offset √(Σ ρ Rᵢ Rⱼ)", () => {
    // BTC long 10: worst −8% → 80 (cap 100). ETH long 100 @ 10: worst −5% → 50 (cap 100).
    // √(80² + 50² + 2·0.5·80·50) = √12900 = 113.5782…; MM = 0.8 × that.
    const r = computeSubaccountMargin(
      params,
      market,
      sub("portfolio", [pos("BTC-PERP", 10), pos("ETH-PERP", 100, 10)]),
      { liquidationPrices: false },
    );
    expect(r.initialMarginUsd).toBeCloseTo(Math.sqrt(12900), 10);
    expect(r.maintenanceMarginUsd).toBeCloseTo(0.8 * Math.sqrt(12900), 10);
    expect(sumBreakdownIm(r)).toBeCloseTo(r.initialMarginUsd, 10);
    expect(r.worstScenarios?.map((w) => w.lossUsd)).toEqual([expect.closeTo(80, 10), expect.closeTo(50, 10)]);
  });

  it("wrong-way: BTC collateral behind a long BTC perp widens the requirement in both modes", () => {
    const h = (normalQuantile(0.99) * 0.5) / Math.sqrt(365); // 0.0608832
    const btcColl = [{ asset: "BTC", amount: 1 }];
    // Portfolio: at −8% the perp loses 80 and the collateral 8; the haircut already holds 6.088 → add 1.912.
    const p = computeSubaccountMargin(params, market, sub("portfolio", [pos("BTC-PERP", 10)], btcColl), {
      liquidationPrices: false,
    });
    expect(p.initialMarginUsd).toBeCloseTo(80 + (8 - 100 * h), 10);
    expect(p.equityUsd).toBeCloseTo(100 * (1 - h), 10);
    // Cross: ρ 1 · min(100 collateral, 1000 long delta) · 10% IM fraction = 10 on top of 100.
    const c = computeSubaccountMargin(params, market, sub("cross", [pos("BTC-PERP", 10)], btcColl), {
      liquidationPrices: false,
    });
    expect(c.initialMarginUsd).toBeCloseTo(110, 8);
    // ETH collateral against the BTC perp: ρ 0.5 · min(90 after… gross 100, 1000) · 0.1 = 5.
    const e = computeSubaccountMargin(
      params,
      market,
      sub("cross", [pos("BTC-PERP", 10)], [{ asset: "ETH", amount: 10 }]),
      { liquidationPrices: false },
    );
    expect(e.initialMarginUsd).toBeCloseTo(105, 8);
    // A short BTC perp is hedged by BTC collateral: no wrong-way add-on.
    const s = computeSubaccountMargin(params, market, sub("cross", [pos("BTC-PERP", -10)], btcColl), {
      liquidationPrices: false,
    });
    expect(s.initialMarginUsd).toBeCloseTo(100, 8);
  });
});

describe("computeSubaccountMargin: the Done-means portfolio under three policies", () => {
  const read = (path: string) =>
    JSON.parse(readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8"));
  const m: MarketState = read("examples/market-state.json");
  const run = (doc: string, input: string) =>
    computeSubaccountMargin(parseRiskParams(read(doc)), m, read(input).accounts[0].subaccounts[0], {
      liquidationPrices: false,
    });
  const dec100 = black76Price(
    "call",
    100_000,
    100_000,
    (1_798_185_600_000 - 1_795_564_800_000) / (365.25 * DAY),
    0.5,
    0,
  );
  const mar100 = black76Price(
    "call",
    100_000,
    100_000,
    (1_806_048_000_000 - 1_795_564_800_000) / (365.25 * DAY),
    0.52,
    0,
  );

  it("static: each leg alone (hand-computed)", () => {
    // Net: −3 Dec 100k C, −2 Dec 100k P, −1 Dec 110k C, +1 Mar 100k C, +1.1149 BTC-PERP.
    // 3 calls 0.15·300k = 45,000; 2 puts 0.15·200k = 30,000; 110k call max(15,000 − 10,000 OTM, 10% min) = 10,000;
    // long Mar call min(value, 15,000) = value; perp 0.05·111,490 = 5,574.5.
    const r = run("examples/venue-risk-params.json", "examples/portfolios/done-static.json");
    expect(r.initialMarginUsd).toBeCloseTo(45_000 + 30_000 + 10_000 + mar100 + 5_574.5, 6);
    // Equity: 150,000 + Σ q·(mark − entry) = 150,000 − 5·(dec100 − 5,750) − (B(110k) − 2,100) + (mar100 − 11,900).
    expect(r.unrealizedPnlUsd).toBeCloseTo(
      -5 * (dec100 - 5750) -
        (black76Price(
          "call",
          100_000,
          110_000,
          (1_798_185_600_000 - 1_795_564_800_000) / (365.25 * DAY),
          0.48,
          0,
        ) -
          2100) +
        (mar100 - 11_900),
      6,
    );
  });

  it("volatility-scaled: 24h ES₉₉ at 50% implied vol, APC on the perp (hand-computed)", () => {
    // f = (0.5/√365)·φ(z₀.₉₉)/0.01 = 0.0697513; perp APC 0.25·0.12 + 0.75·f = 0.0823135.
    // Calls max(f·300k, 10%·300k) = 30,000; puts 20,000; 110k call max(f·100k − 10,000, 10,000) = 10,000;
    // Mar call min(value, f·100k); perp 0.0823135·111,490.
    const f =
      ((0.5 / Math.sqrt(365)) * Math.exp(-0.5 * normalQuantile(0.99) ** 2)) / Math.sqrt(2 * Math.PI) / 0.01;
    const r = run("examples/venue-risk-params-vol-scaled.json", "examples/portfolios/done-vol-scaled.json");
    expect(r.initialMarginUsd).toBeCloseTo(
      30_000 + 20_000 + 10_000 + Math.min(mar100, f * 100_000) + (0.25 * 0.12 + 0.75 * f) * 111_490,
      6,
    );
  });

  it("portfolio: reproduces QuantLib's worst scenario loss to 1e-9 and needs the least", () => {
    const fixture = read("test/fixtures/margin/quantlib_scenarios.json");
    const r = run("examples/venue-risk-params.json", "examples/portfolios/done-portfolio.json");
    const scenario = r.breakdown.find((b) => b.component === "scenario")!;
    expect(Math.abs(scenario.amountUsd / fixture.worstLossUsd - 1)).toBeLessThan(1e-9);
    expect(r.initialMarginUsd).toBeCloseTo(scenario.amountUsd, 9);
    expect(r.worstScenario).toMatchObject({
      priceMove: fixture.worstPriceMove,
      volShock: fixture.worstVolShock,
    });
    const vol = run("examples/venue-risk-params-vol-scaled.json", "examples/portfolios/done-vol-scaled.json");
    const st = run("examples/venue-risk-params.json", "examples/portfolios/done-static.json");
    expect(r.initialMarginUsd).toBeLessThan(vol.initialMarginUsd);
    expect(vol.initialMarginUsd).toBeLessThan(st.initialMarginUsd);
  });
});

describe("computeSubaccountMargin: invalid portfolios", () => {
  const cases: [string, SubaccountInput, string][] = [
    [
      "unknown market",
      sub("cross", [pos("BTC-PERP", 1), pos("DOGE-PERP", 1)]),
      "positions.1.marketId: unknown market 'DOGE-PERP'",
    ],
    [
      "NaN size",
      sub("cross", [pos("BTC-PERP", Number.NaN)]),
      "positions.0.size: must be a finite number of contracts",
    ],
    [
      "zero entry",
      sub("cross", [pos("BTC-PERP", 1, 0)]),
      "positions.0.entryPrice: must be a finite price > 0",
    ],
    [
      "two markets isolated",
      sub("isolated", [pos("BTC-PERP", 1), pos("ETH-PERP", 1)]),
      "positions: an isolated sub-account holds one market; open one isolated sub-account per position",
    ],
    [
      "looser margin",
      sub("cross", [], usd(1), { imMultiplier: 0.5 }),
      "settings.imMultiplier: must be a number in [1, 100] (a trader may only make margin stricter)",
    ],
    [
      "unknown parameter set",
      sub("cross", [], usd(1), { paramSetId: "vip" }),
      "settings.paramSetId: unknown parameter set 'vip'",
    ],
    [
      "unknown collateral",
      sub("cross", [], [{ asset: "XRP", amount: 1 }]),
      "collateral.0.asset: 'XRP' is not a collateral asset of this venue",
    ],
    [
      "bad mode",
      { ...sub("cross", []), mode: "margin" as "cross" },
      "mode: must be 'isolated', 'cross' or 'portfolio'",
    ],
  ];
  for (const [name, s, message] of cases) {
    it(name, () => expect(() => computeSubaccountMargin(params, market, s)).toThrow(message));
  }
  it("expired future and missing option vol", () => {
    const later = { ...market, asOfMs: T0 + 31 * DAY };
    expect(() => computeSubaccountMargin(params, later, sub("cross", [pos("BTC-F1", 1)]))).toThrow(
      "positions.0.marketId: 'BTC-F1' has expired and must be settled",
    );
    const noVol = { ...market, underlyings: { ...market.underlyings, BTC: { indexPriceUsd: 100 } } };
    expect(() => computeSubaccountMargin(params, noVol, sub("cross", [pos("BTC-C", 1)]))).toThrow(
      "market.markets.BTC-C.impliedVolAnnual: is required to price the option (or an underlying vol)",
    );
  });
});

describe("computeSubaccountMargin: properties", () => {
  const markets = ["BTC-PERP", "ETH-PERP", "BTC-INV", "BTC-F1", "BTC-F2", "BTC-C", "BTC-P"];
  const arbPosition = fc.record({
    marketId: fc.constantFrom(...markets),
    size: fc.double({ min: -20, max: 20, noNaN: true }),
    entryPrice: fc.double({ min: 1, max: 200, noNaN: true }),
  });
  const arbPositions = fc.array(arbPosition, { minLength: 1, maxLength: 8 });
  const modes = fc.constantFrom("isolated", "cross", "portfolio") as fc.Arbitrary<SubaccountInput["mode"]>;
  const run = (mode: SubaccountInput["mode"], positions: PositionInput[], collateral = usd(1000)) =>
    computeSubaccountMargin(params, market, sub(mode, positions, collateral), { liquidationPrices: false });
  const oneMarket = (ps: PositionInput[]) => ps.filter((p) => p.marketId === ps[0]!.marketId);

  it("IM ≥ MM ≥ 0 in every mode", () => {
    fc.assert(
      fc.property(arbPositions, modes, (ps, mode) => {
        const r = run(mode, mode === "isolated" ? oneMarket(ps) : ps);
        expect(r.maintenanceMarginUsd).toBeGreaterThanOrEqual(0);
        expect(r.initialMarginUsd).toBeGreaterThanOrEqual(r.maintenanceMarginUsd - 1e-9);
      }),
      { numRuns: 150 },
    );
  });

  it("does not depend on the order of positions", () => {
    fc.assert(
      fc.property(arbPositions, modes, fc.integer(), (ps, mode, seed) => {
        const list = mode === "isolated" ? oneMarket(ps) : ps;
        const shuffled = [...list]
          .map((p, i) => ({ p, k: (i * 7919 + seed) % 104729 }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.p);
        expect(run(mode, shuffled)).toEqual(run(mode, list));
      }),
      { numRuns: 100 },
    );
  });

  it("adding a perfect hedge never raises portfolio margin", () => {
    // The hedge of an underlying is the negation of every position on it: that underlying's
    // risk goes to zero and, with non-negative stressed correlations, the aggregate cannot rise.
    // Hedging everything leaves no requirement at all.
    fc.assert(
      fc.property(arbPositions, fc.constantFrom("BTC", "ETH"), (ps, u) => {
        const before = run("portfolio", ps);
        const hedge = ps
          .filter((p) => params.markets[p.marketId]!.underlying === u)
          .map((p) => ({ ...p, size: -p.size }));
        const after = run("portfolio", [...ps, ...hedge]);
        expect(after.initialMarginUsd).toBeLessThanOrEqual(before.initialMarginUsd * (1 + 1e-9) + 1e-9);
        const all = run("portfolio", [...ps, ...ps.map((p) => ({ ...p, size: -p.size }))]);
        expect(all.initialMarginUsd).toBeLessThan(1e-9);
      }),
      { numRuns: 100 },
    );
  });

  it("scaling every position by k scales the scenario requirement by k", () => {
    fc.assert(
      fc.property(arbPositions, fc.double({ min: 0.1, max: 10, noNaN: true }), (ps, k) => {
        const base = run("portfolio", ps).initialMarginUsd;
        const scaled = run(
          "portfolio",
          ps.map((p) => ({ ...p, size: p.size * k })),
        ).initialMarginUsd;
        expect(scaled).toBeCloseTo(k * base, 6);
      }),
      { numRuns: 100 },
    );
  });

  it("portfolio margin ≤ the sum of isolated margins of the same positions", () => {
    fc.assert(
      fc.property(arbPositions, (ps) => {
        const pm = run("portfolio", ps).initialMarginUsd;
        const isolated = [...new Set(ps.map((p) => p.marketId))]
          .map(
            (id) =>
              run(
                "isolated",
                ps.filter((p) => p.marketId === id),
              ).initialMarginUsd,
          )
          .reduce((a, b) => a + b, 0);
        expect(pm).toBeLessThanOrEqual(isolated * (1 + 1e-12) + 1e-9);
      }),
      { numRuns: 100 },
    );
  });

  it("wrong-way collateral never lowers the requirement", () => {
    fc.assert(
      fc.property(
        arbPositions,
        fc.constantFrom("cross", "portfolio") as fc.Arbitrary<SubaccountInput["mode"]>,
        fc.double({ min: 0.1, max: 20, noNaN: true }),
        (ps, mode, btc) => {
          const withUsd = run(mode, ps, usd(100 * btc));
          const withBtc = run(mode, ps, [{ asset: "BTC", amount: btc }]);
          expect(withBtc.initialMarginUsd).toBeGreaterThanOrEqual(withUsd.initialMarginUsd - 1e-9);
        },
      ),
      { numRuns: 100 },
    );
  });
});
