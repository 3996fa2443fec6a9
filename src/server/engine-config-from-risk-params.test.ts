import { describe, expect, it } from "vitest";
import { parseRiskParams } from "../core/margin/risk-params.ts";
import { parseEngineConfig } from "../engine/engine-config.ts";
import { demoRiskParams } from "./demo-venue.ts";
import { engineConfigFromRiskParams, engineFractions } from "./engine-config-from-risk-params.ts";

describe("engineConfigFromRiskParams", () => {
  const doc = demoRiskParams();
  const { config, skipped } = engineConfigFromRiskParams(doc);

  it("derives a configuration the engine accepts", () => {
    expect(() => parseEngineConfig(config)).not.toThrow();
    expect(config.quoteAsset).toBe("USDC");
  });

  it("lists perps, futures and options, and reports inverse perps as skipped", () => {
    const byId = new Map(config.markets.map((m) => [m.id, m]));
    expect(byId.get("BTC-PERP")?.kind).toBe("perp");
    expect(byId.get("BTC-20261225")).toMatchObject({ kind: "future", expiryMs: 1798185600000 });
    expect(byId.get("BTC-20261225-100000-C")?.option).toMatchObject({ type: "call", strike: "100000" });
    expect(skipped).toEqual([
      { marketId: "BTC-USD-INVERSE", reason: "inverse perpetuals are not settled by the engine" },
    ]);
    expect(config.markets).toHaveLength(Object.keys(doc.markets).length - 1);
  });

  it("takes static fractions as they are and price decimals from the tick size", () => {
    // BTC-PERP: static 5 % / 2.5 %, tick 0.1 → 1 decimal; ETH-PERP tick 0.01 → 2 decimals.
    const btc = config.markets.find((m) => m.id === "BTC-PERP")!;
    expect([btc.initialMarginFraction, btc.maintenanceMarginFraction, btc.priceDecimals]).toEqual([
      0.05, 0.025, 1,
    ]);
    expect(config.markets.find((m) => m.id === "ETH-PERP")!.priceDecimals).toBe(2);
  });

  it("stands in for a volatility-scaled policy with its cap", () => {
    const sol = doc.markets["SOL-PERP"]!.policy;
    expect(sol.type).toBe("volatility-scaled");
    if (sol.type !== "volatility-scaled") return;
    // IM = cap; MM = cap × maintenanceShare.
    expect(engineFractions(sol)).toEqual({
      initialMarginFraction: sol.capFraction,
      maintenanceMarginFraction: sol.capFraction * sol.maintenanceShare,
    });
  });

  it("gives the quote asset no haircut and a fixed-haircut asset its fraction", () => {
    const usdc = config.assets.find((a) => a.id === "USDC")!;
    expect(usdc).toEqual({ id: "USDC", decimals: 6, haircut: 0 });
    const fixed = parseRiskParams({
      ...doc,
      collateral: {
        ...doc.collateral,
        BTC: { haircut: { model: "fixed", fraction: 0.2 }, underlying: "BTC" },
      },
    });
    expect(engineConfigFromRiskParams(fixed).config.assets.find((a) => a.id === "BTC")).toEqual({
      id: "BTC",
      decimals: 8,
      priceUnderlying: "BTC",
      haircut: 0.2,
    });
  });
});
