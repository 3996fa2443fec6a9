import type { PolicyMetrics } from "./policy-metrics.ts";
import type { AssetBacktest } from "./run-backtest.ts";

/** The machine-readable form of a backtest (the `--json` contract); paths are left out. */
export interface BacktestJson {
  readonly horizon: string;
  readonly horizonMs: number;
  readonly lossDefinition: string;
  readonly requirementBasis: string;
  /** Present for a single input: the same array as `assets[0].policies`. */
  readonly policies?: readonly PolicyMetrics[];
  readonly assets: readonly {
    readonly asset: string;
    readonly source: string;
    readonly intervalMs: number;
    readonly horizonPeriods: number;
    readonly from: string;
    readonly to: string;
    readonly notes: readonly string[];
    readonly policies: readonly PolicyMetrics[];
  }[];
}

/** Builds the JSON contract from per-asset results. */
export function backtestJson(
  horizon: string,
  horizonMs: number,
  results: readonly AssetBacktest[],
): BacktestJson {
  const assets = results.map((r) => ({
    asset: r.asset,
    source: r.source,
    intervalMs: r.intervalMs,
    horizonPeriods: r.horizonPeriods,
    from: new Date(r.fromMs).toISOString(),
    to: new Date(r.toMs).toISOString(),
    notes: r.notes,
    policies: r.policies,
  }));
  return {
    horizon,
    horizonMs,
    lossDefinition:
      "worst of a long and a short unit position over the horizon: |close[t+h]/close[t] − 1|; an MM breach is a loss > MM fraction",
    requirementBasis:
      "meanRequirement/medianRequirement are IM fractions of notional (capital efficiency); meanMaintenance/medianMaintenance are MM; breach tests use MM",
    ...(assets.length === 1 ? { policies: assets[0]?.policies ?? [] } : {}),
    assets,
  };
}
