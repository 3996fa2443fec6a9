import { closeLogReturnsWithTimes } from "../../core/data/log-returns.ts";
import type { PriceSeries } from "../../core/data/price-series.ts";
import type { ApcState } from "../../core/margin/apc.ts";
import { marketRequirementFraction } from "../../core/margin/market-requirement-fractions.ts";
import type { MarketParams } from "../../core/margin/risk-params.ts";
import type { MarketState } from "../../core/margin/types.ts";

/*
 * The requirement a policy sets at every bar of a history, computed by the product's own policy
 * code (`marketRequirementFraction`, with APC folded bar by bar exactly as the engine folds it).
 * At bar i the policy sees only the close-to-close returns that end at or before bar i (returns
 * across a data gap are excluded, see closeLogReturns), trailing `lookbackPeriods` of them so the
 * per-bar cost stays bounded; nothing after bar i is visible.
 */

export interface RequirementPath {
  /** IM fraction of notional per bar; NaN before the warm-up is complete. */
  readonly initialFraction: Float64Array;
  /** MM fraction of notional per bar; NaN before the warm-up is complete. */
  readonly maintenanceFraction: Float64Array;
}

export interface RequirementPathOptions {
  /** Returns the volatility models see at most (trailing window). */
  readonly lookbackPeriods: number;
  /** Returns needed before the first requirement is set. */
  readonly warmupPeriods: number;
  /** Called every few hundred bars with (bars done, bars total), for progress bars. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Per-bar IM/MM fractions (unitless, of notional) for one market's policy over a series. */
export function requirementPath(
  series: Pick<PriceSeries, "close" | "gaps" | "timestampsMs" | "intervalMs">,
  market: MarketParams,
  options: RequirementPathOptions,
): RequirementPath {
  const n = series.close.length;
  const im = new Float64Array(n).fill(Number.NaN);
  const mm = new Float64Array(n).fill(Number.NaN);
  const { returns, endIndices } = closeLogReturnsWithTimes(series);
  const periodHours = series.intervalMs / 3_600_000;
  const needsReturns = market.policy.type === "volatility-scaled";
  let apc: ApcState | undefined;
  let k = 0;
  for (let i = 0; i < n; i++) {
    while (k < returns.length && (endIndices[k] as number) <= i) k++;
    if (k < options.warmupPeriods) continue;
    const window = needsReturns
      ? Array.from(returns.subarray(Math.max(0, k - options.lookbackPeriods), k))
      : [];
    const state: MarketState = {
      asOfMs: series.timestampsMs[i] as number,
      underlyings: {
        [market.underlying]: {
          indexPriceUsd: series.close[i] as number,
          returns: window,
          returnPeriodHours: periodHours,
        },
      },
      collateral: {},
    };
    const f = marketRequirementFraction(market, market.policy, state, apc);
    apc = f.apcState;
    im[i] = f.initialFraction;
    mm[i] = f.maintenanceFraction;
    if (options.onProgress !== undefined && i % 250 === 0) options.onProgress(i, n);
  }
  options.onProgress?.(n, n);
  return { initialFraction: im, maintenanceFraction: mm };
}
