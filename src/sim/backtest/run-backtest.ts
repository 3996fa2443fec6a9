import type { PriceSeries } from "../../core/data/price-series.ts";
import { invalidInput } from "../../core/errors.ts";
import { barLogReturns } from "./bar-log-returns.ts";
import { horizonLosses } from "./horizon-losses.ts";
import { type PolicyMetrics, policyMetrics } from "./policy-metrics.ts";
import { requirementPath } from "./requirement-path.ts";
import type { ResolvedPolicy } from "./resolve-policies.ts";

/*
 * The backtest of several policies on one asset's history: each policy's requirement path from
 * the product's policy code (see requirement-path.ts), scored against the horizon losses that
 * followed (see horizon-losses.ts, policy-metrics.ts). Bars before `fromMs` still feed the
 * policies' history (they are warm-up, not scored) so a window backtest sees what a live policy
 * would have seen.
 */

export interface BacktestOptions {
  /** Liquidation horizon in ms; a whole number of bars. */
  readonly horizonMs: number;
  /** Trailing returns a volatility model sees (default 1000). */
  readonly lookbackPeriods?: number;
  /** Returns required before the first requirement (default 30, or a realised window if longer). */
  readonly warmupPeriods?: number;
  /** Coverage target for every policy; default: a volatility-scaled policy's own `confidence`, else 0.99. */
  readonly confidence?: number;
  /** Score only bars with timestamp in [fromMs, toMs] (epoch ms). */
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly onProgress?: (policy: string, done: number, total: number) => void;
}

export interface PolicyPath {
  readonly name: string;
  readonly initialFraction: Float64Array;
  readonly maintenanceFraction: Float64Array;
}

export interface AssetBacktest {
  readonly asset: string;
  readonly source: string;
  readonly intervalMs: number;
  readonly horizonPeriods: number;
  /** First and last scored bar (epoch ms). */
  readonly fromMs: number;
  readonly toMs: number;
  readonly notes: readonly string[];
  readonly policies: readonly PolicyMetrics[];
  /** For the report: the series, every policy's path and the horizon losses. */
  readonly timestampsMs: Float64Array;
  readonly close: Float64Array;
  readonly worstLoss: Float64Array;
  readonly barReturns: Float64Array;
  readonly paths: readonly PolicyPath[];
}

/** The coverage target a policy is tested against (unitless confidence). */
export function policyConfidence(policy: ResolvedPolicy, override?: number): number {
  if (override !== undefined) return override;
  return policy.market.policy.type === "volatility-scaled" ? policy.market.policy.confidence : 0.99;
}

/** The horizon as a whole number of bars; throws `invalid_input` on `horizon` otherwise. */
export function horizonPeriodsOf(horizonMs: number, intervalMs: number): number {
  const h = horizonMs / intervalMs;
  if (!(Math.abs(h - Math.round(h)) < 1e-9 && Math.round(h) >= 1)) {
    throw invalidInput(
      "horizon",
      `must be a whole number (≥ 1) of the data's ${intervalMs / 3_600_000} h bars`,
    );
  }
  return Math.round(h);
}

/** Index range [from, to) of bars whose timestamps lie in [fromMs, toMs]. */
export function barWindow(timestampsMs: Float64Array, fromMs?: number, toMs?: number): [number, number] {
  let from = 0;
  let to = timestampsMs.length;
  if (fromMs !== undefined) while (from < to && (timestampsMs[from] as number) < fromMs) from++;
  if (toMs !== undefined) while (to > from && (timestampsMs[to - 1] as number) > toMs) to--;
  return [from, to];
}

/** Warm-up the policies need: 30 returns, or the longest realised-volatility window. */
export function defaultWarmup(policies: readonly ResolvedPolicy[]): number {
  let w = 30;
  for (const p of policies) {
    const pol = p.market.policy;
    if (pol.type === "volatility-scaled" && pol.volSource.model === "realized")
      w = Math.max(w, pol.volSource.windowPeriods);
  }
  return w;
}

/** Runs every policy over one series and scores it. Fractions of notional throughout. */
export function backtestSeries(
  series: PriceSeries,
  asset: string,
  policies: readonly ResolvedPolicy[],
  options: BacktestOptions,
): AssetBacktest {
  const horizonPeriods = horizonPeriodsOf(options.horizonMs, series.intervalMs);
  const lookbackPeriods = options.lookbackPeriods ?? 1000;
  const warmupPeriods = options.warmupPeriods ?? defaultWarmup(policies);
  if (warmupPeriods > lookbackPeriods) throw invalidInput("lookbackPeriods", "must be ≥ the warm-up");
  const { worstLoss, simpleReturn } = horizonLosses(series, horizonPeriods);
  const barReturns = barLogReturns(series);
  const [from, to] = barWindow(series.timestampsMs, options.fromMs, options.toMs);
  const paths: PolicyPath[] = [];
  const metrics: PolicyMetrics[] = [];
  for (const policy of policies) {
    const path = requirementPath(series, policy.market, {
      lookbackPeriods,
      warmupPeriods,
      ...(options.onProgress === undefined
        ? {}
        : { onProgress: (d: number, t: number) => options.onProgress?.(policy.name, d, t) }),
    });
    paths.push({ name: policy.name, ...path });
    metrics.push(
      policyMetrics({
        name: policy.name,
        ...path,
        worstLoss,
        simpleReturn,
        barReturns,
        timestampsMs: series.timestampsMs,
        intervalMs: series.intervalMs,
        confidence: policyConfidence(policy, options.confidence),
        from,
        to,
      }),
    );
  }
  let first = from;
  while (
    first < to &&
    !(Number.isFinite(worstLoss[first]) && Number.isFinite(paths[0]?.initialFraction[first]))
  )
    first++;
  let last = to - 1;
  while (last > first && !Number.isFinite(worstLoss[last])) last--;
  return {
    asset,
    source: series.source,
    intervalMs: series.intervalMs,
    horizonPeriods,
    fromMs: series.timestampsMs[first] as number,
    toMs: series.timestampsMs[last] as number,
    notes: policies.flatMap((p) => p.notes),
    policies: metrics,
    timestampsMs: series.timestampsMs,
    close: series.close,
    worstLoss,
    barReturns,
    paths,
  };
}
