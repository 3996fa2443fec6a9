import type { MarketParams, RiskParams } from "../../core/margin/risk-params.ts";
import { parseRiskParams } from "../../core/margin/risk-params.ts";

/**
 * A risk-parameter document holding the optimizer's chosen markets (keyed by policy name, so
 * `marginal backtest --params THIS --policies static,vol-apc` replays them), validated against
 * the schema before it is returned. The underlying's scenario grid is a neutral default: the
 * optimizer does not calibrate portfolio margin.
 */
export function buildRiskParams(
  underlying: string,
  markets: Readonly<Record<string, MarketParams>>,
): RiskParams {
  return parseRiskParams({
    version: 1,
    venue: `Optimized margin policy for ${underlying}`,
    quoteAsset: "USD",
    markets,
    collateral: { USD: { haircut: { model: "fixed", fraction: 0 } } },
    underlyings: {
      [underlying]: {
        priceRange: 0.2,
        priceSteps: 21,
        volShockUp: 0.3,
        volShockDown: 0.3,
        shortOptionMinimumFraction: 0.01,
        calendarSpreadFraction: 0.01,
        maintenanceShare: 0.8,
      },
    },
  });
}
