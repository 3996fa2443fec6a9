import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { normalPdf, normalQuantile } from "../dist/normal.ts";
import { type ApcState, applyApc } from "./apc.ts";
import {
  effectivePolicy,
  marketRequirementFraction,
  marketRequirementFractions,
} from "./market-requirement-fractions.ts";
import { type MarketParams, parseRiskParams, type VolScaledPolicy } from "./risk-params.ts";
import type { MarketState } from "./types.ts";

const params = parseRiskParams(
  JSON.parse(readFileSync(new URL("../../../examples/venue-risk-params.json", import.meta.url), "utf8")),
);
const DATA = new URL("../../../../shared/data/daily/BTCUSDT.csv", import.meta.url);

const volPolicy: VolScaledPolicy = {
  type: "volatility-scaled",
  horizonHours: 24,
  confidence: 0.99,
  measure: "es",
  distribution: { type: "normal" },
  volSource: { model: "supplied" },
  maintenanceShare: 0.6,
  floorFraction: 0.02,
  capFraction: 0.5,
};
const btc: MarketParams = {
  instrument: { type: "linear-perp" },
  underlying: "BTC",
  contractSize: 1,
  tickSize: 0.1,
  policy: volPolicy,
};
const market = (u: MarketState["underlyings"][string]): MarketState => ({
  asOfMs: 0,
  underlyings: { BTC: u },
  collateral: {},
});

describe("marketRequirementFractions", () => {
  it("volatility-scaled: ES₉₉ of a 24h normal move from a supplied vol (hand-computed)", () => {
    // σ_24h = 0.73/√365 = 0.0382103; ES multiplier φ(2.326348)/0.01 = 2.665214 → 0.101840; MM = 0.6·IM.
    const f = marketRequirementFraction(
      btc,
      volPolicy,
      market({ indexPriceUsd: 1, volAnnual: 0.73 }),
      undefined,
    );
    const expected = ((0.73 / Math.sqrt(365)) * normalPdf(normalQuantile(0.99))) / 0.01;
    expect(f.initialFraction).toBeCloseTo(expected, 14);
    expect(f.initialFraction).toBeCloseTo(0.10184, 5);
    expect(f.maintenanceFraction).toBeCloseTo(0.6 * expected, 14);
  });

  it("clamps to the floor and cap, and applies APC", () => {
    expect(
      marketRequirementFraction(btc, volPolicy, market({ indexPriceUsd: 1, volAnnual: 0.05 }), undefined)
        .initialFraction,
    ).toBe(0.02);
    expect(
      marketRequirementFraction(btc, volPolicy, market({ indexPriceUsd: 1, volAnnual: 19 }), undefined)
        .initialFraction,
    ).toBe(0.5);
    const withApc = { ...btc, apc: { tool: { type: "lookback-floor" as const, floorFraction: 0.15 } } };
    const f = marketRequirementFraction(
      withApc,
      volPolicy,
      market({ indexPriceUsd: 1, volAnnual: 0.73 }),
      undefined,
    );
    expect(f.initialFraction).toBe(0.15);
    expect(f.apcScale).toBeCloseTo(0.15 / f.rawInitialFraction, 14);
    expect(f.apcState?.fraction).toBe(0.15);
  });

  it("uses the implied vol or a model on the return history as the document says", () => {
    const implied = marketRequirementFraction(
      btc,
      { ...volPolicy, volSource: { model: "implied" } },
      market({ indexPriceUsd: 1, impliedVolAnnual: 0.73 }),
      undefined,
    );
    expect(implied.volAnnual).toBe(0.73);
    // Realised vol of ±2% daily returns (zero mean) is 2% a day → 0.02·√365 annualised.
    const returns = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 0.02 : -0.02));
    const realized = marketRequirementFraction(
      btc,
      { ...volPolicy, volSource: { model: "realized", windowPeriods: 20 } },
      market({ indexPriceUsd: 1, returns, returnPeriodHours: 24 }),
      undefined,
    );
    expect(realized.volAnnual).toBeCloseTo(0.02 * Math.sqrt(365), 10);
    expect(realized.horizonSigma).toBeCloseTo(0.02, 12);
    expect(() =>
      marketRequirementFraction(
        btc,
        { ...volPolicy, volSource: { model: "ewma", lambda: 0.94 } },
        market({ indexPriceUsd: 1 }),
        undefined,
      ),
    ).toThrow("market.underlyings.BTC.returns: at least 2 returns are required by volSource 'ewma'");
    expect(() => marketRequirementFraction(btc, volPolicy, market({ indexPriceUsd: 1 }), undefined)).toThrow(
      "market.underlyings.BTC.volAnnual: is required by volSource 'supplied'",
    );
  });

  it("covers every market of the example venue and honours parameter sets", () => {
    const m: MarketState = JSON.parse(
      readFileSync(new URL("../../../examples/market-state.json", import.meta.url), "utf8"),
    );
    const all = marketRequirementFractions(params, m);
    expect(Object.keys(all).sort()).toEqual(Object.keys(params.markets).sort());
    expect(all["BTC-PERP"]?.initialFraction).toBe(0.05);
    expect(effectivePolicy(params, "BTC-PERP", "market-maker-1")).toMatchObject({ initialFraction: 0.04 });
    expect(() => effectivePolicy(params, "BTC-PERP", "nope")).toThrow(
      "settings.paramSetId: unknown parameter set 'nope'",
    );
  });

  it.runIf(existsSync(DATA))(
    "on real BTC daily data through COVID, a buffer never lets the requirement rise faster than raw",
    () => {
      const rows = readFileSync(DATA, "utf8").trim().split("\n").slice(1);
      const closes = rows.map((r) => Number(r.split(",")[4]));
      const dates = rows.map((r) => r.split(",")[0]!);
      const logReturns = closes.slice(1).map((c, i) => Math.log(c / closes[i]!));
      const start = dates.indexOf("2019-06-01T00:00:00Z");
      const end = dates.indexOf("2020-06-01T00:00:00Z");
      expect(start).toBeGreaterThan(0);
      const policy: VolScaledPolicy = { ...volPolicy, volSource: { model: "ewma", lambda: 0.94 } };
      const apc = { tool: { type: "buffer" as const, bufferShare: 0.25 } };
      let state: ApcState | undefined;
      let maxRawRise = 0;
      let maxOutRise = 0;
      let prevRaw = 0;
      let prevOut = 0;
      for (let t = start; t < end; t++) {
        const asOfMs = Date.parse(dates[t]!);
        const f = marketRequirementFraction(
          btc,
          policy,
          {
            asOfMs,
            underlyings: {
              BTC: {
                indexPriceUsd: closes[t]!,
                returns: logReturns.slice(t - 250, t),
                returnPeriodHours: 24,
              },
            },
            collateral: {},
          },
          undefined,
        );
        const step = applyApc(state, f.rawInitialFraction, asOfMs, apc);
        expect(step.fraction).toBeGreaterThanOrEqual(f.rawInitialFraction);
        if (prevRaw > 0) {
          maxRawRise = Math.max(maxRawRise, f.rawInitialFraction / prevRaw);
          maxOutRise = Math.max(maxOutRise, step.fraction / prevOut);
        }
        prevRaw = f.rawInitialFraction;
        prevOut = step.fraction;
        state = step.state;
      }
      // The COVID crash (−39% on 2020-03-12) makes the EWMA requirement jump by more than half in a day.
      expect(maxRawRise).toBeGreaterThan(1.5);
      expect(maxOutRise).toBeLessThan(maxRawRise);
    },
  );

  it.skipIf(existsSync(DATA))("real-data APC test skipped", () => {
    console.warn(`WARNING: ${DATA.pathname} is absent; the real-data APC test was skipped`);
  });
});
